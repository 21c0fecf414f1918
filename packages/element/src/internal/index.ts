/** Internals shared by this package's components; not part of the public API. */
export { NotebookElement, type NotebookEventMap } from "./notebook-element.js";
