/** The errors the client throws: one base class, one subclass per API error code, and one for unreachable servers. */
import type { ErrorCode, ErrorDetails } from "@reactive-notebook/protocol";

/** What an {@link ApiError} is built from. */
export interface ApiErrorInit {
  status: number;
  code: string;
  message: string;
  details?: ErrorDetails | undefined;
  requestId?: string | undefined;
  retryAfter?: number | undefined;
  cause?: unknown;
}

/**
 * Base class of every error the client throws. `status` is the HTTP status (0 when no
 * answer arrived), `code` the API error code (`not_found`, …), `requestId` the server's
 * `x-request-id`, to quote when reporting a problem, and `retryAfter` the seconds the server
 * asked to wait before trying again (`Retry-After`: 429, 503 while a kernel moves, 409 while
 * the first request with the same idempotency key is still being answered).
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetails | undefined;
  readonly requestId: string | undefined;
  readonly retryAfter: number | undefined;

  constructor(init: ApiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
    this.requestId = init.requestId;
    this.retryAfter = init.retryAfter;
  }
}

/** 400 `invalid_request`: the body or parameters broke the schema; `details.field` names the field. */
export class InvalidRequestError extends ApiError {}
/** 401 `unauthorized`: missing, expired or invalid token (or, client side, no signed-in session). */
export class UnauthorizedError extends ApiError {}
/** 403 `forbidden`: the notebook exists and belongs to someone else. */
export class ForbiddenError extends ApiError {}
/** 404 `not_found`: no such notebook, cell or route. */
export class NotFoundError extends ApiError {}
/** 409 `conflict`: `ifRevision` was stale. */
export class ConflictError extends ApiError {}
/** 413 `payload_too_large`: body or cell code over the limit. */
export class PayloadTooLargeError extends ApiError {}
/** 422 `invalid_connection`: the database connection string is malformed or refused by policy. */
export class InvalidConnectionError extends ApiError {}
/** 422 `idempotency_mismatch`: an `Idempotency-Key` was reused with a different request body. */
export class IdempotencyMismatchError extends ApiError {}
/** 503 `kernel_unavailable`: the notebook's kernel could not start; the message says why. */
export class KernelUnavailableError extends ApiError {}

/** 429 `rate_limited`: too many requests; `retryAfter` is the server's advised wait in seconds. */
export class RateLimitedError extends ApiError {}

/** No answer: the network failed, the server was unreachable, or the request timed out. `status` is 0. */
export class ConnectionError extends ApiError {
  constructor(message: string, cause?: unknown) {
    super({ status: 0, code: "connection_error", message, cause });
  }
}

type ApiErrorClass = new (init: ApiErrorInit) => ApiError;

/** The one place an API error code picks its class. */
const errorClassOfCode = {
  invalid_request: InvalidRequestError,
  unauthorized: UnauthorizedError,
  forbidden: ForbiddenError,
  not_found: NotFoundError,
  conflict: ConflictError,
  payload_too_large: PayloadTooLargeError,
  invalid_connection: InvalidConnectionError,
  idempotency_mismatch: IdempotencyMismatchError,
  rate_limited: RateLimitedError,
  kernel_unavailable: KernelUnavailableError,
} as const satisfies Record<ErrorCode, ApiErrorClass>;

/** Statuses that identify a code when the body does not carry one (e.g. a proxy's HTML page). */
const codeOfStatus: Readonly<Record<number, ErrorCode>> = {
  400: "invalid_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  413: "payload_too_large",
  422: "invalid_connection",
  429: "rate_limited",
};

/** Builds the error for a failed response from its status, parsed body (if any) and headers. */
export function errorFromResponse(
  status: number,
  body: unknown,
  requestId: string | undefined,
  retryAfter: number | undefined,
): ApiError {
  const error = readErrorObject(body);
  const code = error?.code ?? codeOfStatus[status] ?? "http_error";
  const message = error?.message ?? `The notebook service answered HTTP ${status}.`;
  const ErrorClass: ApiErrorClass = (errorClassOfCode as Record<string, ApiErrorClass>)[code] ?? ApiError;
  return new ErrorClass({ status, code, message, details: error?.details, requestId, retryAfter });
}

function readErrorObject(
  body: unknown,
): { code: string; message: string; details?: ErrorDetails } | undefined {
  if (typeof body !== "object" || body === null || !("error" in body)) return undefined;
  const error = (body as { error: unknown }).error;
  if (typeof error !== "object" || error === null) return undefined;
  const { code, message, details } = error as Record<string, unknown>;
  if (typeof code !== "string" || typeof message !== "string") return undefined;
  const isObject = typeof details === "object" && details !== null && !Array.isArray(details);
  return isObject ? { code, message, details: details as ErrorDetails } : { code, message };
}
