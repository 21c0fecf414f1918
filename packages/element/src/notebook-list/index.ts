/**
 * The `<rn-notebook-list>` component folder's only door. The component is a chunk of its own: a page
 * that opens one notebook (`notebook-id`) never downloads it.
 */
import type { NotebookListElement } from "./notebook-list.component.js";

export type { NotebookListElement } from "./notebook-list.component.js";

let loading: Promise<void> | undefined;

/** Loads and registers `<rn-notebook-list>` (guarded, so two copies on a page do not clash). */
export function defineNotebookList(): Promise<void> {
  loading ??= import("./notebook-list.component.js").then(({ NotebookListElement }) => {
    if (!customElements.get("rn-notebook-list"))
      customElements.define("rn-notebook-list", NotebookListElement);
  });
  return loading;
}

declare global {
  interface HTMLElementTagNameMap {
    "rn-notebook-list": NotebookListElement;
  }
}
