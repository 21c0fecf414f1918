/** The `<rn-notebook-view>` component folder's only door. */

export { SAVE_DELAY_MS } from "./notebook-session.controller.js";
export { NOTEBOOK_PARTS, NotebookViewElement } from "./notebook-view.component.js";
export type { Shortcut } from "./shortcuts.controller.js";

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
