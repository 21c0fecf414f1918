/** The entry of the single-file CDN bundle: registers `<reactive-notebook>` and re-exports the element and the SDK. */
export * from "@reactive-notebook/sdk";
export { ReactiveNotebookElement } from "./define.js";
export type { ServiceStatus, ServiceStatusEvent, Theme } from "./index.js";
