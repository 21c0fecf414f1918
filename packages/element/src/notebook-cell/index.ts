/** The `<rn-cell>` component folder's only door. */

export { blockerLabel } from "./blocked-by.js";
export { type CellWait, formatMs, NotebookCellElement } from "./notebook-cell.component.js";
export type { CellCommand, CellCommandDetail, CellCommandName } from "./notebook-cell.events.js";
export { CELL_SHORTCUTS, EDITOR_SHORTCUTS, modKey, type Shortcut } from "./shortcuts.js";
export { readableTraceback } from "./traceback.js";

import { NotebookCellElement } from "./notebook-cell.component.js";

/** Registers `<rn-cell>` (guarded, so two copies on a page do not clash). */
export function defineCell(): void {
  if (!customElements.get("rn-cell")) customElements.define("rn-cell", NotebookCellElement);
}

declare global {
  interface HTMLElementTagNameMap {
    "rn-cell": NotebookCellElement;
  }
}
