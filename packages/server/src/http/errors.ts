// The typed errors routes throw: each carries an API.md error code, and the central error handler turns it
// into the `{"error": {code, message, details?}}` body with the code's HTTP status.
import { type ErrorCode, statusOfErrorCode } from "@reactive-notebook/protocol";

/** An error meant for the client: its status, code, message and details reach the response body as they are. */
export class ApiError extends Error {
  /** Extra response headers (e.g. `WWW-Authenticate`, `Retry-After`), set by the error handler. */
  headers: Record<string, string> = {};

  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: object,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

function make(code: ErrorCode, message: string, details?: object): ApiError {
  return new ApiError(statusOfErrorCode[code], code, message, details);
}

/** 400: schema violation, bad JSON, unknown cell type; `details.field` names the field (a JSON pointer). */
export const invalidRequest = (message: string, details?: object) =>
  make("invalid_request", message, details);
/**
 * 422 `invalid_request`: a well-formed request whose value does not fit what it addresses (a control's value
 * out of its range, not one of its options); the message names what it addresses.
 */
export const invalidValue = (message: string, details?: object) =>
  new ApiError(422, "invalid_request", message, details);
/** 401: missing, expired or invalid token; the handler adds `WWW-Authenticate: Bearer`. */
export const unauthorized = (message: string) => make("unauthorized", message);
/** 403: the notebook exists and belongs to someone else. */
export const forbidden = (message: string) => make("forbidden", message);
/** 404: no such notebook, cell or route. */
export const notFound = (message: string) => make("not_found", message);
/** 409: a stale `ifRevision`. */
export const conflict = (message: string, details?: object) => make("conflict", message, details);
/** 413: a body or a cell's code over its limit. */
export const payloadTooLarge = (message: string) => make("payload_too_large", message);
/** 422: a database connection string that is malformed or refused by policy. */
export const invalidConnection = (message: string, details?: object) =>
  make("invalid_connection", message, details);
/** 422: an Idempotency-Key reused for a different request. */
export const idempotencyMismatch = (message: string) => make("idempotency_mismatch", message);
/** 503: the kernel could not start; the message says why. */
export const kernelUnavailable = (message: string) => make("kernel_unavailable", message);

/** 429 with `Retry-After: retryAfterSeconds`. */
export function rateLimited(message: string, retryAfterSeconds: number): ApiError {
  const error = make("rate_limited", message, { retryAfterSeconds });
  error.headers["retry-after"] = String(retryAfterSeconds);
  return error;
}
