/** The events `<reactive-notebook>` fires and the `detail` each carries. */

/** Where the element stands with its service, as last checked through `GET /health`. */
export type ServiceStatus =
  | { state: "connected"; apiUrl: string; version: string }
  | { state: "error"; apiUrl: string; message: string };

/** `service-status`: the health check against `api-url` settled. */
export type ServiceStatusEvent = CustomEvent<ServiceStatus>;

declare module "../internal/notebook-element.js" {
  interface NotebookEventMap {
    "service-status": ServiceStatus;
  }
}

declare global {
  interface HTMLElementEventMap {
    "service-status": ServiceStatusEvent;
  }
}
