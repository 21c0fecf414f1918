// Specification of the kernel trust boundary: every message a kernel sends is refused unless it has the exact
// shape, size and depth the server accepts, and the Python runtime's own limits agree with the server's.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import {
  MAX_CELL_OUTPUT_BYTES,
  MAX_CELL_OUTPUTS,
  MAX_OUTPUT_BYTES,
  MAX_OUTPUT_DEPTH,
} from "@reactive-notebook/protocol";
import {
  KernelMessageError,
  nestsDeeperThan,
  readAnalysis,
  readDisplay,
  readFromKernel,
  readModuleNames,
  readRunResult,
  readStreamText,
  readValues,
} from "../src/kernel/kernel-input.js";
import { CellOutputs, OUTPUT_TRUNCATED_NOTE } from "../src/kernel/results.js";
import type { KernelStreamEvent } from "../src/kernel/types.js";

const deep = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;
const json = (value: unknown) => JSON.stringify(value);

const REFUSED: { name: string; read: () => unknown }[] = [
  { name: "an IPC message that is not an object", read: () => readFromKernel("ready") },
  { name: "an IPC message of an unknown type", read: () => readFromKernel({ type: "result", id: 1 }) },
  { name: "an IPC message with an extra field", read: () => readFromKernel({ type: "ready", ms: 1, x: 1 }) },
  {
    name: "an emit with a fractional id",
    read: () => readFromKernel({ type: "emit", id: 1.5, kind: "stdout", payload: "" }),
  },
  {
    name: "an emit whose payload is not a string",
    read: () => readFromKernel({ type: "emit", id: 1, kind: "display", payload: { a: 1 } }),
  },
  {
    name: "an emit over the size limit",
    read: () =>
      readFromKernel({ type: "emit", id: 1, kind: "stdout", payload: "x".repeat(MAX_OUTPUT_BYTES + 2000) }),
  },
  {
    name: "a reply that is both ok and an error",
    read: () =>
      readFromKernel({ type: "reply", id: 1, ok: true, value: null, error: { name: "E", message: "m" } }),
  },
  {
    name: "a failed reply without an error",
    read: () => readFromKernel({ type: "reply", id: 1, ok: false }),
  },
  {
    name: "a reply whose value is a number",
    read: () => readFromKernel({ type: "reply", id: 1, ok: true, value: 5 }),
  },
  {
    name: "a fatal message that is huge",
    read: () => readFromKernel({ type: "fatal", message: "x".repeat(10_000) }),
  },
  { name: "a display nested 200,000 levels deep", read: () => readDisplay(deep(200_000)) },
  {
    name: "a display nested one level past the limit",
    read: () => readDisplay(json({ mimeType: "application/json", data: JSON.parse(deep(MAX_OUTPUT_DEPTH)) })),
  },
  { name: "a display that is not JSON", read: () => readDisplay("{mimeType") },
  {
    name: "a display with a MIME type that is not allowed",
    read: () => readDisplay(json({ mimeType: "application/x-evil", data: "x" })),
  },
  {
    name: "a display whose text data is an object",
    read: () => readDisplay(json({ mimeType: "text/html", data: { a: 1 } })),
  },
  {
    name: "a display whose data is a number",
    read: () => readDisplay(json({ mimeType: "application/json", data: 5 })),
  },
  {
    name: "a display with metadata that is a list",
    read: () => readDisplay(json({ mimeType: "text/plain", data: "x", metadata: [] })),
  },
  {
    name: "a display with an extra field",
    read: () => readDisplay(json({ mimeType: "text/plain", data: "x", script: "y" })),
  },
  { name: "a stream chunk whose text is a number", read: () => readStreamText(json({ text: 5 })) },
  { name: "a stream chunk that nests", read: () => readStreamText(json({ text: ["x"] })) },
  { name: "a result without a status", read: () => readRunResult(json({ outputs: [], error: null })) },
  {
    name: "a result that is 'success' with an error",
    read: () => readRunResult(json({ status: "success", outputs: [], error: { name: "E", message: "m" } })),
  },
  {
    name: "a result with too many outputs",
    read: () =>
      readRunResult(
        json({
          status: "success",
          outputs: Array(MAX_CELL_OUTPUTS + 2).fill({ mimeType: "text/plain", data: "" }),
          error: null,
        }),
      ),
  },
  {
    name: "a result nested deep",
    read: () => readRunResult(`{"status":"success","outputs":${deep(100_000)},"error":null}`),
  },
  {
    name: "a result with an empty error name",
    read: () => readRunResult(json({ status: "error", outputs: [], error: { name: "", message: "m" } })),
  },
  {
    name: "a result with a huge traceback",
    read: () =>
      readRunResult(
        json({
          status: "error",
          outputs: [],
          error: { name: "E", message: "m", traceback: "x".repeat(300_000) },
        }),
      ),
  },
  {
    name: "an analysis whose reads are not names",
    read: () => readAnalysis(json({ reads: [1], writes: [], error: null })),
  },
  {
    name: "an analysis with an extra field",
    read: () => readAnalysis(json({ reads: [], writes: [], error: null, x: 1 })),
  },
  {
    name: "an analysis nested deep",
    read: () => readAnalysis(`{"reads":${deep(50)},"writes":[],"error":null}`),
  },
  { name: "a module list holding an object", read: () => readModuleNames(json([{}])) },
  {
    name: "values nested past the limit",
    read: () => readValues(`{"values":{"a":${deep(60)}},"missing":[]}`),
  },
  {
    name: "values whose missing names are not strings",
    read: () => readValues(json({ values: {}, missing: [null] })),
  },
];

