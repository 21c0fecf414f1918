/**
 * Interactive controls against the real service, in one notebook (one kernel) for the whole file: the
 * keyboard on a slider re-runs the cell that reads it; a dragged slider sends a few values a second and
 * always the last; another client's change moves the control; a refused value is named and the control
 * settles back; the app view shows the outputs and controls without code, and they work there too.
 */
import { expect } from "@open-wc/testing";
import { type ControlValueEvent, devTokenProvider, type NotebookSession } from "@reactive-notebook/sdk";
import { resetMouse, sendKeys, sendMouse } from "@web/test-runner-commands";
import type { ControlElement } from "../src/control/index.js";
import type { ReactiveNotebookElement } from "../src/index.js";
import type { NotebookCellElement } from "../src/notebook-cell/index.js";
import {
  button,
  createNotebook,
  outputText,
  rememberDevUser,
  serviceUrl,
  uniqueUser,
  viewOf,
  waitFor,
  waitForCells,
} from "./helpers.js";

/** The `<rn-control>` a cell shows (inside its `<rn-outputs>`), once rendered. */
function controlOf(cell: NotebookCellElement | Element): ControlElement | null {
  const root = cell.shadowRoot ?? null;
  const outputs = root?.querySelector("rn-outputs") ?? (cell.localName === "rn-outputs" ? cell : null);
  const control = outputs?.shadowRoot?.querySelector("rn-control");
  return control?.shadowRoot?.querySelector('[part~="control"]') ? control : null;
}

function fieldOf(control: ControlElement): HTMLInputElement {
  return control.shadowRoot!.querySelector<HTMLInputElement>('[part~="control-input"]')!;
}

