/** The `<reactive-notebook>` element package: the class and its types. Import `./define.js` to register the tag. */
export type { NotebookEventMap } from "./internal/index.js";
export { type NotebookViewMode, SAVE_DELAY_MS } from "./notebook-view/index.js";
export {
  type AuthChangeDetail,
  type CellErrorDetail,
  type CellRunDetail,
  devUserKey,
  type NotebookLoadedDetail,
  type NotebookOpenDetail,
  type NotebookRenamedDetail,
  ReactiveNotebookElement,
  type ServiceStatus,
  type Theme,
} from "./reactive-notebook/index.js";
