/** `<reactive-notebook>`: the embeddable notebook element. For now it checks its service and shows the status. */
import { Task } from "@lit/task";
import { ApiError, ConnectionError, NotebookClient } from "@reactive-notebook/sdk";
import { html } from "lit";
import { property } from "lit/decorators.js";
import { NotebookElement } from "../internal/index.js";
import type { ServiceStatus } from "./reactive-notebook.events.js";
import { styles } from "./reactive-notebook.styles.js";

/** The colour scheme: fixed light or dark, or `auto` to follow the user's system setting. */
export type Theme = "light" | "dark" | "auto";

/** The product name shown in the header. */
const PRODUCT_NAME = "Reactive Notebook";

/**
 * @summary A reactive Python/SQL notebook served by a Reactive Notebook service.
 *
 * Responsibilities today: check the service at `api-url` (`GET /health`) whenever the URL
 * changes, show the result in its header, and report it as an event. Editing and running
 * cells arrive in a later version.
 *
 * @event service-status - The health check settled. `detail` is
 *   `{ state: "connected", apiUrl, version }` or `{ state: "error", apiUrl, message }`.
 *
 * @csspart header - The bar at the top: product name and service status.
 * @csspart title - The product name.
 * @csspart status - The service status line; its `data-state` is `connecting`, `connected` or `error`.
 *
 * @cssproperty --rn-color-background - Background of the element.
 * @cssproperty --rn-color-surface - Background of the header and other raised areas.
 * @cssproperty --rn-color-text - Main text colour.
 * @cssproperty --rn-color-muted - Secondary text (status while connecting).
 * @cssproperty --rn-color-border - Borders.
 * @cssproperty --rn-color-accent - Links and focus.
 * @cssproperty --rn-color-success - "Connected" and successful cells.
 * @cssproperty --rn-color-danger - Errors.
 * @cssproperty --rn-font-family - Text font.
 * @cssproperty --rn-font-family-code - Code font.
 * @cssproperty --rn-font-size - Base font size.
 * @cssproperty --rn-radius - Corner radius.
 */
export class ReactiveNotebookElement extends NotebookElement {
  static override styles = styles;

  /** The base URL of the notebook service, e.g. `https://notebooks.example.com`. */
  @property({ attribute: "api-url" }) apiUrl = "";

  /** Light, dark, or `auto` (follows `prefers-color-scheme`). */
  @property({ reflect: true }) theme: Theme = "auto";

  /** The notebook to open (used once the editor lands). */
  @property({ attribute: "notebook-id" }) notebookId = "";

  /** Checks the service whenever `apiUrl` changes; a newer check aborts the older one. */
  private readonly serviceCheck = new Task(this, {
    args: () => [this.apiUrl] as const,
    task: ([apiUrl], { signal }) => checkService(apiUrl, signal),
    onComplete: (status) => {
      if (status) this.emit("service-status", status);
    },
  });

  override render() {
    return html`
      <header part="header">
        <span part="title">${PRODUCT_NAME}</span>
        ${this.serviceCheck.render({
          initial: () => this.renderConnecting(),
          pending: () => this.renderConnecting(),
          complete: (status) =>
            status ? this.renderStatus(status.state, statusText(status)) : this.renderUnset(),
        })}
      </header>
    `;
  }

  private renderConnecting() {
    return this.renderStatus("connecting", `Connecting to the notebook service at ${this.apiUrl}…`);
  }

  private renderStatus(state: string, text: string) {
    return html`<span part="status" role="status" data-state=${state}>${text}</span>`;
  }

  private renderUnset() {
    return this.renderStatus("error", "No service: set the api-url attribute to the notebook service's URL.");
  }
}

/** Calls `GET /health` at `apiUrl`; resolves with a status (never rejects, unless aborted). */
async function checkService(apiUrl: string, signal: AbortSignal): Promise<ServiceStatus | undefined> {
  if (!apiUrl) return undefined;
  try {
    const client = new NotebookClient({ baseUrl: apiUrl, maxRetries: 1, timeoutMs: 10_000 });
    const health = await client.health({ signal });
    if (health?.status !== "ok" || typeof health.version !== "string") {
      return {
        state: "error",
        apiUrl,
        message: "Not a notebook service: /health did not answer {status: ok}.",
      };
    }
    return { state: "connected", apiUrl, version: health.version };
  } catch (error) {
    if (signal.aborted) throw error;
    return { state: "error", apiUrl, message: reasonOf(error) };
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof ConnectionError) {
    const cause = error.cause instanceof Error ? error.cause.message : "";
    return cause || error.message;
  }
  if (error instanceof ApiError) return `${error.message} (HTTP ${error.status})`;
  return error instanceof Error ? error.message : String(error);
}

function statusText(status: ServiceStatus): string {
  return status.state === "connected"
    ? `Connected — service v${status.version}`
    : `Cannot reach the notebook service at ${status.apiUrl}: ${status.message}`;
}
