/** `NotebookClient`: the SDK's entry point, holding the request core and the resources that hang off it. */
import type { Health, Me } from "@reactive-notebook/protocol";
import { type RequestOptions, RequestSender, type TokenProvider } from "./request.js";
import { CellsResource, DevResource, NotebooksResource } from "./resources/index.js";
import { type ConnectOptions, NotebookSession } from "./session/index.js";

/** How a client is set up. */
export interface NotebookClientOptions {
  /** Where the service lives, e.g. `https://notebooks.example.com` (routes are `/health` and `/api/v1/...` below it). */
  baseUrl: string;
  /** Returns the bearer token; called before every attempt. Without it, requests go unauthenticated. */
  getToken?: TokenProvider;
  /** The fetch to use; defaults to the global one. */
  fetch?: typeof globalThis.fetch;
  /** Per-attempt timeout in milliseconds (default 30 000). */
  timeoutMs?: number;
  /** Retries after the first attempt for 429, 502–504 and network errors on retry-safe calls (default 2). */
  maxRetries?: number;
  /** First backoff ceiling in milliseconds; doubles every retry (default 500). */
  retryBaseDelayMs?: number;
  /** Largest backoff ceiling in milliseconds (default 8 000). */
  retryMaxDelayMs?: number;
}

/**
 * A typed client for one Reactive Notebook service: `client.notebooks`, `client.cells`,
 * `client.dev`, plus `health()` and `me()`. Every method takes `{ signal, timeoutMs,
 * maxRetries, idempotencyKey }` as its last argument and rejects with an `ApiError`.
 */
export class NotebookClient {
  readonly notebooks: NotebooksResource;
  readonly cells: CellsResource;
  readonly dev: DevResource;
  /** The request core; live sessions (`connect`) reuse its base URL and token provider. */
  protected readonly sender: RequestSender;

  constructor(options: NotebookClientOptions) {
    if (!options.baseUrl) throw new TypeError("NotebookClient needs a baseUrl, e.g. http://127.0.0.1:8080");
    const fetchImpl = options.fetch ?? globalThis.fetch;
    this.sender = new RequestSender({
      baseUrl: options.baseUrl,
      getToken: options.getToken,
      // Called unbound, window.fetch throws "Illegal invocation".
      fetch: (input, init) => fetchImpl(input, init),
      timeoutMs: options.timeoutMs ?? 30_000,
      maxRetries: options.maxRetries ?? 2,
      retryBaseDelayMs: options.retryBaseDelayMs ?? 500,
      retryMaxDelayMs: options.retryMaxDelayMs ?? 8_000,
    });
    this.notebooks = new NotebooksResource(this.sender);
    this.cells = new CellsResource(this.sender);
    this.dev = new DevResource(this.sender);
  }

  /** The base URL requests go to, without a trailing slash. */
  get baseUrl(): string {
    return this.sender.config.baseUrl;
  }

  /** Whether the service is up, and its version (no auth). */
  health(options?: RequestOptions): Promise<Health> {
    return this.sender.send({ method: "GET", path: "/health", auth: false }, options);
  }

  /**
   * Opens a live session on a notebook over its WebSocket and resolves once the server said `hello`.
   * Rejects with ForbiddenError (another user's notebook), NotFoundError, UnauthorizedError or ConnectionError.
   */
  connect(notebookId: string, options?: ConnectOptions): Promise<NotebookSession> {
    const { baseUrl, getToken } = this.sender.config;
    return NotebookSession.open({ client: this, baseUrl, getToken }, notebookId, options);
  }

  /** Who the token belongs to, and how the server authenticates. */
  me(options?: RequestOptions): Promise<Me> {
    return this.sender.send({ method: "GET", path: "/api/v1/me" }, options);
  }
}