const CONTROL = "application/vnd.reactive-notebook.control+json";
const control = (data: Record<string, unknown>, metadata?: unknown) =>
  json({
    mimeType: CONTROL,
    data: { id: "0", kind: "slider", label: "", value: 1, props: { start: 0, stop: 10, step: 1 }, ...data },
    ...(metadata === undefined ? {} : { metadata }),
  });
REFUSED.push(
  { name: "a control of an unknown kind", read: () => readDisplay(control({ kind: "knob" })) },
  { name: "a control without an id", read: () => readDisplay(control({ id: "" })) },
  { name: "a control with an extra field", read: () => readDisplay(control({ script: "x" })) },
  { name: "a slider whose value is text", read: () => readDisplay(control({ value: "1" })) },
  { name: "a slider whose value is NaN-like (null)", read: () => readDisplay(control({ value: null })) },
  { name: "a slider without a stop", read: () => readDisplay(control({ props: { start: 0, step: 1 } })) },
  {
    name: "a slider whose step is 0",
    read: () => readDisplay(control({ props: { start: 0, stop: 1, step: 0 } })),
  },
  {
    name: "a dropdown without options",
    read: () => readDisplay(control({ kind: "dropdown", value: "a", props: { options: [] } })),
  },
  {
    name: "a dropdown whose options are not strings",
    read: () => readDisplay(control({ kind: "dropdown", value: "a", props: { options: ["a", 2] } })),
  },
  {
    name: "a checkbox whose value is 1",
    read: () => readDisplay(control({ kind: "checkbox", value: 1, props: {} })),
  },
  {
    name: "a button with a negative count",
    read: () => readDisplay(control({ kind: "button", value: -1, props: {} })),
  },
  {
    name: "a text control with a huge label",
    read: () =>
      readDisplay(control({ kind: "text", value: "", label: "x".repeat(5000), props: { placeholder: "" } })),
  },
  {
    name: "a control whose metadata has other fields",
    read: () => readDisplay(control({}, { args: "a", x: 1 })),
  },
  {
    name: "a control whose data is text",
    read: () => readDisplay(json({ mimeType: CONTROL, data: "slider" })),
  },
);

test("the server accepts every control kind the runtime sends", () => {
  const accepted: Record<string, unknown>[] = [
    {},
    { kind: "number", props: { start: null, stop: null, step: 0.5 }, value: -2.5 },
    { kind: "text", value: "hi", props: { placeholder: "name" } },
    { kind: "textarea", value: "a\nb", props: { placeholder: "" } },
    { kind: "dropdown", value: "b", props: { options: ["a", "b"] } },
    { kind: "radio", value: "a", props: { options: ["a"] } },
    { kind: "checkbox", value: false, props: {} },
    { kind: "button", value: 3, props: {} },
  ];
  for (const data of accepted) {
    const output = readDisplay(control(data, { args: "0123456789abcdef" }));
    assert.equal(output.mimeType, CONTROL);
  }
});

for (const { name, read } of REFUSED) {
  test(`the server refuses ${name}`, () => {
    assert.throws(read, KernelMessageError);
  });
}

