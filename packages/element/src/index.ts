/** The `<reactive-notebook>` element package: the class and its types. Import `./define.js` to register the tag. */
export type { NotebookEventMap } from "./internal/index.js";
export {
  ReactiveNotebookElement,
  type ServiceStatus,
  type ServiceStatusEvent,
  type Theme,
} from "./reactive-notebook/index.js";
