/**
 * `NotebookSession`: a live view of one notebook for agents and UIs. It keeps `session.notebook` current from
 * the WebSocket's events (a reconnect replaces it with the new `hello`'s notebook, so nothing is lost
 * silently), lets callers subscribe by event type or iterate events, and runs cells, resolving when the
 * run has settled with the cells as they ended.
 */
import type {
  Cell,
  ControlValue,
  EventOf,
  Notebook,
  ServerEvent,
  ServerEventType,
} from "@reactive-notebook/protocol";
import type { NotebookClient } from "../client.js";
import { ConnectionError, UnauthorizedError } from "../errors.js";
import type { TokenProvider } from "../request.js";
import { type ConnectionStatus, NotebookConnection } from "./connection.js";
import { eventStream } from "./event-stream.js";
import { applyEvent } from "./notebook-state.js";
import { type RunResult, RunTracker } from "./runs.js";
import { resolveWebSocket, type WebSocketConstructor } from "./websocket.js";

/** Options of `client.connect(notebookId, options)`. */
export interface ConnectOptions {
  /** Aborting it before `hello` rejects `connect`; aborting it later closes the session. */
  signal?: AbortSignal;
  /** The WebSocket class to use; defaults to the global one, else the `ws` package (Node 20). */
  WebSocket?: WebSocketConstructor;
  /** Send a fresh token this long before the current one's `exp` (default 60 000 ms; at most half its life). */
  refreshMarginMs?: number;
  /** Send a fresh token this often when tokens carry no `exp` (default 5 minutes). */
  refreshIntervalMs?: number;
  /** First reconnect backoff ceiling in ms, doubling per attempt (default 250). */
  reconnectBaseDelayMs?: number;
  /** Largest reconnect backoff ceiling in ms (default 10 000). */
  reconnectMaxDelayMs?: number;
  /** Failed reconnect attempts in a row before the session closes with a ConnectionError (default 20). */
  maxReconnectAttempts?: number;
  /** Longest wait from opening a socket to its `hello`, in ms (default 15 000). */
  helloTimeoutMs?: number;
  /**
   * Send a `ping` frame this often while open, in ms (default 25 000, under the 30–60 s idle limits of
   * common proxies and load balancers; 0 turns keepalive off).
   */
  pingIntervalMs?: number;
  /** A socket that receives nothing for this long after a ping is dropped and reconnected, in ms (default 10 000). */
  pongTimeoutMs?: number;
  /**
   * Called when an `on()` or `onStatus()` listener throws. The error never reaches the session, which
   * goes on delivering to the other listeners. Default: `console.error`.
   */
  onListenerError?: (error: unknown) => void;
}

/** Options of the run methods. */
export interface RunOptions {
  /** Stops waiting (the run itself goes on; use `interrupt()` to stop it); the call rejects with the reason. */
  signal?: AbortSignal;
}

type Listener = (event: ServerEvent) => void;

/** What the session reuses from its client. */
interface SessionContext {
  client: NotebookClient;
  baseUrl: string;
  getToken: TokenProvider | undefined;
}

/**
 * A live notebook. Made by `client.connect(notebookId)`, which resolves once the first `hello` arrived.
 * Responsibilities: state (`notebook`), subscriptions (`on`, `events`), runs (`run`, `runAll`,
 * `updateAndRun`, `setControl`, `interrupt`) and lifetime (`status`, `onStatus`, `close`).
 */
export class NotebookSession {
  readonly notebookId: string;
  readonly #client: NotebookClient;
  readonly #connection: NotebookConnection;
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #statusListeners = new Set<(status: ConnectionStatus, error?: unknown) => void>();
  readonly #runs = new RunTracker();
  readonly #onListenerError: (error: unknown) => void;
  #notebook: Notebook | undefined;
  #error: unknown;
  /** Counts socket drops, so a run request that straddled one knows it may have missed events. */
  #drops = 0;

