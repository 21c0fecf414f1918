/**
 * The one request core every resource goes through (after stripe-node's RequestSender):
 * JSON in and out, a fresh bearer token per attempt, a timeout, an AbortSignal, retries
 * with exponential backoff and full jitter, and errors whose stack points at the caller.
 */
import { ApiError, ConnectionError, errorFromResponse } from "./errors.js";

/** Returns the bearer token to send; called before every attempt so rotated tokens are picked up. */
export type TokenProvider = () => string | null | undefined | Promise<string | null | undefined>;

/** The per-call options every client method takes as its last argument. */
export interface RequestOptions {
  /** Aborts the call (including any retry wait); the call rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Overrides the client's per-attempt timeout. */
  timeoutMs?: number;
  /** Overrides the client's retry budget (0 = a single attempt). */
  maxRetries?: number;
  /** The `Idempotency-Key` to send; POSTs get a random one when omitted, reused across retries. */
  idempotencyKey?: string;
}

/** How the request core is set up; filled in from the client's options. */
export interface RequestSenderConfig {
  baseUrl: string;
  getToken: TokenProvider | undefined;
  fetch: typeof globalThis.fetch;
  timeoutMs: number;
  maxRetries: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
}

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** One call of the API, before options. */
export interface ApiRequest {
  method: HttpMethod;
  /** Path below the base URL, starting with `/`, already encoded. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** Whether to send the bearer token; true unless the route is public (`/health`, `/dev/token`). */
  auth?: boolean;
}

/** Statuses that mean "try again later" rather than "this request is wrong". */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
/** Methods a server must treat as idempotent, so a retry cannot do the work twice. */
const IDEMPOTENT_METHODS = new Set<HttpMethod>(["GET", "PUT", "DELETE"]);
/** A Retry-After longer than this is not waited for: the error is thrown instead. */
const MAX_RETRY_AFTER_SECONDS = 60;

/** Why an attempt's fetch was aborted by the core itself. */
class TimeoutSignal extends Error {}

/** Sends API requests; resources hold one and never call `fetch` themselves. */
export class RequestSender {
  readonly config: Readonly<RequestSenderConfig>;

  constructor(config: RequestSenderConfig) {
    this.config = { ...config, baseUrl: config.baseUrl.replace(/\/+$/, "") };
  }

  /** Sends `request` and resolves with the parsed JSON body (undefined for an empty body). */
  async send<T>(request: ApiRequest, options: RequestOptions = {}): Promise<T> {
    // Captured synchronously, before the first await, so it still holds the caller's frames.
    const callerStack = new Error().stack;
    try {
      return (await this.sendWithRetries(request, options)) as T;
    } catch (error) {
      throw withCallerStack(error, callerStack);
    }
  }

  private async sendWithRetries(request: ApiRequest, options: RequestOptions): Promise<unknown> {
    const { signal } = options;
    const maxRetries = options.maxRetries ?? this.config.maxRetries;
    const idempotencyKey = options.idempotencyKey ?? (request.method === "POST" ? randomKey() : undefined);
    const retryable = IDEMPOTENT_METHODS.has(request.method) || idempotencyKey !== undefined;
    for (let attempt = 0; ; attempt++) {
      signal?.throwIfAborted();
      let failure: ApiError;
      try {
        return await this.attempt(request, options, idempotencyKey);
      } catch (error) {
        if (!(error instanceof ApiError) || signal?.aborted) throw error;
        failure = error;
      }
      // A 409 that asks to retry is the same request still being answered (its first attempt timed out
      // here but runs on there): retrying with the same key gets its answer, not a second effect.
      const asksToRetry = failure.status === 409 && failure.retryAfter !== undefined;
      const canRetry =
        retryable &&
        attempt < maxRetries &&
        (failure instanceof ConnectionError || RETRYABLE_STATUSES.has(failure.status) || asksToRetry);
      const { retryAfter } = failure;
      if (!canRetry || (retryAfter !== undefined && retryAfter > MAX_RETRY_AFTER_SECONDS)) throw failure;
      await sleep(retryAfter !== undefined ? retryAfter * 1000 : this.backoff(attempt), signal);
    }
  }

  /** Exponential backoff with full jitter: a random wait in [0, min(max, base·2^attempt)]. */
  private backoff(attempt: number): number {
    const ceiling = Math.min(this.config.retryMaxDelayMs, this.config.retryBaseDelayMs * 2 ** attempt);
    return Math.random() * ceiling;
  }

  private async attempt(
    request: ApiRequest,
    options: RequestOptions,
    idempotencyKey: string | undefined,
  ): Promise<unknown> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (request.auth !== false && this.config.getToken) {
      const token = await this.config.getToken();
      if (token) headers.authorization = `Bearer ${token}`;
    }
    if (idempotencyKey !== undefined) headers["idempotency-key"] = idempotencyKey;
    let body: string | undefined;
    if (request.body !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(request.body);
    }
    const url = this.url(request);
    const timeoutMs = options.timeoutMs ?? this.config.timeoutMs;
    const controller = new AbortController();
    const onCallerAbort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener("abort", onCallerAbort, { once: true });
    const timer = setTimeout(() => controller.abort(new TimeoutSignal()), timeoutMs);
    try {
      const response = await this.config.fetch(url, {
        method: request.method,
        headers,
        body,
        signal: controller.signal,
      });
      const text = await response.text();
      const parsed = parseJson(text);
      if (response.ok) return parsed;
      throw errorFromResponse(
        response.status,
        parsed,
        response.headers.get("x-request-id") ?? undefined,
        parseRetryAfter(response.headers.get("retry-after")),
      );
    } catch (error) {
      if (error instanceof ApiError) throw error;
      if (options.signal?.aborted) throw options.signal.reason;
      if (controller.signal.reason instanceof TimeoutSignal) {
        throw new ConnectionError(`${request.method} ${url} timed out after ${timeoutMs} ms.`, error);
      }
      const reason = error instanceof Error ? error.message : String(error);
      throw new ConnectionError(`Could not reach the notebook service at ${url}: ${reason}`, error);
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onCallerAbort);
    }
  }

  private url(request: ApiRequest): string {
    const query = request.query ? `?${new URLSearchParams(request.query).toString()}` : "";
    return `${this.config.baseUrl}${request.path}${query}`;
  }
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `Retry-After` as seconds: either delta-seconds or an HTTP date. */
function parseRetryAfter(header: string | null): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** A random UUID v4; `crypto.randomUUID` needs a secure context, `getRandomValues` does not. */
function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Replaces an error's async stack with the caller's, so it points at the code that made the call. */
function withCallerStack(error: unknown, callerStack: string | undefined): unknown {
  if (!(error instanceof Error) || callerStack === undefined) return error;
  const frames = callerStack.split("\n").slice(1).join("\n");
  try {
    error.stack = `${error.name}: ${error.message}\n${frames}`;
  } catch {
    // A frozen error (e.g. a caller's abort reason) keeps its own stack.
  }
  return error;
}
