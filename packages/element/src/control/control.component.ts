/** `<rn-control>`: one interactive control (`rn.ui.*` output) drawn as a native, accessible form control. */
import type { ControlValue } from "@reactive-notebook/protocol";
import { html, nothing, type PropertyValues, type TemplateResult } from "lit";
import { property, state } from "lit/decorators.js";
import { live } from "lit/directives/live.js";
import { NotebookElement } from "../internal/index.js";
import type { ControlChangeDetail } from "./control.events.js";
import { styles } from "./control.styles.js";
import { type Control, DEFAULT_LABELS } from "./control-data.js";
import { Throttle } from "./throttle.js";

/** At most this many values a second go to the service while a person drags or types. */
export const CONTROL_SENDS_PER_SECOND = 10;

/**
 * A control of a cell's outputs. It shows the person's value at once (optimistic) and sends it through an
 * `rn-control-change` event — spaced out while they drag or type (`CONTROL_SENDS_PER_SECOND`), the final
 * value always — and, once the service has answered every value sent, shows the service's value
 * (`control`, kept current by the notebook's `control_value` events, so a change in another tab moves
 * it). A refused value is named next to the control, which settles back.
 *
 * Parts (forwarded out to `<reactive-notebook>`): `control`, `control-label`, `control-input`,
 * `control-value`, `control-error` (see `internal/parts.ts`).
 *
 * @cssproperty --rn-control-width - The width of a slider, text field or drop-down (default 16em).
 * @cssproperty --rn-color-accent - A slider's track and a checkbox's tick.
 * @cssproperty --rn-color-focus - Focus rings.
 * @cssproperty --rn-color-text - Labels and values.
 * @cssproperty --rn-color-border - Field borders.
 * @cssproperty --rn-color-danger - A refused value's message.
 * @cssproperty --rn-font-family - Labels and fields.
 * @cssproperty --rn-radius - Field corners.
 */
export class ControlElement extends NotebookElement {
  static override styles = styles;

  /** The control as the service last described it. */
  @property({ attribute: false }) control!: Control;

  /** The person's value while the service has not answered every value sent. */
  @state() private local: { value: ControlValue } | undefined;
  /** Why the service refused the last value, until the next change. */
  @state() private error = "";