  private constructor(
    context: SessionContext,
    notebookId: string,
    WebSocket: WebSocketConstructor,
    options: ConnectOptions,
  ) {
    this.notebookId = notebookId;
    this.#client = context.client;
    this.#onListenerError = options.onListenerError ?? reportListenerError;
    const getToken = context.getToken ?? noToken;
    this.#connection = new NotebookConnection(
      {
        url: socketUrl(context.baseUrl, notebookId),
        getToken,
        WebSocket,
        refresh: {
          marginMs: options.refreshMarginMs ?? 60_000,
          intervalMs: options.refreshIntervalMs ?? 300_000,
          minDelayMs: 1000,
        },
        reconnectBaseDelayMs: options.reconnectBaseDelayMs ?? 250,
        reconnectMaxDelayMs: options.reconnectMaxDelayMs ?? 10_000,
        maxReconnectAttempts: options.maxReconnectAttempts ?? 20,
        helloTimeoutMs: options.helloTimeoutMs ?? 15_000,
        pingIntervalMs: options.pingIntervalMs ?? 25_000,
        pongTimeoutMs: options.pongTimeoutMs ?? 10_000,
      },
      { event: (event) => this.#onEvent(event), status: (status, error) => this.#onStatus(status, error) },
    );
  }

  /**
   * Connects a session; use `client.connect(notebookId)` instead.
   * @internal
   */
  static async open(
    context: SessionContext,
    notebookId: string,
    options: ConnectOptions = {},
  ): Promise<NotebookSession> {
    options.signal?.throwIfAborted();
    const WebSocket = await resolveWebSocket(options.WebSocket);
    const session = new NotebookSession(context, notebookId, WebSocket, options);
    await session.#connection.open(options.signal);
    // After hello, the connect signal still closes the session.
    const { signal } = options;
    if (signal) {
      const onAbort = () => session.close();
      signal.addEventListener("abort", onAbort, { once: true });
      session.onStatus((status) => {
        if (status === "closed") signal.removeEventListener("abort", onAbort);
      });
    }
    return session;
  }

