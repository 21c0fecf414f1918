/**
 * The starter notebook every new user gets: the x → y → z chain, a note on reactivity, SQL against the
 * built-in sample database feeding Python, and an SVG chart drawn by pure Python.
 *
 * "New" is remembered per browser: the first time a signed-in user's notebook list is empty, the site
 * creates the starter and stores `reactive-notebook-demo:starter:<userId>` in localStorage, so a user who
 * later deletes every notebook keeps an empty list. A Web Lock keeps two tabs from both creating one.
 */
import type { CreateNotebookBody, NotebookClient, NotebookSummary } from "@reactive-notebook/sdk";
import { readStorage, writeStorage } from "./theme.js";

export const STARTER_NAME = "Welcome to Reactive Notebook";

const INTRO = `# Welcome to Reactive Notebook

This notebook **re-runs itself**. Every cell knows which names it defines and which it reads, so the
notebook is a graph, not a script:

- \`x\` is defined below; \`y\` reads \`x\`; \`z\` reads \`y\`.
- Change \`x = 10\` to \`x = 20\` and run it (**Shift+Enter**): \`y\` and \`z\` update by themselves.
- Further down, \`min_price\` feeds a SQL query, and its result feeds a chart drawn in plain Python.

Each cell's chips show what it *reads* and *writes*. Run everything with **Run all**.`;

const CHART_INTRO = `## From SQL to a chart

The SQL cell below runs against the built-in sample shop (\`customers\`, \`products\`, \`orders\`,
\`order_items\`). \`{min_price}\` is a bind parameter holding the Python value, and the result is bound to the
Python variable \`by_category\`. The chart after it is drawn by \`BarChart\`, a few lines of plain Python at the
bottom of the notebook — no packages needed. Edit \`min_price\` and watch the query and the chart follow.`;

const APPENDIX = `## Appendix: the chart helper

\`BarChart\` is defined here, at the bottom, and used above: cells run in the order of their dependencies,
not their place on the page. Any object with a \`_repr_svg_\` (or \`_repr_html_\`, \`_repr_markdown_\`, …)
method is displayed by the notebook.`;

const BY_CATEGORY_SQL = `SELECT p.category,
       round(sum(i.quantity * i.unit_price)) AS revenue,
       count(DISTINCT i.order_id) AS orders
FROM order_items AS i
JOIN products AS p ON p.id = i.product_id
JOIN orders AS o ON o.id = i.order_id
WHERE o.status <> 'cancelled' AND p.price >= {min_price}
GROUP BY p.category
ORDER BY revenue DESC`;

const CHART = `class BarChart:
    """A horizontal bar chart as SVG, in pure Python: the notebook shows anything with _repr_svg_."""

    def __init__(self, rows, label, value, title):
        self.rows, self.label, self.value, self.title = rows, label, value, title

    def _repr_svg_(self):
        from html import escape

        width, bar_height, gap, left = 640, 26, 10, 150
        top = 44
        height = top + len(self.rows) * (bar_height + gap) + 10
        largest = max((float(row[self.value]) for row in self.rows), default=1) or 1
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
            f'font-family="system-ui, sans-serif" role="img" aria-label="{escape(self.title)}">',
            f'<text x="0" y="22" font-size="17" font-weight="600" fill="currentColor">{escape(self.title)}</text>',
        ]
        for index, row in enumerate(self.rows):
            y = top + index * (bar_height + gap)
            amount = float(row[self.value])
            length = (width - left - 90) * amount / largest
            hue = 235 + index * 14
            parts.append(
                f'<text x="{left - 10}" y="{y + 18}" font-size="14" text-anchor="end" fill="currentColor">'
                f"{escape(str(row[self.label]))}</text>"
                f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{bar_height}" rx="5" '
                f'fill="hsl({hue}, 70%, 58%)"/>'
                f'<text x="{left + length + 8:.1f}" y="{y + 18}" font-size="13" fill="currentColor" fill-opacity="0.75">'
                f"{amount:,.0f}</text>"
            )
        parts.append("</svg>")
        return "".join(parts)`;

/** The starter notebook's cells, in order (also what the e2e tests and screenshots rely on). */
export const STARTER_NOTEBOOK: CreateNotebookBody = {
  name: STARTER_NAME,
  cells: [
    { type: "markdown", code: INTRO },
    { type: "python", code: "x = 10" },
    { type: "python", code: "y = x + 5\ny" },
    { type: "python", code: 'z = y * 2\nprint(f"z is {z}")\nz' },
    { type: "markdown", code: CHART_INTRO },
    { type: "python", code: "min_price = 50" },
    { type: "sql", name: "by_category", code: BY_CATEGORY_SQL },
    {
      type: "python",
      code: 'BarChart(by_category, "category", "revenue", f"Revenue by category, products from {min_price}")',
    },
    {
      type: "sql",
      code: "SELECT name, category, price\nFROM products\nWHERE price >= {min_price}\nORDER BY price DESC\nLIMIT 5",
    },
    { type: "markdown", code: APPENDIX },
    { type: "python", code: CHART },
  ],
};

const starterKey = (userId: string) => `reactive-notebook-demo:starter:${userId}`;

/**
 * The user's notebooks, after creating the starter notebook if this is the user's first visit from this
 * browser and they have none. `onCreating` is called with the (empty) list just before the starter is
 * created, so the page can show it while the service prepares the cells (the first analysis on a fresh
 * server takes a few seconds). Resolves with the list (newest first) and whether the starter was created.
 */
export async function notebooksWithStarter(
  client: NotebookClient,
  userId: string,
  onCreating: (notebooks: NotebookSummary[]) => void = () => {},
): Promise<{ notebooks: NotebookSummary[]; created: boolean }> {
  const create = async () => {
    const notebooks = await client.notebooks.list();
    if (notebooks.length > 0 || readStorage(starterKey(userId)) !== null) {
      writeStorage(starterKey(userId), "seen");
      return { notebooks, created: false };
    }
    onCreating(notebooks);
    await client.notebooks.create(STARTER_NOTEBOOK);
    writeStorage(starterKey(userId), new Date().toISOString());
    return { notebooks: await client.notebooks.list(), created: true };
  };
  // Two tabs signing in at once would both see an empty list; the lock makes the second one wait and see one.
  return navigator.locks ? navigator.locks.request(starterKey(userId), create) : create();
}
