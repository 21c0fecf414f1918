// One client's WebSocket on one notebook: the auth handshake (first frame, deadline, ownership), token
// refresh and expiry, client frames, keepalive, and bounded delivery of events.
import {
  type ClientFrame,
  type ErrorCode,
  type Notebook,
  parseClientFrame,
  type ServerEvent,
  WsCloseCode,
} from "@reactive-notebook/protocol";
import type { FastifyBaseLogger } from "fastify";
import type { WebSocket } from "ws";
import type { VerifiedToken } from "../auth/index.js";
import type { Subscriber } from "./hub.js";

/** Close codes beyond the contract's 4401/4403/4404. */
export const CloseCode = {
  ...WsCloseCode,
  /** The client did not read its events fast enough (standard "try again later"). */
  tooSlow: 1013,
  /** The server failed while setting up the connection. */
  internalError: 1011,
} as const;

/** The notebook a socket may see, looked up through the store. */
export interface NotebookAccess {
  /** The owner's user id, or null when the notebook does not exist. */
  ownerOf(notebookId: string): Promise<string | null>;
  getNotebook(notebookId: string): Promise<Notebook | null>;
}

/** Runs cells for client frames; the server's notebook runtime. */
export interface NotebookRunner {
  runCell(notebookId: string, cellId: string): Promise<unknown>;
  runAll(notebookId: string): Promise<unknown>;
  interrupt(notebookId: string): Promise<unknown>;
}

/** What a connection needs from the server around it. */
export interface ConnectionContext {
  verifyToken(token: string): Promise<VerifiedToken>;
  access(): NotebookAccess;
  runner(): NotebookRunner | undefined;
  /** Joins the notebook's hub (subscribing across instances); resolves once events flow. */
  join(notebookId: string, subscriber: Subscriber): Promise<void>;
  leave(notebookId: string, subscriber: Subscriber): void;
  authTimeoutMs: number;
  maxBufferedBytes: number;
  log: FastifyBaseLogger;
}

type State = "awaiting_auth" | "joining" | "open" | "closed";