  /**
   * The notebook as of the last event: cells in display order, with status, streamed output and results.
   *
   * @example
   * ```ts
   * for (const cell of session.notebook.cells) console.log(cell.code, cell.status, cell.outputs);
   * ```
   */
  get notebook(): Notebook {
    if (!this.#notebook) throw new Error("The session has no notebook before hello.");
    return this.#notebook;
  }

  /**
   * A cell of the live notebook, or undefined when there is no such cell.
   *
   * @example
   * ```ts
   * const z = session.cell(zId);
   * console.log(z?.status, z?.outputs[0]?.data); // "success" "30"
   * ```
   */
  cell(cellId: string): Cell | undefined {
    return this.#notebook?.cells.find((cell) => cell.id === cellId);
  }

  /**
   * Where the session is: `connecting`, `open`, `reconnecting` (after a drop; it resyncs on its own) or `closed`.
   *
   * @example
   * ```ts
   * if (session.status !== "open") console.log("events may be delayed until the socket is back");
   * ```
   */
  get status(): ConnectionStatus {
    return this.#connection.status;
  }

  /**
   * Why the session closed, when it closed by itself (ForbiddenError, NotFoundError, UnauthorizedError, ConnectionError).
   *
   * @example
   * ```ts
   * if (session.status === "closed" && session.error instanceof NotFoundError) console.log("the notebook was deleted");
   * ```
   */
  get error(): unknown {
    return this.#error;
  }

  /**
   * Calls `listener` with every event of `type` (or every event, for `"*"`), after `session.notebook`
   * reflects it; a second `hello` means the state was just resynced after a reconnect.
   * Returns the function that unsubscribes.
   *
   * @example
   * ```ts
   * const off = session.on("cell_stdout", (event) => process.stdout.write(event.text));
   * session.on("*", (event) => console.log(event.type));
   * off(); // unsubscribes
   * ```
   */
  on<T extends ServerEventType>(type: T, listener: (event: EventOf<T>) => void): () => void;
  on(type: "*", listener: (event: ServerEvent) => void): () => void;
  on(type: string, listener: Listener): () => void {
    let listeners = this.#listeners.get(type);
    if (!listeners) {
      listeners = new Set();
      this.#listeners.set(type, listeners);
    }
    // A Set would merge the same function subscribed twice; a wrapper keeps each subscription distinct.
    const subscription: Listener = (event) => listener(event);
    listeners.add(subscription);
    return () => {
      listeners.delete(subscription);
    };
  }

  /**
   * Calls `listener` on every status change (`reconnecting`, `open`, `closed` with the error if any).
   *
   * @example
   * ```ts
   * session.onStatus((status, error) => {
   *   if (status === "reconnecting") showBanner("Reconnecting…");
   *   if (status === "closed" && error) showBanner(`Disconnected: ${error}`);
   * });
   * ```
   */
  onStatus(listener: (status: ConnectionStatus, error?: unknown) => void): () => void {
    const subscription = (status: ConnectionStatus, error?: unknown) => listener(status, error);
    this.#statusListeners.add(subscription);
    return () => {
      this.#statusListeners.delete(subscription);
    };
  }

  /**
   * Every event from now on, as an async iterator; ends on `signal`, `break`, or `close()`.
   *
   * @example
   * ```ts
   * for await (const event of session.events({ signal: AbortSignal.timeout(60_000) })) {
   *   if (event.type === "cell_error") console.log(event.error.name, event.error.message);
   *   if (event.type === "run_finished") break;
   * }
   * ```
   */
  events(options: { signal?: AbortSignal } = {}): AsyncIterableIterator<ServerEvent> {
    return eventStream(
      {
        subscribe: (listener) => this.on("*", listener),
        onClose: (listener) => {
          if (this.status === "closed") {
            queueMicrotask(() => listener(this.#error));
            return () => {};
          }
          return this.onStatus((status, error) => {
            if (status === "closed") listener(error);
          });
        },
      },
      options.signal,
    );
  }

  /**
   * Runs a cell (its stale ancestors first, its descendants after) and resolves when that run has settled.
   *
   * @example
   * ```ts
   * const { cells } = await session.run(xId, { signal: AbortSignal.timeout(120_000) });
   * for (const cell of cells) console.log(cell.code, cell.status); // x, then its readers y and z
   * ```
   */
  async run(cellId: string, options: RunOptions = {}): Promise<RunResult> {
    this.#assertOpen();
    const drops = this.#drops;
    const { runId } = await this.#client.cells.run(this.notebookId, cellId, { signal: options.signal });
    return this.#wait(runId, [cellId], drops, options.signal);
  }

  /**
   * Runs every cell in topological order and resolves when that run has settled.
   *
   * @example
   * ```ts
   * const { cells, ms } = await session.runAll();
   * const failed = cells.filter((cell) => cell.status === "error" || cell.status === "blocked");
   * ```
   */
  async runAll(options: RunOptions = {}): Promise<RunResult> {
    this.#assertOpen();
    const drops = this.#drops;
    const targets = this.notebook.cells.map((cell) => cell.id);
    const { runId } = await this.#client.notebooks.run(this.notebookId, { signal: options.signal });
    return this.#wait(runId, targets, drops, options.signal);
  }

  /**
   * Sets a control of a cell (`controlId` is the control output's `data.id`) and resolves when the run it
   * starts has settled: the value is set in the kernel without re-running the cell, then the cells that read
   * the cell re-run. The control's output in `session.notebook` shows the new value once the service has it.
   *
   * @example
   * ```ts
   * // cell slider: n = rn.ui.slider(1, 10)      cell doubled: n.value * 2
   * const { cells } = await session.setControl(sliderId, "0", 7);
   * console.log(session.cell(doubledId)?.outputs[0]?.data); // "14"
   * ```
   */
  async setControl(
    cellId: string,
    controlId: string,
    value: ControlValue,
    options: RunOptions = {},
  ): Promise<RunResult> {
    this.#assertOpen();
    const drops = this.#drops;
    const { runId } = await this.#client.cells.setControl(this.notebookId, cellId, controlId, value, {
      signal: options.signal,
    });
    return this.#wait(runId, [cellId], drops, options.signal);
  }

  /**
   * Replaces a cell's code, runs it, and resolves when the run (the cell and its descendants) has settled.
   *
   * @example
   * ```ts
   * const { cells } = await session.updateAndRun(xId, "x = 20");
   * console.log(session.cell(zId)?.outputs[0]?.data); // "50"
   * ```
   */
  async updateAndRun(cellId: string, code: string, options: RunOptions = {}): Promise<RunResult> {
    this.#assertOpen();
    await this.#client.cells.update(this.notebookId, cellId, { code }, { signal: options.signal });
    return this.run(cellId, options);
  }

  /**
   * Interrupts the cell that is executing; queued cells of its run do not run.
   *
   * @example
   * ```ts
   * const running = session.run(slowCellId);
   * await session.interrupt();
   * const { cells } = await running; // the interrupted cell ends with an error, its queued readers do not run
   * ```
   */
  async interrupt(options: RunOptions = {}): Promise<void> {
    this.#assertOpen();
    await this.#client.notebooks.interrupt(this.notebookId, { signal: options.signal });
  }

  /**
   * Closes the socket for good; pending runs reject, iterators end.
   *
   * @example
   * ```ts
   * session.close();
   * session.status; // "closed"
   * ```
   */
  close(): void {
    this.#connection.close();
  }

  #wait(
    runId: string,
    targets: string[],
    dropsBefore: number,
    signal: AbortSignal | undefined,
  ): Promise<RunResult> {
    const mayHaveMissed = this.#drops !== dropsBefore || this.status !== "open";
    return this.#runs.wait(runId, targets, () => this.notebook, mayHaveMissed, signal);
  }

