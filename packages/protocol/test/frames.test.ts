/** Specification of the client → server WebSocket frames and of parseClientFrame, which the server runs on each. */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CLIENT_FRAME_TYPES,
  ClientFrame,
  type ClientFrameType,
  type FrameOf,
  parseClientFrame,
} from "../src/index.js";
import { runCases } from "./cases.js";

const valid: { [T in ClientFrameType]: FrameOf<T> } = {
  auth: { type: "auth", token: "eyJhbGciOiJSUzI1NiJ9.e30.sig" },
  run_cell: { type: "run_cell", cellId: "c-1" },
  run_all: { type: "run_all" },
  interrupt: { type: "interrupt" },
  ping: { type: "ping" },
  set_control: { type: "set_control", cellId: "c-1", controlId: "0", value: 5 },
};

runCases([
  ...Object.values(valid).map((frame) => ({
    name: `a ${frame.type} frame is valid`,
    schema: ClientFrame,
    value: frame,
  })),
  {
    name: "a frame of unknown type is refused at its type",
    schema: ClientFrame,
    value: { type: "run_everything" },
    rejectsAt: "/type",
  },
  {
    name: "a frame without a type is refused at its type",
    schema: ClientFrame,
    value: { cellId: "c-1" },
    rejectsAt: "/type",
  },
  { name: "a frame's type is a string", schema: ClientFrame, value: { type: 1 }, rejectsAt: "/type" },
  {
    name: "a run_cell frame needs its cellId",
    schema: ClientFrame,
    value: { type: "run_cell" },
    rejectsAt: "/cellId",
  },
  {
    name: "a run_cell frame's cellId is a string",
    schema: ClientFrame,
    value: { type: "run_cell", cellId: 7 },
    rejectsAt: "/cellId",
  },
  {
    name: "a set_control frame needs its controlId",
    schema: ClientFrame,
    value: { type: "set_control", cellId: "c-1", value: 1 },
    rejectsAt: "/controlId",
  },
  {
    name: "a set_control value is a number, string or boolean, not an object",
    schema: ClientFrame,
    value: { type: "set_control", cellId: "c-1", controlId: "0", value: { a: 1 } },
    rejectsAt: "/value",
  },
  {
    name: "an auth frame needs its token",
    schema: ClientFrame,
    value: { type: "auth" },
    rejectsAt: "/token",
  },
  {
    name: "an auth frame's token is not empty",
    schema: ClientFrame,
    value: { type: "auth", token: "" },
    rejectsAt: "/token",
  },
  {
    name: "a ping frame takes no other field",
    schema: ClientFrame,
    value: { type: "ping", at: 1 },
    rejectsAt: "/at",
  },
  { name: "a frame is an object, not a list", schema: ClientFrame, value: [{ type: "ping" }], rejectsAt: "" },
]);

test("every client frame type is listed in CLIENT_FRAME_TYPES", () => {
  assert.deepEqual([...CLIENT_FRAME_TYPES].sort(), Object.keys(valid).sort());
});

test("parseClientFrame hands back each valid frame", () => {
  for (const frame of Object.values(valid)) {
    assert.deepEqual(parseClientFrame(JSON.stringify(frame)), { ok: true, frame });
  }
});

/** The error parseClientFrame gives for `text`, failing the test if it accepted it. */
function refusal(text: string) {
  const result = parseClientFrame(text);
  assert.equal(result.ok, false, `expected ${text} to be refused`);
  if (result.ok) throw new Error("unreachable");
  assert.equal(result.error.code, "invalid_request");
  return result.error;
}

const bad: { name: string; text: string; field: string | undefined; says: RegExp }[] = [
  { name: "bad JSON", text: "{type: run_all}", field: undefined, says: /not JSON/ },
  { name: "an empty frame", text: "", field: undefined, says: /not JSON/ },
  { name: "a JSON string", text: '"ping"', field: "", says: /Expected object/ },
  { name: "null", text: "null", field: "", says: /Expected object/ },
  { name: "an unknown type", text: '{"type":"run_everything"}', field: "/type", says: /\/type.*"run_cell"/ },
  { name: "a missing type", text: '{"cellId":"c-1"}', field: "/type", says: /\/type/ },
  { name: "a run_cell without cellId", text: '{"type":"run_cell"}', field: "/cellId", says: /\/cellId/ },
  {
    name: "a run_cell with a numeric cellId",
    text: '{"type":"run_cell","cellId":3}',
    field: "/cellId",
    says: /\/cellId/,
  },
  {
    name: "an unknown field",
    text: '{"type":"interrupt","force":true}',
    field: "/force",
    says: /\/force.*Unexpected property/,
  },
];

for (const { name, text, field, says } of bad) {
  test(`parseClientFrame refuses ${name}${field ? `, naming ${field}` : ""}`, () => {
    const error = refusal(text);
    assert.match(error.message, says);
    assert.equal(error.details?.field, field);
  });
}

test("parseClientFrame lists every violation in details.errors", () => {
  const error = refusal('{"type":"run_cell","cellId":1,"extra":2}');
  const paths = ((error.details?.errors ?? []) as { path: string }[]).map((e) => e.path).sort();
  assert.deepEqual(paths, ["/cellId", "/extra"]);
});
