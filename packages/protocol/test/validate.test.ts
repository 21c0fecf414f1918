/** Specification of validate, isValid, invalidRequest and ref: the helpers the SDK and server call. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Type } from "@sinclair/typebox";
import {
  Cell,
  CreateCellBody,
  invalidRequest,
  isValid,
  NotebookSummary,
  ref,
  validate,
} from "../src/index.js";
import { cell, summary } from "./samples.js";

test("validate hands back the very value it accepted", () => {
  const value = cell();
  const result = validate(Cell, value);
  assert.ok(result.ok);
  assert.equal(result.value, value);
});

test("validate names each offending field once, with a message", () => {
  const result = validate(CreateCellBody, { index: "0", extra: 1 });
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.deepEqual(result.errors.map((e) => e.path).sort(), ["/extra", "/index", "/type"]);
  assert.equal(result.errors.find((e) => e.path === "/extra")?.message, "Unexpected property");
  assert.equal(result.errors.find((e) => e.path === "/type")?.message, "Expected required property");
});

test("validate describes a failed choice by its choices", () => {
  const result = validate(CreateCellBody, { type: "ruby" });
  assert.deepEqual(result, {
    ok: false,
    errors: [{ path: "/type", message: 'Expected "python" or "sql" or "markdown"' }],
  });
});

test("validate resolves $ref in schemas built outside the package", () => {
  const Page = Type.Object({ items: Type.Array(ref(Cell)) });
  assert.equal(validate(Page, { items: [cell()] }).ok, true);
  const result = validate(Page, { items: [cell(), { ...cell(), status: "done" }] });
  assert.equal(result.ok, false);
  if (!result.ok) assert.equal(result.errors[0]?.path, "/items/1/status");
});

const times: [string, boolean][] = [
  ["2025-01-02T03:04:05Z", true],
  ["2025-01-02T03:04:05.678+02:00", true],
  ["2025-01-02T03:04:05", false],
  ["2025-13-45T03:04:05Z", false],
  ["2025-01-02", false],
  ["yesterday", false],
];
for (const [time, ok] of times) {
  test(`a time of ${time} is ${ok ? "" : "not "}ISO-8601 date-time`, () => {
    assert.equal(isValid(NotebookSummary, { ...summary, createdAt: time }), ok);
  });
}

test("invalidRequest names the first field in the message and details", () => {
  const error = invalidRequest([
    { path: "/cells/0/type", message: "Expected string" },
    { path: "/name", message: "Unexpected property" },
  ]);
  assert.equal(error.code, "invalid_request");
  assert.equal(error.message, "Invalid request at /cells/0/type: Expected string.");
  assert.deepEqual(error.details, {
    field: "/cells/0/type",
    errors: [
      { path: "/cells/0/type", message: "Expected string" },
      { path: "/name", message: "Unexpected property" },
    ],
  });
});

test("ref refuses a schema without an $id", () => {
  assert.throws(() => ref(Type.String()), /no \$id/);
});