  #assertOpen(): void {
    if (this.status !== "closed") return;
    throw this.#error ?? new ConnectionError("The notebook session is closed.");
  }

  #onEvent(event: ServerEvent): void {
    if (event.type === "hello") this.#notebook = event.notebook;
    else if (this.#notebook) this.#notebook = applyEvent(this.#notebook, event);
    else return;
    this.#runs.observe(event, this.#notebook);
    for (const key of [event.type, "*"]) {
      for (const listener of this.#listeners.get(key) ?? []) this.#call(() => listener(event));
    }
  }

  /** Calls one listener; what it throws goes to `onListenerError`, never into the socket's handler. */
  #call(deliver: () => void): void {
    try {
      deliver();
    } catch (error) {
      try {
        this.#onListenerError(error);
      } catch {
        // An error handler that throws as well has nowhere left to report to.
      }
    }
  }

  #onStatus(status: ConnectionStatus, error?: unknown): void {
    if (status === "reconnecting") {
      this.#drops += 1;
      this.#runs.lost();
    }
    if (status === "closed") {
      this.#error = error;
      this.#runs.failAll(error ?? new ConnectionError("The notebook session was closed."));
    }
    for (const listener of this.#statusListeners) this.#call(() => listener(status, error));
  }
}

/**
 * The default `onListenerError`. Not `reportError`: where it exists outside browsers (Deno) an unhandled
 * report ends the process, which is the very propagation this guards against.
 */
function reportListenerError(error: unknown): void {
  console.error("A NotebookSession listener threw:", error);
}

/** `http(s)://host/base` → `ws(s)://host/base/api/v1/notebooks/:id/ws`. */
function socketUrl(baseUrl: string, notebookId: string): string {
  // A page may give a base URL relative to itself; "/" (trimmed to "") means the page's own origin.
  const url = new URL(baseUrl || "/", (globalThis as { location?: { href: string } }).location?.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  const base = url.pathname.replace(/\/+$/, "");
  url.pathname = `${base}/api/v1/notebooks/${encodeURIComponent(notebookId)}/ws`;
  return url.toString();
}

function noToken(): never {
  throw new UnauthorizedError({
    status: 401,
    code: "unauthorized",
    message: "The client has no getToken, so the notebook WebSocket cannot authenticate.",
  });
}
