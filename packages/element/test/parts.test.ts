/**
 * CSS parts agree everywhere: every `part="…"` in a template is in the parts table (`internal/parts.ts`) for
 * the component that renders it, every part in the table is in the manifest and in docs/embedding.md, and
 * in a real notebook every part shown anywhere inside is reachable as `reactive-notebook::part(name)`.
 */
import { expect } from "@open-wc/testing";
import { PARTS, type PartOwner, partsOf } from "../src/internal/index.js";
import {
  button,
  createNotebook,
  notebookElement,
  outputText,
  rememberDevUser,
  uniqueUser,
  viewOf,
  waitFor,
  waitForCells,
} from "./helpers.js";

/** The wtr server serves the repository root. */
const PACKAGE = "/packages/element/";

/** Which component's shadow root the templates of each source folder render into. */
const OWNER_OF_FOLDER: Record<string, PartOwner | null> = {
  "reactive-notebook": "reactive-notebook",
  "notebook-view": "rn-notebook-view",
  "notebook-cell": "rn-cell",
  outputs: "rn-outputs",
  "notebook-list": "rn-notebook-list",
  control: "rn-control",
  editor: null,
  internal: null,
};

interface Manifest {
  modules: {
    path: string;
    declarations?: { tagName?: string; cssParts?: { name: string; description?: string }[] }[];
  }[];
}

async function text(path: string): Promise<string> {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.text();
}

describe("CSS parts", () => {
  afterEach(() => rememberDevUser(null));

  it("every part= in a template is listed for the component that renders it, and none is computed", async () => {
    const manifest = JSON.parse(await text(`${PACKAGE}custom-elements.json`)) as Manifest;
    const sources = manifest.modules.map((module) => module.path).filter((path) => path.startsWith("src/"));
    expect(sources.length).to.be.above(20);
    const unlisted: string[] = [];
    for (const path of sources) {
      const source = await text(PACKAGE + path);
      const segments = path.split("/");
      // Files straight under src/ (entry points) render nothing.
      const folder = segments.length > 2 ? (segments[1] ?? "") : "internal";
      const owner = folder in OWNER_OF_FOLDER ? OWNER_OF_FOLDER[folder] : undefined;
      expect(owner, `${path}: a folder the parts table does not know`).not.to.equal(undefined);
      expect(/\bpart=\$\{/.test(source), `${path}: a computed part= cannot be checked`).to.equal(false);
      const allowed = new Set<string>(owner ? [...PARTS[owner], ...PARTS.controls] : []);
      for (const match of source.matchAll(/\bpart="([^"]*)"/g)) {
        for (const name of (match[1] ?? "").split(/\s+/).filter(Boolean)) {
          if (!allowed.has(name)) unlisted.push(`${path}: part="${name}"`);
        }
      }
    }
    expect(unlisted).to.deep.equal([]);
  });

  it("every part in the table is in the manifest (with a description) and in the embedding guide", async () => {
    const manifest = JSON.parse(await text(`${PACKAGE}custom-elements.json`)) as Manifest;
    const element = manifest.modules
      .flatMap((module) => module.declarations ?? [])
      .find((declaration) => declaration.tagName === "reactive-notebook");
    const inManifest = new Map((element?.cssParts ?? []).map((part) => [part.name, part.description ?? ""]));
    const guide = await text("/docs/embedding.md");
    const all = partsOf("reactive-notebook");
    expect(
      all.filter((name) => !inManifest.get(name)),
      "missing from the manifest",
    ).to.deep.equal([]);
    expect(
      all.filter((name) => !guide.includes(`\`${name}\``)),
      "missing from docs/embedding.md",
    ).to.deep.equal([]);
    expect([...inManifest.keys()].sort()).to.deep.equal([...partsOf("reactive-notebook")].sort());
  });

  it("in a notebook that ran, every part inside is forwarded all the way out to <reactive-notebook>", async () => {
    const user = uniqueUser();
    const { notebook } = await createNotebook(user, [
      { type: "markdown", code: "# Parts" },
      { type: "python", code: 'import sys\nprint("out")\nprint("err", file=sys.stderr)\nn = 2\nn' },
      {
        type: "python",
        code: 'class Bold:\n    def _repr_html_(self):\n        return "<b>bold</b>"\ndisplay(Bold())\nm = n / 0',
      },
      { type: "sql", code: "select 1 as one", name: "rows" },
      { type: "python", code: 'k = rn.ui.slider(1, 3, label="K")' },
    ]);
    const element = await notebookElement(user, notebook.id);
    const [, n, m, sql, k] = await waitForCells(element, 5);
    const view = viewOf(element)!;
    button(view.shadowRoot, "Run all").click();
    await waitFor(() => outputText(n!) === "2", "n ran", 90_000);
    await waitFor(() => m!.shadowRoot?.querySelector('[part~="cell-error"]'), "m's error", 60_000);
    await waitFor(() => outputText(sql!).includes("one"), "the SQL table", 90_000);
    await waitFor(
      () => k!.shadowRoot?.querySelector("rn-outputs")?.shadowRoot?.querySelector("rn-control")?.shadowRoot,
      "the slider",
      60_000,
    );
    await view.openShortcuts();

    const seen = new Set<string>();
    const unforwarded: string[] = [];
    const walk = (root: ShadowRoot, chain: Element[]) => {
      for (const node of root.querySelectorAll("*")) {
        for (const name of node.part) {
          seen.add(name);
          // Each host between this node and <reactive-notebook> must forward the name.
          const lost = chain.find((host) => !exportedNames(host).has(name));
          if (lost) unforwarded.push(`${name} (lost at <${lost.localName}>)`);
        }
        if (node.shadowRoot) walk(node.shadowRoot, [node, ...chain]);
      }
    };
    walk(element.shadowRoot!, []);
    expect(unforwarded).to.deep.equal([]);
    for (const name of [
      "cell",
      "select",
      "chip",
      "cell-stdout",
      "cell-stderr",
      "output-frame",
      "output-table",
      "control",
      "control-label",
      "control-input",
      "control-value",
    ]) {
      expect(seen.has(name), `the notebook showed part ${name}`).to.equal(true);
    }
  });
});

/** The part names an element's `exportparts` lets out (`a, b:c` → a, c). */
function exportedNames(host: Element): Set<string> {
  const value = host.getAttribute("exportparts") ?? "";
  return new Set(
    value
      .split(",")
      .map((entry) => entry.split(":").pop()?.trim() ?? "")
      .filter(Boolean),
  );
}
