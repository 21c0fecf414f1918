/** The `<reactive-notebook>` component folder's only door. */
export { ReactiveNotebookElement, type Theme } from "./reactive-notebook.component.js";
export type { ServiceStatus, ServiceStatusEvent } from "./reactive-notebook.events.js";
