/** The `<rn-notebook-view>` component folder's only door. */

export { CellActivity } from "./cell-activity.js";
export { SAVE_DELAY_MS } from "./notebook-session.controller.js";
export { NotebookViewElement, type NotebookViewMode } from "./notebook-view.component.js";

import { NotebookViewElement } from "./notebook-view.component.js";

/** Registers `<rn-notebook-view>` (guarded). */
export function defineNotebookView(): void {
  if (!customElements.get("rn-notebook-view")) customElements.define("rn-notebook-view", NotebookViewElement);
}

declare global {
  interface HTMLElementTagNameMap {
    "rn-notebook-view": NotebookViewElement;
  }
}
