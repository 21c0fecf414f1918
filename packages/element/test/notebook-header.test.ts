/**
 * What a new user meets first in `<reactive-notebook>`: the notebook's name renames in place, the kernel
 * state reads as normal, insert bars stay out of the way, a runaway cell stops from its own button, and a
 * host can hide the element's bar while the service's version stays in the help dialog.
 */
import { expect, fixture, html } from "@open-wc/testing";
import { sendKeys } from "@web/test-runner-commands";
import type { NotebookRenamedDetail, ReactiveNotebookElement } from "../src/index.js";
import {
  button,
  cellsOf,
  createNotebook,
  deepActiveElement,
  notebookElement,
  press,
  rememberDevUser,
  serviceUrl,
  statusText,
  uniqueUser,
  viewOf,
  waitFor,
  waitForCells,
} from "./helpers.js";

function header(element: ReactiveNotebookElement): ShadowRoot {
  return viewOf(element)!.shadowRoot!;
}

describe("<reactive-notebook> header and first steps", () => {
  afterEach(() => rememberDevUser(null));

  it("a new notebook's kernel reads 'Kernel starts on first run'; its empty cell says what to write", async () => {
    const user = uniqueUser();
    const { notebook } = await createNotebook(user, [{ type: "python", code: "" }], "Untitled notebook");
    const element = await notebookElement(user, notebook.id);
    const [cell] = await waitForCells(element, 1);
    expect(header(element).querySelector('[part~="kernel-status"]')?.textContent?.trim()).to.equal(
      "Kernel starts on first run",
    );
    expect(cell!.shadowRoot?.querySelector(".cm-placeholder")?.textContent).to.equal(
      "Write Python — Shift+Enter runs",
    );
  });

  it("clicking the name renames in place: Enter saves through the API, Escape cancels", async () => {
    const user = uniqueUser();
    const { client, notebook } = await createNotebook(user, [], "Untitled notebook");
    const renamed: NotebookRenamedDetail[] = [];
    document.body.addEventListener("notebook-renamed", (event) => renamed.push(event.detail));
    const element = await notebookElement(user, notebook.id);
    const nameButton = await waitFor(
      () => header(element).querySelector<HTMLButtonElement>("button.rename-button"),
      "the name button",
    );
    expect(nameButton.getAttribute("aria-label")).to.equal("Rename Untitled notebook");

    nameButton.click();
    const field = await waitFor(
      () => header(element).querySelector<HTMLInputElement>("input.rename"),
      "the field",
    );
    await waitFor(() => deepActiveElement() === field, "the field focused");
    await sendKeys({ type: "Quarterly numbers" });
    await sendKeys({ press: "Enter" });
    await waitFor(
      () =>
        header(element).querySelector("button.rename-button")?.textContent?.trim() === "Quarterly numbers",
      "the new name shown",
    );
    expect((await client.notebooks.get(notebook.id)).name).to.equal("Quarterly numbers");
    await waitFor(
      () => renamed.some((detail) => detail.name === "Quarterly numbers"),
      "notebook-renamed fired",
    );
    expect(deepActiveElement()).to.equal(header(element).querySelector("button.rename-button"));

    header(element).querySelector<HTMLButtonElement>("button.rename-button")!.click();
    await waitFor(() => header(element).querySelector("input.rename"), "the field again");
    await sendKeys({ type: "Not this one" });
    await sendKeys({ press: "Escape" });
    await waitFor(() => !header(element).querySelector("input.rename"), "the field closed");
    expect(header(element).querySelector("button.rename-button")?.textContent?.trim()).to.equal(
      "Quarterly numbers",
    );
    expect((await client.notebooks.get(notebook.id)).name).to.equal("Quarterly numbers");
  });

  it("insert bars show between cells on hover or focus only, after the last cell always, reachable by keyboard", async () => {
    const user = uniqueUser();
    const { notebook } = await createNotebook(user, [
      { type: "python", code: "a = 1" },
      { type: "python", code: "b = 2" },
    ]);
    const element = await notebookElement(user, notebook.id);
    await waitForCells(element, 2);
    const bars = [...header(element).querySelectorAll<HTMLElement>('[part~="insert-bar"]')];
    expect(bars.map((bar) => bar.getAttribute("aria-label"))).to.deep.equal([
      "Insert a cell at the top",
      "Insert a cell after cell 1",
      "Insert a cell after cell 2",
    ]);
    const opacity = (bar: HTMLElement) => getComputedStyle(bar).opacity;
    expect(bars.map(opacity)).to.deep.equal(["0", "0", "1"]);

    // Keyboard: the hidden bar's buttons are in the tab order, keep their names, and show when focused.
    const between = button(bars[1], "Insert a SQL cell after cell 1");
    between.focus();
    await waitFor(() => opacity(bars[1]!) === "1", "the focused bar shows");
    await sendKeys({ press: "Enter" });
    const cells = await waitForCells(element, 3);
    expect(cells[1]!.cell.type).to.equal("sql");
  });

  it("a running cell's own Stop button interrupts it, and the cell says Interrupted", async () => {
    const user = uniqueUser();
    const { notebook } = await createNotebook(user, [
      { type: "python", code: 'import time\nprint("looping")\nwhile True:\n    time.sleep(0.05)' },
    ]);
    const element = await notebookElement(user, notebook.id);
    const [loop] = await waitForCells(element, 1);
    button(loop!.shadowRoot, "Run cell 1").click();
    const stop = await waitFor(
      () => {
        try {
          return button(loop!.shadowRoot, "Stop cell 1");
        } catch {
          return undefined;
        }
      },
      "the Stop button while it runs",
      90_000,
    );
    // A runaway loop is stopped once it runs: the service does not keep an interrupt sent before the
    // cell's code started (while the kernel starts), so wait for the loop's first words.
    await waitFor(() => loop!.cell.stdout.includes("looping"), "the loop started", 90_000);
    stop.click();
    await waitFor(() => /^Interrupted/.test(statusText(loop!)), "the cell interrupted", 60_000);
    expect(loop!.shadowRoot?.querySelector('[part~="cell-error"] strong')?.textContent).to.equal(
      "Interrupted",
    );
    expect(button(loop!.shadowRoot, "Run cell 1").textContent?.trim()).to.equal("▶ Run");
  });

  it("I I on a focused running cell stops it too", async () => {
    const user = uniqueUser();
    const { notebook } = await createNotebook(user, [
      { type: "python", code: 'import time\nprint("looping")\nwhile True:\n    time.sleep(0.05)' },
    ]);
    const element = await notebookElement(user, notebook.id);
    const [loop] = await waitForCells(element, 1);
    loop!.focusEditor();
    await waitFor(() => loop!.shadowRoot?.activeElement, "the editor focused");
    await press(["Control"], "Enter");
    await waitFor(() => loop!.cell.stdout.includes("looping"), "the loop started", 90_000);
    await sendKeys({ press: "Escape" });
    await sendKeys({ press: "i" });
    await sendKeys({ press: "i" });
    await waitFor(() => /^Interrupted/.test(statusText(loop!)), "the cell interrupted", 60_000);
  });

  it("no-header hides the element's own bar; the help dialog keeps the service's version and the user", async () => {
    const user = uniqueUser();
    const { notebook } = await createNotebook(user, [{ type: "python", code: "v = 1" }]);
    await rememberDevUser(user);
    const element = await fixture<ReactiveNotebookElement>(
      html`<reactive-notebook no-header api-url=${await serviceUrl()} notebook-id=${notebook.id}></reactive-notebook>`,
    );
    await waitForCells(element, 1);
    expect(element.shadowRoot?.querySelector('[part~="header"]')).to.equal(null);
    expect(element.shadowRoot?.textContent).not.to.contain("Signed in as");
    const view = viewOf(element)!;
    button(view.shadowRoot, "Help and keyboard shortcuts").click();
    const dialog = await waitFor(
      () => view.shadowRoot?.querySelector<HTMLDialogElement>("dialog.shortcuts-help[open]"),
      "the help dialog",
    );
    const about = dialog.querySelector(".about")?.textContent ?? "";
    expect(about).to.match(/Reactive Notebook service v\d+\.\d+\.\d+ at http/);
    expect(about).to.contain(`signed in as ${user}`);

    element.noHeader = false;
    await element.updateComplete;
    expect(element.shadowRoot?.querySelector('[part~="header"]')?.textContent).to.contain(user);
    expect(cellsOf(element)).to.have.length(1);
  });
});
