/** `<rn-control>`: an interactive control of a cell's outputs. The only door into this folder. */
import { ControlElement } from "./control.component.js";

export { CONTROL_SENDS_PER_SECOND, ControlElement } from "./control.component.js";
export type { ControlChangeDetail } from "./control.events.js";
export { type Control, readControl } from "./control-data.js";
export { Throttle } from "./throttle.js";

/** Registers `<rn-control>` (guarded, so two copies on a page do not clash). */
export function defineControl(): void {
  if (!customElements.get("rn-control")) customElements.define("rn-control", ControlElement);
}

declare global {
  interface HTMLElementTagNameMap {
    "rn-control": ControlElement;
  }
}
