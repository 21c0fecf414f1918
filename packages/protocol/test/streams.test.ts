// Specification of stream capping: the tail of a long stream is kept behind one marker line.
import assert from "node:assert/strict";
import { test } from "node:test";
import { appendCapped, STREAM_CAP_BYTES, TRUNCATED_LINE } from "../src/index.js";

test("text under the cap is appended as it is", () => {
  assert.equal(appendCapped("a\n", "b\n"), "a\nb\n");
});

test("past the cap the newest text is kept behind one marker line, exactly at the cap", () => {
  const capped = appendCapped("x".repeat(STREAM_CAP_BYTES), "tail\n");
  assert.equal(capped.length, STREAM_CAP_BYTES);
  assert.ok(capped.startsWith(TRUNCATED_LINE));
  assert.ok(capped.endsWith("xtail\n"));
});

test("appending to a capped stream keeps a single marker", () => {
  let stream = "";
  for (let i = 0; i < 50; i++) stream = appendCapped(stream, `${i}`.repeat(30), 200);
  assert.equal(stream.length, 200);
  assert.equal(stream.split(TRUNCATED_LINE).length, 2);
  assert.ok(stream.endsWith("49".repeat(15)));
});
