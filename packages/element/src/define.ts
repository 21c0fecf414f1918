/** Registers `<reactive-notebook>`; importing it twice (or next to the CDN bundle) is harmless. */
import { ReactiveNotebookElement } from "./reactive-notebook/index.js";

export { ReactiveNotebookElement };

if (!customElements.get("reactive-notebook")) {
  customElements.define("reactive-notebook", ReactiveNotebookElement);
}

declare global {
  interface HTMLElementTagNameMap {
    "reactive-notebook": ReactiveNotebookElement;
  }
}
