/** Specification of error bodies: every code of the API.md table, its HTTP status, and the body's shape. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ERROR_CODES, ErrorBody, ErrorCode, isErrorCode, statusOfErrorCode } from "../src/index.js";
import { runCases } from "./cases.js";

/** The API.md error table, copied by hand so a change to either side shows up here. */
const table = [
  [400, "invalid_request"],
  [401, "unauthorized"],
  [403, "forbidden"],
  [404, "not_found"],
  [409, "conflict"],
  [413, "payload_too_large"],
  [422, "invalid_connection"],
  [422, "idempotency_mismatch"],
  [429, "rate_limited"],
  [503, "kernel_unavailable"],
] as const;

for (const [status, code] of table) {
  test(`${code} is sent with status ${status}`, () => {
    assert.equal(statusOfErrorCode[code], status);
    assert.ok(isErrorCode(code));
  });
}

test("the codes are exactly those of the table", () => {
  assert.deepEqual([...ERROR_CODES].sort(), table.map(([, code]) => code).sort());
  assert.deepEqual(Object.keys(statusOfErrorCode).sort(), [...ERROR_CODES].sort());
});

test("a made-up code is not an error code", () => {
  assert.equal(isErrorCode("teapot"), false);
  assert.equal(isErrorCode(418), false);
});

runCases([
  ...ERROR_CODES.map((code) => ({ name: `${code} is a known code`, schema: ErrorCode, value: code })),
  { name: "an unknown code is refused", schema: ErrorCode, value: "oops", rejectsAt: "" },
  {
    name: "an error body has a code and a message",
    schema: ErrorBody,
    value: { error: { code: "not_found", message: "No such notebook." } },
  },
  {
    name: "an invalid_request body names the field in its details",
    schema: ErrorBody,
    value: {
      error: { code: "invalid_request", message: "Invalid request at /type.", details: { field: "/type" } },
    },
  },
  {
    name: "an error body needs its message",
    schema: ErrorBody,
    value: { error: { code: "conflict" } },
    rejectsAt: "/error/message",
  },
  {
    name: "an error body's code comes from the table",
    schema: ErrorBody,
    value: { error: { code: "teapot", message: "m" } },
    rejectsAt: "/error/code",
  },
  {
    name: "an error body is wrapped in error",
    schema: ErrorBody,
    value: { code: "conflict", message: "m" },
    rejectsAt: "/error",
  },
  {
    name: "an error's details are an object",
    schema: ErrorBody,
    value: { error: { code: "conflict", message: "m", details: "x" } },
    rejectsAt: "/error/details",
  },
]);
