/** A notebook in `<reactive-notebook>`: running the x → y → z chain, editing x re-runs y and z, events, errors. */
import { expect } from "@open-wc/testing";
import { sendKeys } from "@web/test-runner-commands";
import type { CellErrorDetail, CellRunDetail, NotebookLoadedDetail } from "../src/index.js";
import {
  button,
  createNotebook,
  deepActiveElement,
  editorText,
  notebookElement,
  outputText,
  press,
  rememberDevUser,
  statusText,
  uniqueUser,
  viewOf,
  waitFor,
  waitForCells,
} from "./helpers.js";

describe("<reactive-notebook> running cells", () => {
  afterEach(() => rememberDevUser(null));

  it("runs the x/y/z chain, and editing x re-runs y and z, firing notebook-loaded and cell-run", async () => {
    const user = uniqueUser();
    const { notebook } = await createNotebook(user, [
      { type: "python", code: "x = 1" },
      { type: "python", code: "y = x + 1\ny" },
      { type: "python", code: 'z = y * 2\nprint("z is", z)\nz' },
    ]);
    const loaded: NotebookLoadedDetail[] = [];
    const runs: CellRunDetail[] = [];
    document.body.addEventListener("notebook-loaded", (event) => loaded.push(event.detail));
    document.body.addEventListener("cell-run", (event) => runs.push(event.detail));
    const element = await notebookElement(user, notebook.id);
    const [x, y, z] = await waitForCells(element, 3);
    expect(loaded[0]).to.deep.include({ notebookId: notebook.id, name: "Test notebook", cellCount: 3 });

    button(viewOf(element)?.shadowRoot, "Run all").click();
    await waitFor(() => outputText(z!) === "4", "z = 4 after Run all", 90_000);
    expect(outputText(y!)).to.equal("2");
    expect(z!.shadowRoot?.querySelector('[part~="cell-stdout"]')?.textContent).to.equal("z is 4\n");
    // The outputs arrive before the cell's final status: wait for the status rather than read it at once.
    await waitFor(() => /^Done in \d/.test(statusText(z!)), `z done, got ${statusText(z!)}`);
    expect(runs.filter((run) => run.notebookId === notebook.id && run.status === "success")).to.have.length(
      3,
    );

    // Edit x like a user: focus its editor, select everything, type, Shift+Enter.
    x!.focusEditor();
    await waitFor(() => x!.shadowRoot?.activeElement, "x's editor focused");
    await press(["Control"], "a");
    await sendKeys({ type: "x = 10" });
    await press(["Shift"], "Enter");
    await waitFor(() => outputText(z!) === "22", "z = 22 after editing x", 60_000);
    expect(outputText(y!)).to.equal("11");
    expect(editorText(x!)).to.equal("x = 10");
    // Shift+Enter moved on to the next cell's editor.
    expect(y!.shadowRoot?.contains(deepActiveElement())).to.equal(true);
  });

  it("shows reads/writes chips; clicking a read focuses the cell that defines it", async () => {
    const user = uniqueUser();
    const { notebook } = await createNotebook(user, [
      { type: "python", code: "a = 1" },
      { type: "python", code: "b = a + 1" },
    ]);
    const element = await notebookElement(user, notebook.id);
    const [a, b] = await waitForCells(element, 2);
    const chip = await waitFor(
      () => b!.shadowRoot?.querySelector<HTMLButtonElement>("button.chip.read"),
      "a reads chip",
    );
    expect(chip.textContent).to.equal("a");
    expect(b!.shadowRoot?.querySelector(".chip.write")?.textContent).to.equal("b");
    chip.click();
    await waitFor(
      () => deepActiveElement() === a!.shadowRoot?.querySelector('[part~="cell"]'),
      "a's cell focused",
    );
  });

  it("shows an error with its traceback (cells named by position), fires cell-error, and names the upstream cell of a blocked one", async () => {
    const user = uniqueUser();
    const { notebook } = await createNotebook(user, [
      { type: "python", code: "def ratio(a, b):\n    return a / b" },
      { type: "python", code: "p = ratio(1, 0)" },
      { type: "python", code: "q = p + 1" },
    ]);
    const errors: CellErrorDetail[] = [];
    document.body.addEventListener("cell-error", (event) => errors.push(event.detail));
    const element = await notebookElement(user, notebook.id);
    const [ratio, p, q] = await waitForCells(element, 3);
    button(viewOf(element)?.shadowRoot, "Run all").click();
    const error = await waitFor(
      () => p!.shadowRoot?.querySelector('[part~="cell-error"]'),
      "p's error",
      90_000,
    );
    expect(error.textContent).to.contain("ZeroDivisionError");
    const traceback = error.querySelector("pre")?.textContent ?? "";
    expect(traceback).to.contain("Traceback");
    // The frames name cells by position: the call in cell 2, the division in cell 1; never by id.
    expect(traceback).to.match(/File "cell 2", line 1/);
    expect(traceback).to.match(/File "cell 1", line 2, in ratio/);
    expect(traceback).not.to.contain(ratio!.cell.id);
    expect(traceback).not.to.contain(p!.cell.id);
    await waitFor(
      () => statusText(q!) === "Blocked by cell 2 (p)",
      `q blocked by cell 2 (p), got ${statusText(q!)}`,
    );
    const detail = errors.find((d) => d.cellId === p!.cell.id);
    expect(detail?.error.name).to.equal("ZeroDivisionError");
    // Programs get the raw traceback, with cell ids.
    expect(detail?.error.traceback).to.contain(`<cell ${ratio!.cell.id}>`);
  });

  it("another client's edits appear live: code, new cells, outputs", async () => {
    const user = uniqueUser();
    const { client, notebook } = await createNotebook(user, [{ type: "python", code: "m = 1" }]);
    const element = await notebookElement(user, notebook.id);
    const [m] = await waitForCells(element, 1);
    await client.cells.update(notebook.id, m!.cell.id, { code: "m = 5\nm * 3" });
    await waitFor(() => editorText(m!) === "m = 5m * 3", "the other client's code in the editor");
    await client.cells.create(notebook.id, { type: "markdown", code: "# Hello from an agent" });
    const [, markdown] = await waitForCells(element, 2);
    await waitFor(() => outputText(markdown!).includes("Hello from an agent"), "the rendered markdown");
    await client.cells.run(notebook.id, m!.cell.id);
    await waitFor(() => outputText(m!) === "15", "the other client's run result", 90_000);
  });
});
