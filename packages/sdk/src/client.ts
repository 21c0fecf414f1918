/** `NotebookClient`: the SDK's entry point, holding the request core and the resources that hang off it. */
import type { ClientConfig, Health, Me } from "@reactive-notebook/protocol";
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
 * `client.dev`, plus `health()`, `config()`, `me()` and `connect()`. Every method takes `{ signal,
 * timeoutMs, maxRetries, idempotencyKey }` as its last argument and rejects with an `ApiError`.
 *
 * @example
 * ```ts
 * import { devTokenProvider, NotebookClient } from "@reactive-notebook/sdk";
 *
 * const baseUrl = "http://127.0.0.1:8080";
 * const client = new NotebookClient({ baseUrl, getToken: devTokenProvider(baseUrl, "alice") });
 * const notebook = await client.notebooks.create({ cells: [{ type: "python", code: "x = 10" }] });
 * ```
 */
export class NotebookClient {
  readonly notebooks: NotebooksResource;
  readonly cells: CellsResource;
  readonly dev: DevResource;
  /** The request core; live sessions (`connect`) reuse its base URL and token provider. */
  readonly #sender: RequestSender;

  constructor(options: NotebookClientOptions) {
    if (!options.baseUrl) throw new TypeError("NotebookClient needs a baseUrl, e.g. http://127.0.0.1:8080");
    const fetchImpl = options.fetch ?? globalThis.fetch;
    this.#sender = new RequestSender({
      baseUrl: options.baseUrl,
      getToken: options.getToken,
      // Called unbound, window.fetch throws "Illegal invocation".
      fetch: (input, init) => fetchImpl(input, init),
      timeoutMs: options.timeoutMs ?? 30_000,
      maxRetries: options.maxRetries ?? 2,
      retryBaseDelayMs: options.retryBaseDelayMs ?? 500,
      retryMaxDelayMs: options.retryMaxDelayMs ?? 8_000,
    });
    this.notebooks = new NotebooksResource(this.#sender);
    this.cells = new CellsResource(this.#sender);
    this.dev = new DevResource(this.#sender);
  }

  /**
   * The base URL requests go to, without a trailing slash.
   *
   * @example
   * ```ts
   * new NotebookClient({ baseUrl: "https://notebooks.example.com/" }).baseUrl; // "https://notebooks.example.com"
   * ```
   */
  get baseUrl(): string {
    return this.#sender.config.baseUrl;
  }

  /**
   * Whether the service is up, and its version (no auth).
   *
   * @example
   * ```ts
   * const { status, version } = await client.health(); // "ok", "0.1.0"
   * ```
   */
  health(options?: RequestOptions): Promise<Health> {
    return this.#sender.send({ method: "GET", path: "/health", auth: false }, options);
  }

  /**
   * What a client needs before it can sign in (no auth): the server's auth mode, its Clerk publishable key
   * in Clerk mode (null otherwise), and its version.
   *
   * @example
   * ```ts
   * const { authMode, publishableKey } = await new NotebookClient({ baseUrl }).config();
   * const getToken =
   *   authMode === "clerk" ? clerkTokenProvider(await loadClerk(publishableKey)) : devTokenProvider(baseUrl, "alice");
   * ```
   */
  config(options?: RequestOptions): Promise<ClientConfig> {
    return this.#sender.send({ method: "GET", path: "/api/v1/config", auth: false }, options);
  }

  /**
   * Opens a live session on a notebook over its WebSocket and resolves once the server said `hello`.
   * Rejects with ForbiddenError (another user's notebook), NotFoundError, UnauthorizedError or ConnectionError.
   *
   * @example
   * ```ts
   * const session = await client.connect(notebookId);
   * session.on("cell_status", (event) => console.log(event.cellId, event.status));
   * const { cells } = await session.runAll();
   * session.close();
   * ```
   */
  connect(notebookId: string, options?: ConnectOptions): Promise<NotebookSession> {
    const { baseUrl, getToken } = this.#sender.config;
    return NotebookSession.open({ client: this, baseUrl, getToken }, notebookId, options);
  }

  /**
   * Who the token belongs to, and how the server authenticates.
   *
   * @example
   * ```ts
   * const { userId, authMode } = await client.me(); // "user_2x…", "clerk"
   * ```
   */
  me(options?: RequestOptions): Promise<Me> {
    return this.#sender.send({ method: "GET", path: "/api/v1/me" }, options);
  }
}