  #inFlight = 0;
  /** A drag or typing is under way (`input` events, no `change` yet): the person's value stays shown. */
  #editing = false;
  #lastSent: { value: ControlValue } | undefined;
  readonly #throttle = new Throttle<ControlValue>(1000 / CONTROL_SENDS_PER_SECOND, (value) =>
    this.#send(value),
  );

  /** The value shown: the person's while it is on its way, else the service's. */
  get value(): ControlValue {
    return this.local ? this.local.value : this.control.value;
  }

  override willUpdate(changed: PropertyValues<this>): void {
    const old = changed.get("control") as Control | undefined;
    // Another control in this place (its cell now makes different ones): nothing of the old one carries over.
    if (old && old.id !== this.control.id) {
      this.#throttle.cancel();
      this.#editing = false;
      this.local = undefined;
      this.error = "";
      this.#lastSent = undefined;
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Out of the page, the control's events reach no notebook: a value waiting for its turn has nowhere to go.
    this.#throttle.cancel();
  }

  override render() {
    const control = this.control;
    const label = control.label || DEFAULT_LABELS[control.kind];
    const described = this.error ? "error" : nothing;
    return html`<div part="control" class="control" data-kind=${control.kind} data-control-id=${control.id}>
      ${this.renderControl(control, label, described)}
      ${
        this.error
          ? html`<p part="control-error" id="error" class="error" role="alert">${this.error}</p>`
          : nothing
      }
    </div>`;
  }

  private renderControl(control: Control, label: string, described: string | typeof nothing): TemplateResult {
    const invalid = this.error ? "true" : nothing;
    const value = this.value;
    switch (control.kind) {
      case "slider":
        return html`<label part="control-label" for="input">${label}</label>
          <input part="control-input" id="input" type="range"
            min=${control.start ?? nothing} max=${control.stop ?? nothing} step=${control.step}
            .value=${live(String(value))} aria-invalid=${invalid} aria-describedby=${described}
            @input=${(event: Event) => this.#change(inputNumber(event), false)}
            @change=${(event: Event) => this.#change(inputNumber(event), true)} />
          <output part="control-value" for="input" aria-hidden="true">${value}</output>`;
      case "number":
        // Typed digits are sent on change (Enter, leaving the field): "1." on the way to "1.5" is not a
        // value. A step (the arrow keys, the spinner) is an input event that is not typing: sent at once.
        return html`<label part="control-label" for="input">${label}</label>
          <input part="control-input input" id="input" type="number"
            min=${control.start ?? nothing} max=${control.stop ?? nothing} step=${control.step}
            .value=${live(String(value))} aria-invalid=${invalid} aria-describedby=${described}
            @input=${(event: Event) => {
              if (!(event as InputEvent).inputType) this.#onNumber(event);
            }}
            @change=${this.#onNumber} />`;
      case "text":
        return html`<label part="control-label" for="input">${label}</label>
          <input part="control-input input" id="input" type="text" placeholder=${control.placeholder || nothing}
            autocomplete="off" .value=${live(String(value))} aria-invalid=${invalid} aria-describedby=${described}
            @input=${(event: Event) => this.#change(inputText(event), false)}
            @change=${(event: Event) => this.#change(inputText(event), true)} />`;
      case "textarea":
        return html`<label part="control-label" for="input">${label}</label>
          <textarea part="control-input" id="input" placeholder=${control.placeholder || nothing}
            .value=${live(String(value))} aria-invalid=${invalid} aria-describedby=${described}
            @input=${(event: Event) => this.#change(inputText(event), false)}
            @change=${(event: Event) => this.#change(inputText(event), true)}></textarea>`;
      case "dropdown":
        return html`<label part="control-label" for="input">${label}</label>
          <select part="control-input select" id="input" .value=${live(String(value))}
            aria-invalid=${invalid} aria-describedby=${described}
            @change=${(event: Event) => this.#change(inputText(event), true)}>
            ${control.options.map(
              (option) => html`<option value=${option} ?selected=${option === value}>${option}</option>`,
            )}
          </select>`;
      case "radio":
        return html`<fieldset part="control-input" aria-invalid=${invalid} aria-describedby=${described}>
          <legend part="control-label">${label}</legend>
          ${control.options.map(
            (option, index) => html`<span class="option">
              <input type="radio" id=${`option-${index}`} name="choice" value=${option}
                .checked=${live(option === value)}
                @change=${(event: Event) => this.#change(inputText(event), true)} />
              <label for=${`option-${index}`}>${option}</label>
            </span>`,
          )}
        </fieldset>`;
      case "checkbox":
        return html`<input part="control-input" id="input" type="checkbox" .checked=${live(value === true)}
            aria-invalid=${invalid} aria-describedby=${described}
            @change=${(event: Event) => this.#change((event.target as HTMLInputElement).checked, true)} />
          <label part="control-label" for="input">${label}</label>`;
      case "button":
        return html`<button part="control-input button" id="input" type="button"
            aria-describedby=${described}
            @click=${() => this.#change(typeof value === "number" ? value + 1 : 1, true)}>${label}</button>`;
    }
  }

  readonly #onNumber = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    if (input.value.trim() === "" || Number.isNaN(input.valueAsNumber)) {
      this.error = "Enter a number.";
      input.value = String(this.control.value);
      return;
    }
    this.#change(input.valueAsNumber, true);
  };

  /** A person set the control: show it now; send it in turn, or now when `final`. */
  #change(value: ControlValue, final: boolean): void {
    this.local = { value };
    this.error = "";
    this.#editing = !final;
    this.#throttle.push(value);
    if (final) this.#throttle.flush();
  }

  #send(value: ControlValue): void {
    // The trailing value of a drag, then the same value again on release: once is enough.
    if (this.#lastSent && this.#lastSent.value === value) {
      this.#settle();
      return;
    }
    this.#lastSent = { value };
    let answer: Promise<unknown> | undefined;
    const detail: ControlChangeDetail = {
      controlId: this.control.id,
      value,
      respond: (promise) => {
        answer = promise;
      },
    };
    this.emit("rn-control-change", detail);
    this.#inFlight += 1;
    (answer ?? Promise.reject(new Error("This control is not connected to a notebook.")))
      .catch((error: unknown) => {
        this.error = error instanceof Error ? error.message : String(error);
        this.#lastSent = undefined;
      })
      .finally(() => {
        this.#inFlight -= 1;
        this.#settle();
      });
  }

  /** Once the person let go, every value sent has its answer and none waits, the service's value is shown. */
  #settle(): void {
    if (this.#inFlight > 0 || this.#throttle.pending || this.#editing) return;
    this.local = undefined;
    this.#lastSent = undefined;
  }
}

function inputNumber(event: Event): number {
  return (event.target as HTMLInputElement).valueAsNumber;
}

function inputText(event: Event): string {
  return (event.target as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement).value;
}
