/**
 * One notebook's WebSocket, kept authenticated and open: the `auth` handshake up to `hello`, token refresh
 * before expiry, keepalive pings (so idle proxies keep the socket, and a connection that went silent is
 * noticed), and reconnection with exponential backoff and jitter after an unexpected close. It knows
 * nothing of notebook state: every event (each new `hello` included) goes to its listener.
 */
import type { ClientFrame, ServerEvent, WsCloseCode } from "@reactive-notebook/protocol";
import {
  ApiError,
  type ApiErrorInit,
  ConnectionError,
  ForbiddenError,
  NotFoundError,
  UnauthorizedError,
} from "../errors.js";
import type { TokenProvider } from "../request.js";
import { backoffDelay, sleep } from "./backoff.js";
import { type RefreshPolicy, refreshDelay } from "./token-refresh.js";
import { OPEN, type WebSocketConstructor, type WebSocketLike } from "./websocket.js";

/** The contract's close codes (API.md), kept here as numbers so the browser bundle needs no protocol code. */
const CLOSE = {
  unauthorized: 4401,
  forbidden: 4403,
  notFound: 4404,
} as const satisfies Record<keyof typeof WsCloseCode, WsCloseCode>;

/** Where a connection is in its life; `closed` is final. */
export type ConnectionStatus = "connecting" | "open" | "reconnecting" | "closed";

/** How a connection is set up. */
export interface ConnectionConfig {
  /** The `ws(s)://…/api/v1/notebooks/:id/ws` URL. */
  url: string;
  getToken: TokenProvider;
  WebSocket: WebSocketConstructor;
  refresh: RefreshPolicy;
  reconnectBaseDelayMs: number;
  reconnectMaxDelayMs: number;
  /** Failed attempts in a row after which a lost connection is given up (ConnectionError). */
  maxReconnectAttempts: number;
  /** How long an attempt may take from opening the socket to `hello`. */
  helloTimeoutMs: number;
  /** Send a `ping` frame this often while open (0 disables keepalive). */
  pingIntervalMs: number;
  /** A socket that receives nothing for this long after a ping is taken for dead and replaced. */
  pongTimeoutMs: number;
}

/** What a connection reports to. */
export interface ConnectionListener {
  event(event: ServerEvent): void;
  status(status: ConnectionStatus, error?: unknown): void;
}

/** A socket that closed before `hello`: the server's close code says why. */
class ClosedBeforeHello extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(`The notebook WebSocket closed before hello (code ${code}${reason ? `: ${reason}` : ""}).`);
  }
}

/** Opens, authenticates, refreshes and reconnects one notebook WebSocket. */
export class NotebookConnection {
  #status: ConnectionStatus = "connecting";
  #socket: WebSocketLike | undefined;
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  #pingTimer: ReturnType<typeof setTimeout> | undefined;
  #pongTimer: ReturnType<typeof setTimeout> | undefined;
  /** Aborted by close() or a final failure; cuts every wait short. */
  readonly #stop = new AbortController();

  constructor(
    private readonly config: ConnectionConfig,
    private readonly listener: ConnectionListener,
  ) {}

  get status(): ConnectionStatus {
    return this.#status;
  }

