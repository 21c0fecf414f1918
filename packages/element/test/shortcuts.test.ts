/** Keyboard-only notebook work: run keys in the editor, and command-mode keys to add, delete, move and retype cells. */
import { expect } from "@open-wc/testing";
import { sendKeys } from "@web/test-runner-commands";
import {
  button,
  cellsOf,
  createNotebook,
  deepActiveElement,
  editorText,
  notebookElement,
  outputText,
  press,
  rememberDevUser,
  uniqueUser,
  viewOf,
  waitFor,
  waitForCells,
} from "./helpers.js";

describe("<reactive-notebook> keyboard shortcuts", () => {
  afterEach(() => rememberDevUser(null));

  it("Mod+Enter runs in place, Alt+Enter runs and inserts a cell below, Escape + keys edit the structure", async () => {
    const user = uniqueUser();
    const { notebook } = await createNotebook(user, [
      { type: "python", code: "k = 2\nk" },
      { type: "python", code: "j = 3" },
    ]);
    const element = await notebookElement(user, notebook.id);
    const [k, j] = await waitForCells(element, 2);

    // Mod+Enter: runs, focus stays in the same editor.
    k!.focusEditor();
    await waitFor(() => k!.shadowRoot?.activeElement, "k's editor focused");
    await press(["Control"], "Enter");
    await waitFor(() => outputText(k!) === "2", "k ran", 90_000);
    expect(k!.shadowRoot?.contains(deepActiveElement())).to.equal(true);

    // Alt+Enter: runs and inserts an empty cell below, whose editor gets the focus.
    await press(["Alt"], "Enter");
    const three = await waitForCells(element, 3);
    expect(three[1]!.cell.code).to.equal("");
    await waitFor(() => three[1]!.shadowRoot?.contains(deepActiveElement()), "the new cell focused");

    // Type in it, then Escape to command mode and move it down with Alt+ArrowDown.
    await sendKeys({ type: "inserted = 1" });
    await sendKeys({ press: "Escape" });
    const inserted = three[1]!;
    expect(deepActiveElement()).to.equal(inserted.shadowRoot?.querySelector('[part~="cell"]'));
    await press(["Alt"], "ArrowDown");
    await waitFor(() => cellsOf(element)[2] === inserted, "the inserted cell moved below j");
    expect(cellsOf(element)[1]).to.equal(j);
    await waitFor(() => inserted.cell.code === "inserted = 1", "its code saved");

    // B inserts a Python cell below; D D deletes the focused cell.
    await waitFor(
      () => deepActiveElement() === inserted.shadowRoot?.querySelector('[part~="cell"]'),
      "still focused",
    );
    await sendKeys({ press: "b" });
    await waitForCells(element, 4);
    await sendKeys({ press: "Escape" });
    await sendKeys({ press: "d" });
    await sendKeys({ press: "d" });
    const after = await waitForCells(element, 3);
    expect(after.map((cell) => editorText(cell))).to.deep.equal(["k = 2k", "j = 3", "inserted = 1"]);

    // M turns the focused cell into a markdown cell keeping its code.
    after[2]!.focusCell();
    await sendKeys({ press: "m" });
    await waitFor(() => cellsOf(element)[2]?.cell.type === "markdown", "a markdown cell");
    expect(cellsOf(element)[2]!.cell.code).to.equal("inserted = 1");
  });

  it("? on a focused cell, or the toolbar's ? button, shows the shortcuts; Escape closes it and returns the focus", async () => {
    const user = uniqueUser();
    const { notebook } = await createNotebook(user, [{ type: "python", code: "h = 1" }]);
    const element = await notebookElement(user, notebook.id);
    const [h] = await waitForCells(element, 1);
    const view = viewOf(element)!;
    const dialog = () => view.shadowRoot?.querySelector<HTMLDialogElement>("dialog.shortcuts-help");

    h!.focusCell();
    const frame = h!.shadowRoot?.querySelector('[part~="cell"]');
    await sendKeys({ press: "?" });
    await waitFor(() => dialog()?.open, "the shortcuts dialog open");
    expect(dialog()!.matches(":modal")).to.equal(true);
    const text = dialog()!.textContent ?? "";
    for (const expected of [
      "Keyboard shortcuts",
      "Run, then go to the next cell",
      "Delete the cell",
      "D D / Del",
    ])
      expect(text).to.contain(expected);
    expect(text).to.match(/↑ \/ K\s*Previous cell/);
    expect(
      dialog()!.contains(deepActiveElement()) || dialog()!.shadowRoot?.contains(deepActiveElement()),
    ).to.equal(true, "the focus moved into the dialog");

    await sendKeys({ press: "Escape" });
    await waitFor(() => !dialog()?.open, "the dialog closed");
    await waitFor(() => deepActiveElement() === frame, "the focus back on the cell");

    button(view.shadowRoot, "Help and keyboard shortcuts").click();
    await waitFor(() => dialog()?.open, "opened from the toolbar");
    dialog()!.querySelector<HTMLButtonElement>("button.close")!.click();
    await waitFor(() => !dialog()?.open, "closed with its button");
  });
});
