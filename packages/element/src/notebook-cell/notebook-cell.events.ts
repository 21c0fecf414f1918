/** The internal command event a cell sends to its notebook view (never leaves the element's shadow DOM). */
import type { CellType } from "@reactive-notebook/sdk";

/** What a cell asks its notebook to do. */
export type CellCommand =
  | { command: "edit"; code: string }
  | { command: "run" }
  | { command: "run-next" }
  | { command: "run-insert" }
  | { command: "add"; where: "above" | "below"; type: CellType }
  | { command: "delete" }
  | { command: "move"; delta: -1 | 1 }
  | { command: "change-type"; type: CellType }
  | { command: "rename-result"; name: string }
  | { command: "show-definition"; name: string };

export type CellCommandDetail = CellCommand & { cellId: string };

declare module "../internal/notebook-element.js" {
  interface NotebookEventMap {
    "rn-cell-command": CellCommandDetail;
  }
}

declare global {
  interface HTMLElementEventMap {
    "rn-cell-command": CustomEvent<CellCommandDetail>;
  }
}