describe("interactive controls in a notebook", () => {
  const user = uniqueUser("controls");
  let notebookId = "";
  let element: ReactiveNotebookElement;
  let other: NotebookSession;
  const seen: ControlValueEvent[] = [];
  const token = async () => devTokenProvider(await serviceUrl(), user)();

  before(async () => {
    const { client, notebook } = await createNotebook(user, [
      { type: "python", code: 'import rn\nn = rn.ui.slider(0, 100, value=3, label="Count")' },
      { type: "python", code: "n.value * 2" },
      { type: "python", code: 'm = rn.ui.number(0, 5, value=1, label="Small number")\nm' },
      { type: "python", code: "m.value + 100" },
      { type: "python", code: "unused = 1" },
    ]);
    notebookId = notebook.id;
    other = await client.connect(notebookId);
    other.on("control_value", (event) => seen.push(event));
    await other.runAll();
    // One element for the whole file (a fixture would be removed after each test): one session, one kernel.
    await rememberDevUser(user);
    element = document.createElement("reactive-notebook");
    element.apiUrl = await serviceUrl();
    element.notebookId = notebookId;
    element.theme = "light";
    document.body.append(element);
  });

  after(async () => {
    element?.remove();
    other?.close();
    await rememberDevUser(null);
    await resetMouse();
  });

  it("arrow keys on a slider re-run the cell that reads it; a change from another client moves the slider", async () => {
    const [nCell, doubled] = await waitForCells(element, 5);
    const slider = await waitFor(() => controlOf(nCell!), "the slider");
    await waitFor(() => outputText(doubled!) === "6", "n.value * 2 = 6", 90_000);
    const field = fieldOf(slider);
    expect(field.type).to.equal("range");
    expect([...field.labels!].map((label) => label.textContent)).to.deep.equal(["Count"]);

    field.focus();
    await sendKeys({ press: "ArrowRight" });
    // Optimistic: the value next to the slider changes before the service answers.
    expect(slider.shadowRoot?.querySelector("output")?.textContent).to.equal("4");
    await waitFor(
      () => outputText(doubled!) === "8",
      `8 after ArrowRight, got ${outputText(doubled!)}`,
      60_000,
    );
    await sendKeys({ press: "End" });
    await waitFor(() => outputText(doubled!) === "200", "200 after End", 60_000);
    expect(nCell!.cell.outputs[0]?.data).to.deep.include({ value: 100 });

    // Another client (REST here) sets it: the slider moves and the reader re-runs.
    const controlId = slider.control.id;
    const path = `/api/v1/notebooks/${notebookId}/cells/${nCell!.cell.id}/controls/${controlId}`;
    const response = await fetch(`${await serviceUrl()}${path}`, {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: `Bearer ${await token()}` },
      body: JSON.stringify({ value: 42 }),
    });
    expect(response.status).to.equal(202);
    await waitFor(() => fieldOf(slider).value === "42", "the slider moved to 42");
    expect(slider.shadowRoot?.querySelector("output")?.textContent).to.equal("42");
    await waitFor(() => outputText(doubled!) === "84", "84 after the other client's change", 60_000);
  });

  it("a dragged slider sends at most ~10 values a second and always the last; the reader shows it", async () => {
    const [nCell, doubled] = await waitForCells(element, 5);
    const slider = controlOf(nCell!)!;
    const field = fieldOf(slider);
    field.scrollIntoView({ block: "center" });
    const before = seen.length;
    let letGoAt = Number.NaN;
    field.addEventListener("input", () => {
      letGoAt = field.valueAsNumber;
    });
    const box = field.getBoundingClientRect();
    const y = Math.round(box.top + box.height / 2);
    const x = (fraction: number) => Math.round(box.left + 4 + (box.width - 8) * fraction);
    await sendMouse({ type: "move", position: [x(0.02), y] });
    await sendMouse({ type: "down" });
    const started = performance.now();
    for (let step = 1; step <= 30; step += 1) {
      await sendMouse({ type: "move", position: [x(0.02 + (0.6 * step) / 30), y] });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await sendMouse({ type: "up" });
    const elapsed = performance.now() - started;
    expect(letGoAt).to.be.within(50, 70);
    await waitFor(
      () => outputText(doubled!) === String(letGoAt * 2),
      `${letGoAt * 2} after the drag`,
      60_000,
    );
    const sent = seen.slice(before).filter((event) => event.cellId === nCell!.cell.id);
    expect(sent.at(-1)?.value).to.equal(letGoAt);
    // The first at once, then one per 100 ms at most, and the final value: far fewer than the 30 moves.
    expect(sent.length).to.be.at.most(Math.ceil(elapsed / 100) + 2);
    expect(sent.length).to.be.below(30);
    expect(fieldOf(slider).value).to.equal(String(letGoAt));
  });

  it("a value the service refuses is named next to the control, which settles back", async () => {
    const [, , mCell, plus] = await waitForCells(element, 5);
    const number = await waitFor(() => controlOf(mCell!), "the number field");
    await waitFor(() => outputText(plus!) === "101", "m.value + 100 = 101", 60_000);
    const field = fieldOf(number);
    expect(field.type).to.equal("number");
    field.focus();
    field.select();
    await sendKeys({ type: "50" });
    await sendKeys({ press: "Enter" });
    const error = await waitFor(
      () => number.shadowRoot?.querySelector('[part~="control-error"]'),
      "the refusal next to the control",
    );
    expect(error.getAttribute("role")).to.equal("alert");
    expect(error.textContent).to.contain("Small number").and.to.contain("up to 5; 50 is above");
    await waitFor(() => fieldOf(number).value === "1", `back to 1, got ${fieldOf(number).value}`);
    expect(outputText(plus!)).to.equal("101");
    await sendKeys({ press: "ArrowUp" });
    const refused = () => number.shadowRoot?.querySelector('[part~="control-error"]')?.textContent ?? "";
    await waitFor(() => outputText(plus!) === "102" || refused(), "102 after ArrowUp", 60_000);
    expect(refused()).to.equal("");
    expect(outputText(plus!)).to.equal("102");
    expect(number.shadowRoot?.querySelector('[part~="control-error"]')).to.equal(null);
  });

  it('view="app" shows the outputs and controls without code or chrome, and its controls work', async () => {
    element.view = "app";
    await element.updateComplete;
    const view = viewOf(element)!;
    expect(view.getAttribute("view")).to.equal("app");
    expect(element.getAttribute("view")).to.equal("app");
    const blocks = await waitFor(() => {
      const found = [...(view.shadowRoot?.querySelectorAll<HTMLElement>('[part~="app-cell"]') ?? [])];
      return found.length === 4 && found;
    }, "four app blocks: the cell that shows nothing has none");
    const root = view.shadowRoot!;
    expect(root.querySelector("rn-cell")).to.equal(null);
    expect(root.querySelector(".cm-content")).to.equal(null);
    expect(root.querySelector('[part~="insert-bar"]')).to.equal(null);
    expect(root.querySelector('[part~="cell-toolbar"]')).to.equal(null);
    expect([...root.querySelectorAll("button")].map((each) => each.textContent?.trim())).to.deep.equal([
      "Run all",
    ]);
    // In notebook order: the slider, its double, the number field, its sum.
    const outputsOf = (block: HTMLElement) => block.querySelector("rn-outputs")!;
    const slider = await waitFor(() => controlOf(outputsOf(blocks[0]!)), "the slider in the app view");
    // blocks[1] is the reader: it re-runs below, and its block stays (showing its last outputs meanwhile).
    const doubledText = () => outputsOf(blocks[1]!).shadowRoot?.textContent?.trim();
    fieldOf(slider).focus();
    const current = Number(fieldOf(slider).value);
    await sendKeys({ press: "ArrowLeft" });
    await waitFor(
      () => doubledText() === String((current - 1) * 2),
      `the double of ${current - 1} in the app view, got ${doubledText()} (slider at ${fieldOf(slider).value})`,
      60_000,
    );

    element.view = "notebook";
    await element.updateComplete;
    await waitForCells(element, 5);
    button(viewOf(element)?.shadowRoot, "Run all");
  });
});
