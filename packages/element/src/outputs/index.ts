/** `<rn-outputs>`: renders a cell's outputs by MIME type. The only door into this folder. */
import { defineControl } from "../control/index.js";
import { RnOutputsElement } from "./rn-outputs.component.js";

export { type OutputsTheme, RnOutputsElement } from "./rn-outputs.component.js";
export { getVendorBase, setVendorBase } from "./vendor.js";

/** Registers `<rn-outputs>`; calling it again (or next to another copy) is harmless. */
export function defineOutputs(): void {
  defineControl();
  if (!customElements.get("rn-outputs")) customElements.define("rn-outputs", RnOutputsElement);
}

declare global {
  interface HTMLElementTagNameMap {
    "rn-outputs": RnOutputsElement;
  }
}
