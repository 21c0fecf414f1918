// The notebooks folder's only door: the application service every notebook command goes through, and the
// open notebooks it runs (scheduler, kernel, saved results, published events).
export { analyzeCell, type CellAnalysis } from "./analysis.js";
export { notebooksPlugin } from "./plugin.js";
export type { Publish, SessionCell, SessionLogger, SessionNotebook, SessionStore } from "./ports.js";
export {
  cellResource,
  DEFAULT_NOTEBOOK_NAME,
  IMPORTED_NOTEBOOK_NAME,
  MAX_RUN_WAIT_SECONDS,
  type NotebookEvents,
  NotebookService,
  notebookResource,
  type RunOptions,
} from "./service.js";
export { type FinishedRun, NotebookSession, type SessionDependencies, toSchedulerCell } from "./session.js";
export { NotebookSessions } from "./sessions.js";
export { checkCode, checkName } from "./validation.js";
