/** The resources hanging off a NotebookClient; this file is the folder's only door. */
export { CellsResource } from "./cells.js";
export { DevResource } from "./dev.js";
export { NotebooksResource } from "./notebooks.js";
export type { RunWaitOptions } from "./run-wait.js";