  /** Connects; resolves once the first `hello` was delivered, rejects with a typed error otherwise. */
  async open(signal?: AbortSignal): Promise<void> {
    const onAbort = () => this.close(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      signal?.throwIfAborted();
      await this.#connect(false);
    } catch (error) {
      this.#fail(error);
      throw error;
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
  }

  /** Sends a frame if the socket is open and authenticated; answers whether it was sent. */
  send(frame: ClientFrame): boolean {
    const socket = this.#socket;
    if (this.#status !== "open" || !socket || socket.readyState !== OPEN) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  /** Closes for good (code 1000); no reconnect follows. */
  close(reason: unknown = new Error("The session was closed.")): void {
    if (this.#status === "closed") return;
    this.#stop.abort(reason);
    this.#clearTimers();
    this.#socket?.close(1000, "closed by the client");
    this.#socket = undefined;
    this.#setStatus("closed");
  }

  /** Attempts until one reaches `hello`: a 4401 is retried at once with a new token (once), 4403/4404 end it. */
  async #connect(reconnecting: boolean): Promise<void> {
    let retriedUnauthorized = false;
    for (let attempt = 0; ; ) {
      let failure: unknown;
      try {
        await this.#attempt();
        return;
      } catch (error) {
        failure = error;
      }
      if (this.#stop.signal.aborted) throw this.#stop.signal.reason;
      if (
        failure instanceof ClosedBeforeHello &&
        failure.code === CLOSE.unauthorized &&
        !retriedUnauthorized
      ) {
        retriedUnauthorized = true;
        continue;
      }
      const final = finalError(failure);
      if (final) throw final;
      if (!reconnecting) throw asConnectionError(failure, this.config.url);
      if (attempt >= this.config.maxReconnectAttempts) {
        throw new ConnectionError(
          `Lost the notebook WebSocket and gave up after ${attempt} reconnect attempts.`,
          failure,
        );
      }
      await sleep(
        backoffDelay(attempt++, this.config.reconnectBaseDelayMs, this.config.reconnectMaxDelayMs),
        this.#stop.signal,
      );
    }
  }

  /** One socket: opens it, sends `auth`, and resolves at `hello`; later events and the close are handled here too. */
  async #attempt(): Promise<void> {
    const token = await this.#token();
    this.#stop.signal.throwIfAborted();
    await new Promise<void>((resolve, reject) => {
      const socket = new this.config.WebSocket(this.config.url);
      this.#socket = socket;
      let greeted = false;
      const helloTimer = setTimeout(() => {
        if (this.#socket === socket) this.#socket = undefined;
        socket.close(1000, "no hello in time");
        reject(new ClosedBeforeHello(0, `no hello within ${this.config.helloTimeoutMs} ms`));
      }, this.config.helloTimeoutMs);
      socket.onopen = () => socket.send(JSON.stringify({ type: "auth", token } satisfies ClientFrame));
      socket.onmessage = (message: { data: unknown }) => {
        if (this.#socket !== socket) return;
        // Any frame at all shows the connection is alive.
        clearTimeout(this.#pongTimer);
        this.#pongTimer = undefined;
        const event = parseEvent(message.data);
        if (!event) return;
        if (greeted) {
          this.listener.event(event);
          return;
        }
        // Before hello only an error frame can come, and the close code that follows says more.
        if (event.type !== "hello") return;
        greeted = true;
        clearTimeout(helloTimer);
        this.#setStatus("open");
        this.#planRefresh(token);
        this.#planPing(socket);
        this.listener.event(event);
        resolve();
      };
      socket.onerror = () => {
        // A close event always follows, with the code that matters.
      };
      socket.onclose = (event: { code: number; reason: string }) => {
        clearTimeout(helloTimer);
        if (this.#socket === socket) this.#socket = undefined;
        if (!greeted) reject(new ClosedBeforeHello(event.code, event.reason));
        else this.#lost(event.code, event.reason);
      };
    });
  }

  /** An open socket closed without close(): end on 4403/4404, otherwise reconnect (at once after a 4401). */
  #lost(code: number, reason: string): void {
    this.#clearTimers();
    if (this.#stop.signal.aborted) return;
    const final = finalError(new ClosedBeforeHello(code, reason));
    if (final && code !== CLOSE.unauthorized) {
      this.#fail(final);
      return;
    }
    this.#setStatus("reconnecting");
    const pause =
      code === CLOSE.unauthorized
        ? Promise.resolve()
        : sleep(
            backoffDelay(0, this.config.reconnectBaseDelayMs, this.config.reconnectMaxDelayMs),
            this.#stop.signal,
          );
    pause.then(() => this.#connect(true)).catch((error: unknown) => this.#fail(error));
  }

  /** Pings `socket` after the interval; if nothing at all comes back within `pongTimeoutMs`, drops it. */
  #planPing(socket: WebSocketLike): void {
    const { pingIntervalMs, pongTimeoutMs } = this.config;
    if (pingIntervalMs <= 0) return;
    clearTimeout(this.#pingTimer);
    this.#pingTimer = setTimeout(() => {
      if (this.#socket !== socket || socket.readyState !== OPEN) return;
      socket.send(JSON.stringify({ type: "ping" } satisfies ClientFrame));
      // Counted from the first unanswered ping: later pings do not push the deadline back.
      this.#pongTimer ??= setTimeout(() => this.#abandon(socket), pongTimeoutMs);
      this.#planPing(socket);
    }, pingIntervalMs);
  }

  /**
   * A socket that stopped answering (a dead network path, a proxy that silently dropped it): a close
   * handshake would wait on it for long, so it is detached and closed, and the connection reconnects now.
   */
  #abandon(socket: WebSocketLike): void {
    if (this.#socket !== socket) return;
    this.#socket = undefined;
    const ignore = () => {};
    // No-op handlers rather than null: `ws` must keep an error listener, or a late error would be thrown.
    socket.onmessage = ignore;
    socket.onclose = ignore;
    socket.onerror = ignore;
    socket.close(4000, "no answer to ping");
    this.#lost(1006, `no answer to a ping within ${this.config.pongTimeoutMs} ms`);
  }

  #clearTimers(): void {
    clearTimeout(this.#refreshTimer);
    clearTimeout(this.#pingTimer);
    clearTimeout(this.#pongTimer);
    this.#pongTimer = undefined;
  }

  #planRefresh(token: string): void {
    clearTimeout(this.#refreshTimer);
    this.#refreshTimer = setTimeout(() => void this.#refresh(), refreshDelay(token, this.config.refresh));
  }

  /** Sends a new `auth` frame on the open socket; a failing token provider is asked again a little later. */
  async #refresh(): Promise<void> {
    const socket = this.#socket;
    if (!socket) return;
    let token: string;
    try {
      token = await this.#token();
    } catch {
      if (this.#socket === socket) {
        this.#refreshTimer = setTimeout(() => void this.#refresh(), this.config.refresh.minDelayMs);
      }
      return;
    }
    if (this.#socket !== socket || socket.readyState !== OPEN) return;
    socket.send(JSON.stringify({ type: "auth", token } satisfies ClientFrame));
    this.#planRefresh(token);
  }

  async #token(): Promise<string> {
    const token = await this.config.getToken();
    if (!token) {
      throw new UnauthorizedError({
        status: 401,
        code: "unauthorized",
        message: "The token provider returned no token, so the notebook WebSocket cannot authenticate.",
      });
    }
    return token;
  }

  #fail(error: unknown): void {
    if (this.#status === "closed") return;
    this.#stop.abort(error);
    this.#clearTimers();
    this.#socket?.close(1000, "closed by the client");
    this.#socket = undefined;
    this.#setStatus("closed", error);
  }

  #setStatus(status: ConnectionStatus, error?: unknown): void {
    if (this.#status === status) return;
    this.#status = status;
    this.listener.status(status, error);
  }
}

function parseEvent(data: unknown): ServerEvent | undefined {
  try {
    const event: unknown = JSON.parse(String(data));
    return typeof event === "object" &&
      event !== null &&
      typeof (event as { type?: unknown }).type === "string"
      ? (event as ServerEvent)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The typed error that ends a session, or undefined when the failure is worth another attempt. */
function finalError(failure: unknown): ApiError | Error | undefined {
  if (failure instanceof ClosedBeforeHello) {
    const init = (status: number, code: string): ApiErrorInit => ({
      status,
      code,
      message: failure.reason || failure.message,
    });
    if (failure.code === CLOSE.unauthorized) return new UnauthorizedError(init(401, "unauthorized"));
    if (failure.code === CLOSE.forbidden) return new ForbiddenError(init(403, "forbidden"));
    if (failure.code === CLOSE.notFound) return new NotFoundError(init(404, "not_found"));
    return undefined;
  }
  // A token provider that could not reach its issuer may do better next time; any other refusal is final.
  if (failure instanceof ConnectionError) return undefined;
  if (failure instanceof ApiError && (failure.status === 429 || failure.status >= 500)) return undefined;
  return failure instanceof Error ? failure : new Error(String(failure));
}

function asConnectionError(failure: unknown, url: string): ApiError {
  if (failure instanceof ApiError) return failure;
  const why = failure instanceof Error ? failure.message : String(failure);
  return new ConnectionError(`Could not open the notebook WebSocket at ${url}: ${why}`, failure);
}
