// The runtime folder's only door: open notebooks, their scheduler and kernel, persisted run results.
export { appendCapped } from "./cell-record.js";
export type { NotebookSession } from "./notebook-session.js";
export { type RuntimePluginOptions, runtimePlugin } from "./plugin.js";
export type {
  CellResult,
  Publish,
  RuntimeCell,
  RuntimeEvent,
  RuntimeNotebook,
  RuntimeStore,
} from "./ports.js";
export { MissingNotebook, NotebookRuntime, type RuntimeLogger } from "./runtime.js";
