/**
 * The notebook's keyboard shortcuts, as data: each names its keys (as the docs write them) and the cell
 * command it sends. The cell's editor binds `EDITOR_SHORTCUTS`; the notebook's shortcuts controller
 * answers `CELL_SHORTCUTS` when a cell frame has the focus; the help dialog lists both.
 */
import type { CellCommand } from "./notebook-cell.events.js";

export interface Shortcut {
  /** e.g. "Shift+Enter", "Alt+ArrowUp", "A", "D D" (the same key twice); "Mod" is Ctrl, or ⌘ on Apple. */
  keys: string;
  description: string;
  /** Allowed in a readonly notebook. */
  readonly?: boolean;
  command: CellCommand;
}

/** Keys inside a cell's editor that belong to the notebook rather than the text. */
export const EDITOR_SHORTCUTS: readonly Shortcut[] = [
  {
    keys: "Shift+Enter",
    description: "Run, then go to the next cell",
    readonly: true,
    command: { command: "run-next" },
  },
  { keys: "Mod+Enter", description: "Run the cell", readonly: true, command: { command: "run" } },
  { keys: "Alt+Enter", description: "Run, then insert a cell below", command: { command: "run-insert" } },
  { keys: "Mod+.", description: "Stop the running cell", readonly: true, command: { command: "stop" } },
];

/** Command mode: the keys a focused cell frame answers to (Escape from the editor, or Tab to it). */
export const CELL_SHORTCUTS: readonly Shortcut[] = [
  { keys: "Enter", description: "Edit the cell", readonly: true, command: { command: "open-editor" } },
  ...EDITOR_SHORTCUTS,
  { keys: "I I", description: "Stop the running cell", readonly: true, command: { command: "stop" } },
  { keys: "ArrowUp", description: "Previous cell", readonly: true, command: { command: "focus", delta: -1 } },
  { keys: "ArrowDown", description: "Next cell", readonly: true, command: { command: "focus", delta: 1 } },
  { keys: "K", description: "Previous cell", readonly: true, command: { command: "focus", delta: -1 } },
  { keys: "J", description: "Next cell", readonly: true, command: { command: "focus", delta: 1 } },
  {
    keys: "A",
    description: "Insert a Python cell above",
    command: { command: "add", where: "above", type: "python" },
  },
  {
    keys: "B",
    description: "Insert a Python cell below",
    command: { command: "add", where: "below", type: "python" },
  },
  { keys: "D D", description: "Delete the cell", command: { command: "delete" } },
  { keys: "Delete", description: "Delete the cell", command: { command: "delete" } },
  { keys: "Alt+ArrowUp", description: "Move the cell up", command: { command: "move", delta: -1 } },
  { keys: "Alt+ArrowDown", description: "Move the cell down", command: { command: "move", delta: 1 } },
  { keys: "Y", description: "Make it a Python cell", command: { command: "change-type", type: "python" } },
  { keys: "S", description: "Make it an SQL cell", command: { command: "change-type", type: "sql" } },
  {
    keys: "M",
    description: "Make it a Markdown cell",
    command: { command: "change-type", type: "markdown" },
  },
  {
    keys: "?",
    description: "Show help and these shortcuts",
    readonly: true,
    command: { command: "show-help" },
  },
];

/** "Mod+Enter" → CodeMirror's "Mod-Enter". */
export function editorKey(keys: string): string {
  return keys.replace(/\+(?=.)/g, "-");
}

/** The "Mod" key as people on this platform call it: ⌘ on Apple, Ctrl elsewhere. */
export function modKey(apple = /Mac|iPhone|iPad/.test(globalThis.navigator?.platform ?? "")): string {
  return apple ? "⌘" : "Ctrl";
}
