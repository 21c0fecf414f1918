/** The error body every failing route returns, its codes and the HTTP status of each code (API.md "Errors"). */
import { type Static, Type } from "@sinclair/typebox";
import { ref } from "./ref.js";

/** Every error code, in the order of the API.md table. */
export const ERROR_CODES = [
  "invalid_request",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "payload_too_large",
  "invalid_connection",
  "idempotency_mismatch",
  "rate_limited",
  "kernel_unavailable",
] as const;

export const ErrorCode = Type.Union(
  ERROR_CODES.map((code) => Type.Literal(code)),
  { $id: "ErrorCode", description: "A machine-readable error code; see statusOfErrorCode." },
);
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The HTTP status each error code is sent with. */
export const statusOfErrorCode = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  invalid_connection: 422,
  idempotency_mismatch: 422,
  rate_limited: 429,
  kernel_unavailable: 503,
} as const satisfies Record<ErrorCode, number>;

/**
 * Free-form details of an error. By convention `invalid_request` carries `field`,
 * the JSON pointer of the first offending field (e.g. "/cells/0/type"), and
 * `errors`, every violation found.
 */
export const ErrorDetails = Type.Record(Type.String(), Type.Unknown(), { $id: "ErrorDetails" });
export type ErrorDetails = Static<typeof ErrorDetails>;

export const ErrorObject = Type.Object(
  {
    code: ref(ErrorCode),
    message: Type.String({ description: "A human sentence." }),
    details: Type.Optional(ref(ErrorDetails)),
  },
  { $id: "ErrorObject" },
);
export type ErrorObject = Static<typeof ErrorObject>;

export const ErrorBody = Type.Object(
  { error: ref(ErrorObject) },
  { $id: "ErrorBody", description: "Every error response." },
);
export type ErrorBody = Static<typeof ErrorBody>;

/** True when `value` is one of the contract's error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (ERROR_CODES as readonly string[]).includes(value);
}