/** Longest timer Node accepts; later expiries are re-armed when they fire. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class NotebookConnection implements Subscriber {
  #state: State = "awaiting_auth";
  #userId: string | null = null;
  #revision = 0;
  /** Events delivered while the hello is being prepared; flushed right after it. */
  #backlog: [string, number][] = [];
  /** Frames are handled one at a time, in arrival order (auth verification is async). */
  #queue: Promise<void> = Promise.resolve();
  #authTimer: NodeJS.Timeout | undefined;
  #expiryTimer: NodeJS.Timeout | undefined;
  /** Set by each keepalive ping, cleared by the pong; a socket still waiting at the next ping is dead. */
  #awaitingPong = false;

  constructor(
    private readonly socket: WebSocket,
    readonly notebookId: string,
    private readonly context: ConnectionContext,
  ) {
    this.#authTimer = setTimeout(
      () => this.close(CloseCode.unauthorized, "no auth frame in time"),
      context.authTimeoutMs,
    );
    socket.on("message", (data, isBinary) => {
      const text = isBinary ? "" : String(data);
      this.#queue = this.#queue.then(() => this.#handle(text)).catch((error: unknown) => this.#fail(error));
    });
    socket.on("pong", () => {
      this.#awaitingPong = false;
    });
    socket.on("close", () => this.#closed());
    socket.on("error", (error) => context.log.debug({ err: error }, "websocket error"));
  }

  get userId(): string | null {
    return this.#userId;
  }

  /** Keepalive tick: ping, or terminate when the last ping went unanswered. */
  keepalive(): void {
    if (this.#state === "closed") return;
    if (this.#awaitingPong) {
      this.socket.terminate();
      return;
    }
    this.#awaitingPong = true;
    this.socket.ping();
  }

  deliver(data: string, revision: number): void {
    if (this.#state === "joining") {
      this.#backlog.push([data, revision]);
      return;
    }
    if (this.#state !== "open") return;
    this.#revision = Math.max(this.#revision, revision);
    this.#send(data);
  }

  close(code: number, reason: string): void {
    if (this.#state === "closed") return;
    this.#closed();
    this.socket.close(code, reason);
    // A client that reads nothing would never complete the closing handshake: do not wait for it long.
    setTimeout(() => this.socket.terminate(), 1000).unref();
  }

  #send(data: string): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount + data.length > this.context.maxBufferedBytes) {
      this.context.log.info({ notebookId: this.notebookId }, "closing a websocket that reads too slowly");
      this.close(CloseCode.tooSlow, "too slow: events were not read in time");
      return;
    }
    this.socket.send(data);
  }

  #sendEvent(event: ServerEvent): void {
    this.#send(JSON.stringify(event));
  }

  #sendError(code: ErrorCode, message: string, details?: Record<string, unknown>): void {
    const known = this.#state === "open";
    this.#sendEvent({
      type: "error",
      ...(known ? { notebookId: this.notebookId, revision: this.#revision } : {}),
      code,
      message,
      ...(details ? { details } : {}),
    });
  }

  async #handle(text: string): Promise<void> {
    if (this.#state === "closed") return;
    const parsed = parseClientFrame(text);
    if (!parsed.ok) {
      this.#sendError(parsed.error.code, parsed.error.message, parsed.error.details);
      return;
    }
    const frame = parsed.frame;
    if (frame.type === "auth") {
      await this.#authenticate(frame.token);
      return;
    }
    if (this.#state !== "open") {
      this.#sendError("unauthorized", "Send an auth frame first.");
      return;
    }
    await this.#command(frame);
  }

  async #authenticate(token: string): Promise<void> {
    let verified: VerifiedToken;
    try {
      verified = await this.context.verifyToken(token);
    } catch (error) {
      if ((error as { status?: number }).status !== 401) throw error;
      this.close(CloseCode.unauthorized, (error as Error).message.slice(0, 120));
      return;
    }
    if (this.#userId !== null) {
      // A refresh: same user only; then the new expiry holds.
      if (verified.userId !== this.#userId) {
        this.close(CloseCode.forbidden, "a refreshed token must belong to the same user");
        return;
      }
      this.#armExpiry(verified.expiresAt);
      return;
    }
    const owner = await this.context.access().ownerOf(this.notebookId);
    if (this.#state === "closed") return;
    if (owner === null) return this.close(CloseCode.notFound, "no such notebook");
    if (owner !== verified.userId)
      return this.close(CloseCode.forbidden, "the notebook belongs to another user");
    clearTimeout(this.#authTimer);
    this.#userId = verified.userId;
    this.#armExpiry(verified.expiresAt);
    this.#state = "joining";
    await this.context.join(this.notebookId, this);
    const notebook = await this.context.access().getNotebook(this.notebookId);
    if (this.#state !== "joining") return;
    if (!notebook) return this.close(CloseCode.notFound, "no such notebook");
    // The store's record may carry more (its owner); the hello sends the Notebook resource only.
    const { ownerId: _owner, ...resource } = notebook as Notebook & { ownerId?: string };
    this.#revision = resource.revision;
    this.#state = "open";
    this.#sendEvent({
      type: "hello",
      notebookId: this.notebookId,
      revision: resource.revision,
      notebook: resource,
    });
    const backlog = this.#backlog;
    this.#backlog = [];
    for (const [data, revision] of backlog) this.deliver(data, revision);
  }

  #armExpiry(expiresAt: Date): void {
    clearTimeout(this.#expiryTimer);
    const wait = expiresAt.getTime() - Date.now();
    if (wait <= 0) {
      this.close(CloseCode.unauthorized, "token expired");
      return;
    }
    this.#expiryTimer = setTimeout(
      () => {
        if (expiresAt.getTime() > Date.now()) this.#armExpiry(expiresAt);
        else this.close(CloseCode.unauthorized, "token expired");
      },
      Math.min(wait, MAX_TIMER_MS),
    );
  }

  async #command(frame: Exclude<ClientFrame, { type: "auth" }>): Promise<void> {
    if (frame.type === "ping") {
      this.#sendEvent({ type: "pong", notebookId: this.notebookId, revision: this.#revision });
      return;
    }
    const runner = this.context.runner();
    if (!runner) {
      this.#sendError("kernel_unavailable", "This server runs no kernels.");
      return;
    }
    try {
      if (frame.type === "run_cell") await runner.runCell(this.notebookId, frame.cellId);
      else if (frame.type === "run_all") await runner.runAll(this.notebookId);
      else await runner.interrupt(this.notebookId);
    } catch (error) {
      const apiError = error as { status?: number; code?: unknown; message?: string };
      if (typeof apiError.status === "number" && typeof apiError.code === "string") {
        this.#sendError(apiError.code as ErrorCode, apiError.message ?? "Refused.");
        return;
      }
      this.context.log.warn({ err: error, notebookId: this.notebookId }, `websocket ${frame.type} failed`);
      this.#sendError(
        "kernel_unavailable",
        `Could not ${frame.type.replace("_", " ")}: the kernel is unavailable.`,
      );
    }
  }

  #fail(error: unknown): void {
    this.context.log.error({ err: error, notebookId: this.notebookId }, "websocket connection failed");
    this.close(CloseCode.internalError, "internal error");
  }

  #closed(): void {
    if (this.#state === "closed") return;
    const joined = this.#state === "open" || this.#state === "joining";
    this.#state = "closed";
    clearTimeout(this.#authTimer);
    clearTimeout(this.#expiryTimer);
    this.#backlog = [];
    if (joined) this.context.leave(this.notebookId, this);
  }
}
