/** The table output's pages: page buttons, page sizes, and the truncation note. */
import { expect } from "@open-wc/testing";
import type { TableData } from "@reactive-notebook/protocol";
import { sendKeys } from "@web/test-runner-commands";
import type { RnOutputsElement } from "../../src/outputs/index.js";
import { mount, part } from "./helpers.js";

const TABLE = "application/vnd.reactive-notebook.table+json";

function numbers(count: number, rowCount = count, truncated = false): TableData {
  return {
    columns: [
      { name: "n", type: "int8" },
      { name: "square", type: "int8" },
    ],
    rows: Array.from({ length: count }, (_, i) => [i + 1, (i + 1) ** 2]),
    rowCount,
    truncated,
  };
}

function firstColumn(element: RnOutputsElement): string[] {
  return Array.from(
    part(element, "output-table").querySelectorAll("tbody tr td:first-child"),
    (td) => td.textContent ?? "",
  );
}

function button(element: RnOutputsElement, label: string): HTMLButtonElement {
  const found = part(element, "output-table").querySelector<HTMLButtonElement>(
    `button[aria-label="${label}"]`,
  );
  if (!found) throw new Error(`no "${label}" button`);
  return found;
}

function status(element: RnOutputsElement): string {
  return (
    part(element, "output-table").querySelector(".page-status")?.textContent?.replace(/\s+/g, " ").trim() ??
    ""
  );
}

describe("<rn-outputs> table", () => {
  it("shows 25 rows a page and moves between pages with labelled buttons", async () => {
    const element = await mount([{ mimeType: TABLE, data: numbers(60) }]);
    expect(firstColumn(element)).to.have.length(25);
    expect(firstColumn(element)[0]).to.equal("1");
    expect(status(element)).to.equal("Rows 1–25 of 60, page 1 of 3");
    expect(button(element, "Previous page").disabled).to.equal(true);
    expect(button(element, "First page").disabled).to.equal(true);

    button(element, "Next page").click();
    await element.updateComplete;
    expect(firstColumn(element)[0]).to.equal("26");
    expect(status(element)).to.equal("Rows 26–50 of 60, page 2 of 3");

    button(element, "Last page").click();
    await element.updateComplete;
    expect(firstColumn(element)).to.deep.equal(Array.from({ length: 10 }, (_, i) => String(51 + i)));
    expect(button(element, "Next page").disabled).to.equal(true);

    button(element, "Previous page").click();
    await element.updateComplete;
    expect(firstColumn(element)[0]).to.equal("26");
    button(element, "First page").click();
    await element.updateComplete;
    expect(firstColumn(element)[0]).to.equal("1");
  });

  it("changes the page size to 50 or 100 rows and returns to the first page", async () => {
    const element = await mount([{ mimeType: TABLE, data: numbers(120) }]);
    button(element, "Next page").click();
    await element.updateComplete;
    const select = part(element, "output-table").querySelector("select") as HTMLSelectElement;
    expect(Array.from(select.options, (option) => option.value)).to.deep.equal(["25", "50", "100"]);
    expect(select.labels?.[0]?.textContent).to.contain("Rows per page");
    select.value = "100";
    select.dispatchEvent(new Event("change"));
    await element.updateComplete;
    expect(firstColumn(element)).to.have.length(100);
    expect(firstColumn(element)[0]).to.equal("1");
    expect(status(element)).to.equal("Rows 1–100 of 120, page 1 of 2");
  });

  it("pages with the keyboard alone", async () => {
    const element = await mount([{ mimeType: TABLE, data: numbers(60) }]);
    button(element, "Next page").focus();
    await sendKeys({ press: "Enter" });
    await element.updateComplete;
    expect(firstColumn(element)[0]).to.equal("26");
    await sendKeys({ press: "Space" });
    await element.updateComplete;
    expect(firstColumn(element)[0]).to.equal("51");
    // "Next" is disabled on the last page, so focus moved on to a button that still works.
    expect(button(element, "Next page").disabled).to.equal(true);
    await element.updateComplete;
    expect(element.shadowRoot?.activeElement?.getAttribute("aria-label")).to.equal("First page");
  });

  it("says how many rows there are when the result was truncated", async () => {
    const element = await mount([{ mimeType: TABLE, data: numbers(1000, 123456, true) }]);
    expect(part(element, "output-table").querySelector("caption")?.textContent).to.equal(
      "123,456 rows (showing first 1,000)",
    );
    expect(status(element)).to.equal("Rows 1–25 of 1000, page 1 of 40");
  });

  it("shows no pager for a table that fits on one page", async () => {
    const element = await mount([{ mimeType: TABLE, data: numbers(25) }]);
    expect(part(element, "output-table").querySelector("nav")).to.equal(null);
    expect(part(element, "output-table").querySelector("caption")?.textContent).to.equal("25 rows");
  });

  it("makes its scrolling region reachable by keyboard and names it", async () => {
    const element = await mount([{ mimeType: TABLE, data: numbers(3), metadata: { title: "Squares" } }]);
    const region = part(element, "output-table").querySelector('[role="region"]') as HTMLElement;
    expect(region.tabIndex).to.equal(0);
    expect(region.getAttribute("aria-label")).to.equal("Squares");
  });

  it("shows each column's name over its type in a compact header, numeric columns right-aligned", async () => {
    const element = await mount([
      {
        mimeType: TABLE,
        data: {
          columns: [
            { name: "category", type: "text" },
            { name: "revenue", type: "numeric" },
          ],
          rows: [
            ["Displays", 736706],
            ["Audio", null],
          ],
          rowCount: 2,
          truncated: false,
        },
      },
    ]);
    const table = part(element, "output-table");
    const [category, revenue] = Array.from(table.querySelectorAll("th"));
    expect(category?.querySelector(".column-name")?.textContent).to.equal("category");
    expect(category?.querySelector(".column-type")?.textContent).to.equal("text");
    // Two lines of text and its padding: no blank lines from the markup's whitespace.
    const lineHeight = Number.parseFloat(getComputedStyle(category!).lineHeight) || 20;
    expect(category!.getBoundingClientRect().height).to.be.below(lineHeight * 3);
    expect(getComputedStyle(category!).textAlign).to.equal("left");
    expect(getComputedStyle(revenue!).textAlign).to.equal("right");
    const name = revenue!.querySelector(".column-name")!.getBoundingClientRect();
    expect(Math.abs(name.right - revenue!.getBoundingClientRect().right)).to.be.below(
      16,
      "the name sits at the right",
    );
  });
});
