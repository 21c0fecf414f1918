/**
 * The help dialog (`?` on a focused cell, or the toolbar's "?" button): the keyboard shortcuts, from the
 * same tables the editor and the notebook bind, and a line about the service (its version, where it runs) —
 * hosts that hide the element's own bar find it here. Loaded on first use, so the core bundle carries only
 * the import; its styles travel with it.
 */
import { css, html, nothing, type TemplateResult } from "lit";
import { EDITOR_SHORTCUTS, modKey, type Shortcut } from "../notebook-cell/index.js";

/** The editor's own editing keys (CodeMirror's keymap in `cell-editor.ts`), listed after the notebook's. */
const EDITING_KEYS: [keys: string, description: string][] = [
  ["Escape", "Leave the editor (the cell keeps the focus)"],
  ["Mod+] / Mod+[", "Indent / dedent"],
  ["Mod+/", "Toggle a comment"],
  ["Mod+Z / Mod+Shift+Z", "Undo / redo"],
];

/**
 * The dialog's styles, adopted into the notebook's shadow root when this module loads: a constructed
 * stylesheet, so a host page whose CSP refuses inline `<style>` still draws the dialog.
 */
export const helpStyles = css`
  .shortcuts-help {
    max-width: min(40rem, calc(100vw - 2rem));
    max-height: calc(100vh - 4rem);
    overflow: auto;
    padding: 1rem 1.25rem;
    color: var(--rn-color-text);
    background: var(--rn-color-background);
    border: 1px solid var(--rn-color-border);
    border-radius: 8px;
  }
  .shortcuts-help::backdrop { background: rgb(0 0 0 / 0.4); }
  .shortcuts-help h2 { margin: 0 0 0.5rem; font-size: 1.1rem; }
  .shortcuts-help table { border-collapse: collapse; margin: 0.75rem 0; width: 100%; }
  .shortcuts-help caption { text-align: left; font-weight: 600; padding-bottom: 0.25rem; }
  .shortcuts-help th { text-align: left; font-weight: 400; padding: 0.2rem 1rem 0.2rem 0; white-space: nowrap; width: 13rem; }
  .shortcuts-help td { padding: 0.2rem 0; }
  .shortcuts-help kbd { font-family: var(--rn-font-family-code, monospace); font-size: 0.9em; }
  .shortcuts-help .close { float: right; }
  .shortcuts-help .about { margin: 0.75rem 0 0; color: var(--rn-color-muted); font-size: 0.9em; }
`;

const KEY_NAMES: Record<string, string> = { ArrowUp: "↑", ArrowDown: "↓", Delete: "Del" };

/** "Mod+ArrowUp" → "Ctrl+↑" (or "⌘+↑" on Apple platforms). */
export function keyLabel(keys: string, apple?: boolean): string {
  return keys
    .split(" ")
    .map((combo) =>
      combo
        .split("+")
        .map((key) => (key === "Mod" ? modKey(apple) : (KEY_NAMES[key] ?? key)))
        .join("+"),
    )
    .join(" ");
}

/** Shortcuts with the same description share a row: "↑ / K  Previous cell". */
function rows(shortcuts: readonly Shortcut[]): [keys: string, description: string][] {
  const byDescription = new Map<string, string[]>();
  for (const shortcut of shortcuts) {
    const keys = byDescription.get(shortcut.description) ?? [];
    keys.push(keyLabel(shortcut.keys));
    byDescription.set(shortcut.description, keys);
  }
  return [...byDescription].map(([description, keys]) => [keys.join(" / "), description]);
}

function table(caption: string, entries: [string, string][]): TemplateResult {
  return html`<table>
    <caption>${caption}</caption>
    <tbody>
      ${entries.map(([keys, description]) => html`<tr><th scope="row"><kbd>${keys}</kbd></th><td>${description}</td></tr>`)}
    </tbody>
  </table>`;
}

/**
 * The dialog's markup: the notebook renders it, then calls `showModal()` on it (focus moves in, Escape
 * closes it, the page behind is inert). `commandShortcuts` are those a focused cell answers to now
 * (a readonly notebook lists fewer); `about` is a line about the service ("" for none).
 */
export function renderShortcutsHelp(
  commandShortcuts: readonly Shortcut[],
  about: string,
  onClose: () => void,
): TemplateResult {
  return html`<dialog part="shortcuts-help" class="shortcuts-help" aria-labelledby="rn-shortcuts-title" @close=${onClose}>
    <form method="dialog">
      <button part="button" class="close" aria-label="Close">Close</button>
    </form>
    <h2 id="rn-shortcuts-title">Keyboard shortcuts</h2>
    ${table("In a cell's editor", [
      ...rows(EDITOR_SHORTCUTS),
      ...EDITING_KEYS.map(([keys, description]): [string, string] => [keyLabel(keys), description]),
    ])}
    ${table("When a cell has the focus (Escape from its editor, or Tab to it)", rows(commandShortcuts))}
    ${about ? html`<p class="about">About: ${about}</p>` : nothing}
  </dialog>`;
}
