/** The `<reactive-notebook>` component folder's only door. */
export { type AuthState, devUserKey } from "./auth.controller.js";
export { ReactiveNotebookElement, type Theme } from "./reactive-notebook.component.js";
export type {
  AuthChangeDetail,
  CellErrorDetail,
  CellRunDetail,
  NotebookLoadedDetail,
  NotebookOpenDetail,
  NotebookRenamedDetail,
  ServiceStatus,
} from "./reactive-notebook.events.js";
