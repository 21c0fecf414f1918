/** The `<rn-cell>` component folder's only door. */
export { CELL_PARTS, formatMs, NotebookCellElement } from "./notebook-cell.component.js";
export type { CellCommand, CellCommandDetail } from "./notebook-cell.events.js";
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
