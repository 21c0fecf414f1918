/**
 * The shortcuts controller: the notebook's command-mode keys. When a cell's frame has the focus (press
 * Escape in its editor to get there), single keys act on the cell, Jupyter-style. Keys typed inside an
 * editor are the editor's own (it handles its run keys itself), so they are ignored here.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { CellCommand, Shortcut } from "../notebook-cell/index.js";

/** How long the second key of a "D D" pair may wait. */
const CHORD_MS = 1000;

export class ShortcutsController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #shortcuts: readonly Shortcut[];
  readonly #isReadonly: () => boolean;
  readonly #perform: (cellId: string, command: CellCommand) => void;
  /** The first key of a pending pair, and when it was pressed. */
  #chord: { key: string; at: number } | undefined;

  constructor(
    host: ReactiveControllerHost & HTMLElement,
    shortcuts: readonly Shortcut[],
    isReadonly: () => boolean,
    perform: (cellId: string, command: CellCommand) => void,
  ) {
    this.#host = host;
    this.#shortcuts = shortcuts;
    this.#isReadonly = isReadonly;
    this.#perform = perform;
    host.addController(this);
  }

  hostConnected(): void {
    this.#host.addEventListener("keydown", this.#onKeyDown);
  }

  hostDisconnected(): void {
    this.#host.removeEventListener("keydown", this.#onKeyDown);
  }

  readonly #onKeyDown = (event: KeyboardEvent): void => {
    // Only when the cell frame itself has the focus (command mode), never inside an editor or a field.
    const origin = event.composedPath()[0];
    if (!(origin instanceof HTMLElement) || !origin.matches('[part~="cell"]')) return;
    const cell = event.composedPath().find((node): node is HTMLElement & { cellId: string } => {
      return node instanceof HTMLElement && node.tagName === "RN-CELL";
    });
    const cellId = cell?.dataset.cellId;
    if (!cellId) return;
    const combo = comboOf(event);
    const chordKey =
      this.#chord && this.#chord.key === combo && event.timeStamp - this.#chord.at < CHORD_MS
        ? `${combo} ${combo}`
        : undefined;
    const readonly = this.#isReadonly();
    const shortcuts = this.#shortcuts.filter((shortcut) => !readonly || shortcut.readonly);
    const match =
      (chordKey && shortcuts.find((shortcut) => shortcut.keys === chordKey)) ||
      shortcuts.find((shortcut) => shortcut.keys === combo);
    const startsChord = shortcuts.some((shortcut) => shortcut.keys === `${combo} ${combo}`);
    this.#chord = startsChord && !chordKey ? { key: combo, at: event.timeStamp } : undefined;
    if (match) {
      event.preventDefault();
      event.stopPropagation();
      this.#perform(cellId, match.command);
    } else if (startsChord) {
      event.preventDefault();
    }
  };
}

/** "Shift+Enter", "Mod+Enter" (Ctrl, or ⌘ on macOS), "Alt+ArrowUp", "A", "?". */
function comboOf(event: KeyboardEvent): string {
  const parts: string[] = [];
  if (event.ctrlKey || event.metaKey) parts.push("Mod");
  if (event.altKey) parts.push("Alt");
  // Shift types "?" (and other symbols) on most layouts: it is part of the symbol, not a modifier.
  if (event.shiftKey && !(event.key.length === 1 && !/[a-z]/i.test(event.key))) parts.push("Shift");
  parts.push(event.key.length === 1 ? event.key.toUpperCase() : event.key);
  return parts.join("+");
}
