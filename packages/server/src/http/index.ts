// The http folder's only door: typed API errors, the central error handler, and browser-facing hardening.

export { type ErrorResponseBody, errorHandlerPlugin, toApiError } from "./error-handler.js";
export {
  ApiError,
  conflict,
  forbidden,
  invalidConnection,
  invalidRequest,
  invalidValue,
  kernelUnavailable,
  notFound,
  payloadTooLarge,
  rateLimited,
  unauthorized,
} from "./errors.js";
export {
  DEFAULT_RATE_LIMIT,
  type HardeningOptions,
  hardeningPlugin,
  type RateLimitOptions,
} from "./hardening.js";
export { MAX_BODY_DEPTH } from "./json-body.js";
