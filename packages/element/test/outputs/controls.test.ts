/**
 * Control outputs (`rn.ui.*`) in `<rn-outputs>`, against fixed outputs: each kind is a native, labelled
 * form control; a person's change shows at once, goes out in `rn-control-change` (throttled while
 * dragging, the final value always), and the control settles to the service's value — or back, naming
 * the refusal. The same controls against the real service are in ../controls.test.ts.
 */
import { expect } from "@open-wc/testing";
import type { ControlData, Output } from "@reactive-notebook/protocol";
import { resetMouse, sendKeys, sendMouse } from "@web/test-runner-commands";
import type { ControlChangeDetail, ControlElement } from "../../src/control/index.js";
import type { RnOutputsElement } from "../../src/outputs/index.js";
import { mount, parts } from "./helpers.js";

const CONTROL_MIME = "application/vnd.reactive-notebook.control+json";

function control(data: Partial<ControlData> & Pick<ControlData, "kind" | "value">): Output {
  return { mimeType: CONTROL_MIME, data: { id: "0", label: "", props: {}, ...data } };
}

const slider = (value = 5, label = "Count") =>
  control({ kind: "slider", label, value, props: { start: 1, stop: 10, step: 1 } });

/** The `<rn-control>` elements of `element`, upgraded and rendered. */
function controlsOf(element: RnOutputsElement): ControlElement[] {
  return [...(element.shadowRoot?.querySelectorAll("rn-control") ?? [])];
}

function inner<T extends Element>(control: ControlElement, selector: string): T {
  const found = control.shadowRoot?.querySelector<T>(selector);
  if (!found) throw new Error(`no ${selector} in the control`);
  return found;
}

/** Records every change the controls send; answers each with the promise `answer` returns. */
function listen(element: RnOutputsElement, answer: (detail: ControlChangeDetail) => Promise<unknown>) {
  const sent: { value: unknown; at: number }[] = [];
  element.addEventListener("rn-control-change", (event) => {
    sent.push({ value: event.detail.value, at: performance.now() });
    event.detail.respond(answer(event.detail));
  });
  return sent;
}

