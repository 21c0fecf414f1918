/** The internal command event a cell sends to its notebook view (never leaves the element's shadow DOM). */
import type { CellType } from "@reactive-notebook/sdk";

/**
 * What a cell asks its notebook to do: from its buttons, its editor's keys, or (through the notebook's
 * shortcuts) command-mode keys. The notebook view performs each one from a single table.
 */
export type CellCommand =
  /** The editor's text changed (saved once typing pauses). */
  | { command: "edit"; code: string }
  /** Put the focus in the cell's editor. */
  | { command: "open-editor" }
  /** Focus the previous (−1) or next (+1) cell. */
  | { command: "focus"; delta: -1 | 1 }
  | { command: "run" }
  | { command: "run-next" }
  | { command: "run-insert" }
  /** Stop the running cell (interrupts the kernel). */
  | { command: "stop" }
  | { command: "add"; where: "above" | "below"; type: CellType }
  | { command: "delete" }
  | { command: "move"; delta: -1 | 1 }
  | { command: "change-type"; type: CellType }
  | { command: "rename-result"; name: string }
  | { command: "show-definition"; name: string }
  | { command: "show-help" };

export type CellCommandName = CellCommand["command"];

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