test("the server accepts what the runtime sends", () => {
  assert.deepEqual(readFromKernel({ type: "emit", id: 3, kind: "display", payload: "{}" }), {
    type: "emit",
    id: 3,
    kind: "display",
    payload: "{}",
  });
  assert.deepEqual(readDisplay(json({ mimeType: "text/plain", data: "42" })), {
    mimeType: "text/plain",
    data: "42",
  });
  assert.deepEqual(
    readDisplay(json({ mimeType: "application/json", data: { a: [1, { b: 2 }] }, metadata: { x: 1 } })),
    {
      mimeType: "application/json",
      data: { a: [1, { b: 2 }] },
      metadata: { x: 1 },
    },
  );
  assert.equal(readStreamText(json({ text: "hi\n" })), "hi\n");
  assert.deepEqual(
    readRunResult(json({ status: "error", outputs: [], error: { name: "E", message: "m", traceback: "t" } })),
    {
      status: "error",
      error: { name: "E", message: "m", traceback: "t" },
    },
  );
  assert.deepEqual(readAnalysis(json({ reads: ["x"], writes: ["y"], error: null })), {
    reads: ["x"],
    writes: ["y"],
    error: null,
  });
  assert.deepEqual(readValues(json({ values: { n: [1, [2]] }, missing: ["m"] })), {
    values: { n: [1, [2]] },
    missing: ["m"],
  });
});

test("the depth scan ignores brackets inside strings and escapes", () => {
  assert.equal(nestsDeeperThan(json({ a: "[[[[[[[[[[", b: '\\"[[[[' }), 2), false);
  assert.equal(nestsDeeperThan("[[[]]]", 2), true);
  assert.equal(nestsDeeperThan("[[[]]]", 3), false);
});

test("a cell keeps 1,000 outputs, then shows exactly one truncation note and drops the rest", () => {
  const events: KernelStreamEvent[] = [];
  const outputs = new CellOutputs((event) => events.push(event));
  const display = json({ mimeType: "text/plain", data: "1" });
  for (let i = 0; i < MAX_CELL_OUTPUTS + 500; i++) outputs.emit("display", display);
  assert.equal(outputs.outputs.length, MAX_CELL_OUTPUTS + 1);
  assert.deepEqual(outputs.outputs.at(-1), OUTPUT_TRUNCATED_NOTE);
  assert.equal(events.filter((event) => event.type === "display").length, MAX_CELL_OUTPUTS + 1);
  // Past the cap nothing is read: even a message that would be refused is dropped unread.
  outputs.emit("display", deep(1000));
});

test("outputs past the cell's byte budget are cut with the note", () => {
  const outputs = new CellOutputs(() => {});
  const big = json({ mimeType: "text/plain", data: "x".repeat(MAX_OUTPUT_BYTES - 100) });
  for (let i = 0; i < 4; i++) outputs.emit("display", big);
  assert.equal(outputs.outputs.length, Math.floor(MAX_CELL_OUTPUT_BYTES / big.length) + 1);
  assert.deepEqual(outputs.outputs.at(-1), OUTPUT_TRUNCATED_NOTE);
});

test("a cell that keeps sending after its caps is stopped as a flood", () => {
  const outputs = new CellOutputs(() => {});
  assert.throws(() => {
    for (let i = 0; i < 30_000; i++) outputs.emit("stdout", json({ text: "" }));
  }, KernelMessageError);
});

test("an emit of an unknown kind is refused", () => {
  assert.throws(() => new CellOutputs(() => {}).emit("result", "{}"), KernelMessageError);
});

test("the Python runtime's limits agree with the server's", () => {
  const source = (name: string) =>
    readFileSync(fileURLToPath(new URL(`../../src/kernel/python/${name}`, import.meta.url)), "utf8");
  const value = (text: string, name: string) => {
    const found = new RegExp(`^${name} = (.+)$`, "m").exec(text)?.[1];
    assert.ok(found, `${name} is defined`);
    return evaluate(found);
  };
  const display = source("rn_display.py");
  const execute = source("rn_execute.py");
  assert.equal(value(display, "MAX_OUTPUT_BYTES"), MAX_OUTPUT_BYTES);
  assert.equal(value(display, "MAX_OUTPUT_DEPTH"), MAX_OUTPUT_DEPTH);
  assert.equal(value(execute, "MAX_CELL_OUTPUTS"), MAX_CELL_OUTPUTS);
  assert.equal(value(execute, "MAX_CELL_OUTPUT_BYTES"), MAX_CELL_OUTPUT_BYTES);
});

/** Evaluates a product of integers such as `4 * 1024 * 1024` (all the runtime's limits are written so). */
function evaluate(expression: string): number {
  return expression
    .split("*")
    .map((part) => Number(part.trim().replaceAll("_", "")))
    .reduce((a, b) => a * b, 1);
}
