/** The `<rn-notebook-list>` component folder's only door. */
export { LIST_PARTS, NotebookListElement } from "./notebook-list.component.js";

import { NotebookListElement } from "./notebook-list.component.js";

/** Registers `<rn-notebook-list>` (guarded). */
export function defineNotebookList(): void {
  if (!customElements.get("rn-notebook-list")) customElements.define("rn-notebook-list", NotebookListElement);
}

declare global {
  interface HTMLElementTagNameMap {
    "rn-notebook-list": NotebookListElement;
  }
}
