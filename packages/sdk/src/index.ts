/** The Reactive Notebook SDK: a typed client for the REST API, live notebook sessions, its errors and token providers. */

export type * from "@reactive-notebook/protocol";
export {
  type ClerkLike,
  clerkTokenProvider,
  type DevTokenProviderOptions,
  devTokenProvider,
} from "./auth.js";
export { NotebookClient, type NotebookClientOptions } from "./client.js";
export {
  ApiError,
  type ApiErrorInit,
  ConflictError,
  ConnectionError,
  ForbiddenError,
  IdempotencyMismatchError,
  InvalidConnectionError,
  InvalidRequestError,
  KernelUnavailableError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  UnauthorizedError,
} from "./errors.js";
export type { RequestOptions, TokenProvider } from "./request.js";
export type { CellsResource, DevResource, NotebooksResource, RunWaitOptions } from "./resources/index.js";
export {
  type ConnectOptions,
  NotebookSession,
  type RunOptions,
  type RunResult,
  type SessionStatus,
  type WebSocketConstructor,
  type WebSocketLike,
} from "./session/index.js";
export { readableTraceback } from "./traceback.js";