/** A promise with its resolve/reject, to answer a change when the test says so. */
function deferred() {
  let resolve!: (value?: unknown) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("control outputs", () => {
  afterEach(() => resetMouse());

  it("draws each kind as a native control with a visible label, and names a malformed one", async () => {
    const element = await mount([
      slider(3),
      control({ kind: "number", label: "Rate", value: 0.5, props: { start: null, stop: null, step: 0.1 } }),
      control({ kind: "text", label: "Name", value: "Ada", props: { placeholder: "who?" } }),
      control({ kind: "textarea", value: "notes", props: { placeholder: "" } }),
      control({ kind: "dropdown", label: "City", value: "Oslo", props: { options: ["Lima", "Oslo"] } }),
      control({ kind: "checkbox", label: "Only open", value: true }),
      control({ kind: "radio", label: "Size", value: "M", props: { options: ["S", "M", "L"] } }),
      control({ kind: "button", label: "Refresh", value: 0 }),
      control({ kind: "slider", value: 1, props: { start: 1, stop: 10, step: 0 } }),
    ]);
    const [range, number, text, textarea, select, checkbox, radio, button] = controlsOf(element);
    await Promise.all(controlsOf(element).map((each) => each.updateComplete));
    const labelled = (each: ControlElement, selector: string) => {
      const field = inner<HTMLInputElement>(each, selector);
      return [...field.labels!].map((label) => label.textContent?.trim()).join(" ");
    };
    expect(inner<HTMLInputElement>(range!, "input").type).to.equal("range");
    expect(inner<HTMLInputElement>(range!, "input").value).to.equal("3");
    expect(labelled(range!, "input")).to.equal("Count");
    expect(inner(range!, '[part~="control-value"]').textContent).to.equal("3");
    expect([
      inner<HTMLInputElement>(range!, "input").min,
      inner<HTMLInputElement>(range!, "input").max,
    ]).to.deep.equal(["1", "10"]);
    expect(inner<HTMLInputElement>(number!, "input").type).to.equal("number");
    expect(inner<HTMLInputElement>(number!, "input").hasAttribute("min")).to.equal(false);
    expect(labelled(text!, "input")).to.equal("Name");
    expect(inner<HTMLInputElement>(text!, "input").placeholder).to.equal("who?");
    // No label given: the kind names it, so it still has a visible, accessible name.
    expect(labelled(textarea!, "textarea")).to.equal("Text");
    expect(inner<HTMLSelectElement>(select!, "select").value).to.equal("Oslo");
    expect(inner<HTMLInputElement>(checkbox!, "input").checked).to.equal(true);
    expect(labelled(checkbox!, "input")).to.equal("Only open");
    expect(inner(radio!, "legend").textContent).to.equal("Size");
    expect(inner<HTMLInputElement>(radio!, "input:checked").value).to.equal("M");
    expect(inner(button!, "button").textContent).to.equal("Refresh");
    expect(parts(element, "output").at(-1)?.textContent).to.contain("step is not a positive number");
    for (const name of ["control", "control-label", "control-input"]) {
      expect(range!.shadowRoot?.querySelector(`[part~="${name}"]`), name).to.exist;
    }
  });

  it("arrow keys move a slider at once; it settles to the service's value when the service answers", async () => {
    const element = await mount([slider(5)]);
    const answer = deferred();
    const sent = listen(element, () => answer.promise);
    const [range] = controlsOf(element);
    await range!.updateComplete;
    inner<HTMLInputElement>(range!, "input").focus();
    await sendKeys({ press: "ArrowRight" });
    await range!.updateComplete;
    expect(sent.map((each) => each.value)).to.deep.equal([6]);
    expect(inner(range!, "output").textContent).to.equal("6");
    // The service says 6 (its control_value event): the output is replaced; the answer then settles it.
    element.outputs = [slider(6)];
    answer.resolve();
    await tick();
    await range!.updateComplete;
    expect(inner<HTMLInputElement>(range!, "input").value).to.equal("6");
    expect(range!.value).to.equal(6);
  });

  it("a refused value is named next to the control, which settles back; the next change clears it", async () => {
    const element = await mount([slider(5)]);
    let refuse = true;
    listen(element, () =>
      refuse ? Promise.reject(new Error("Count: 6 is not allowed")) : Promise.resolve(),
    );
    const [range] = controlsOf(element);
    await range!.updateComplete;
    inner<HTMLInputElement>(range!, "input").focus();
    await sendKeys({ press: "ArrowRight" });
    await tick();
    await range!.updateComplete;
    const error = inner(range!, '[part~="control-error"]');
    expect(error.getAttribute("role")).to.equal("alert");
    expect(error.textContent).to.equal("Count: 6 is not allowed");
    expect(inner<HTMLInputElement>(range!, "input").value).to.equal("5");
    expect(inner(range!, "input").getAttribute("aria-describedby")).to.equal("error");
    refuse = false;
    await sendKeys({ press: "ArrowLeft" });
    await range!.updateComplete;
    expect(range!.shadowRoot?.querySelector('[part~="control-error"]')).to.equal(null);
  });

  it("while dragging, at most ~10 values a second are sent, and the one let go at always is", async () => {
    const element = await mount([
      control({ kind: "slider", label: "Count", value: 0, props: { start: 0, stop: 1000, step: 1 } }),
    ]);
    const sent = listen(element, () => Promise.resolve());
    const [range] = controlsOf(element);
    await range!.updateComplete;
    const input = inner<HTMLInputElement>(range!, "input");
    // The value the thumb was at when the mouse let go: the last one the drag produced.
    let letGoAt = Number.NaN;
    input.addEventListener("input", () => {
      letGoAt = input.valueAsNumber;
    });
    const box = input.getBoundingClientRect();
    const y = Math.round(box.top + box.height / 2);
    await sendMouse({ type: "move", position: [Math.round(box.left + 2), y] });
    await sendMouse({ type: "down" });
    const started = performance.now();
    for (let step = 1; step <= 40; step += 1) {
      await sendMouse({
        type: "move",
        position: [Math.round(box.left + 2 + ((box.width - 4) * step) / 40), y],
      });
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    await sendMouse({ type: "up" });
    const elapsed = performance.now() - started;
    await tick();
    const final = letGoAt;
    expect(final).to.be.above(900);
    expect(sent.at(-1)?.value).to.equal(final);
    // One at the start, then one per 100 ms at most, plus the final value.
    expect(sent.length).to.be.at.most(Math.ceil(elapsed / 100) + 2);
    expect(sent.length).to.be.below(40);
    for (let index = 2; index < sent.length - 1; index += 1) {
      expect(sent[index]!.at - sent[index - 1]!.at).to.be.at.least(90);
    }
  });

  it("a change from elsewhere moves the control; a control nobody answers settles back", async () => {
    const element = await mount([
      slider(2),
      control({
        kind: "dropdown",
        id: "1",
        label: "City",
        value: "Lima",
        props: { options: ["Lima", "Oslo"] },
      }),
    ]);
    const [range, select] = controlsOf(element);
    element.outputs = [
      slider(9),
      control({
        kind: "dropdown",
        id: "1",
        label: "City",
        value: "Oslo",
        props: { options: ["Lima", "Oslo"] },
      }),
    ];
    await element.updateComplete;
    await range!.updateComplete;
    await select!.updateComplete;
    expect(inner<HTMLInputElement>(range!, "input").value).to.equal("9");
    expect(inner(range!, "output").textContent).to.equal("9");
    expect(inner<HTMLSelectElement>(select!, "select").value).to.equal("Oslo");
    // No notebook around this <rn-outputs>: the change cannot go anywhere, and the control says so.
    const field = inner<HTMLSelectElement>(select!, "select");
    field.value = "Lima";
    field.dispatchEvent(new Event("change"));
    await tick();
    await select!.updateComplete;
    expect(field.value).to.equal("Oslo");
    expect(inner(select!, '[part~="control-error"]').textContent).to.contain("not connected");
  });

  it("a button sends its click count plus one; a checkbox its state", async () => {
    const element = await mount([
      control({ kind: "button", label: "Go", value: 4 }),
      control({ kind: "checkbox", id: "1", label: "On", value: false }),
    ]);
    const sent = listen(element, () => Promise.resolve());
    const [go, box] = controlsOf(element);
    await go!.updateComplete;
    inner<HTMLButtonElement>(go!, "button").click();
    inner<HTMLInputElement>(box!, "input").click();
    expect(sent.map((each) => each.value)).to.deep.equal([5, true]);
  });
});
