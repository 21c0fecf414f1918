// One client's WebSocket on one notebook, as a transport: the auth handshake (first frame, deadline), token
// refresh and expiry, client frames (rate-limited), keepalive, and bounded delivery of events. What a frame
// means — ownership, runs — is the notebooks service's business, reached through the context.
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

/** A frame that asks for something to be done to the notebook. */
export type CommandFrame = Exclude<ClientFrame, { type: "auth" } | { type: "ping" }>;

/** An error as a socket reports it: the API's code and sentence (and details, e.g. when to retry). */
export interface FrameError {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
  /** The HTTP status the same error has over REST (403, 404...). */
  status: number;
}

/** What a connection needs from the server around it. Everything about notebooks goes through `open`/`command`. */
export interface ConnectionContext {
  verifyToken(token: string): Promise<VerifiedToken>;
  /** The notebook as its `hello` shows it; rejects (403, 404) unless `userId` owns it. */
  open(userId: string, notebookId: string): Promise<Notebook>;
  /** Carries out a command frame on behalf of `userId`. */
  command(userId: string, notebookId: string, frame: CommandFrame): Promise<void>;
  /** Null when another frame of this user fits the rate limit, else the refusal (shared with HTTP). */
  admit(userId: string): Promise<FrameError | null>;
  /** The error a failed open or command reports, or null for an unexpected failure (logged, hidden). */
  describe(error: unknown): FrameError | null;
  /** Joins the notebook's hub (subscribing across instances); resolves once events flow. */
  join(notebookId: string, connection: NotebookConnection): Promise<void>;
  leave(notebookId: string, connection: NotebookConnection): void;
  /** The socket authenticated (it no longer counts as an anonymous socket of its address). */
  authenticated(): void;
  authTimeoutMs: number;
  maxBufferedBytes: number;
  log: FastifyBaseLogger;
}

/** Frames an unauthenticated socket may send before it is closed: the auth frame and a few mistakes. */
const MAX_FRAMES_BEFORE_AUTH = 8;

type State = "awaiting_auth" | "joining" | "open" | "closed";

/** Longest timer Node accepts; later expiries are re-armed when they fire. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class NotebookConnection implements Subscriber {
  #state: State = "awaiting_auth";
  #framesBeforeAuth = 0;
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
    if (this.#userId === null && ++this.#framesBeforeAuth > MAX_FRAMES_BEFORE_AUTH) {
      this.close(CloseCode.unauthorized, "too many frames before authenticating");
      return;
    }
    if (frame.type === "auth") {
      await this.#authenticate(frame.token);
      return;
    }
    if (this.#state !== "open" || this.#userId === null) {
      this.#sendError("unauthorized", "Send an auth frame first.");
      return;
    }
    const refused = await this.context.admit(this.#userId);
    if (refused) {
      this.#sendError(refused.code, refused.message, refused.details);
      return;
    }
    await this.#command(this.#userId, frame);
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
    // Ownership first, before joining: a socket of someone else's notebook never receives one event.
    try {
      await this.context.open(verified.userId, this.notebookId);
    } catch (error) {
      return this.#refuse(error);
    }
    if (this.#state === "closed") return;
    clearTimeout(this.#authTimer);
    this.#userId = verified.userId;
    this.context.authenticated();
    this.#armExpiry(verified.expiresAt);
    this.#state = "joining";
    await this.context.join(this.notebookId, this);
    // Read after joining, so no event falls between the snapshot and the stream (later ones are backlogged).
    let resource: Notebook;
    try {
      resource = await this.context.open(verified.userId, this.notebookId);
    } catch (error) {
      return this.#refuse(error);
    }
    if (this.#state !== "joining") return;
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

  async #command(userId: string, frame: Exclude<ClientFrame, { type: "auth" }>): Promise<void> {
    if (frame.type === "ping") {
      this.#sendEvent({ type: "pong", notebookId: this.notebookId, revision: this.#revision });
      return;
    }
    try {
      await this.context.command(userId, this.notebookId, frame);
    } catch (error) {
      const described = this.context.describe(error);
      if (described) {
        this.#sendError(described.code, described.message, described.details);
        return;
      }
      this.context.log.error({ err: error, notebookId: this.notebookId }, `websocket ${frame.type} failed`);
      this.#sendError(
        "kernel_unavailable",
        `Could not ${frame.type.replace("_", " ")}: something failed on our side.`,
      );
    }
  }

  /** Closes a socket whose notebook the user may not see (4403), that does not exist (4404), or that failed. */
  #refuse(error: unknown): void {
    const described = this.context.describe(error);
    if (described?.status === 403) this.close(CloseCode.forbidden, "the notebook belongs to another user");
    else if (described?.status === 404) this.close(CloseCode.notFound, "no such notebook");
    else this.#fail(error);
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
