// The trust boundary between a kernel process and the server: everything a kernel sends is hostile input
// (Python in the kernel can forge any message its process sends). Each reader here checks sizes first, then
// nesting depth with a linear scan (so nothing deep is ever built), then parses and checks the exact shape;
// anything else is a KernelMessageError, and the kernel that sent it is stopped.
import {
  CONTROL_KINDS,
  CONTROL_MIME_TYPE,
  KNOWN_MIME_TYPES,
  MAX_CELL_OUTPUT_BYTES,
  MAX_CELL_OUTPUTS,
  MAX_OUTPUT_BYTES,
  MAX_OUTPUT_DEPTH,
} from "@reactive-notebook/protocol";
import type { FromKernel } from "./messages.js";
import type { Analysis, CellErrorInfo, OutputInfo } from "./types.js";

/** A kernel sent something the server does not accept; the kernel is stopped. */
export class KernelMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KernelMessageError";
  }
}

/** Sizes a kernel's messages must keep to (characters of JSON text unless said otherwise). */
export const KERNEL_MESSAGE_LIMITS = {
  /** One stream chunk or one output. */
  payloadChars: MAX_OUTPUT_BYTES + 1024,
  /** The reply of any call: run_cell's result repeats the cell's outputs, plus its error. */
  replyChars: MAX_CELL_OUTPUT_BYTES + 2 * 1024 * 1024,
  /** Outputs in run_cell's result: the kept ones and one truncation note. */
  resultOutputs: MAX_CELL_OUTPUTS + 1,
  errorNameChars: 200,
  errorMessageChars: 64 * 1024,
  tracebackChars: 256 * 1024,
  /** A global or module name (reads, writes, missing imports, values). */
  nameChars: 1024,
  /** Names in one analysis, value request or import list. */
  names: 100_000,
  /** Nesting of a value read back from the notebook (get_values): lists inside lists. */
  valueDepth: 34,
  fatalMessageChars: 4096,
  /** A control's label, placeholder or option (the runtime refuses longer ones). */
  controlTextChars: 1000,
  /** Options of a dropdown or radio control. */
  controlOptions: 1000,
  /** A control's id (its creation order in the cell, as text). */
  controlIdChars: 16,
  /** A text control's value. */
  controlValueChars: 100_000,
  /** Emits one call may send: far above what the runtime's batching ever produces, far below a flood. */
  emitsPerCall: 20_000,
} as const;

const OUTPUT_MIME_TYPES: ReadonlySet<string> = new Set(KNOWN_MIME_TYPES);
/** MIME types whose data is text (base64 for PNG); the +json types may also carry JSON values. */
const TEXT_MIME_TYPES: ReadonlySet<string> = new Set([
  "text/plain",
  "text/html",
  "text/markdown",
  "image/png",
  "image/svg+xml",
]);

function fail(message: string): never {
  throw new KernelMessageError(message);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Fails unless `value` is a plain object whose keys are all in `required` or `optional`, required ones present. */
function expectKeys(
  value: unknown,
  what: string,
  required: readonly string[],
  optional: readonly string[] = [],
): Record<string, unknown> {
  if (!isPlainObject(value)) fail(`${what} is not an object`);
  const keys = Object.keys(value);
  if (keys.length > required.length + optional.length) fail(`${what} has unexpected fields`);
  for (const key of keys)
    if (!required.includes(key) && !optional.includes(key)) fail(`${what} has an unexpected field "${key}"`);
  for (const key of required) if (!(key in value)) fail(`${what} has no "${key}"`);
  return value;
}

function expectString(value: unknown, what: string, maxChars: number, minChars = 0): string {
  if (typeof value !== "string") fail(`${what} is not a string`);
  if (value.length > maxChars) fail(`${what} is ${value.length} characters, over the limit of ${maxChars}`);
  if (value.length < minChars) fail(`${what} is empty`);
  return value;
}

function expectId(value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1)
    fail("a message id is not valid");
  return value;
}

/** True when JSON `text` nests arrays/objects deeper than `maxDepth`. One pass, no allocation. */
export function nestsDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) {
      inString = true;
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > maxDepth) return true;
    } else if (c === 93 /* ] */ || c === 125 /* } */) {
      depth--;
    }
  }
  return false;
}

/** JSON.parse behind a size and a depth check. */
export function parseKernelJson(text: unknown, what: string, maxChars: number, maxDepth: number): unknown {
  const source = expectString(text, what, maxChars);
  if (nestsDeeperThan(source, maxDepth)) fail(`${what} nests deeper than ${maxDepth} levels`);
  try {
    return JSON.parse(source);
  } catch {
    return fail(`${what} is not valid JSON`);
  }
}

/** The IPC envelope of a message from a kernel process: its type and each field's type and size. */
export function readFromKernel(message: unknown): FromKernel {
  const type = isPlainObject(message) ? message.type : undefined;
  switch (type) {
    case "ready": {
      const m = expectKeys(message, "a ready message", ["type", "ms"]);
      if (typeof m.ms !== "number" || !Number.isFinite(m.ms)) fail("a ready message has no valid time");
      return { type, ms: m.ms };
    }
    case "snapshot": {
      const m = expectKeys(message, "a snapshot message", ["type", "bytes"]);
      if (!(m.bytes instanceof Uint8Array)) fail("a snapshot message carries no bytes");
      return { type, bytes: m.bytes };
    }
    case "emit": {
      const m = expectKeys(message, "an output message", ["type", "id", "kind", "payload"]);
      const kind = expectString(m.kind, "an output's kind", 16);
      const payload = expectString(m.payload, "an output", KERNEL_MESSAGE_LIMITS.payloadChars);
      return { type, id: expectId(m.id), kind, payload };
    }
    case "reply": {
      const m = expectKeys(message, "a reply", ["type", "id", "ok"], ["value", "error"]);
      const id = expectId(m.id);
      if (m.ok === true) {
        if (m.error !== undefined) fail("a successful reply carries an error");
        const value =
          m.value === null || m.value === undefined
            ? null
            : expectString(m.value, "a reply", KERNEL_MESSAGE_LIMITS.replyChars);
        return { type, id, ok: true, value };
      }
      if (m.ok !== false || m.value !== undefined) fail("a reply is neither a success nor a failure");
      const error = expectKeys(m.error, "a reply's error", ["name", "message"]);
      return {
        type,
        id,
        ok: false,
        error: {
          name: expectString(error.name, "an error name", KERNEL_MESSAGE_LIMITS.errorNameChars),
          message: expectString(error.message, "an error message", KERNEL_MESSAGE_LIMITS.errorMessageChars),
        },
      };
    }
    case "skipped": {
      const m = expectKeys(message, "a skipped message", ["type", "id"]);
      return { type, id: expectId(m.id) };
    }
    case "fatal": {
      const m = expectKeys(message, "a fatal message", ["type", "message"]);
      return {
        type,
        message: expectString(m.message, "a fatal message", KERNEL_MESSAGE_LIMITS.fatalMessageChars),
      };
    }
    default:
      return fail("a message has an unknown type");
  }
}

/**
 * The order a batch of cells must be answered in (messages.ts, "batch"): each call once, in the order sent,
 * its outputs only while it is the one running; `skipped` only after the server cancelled the batch or a
 * cell of it did not succeed, and then for every cell left. Anything else is a forged or replayed answer.
 */
export class BatchOrder {
  #next = 0;
  #cancelled = false;
  #stopped = false;
  #skipping = false;

  constructor(private readonly ids: readonly number[]) {}

  /** The server asked the kernel to start no more of the batch's cells. */
  cancel(): void {
    this.#cancelled = true;
  }

  /** A cell did not succeed: the kernel must start no more of them. */
  stop(): void {
    this.#stopped = true;
  }

  /** Whether the batch has been answered in full. */
  get done(): boolean {
    return this.#next >= this.ids.length;
  }

  /** Fails unless `id` is the cell running now (the only one that may send outputs). */
  checkOutput(id: number): void {
    if (this.ids[this.#next] !== id || this.#skipping)
      fail("a batch sent output for a cell that is not running");
  }

  /** Checks one answer (a reply or a skip) for call `id` and moves on to the next cell. */
  answer(id: number, kind: "reply" | "skipped"): void {
    if (this.ids[this.#next] !== id) fail("a batch answered a cell out of order, twice, or not in the batch");
    if (kind === "skipped") {
      if (this.#next === 0 || !(this.#cancelled || this.#stopped))
        fail("a batch skipped a cell it was not told to skip");
      this.#skipping = true;
    } else if (this.#skipping || this.#stopped) {
      fail("a batch ran a cell after it stopped");
    }
    this.#next++;
  }
}

/** One rich output: an allowed MIME type, data of the right kind, plain-object metadata. */
export function readOutput(value: unknown): OutputInfo {
  const output = expectKeys(value, "an output", ["mimeType", "data"], ["metadata"]);
  const mimeType = expectString(output.mimeType, "an output's MIME type", 200);
  if (!OUTPUT_MIME_TYPES.has(mimeType))
    fail(`an output has a MIME type that is not allowed (${mimeType.slice(0, 80)})`);
  const { data, metadata } = output;
  if (
    typeof data !== "string" &&
    (TEXT_MIME_TYPES.has(mimeType) || (!Array.isArray(data) && !isPlainObject(data)))
  )
    fail(`an output's data does not fit its MIME type ${mimeType}`);
  if (metadata !== undefined && !isPlainObject(metadata)) fail("an output's metadata is not an object");
  if (mimeType === CONTROL_MIME_TYPE) readControl(data, metadata);
  return metadata === undefined
    ? { mimeType, data: data as OutputInfo["data"] }
    : { mimeType, data: data as OutputInfo["data"], metadata };
}

const CONTROL_KIND_SET: ReadonlySet<string> = new Set(CONTROL_KINDS);

function expectFiniteNumber(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) fail(`${what} is not a finite number`);
  return value;
}

/**
 * A control output (`rn.ui`): data `{id, kind, label, value, props}` with the props and value type of its
 * kind, and metadata `{args}` (the hash of its constructor's arguments). Only the shape is checked here; the
 * service checks values people set against these props.
 */
function readControl(data: unknown, metadata: Record<string, unknown> | undefined): void {
  const control = expectKeys(data, "a control", ["id", "kind", "label", "value", "props"]);
  expectString(control.id, "a control's id", KERNEL_MESSAGE_LIMITS.controlIdChars, 1);
  const kind = expectString(control.kind, "a control's kind", 16);
  if (!CONTROL_KIND_SET.has(kind)) fail(`a control has an unknown kind (${kind})`);
  expectString(control.label, "a control's label", KERNEL_MESSAGE_LIMITS.controlTextChars);
  const { value } = control;
  switch (kind) {
    case "slider":
    case "number": {
      const props = expectKeys(control.props, `a ${kind}'s props`, ["start", "stop", "step"]);
      for (const key of ["start", "stop"] as const)
        if (kind === "slider" || props[key] !== null) expectFiniteNumber(props[key], `a ${kind}'s ${key}`);
      if (expectFiniteNumber(props.step, `a ${kind}'s step`) <= 0) fail(`a ${kind}'s step is not above 0`);
      expectFiniteNumber(value, `a ${kind}'s value`);
      break;
    }
    case "text":
    case "textarea": {
      const props = expectKeys(control.props, `a ${kind}'s props`, ["placeholder"]);
      expectString(props.placeholder, `a ${kind}'s placeholder`, KERNEL_MESSAGE_LIMITS.controlTextChars);
      expectString(value, `a ${kind}'s value`, KERNEL_MESSAGE_LIMITS.controlValueChars);
      break;
    }
    case "dropdown":
    case "radio": {
      const props = expectKeys(control.props, `a ${kind}'s props`, ["options"]);
      if (!Array.isArray(props.options) || props.options.length === 0) fail(`a ${kind} has no options`);
      if (props.options.length > KERNEL_MESSAGE_LIMITS.controlOptions) fail(`a ${kind} has too many options`);
      for (const option of props.options)
        expectString(option, `a ${kind}'s option`, KERNEL_MESSAGE_LIMITS.controlTextChars);
      expectString(value, `a ${kind}'s value`, KERNEL_MESSAGE_LIMITS.controlTextChars);
      break;
    }
    case "checkbox":
      expectKeys(control.props, "a checkbox's props", []);
      if (typeof value !== "boolean") fail("a checkbox's value is not a boolean");
      break;
    case "button":
      expectKeys(control.props, "a button's props", []);
      if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0)
        fail("a button's value is not a click count");
      break;
  }
  const meta = expectKeys(metadata ?? {}, "a control's metadata", [], ["args"]);
  if (meta.args !== undefined) expectString(meta.args, "a control's args", 64);
}

/** A display payload: one output's JSON. */
export function readDisplay(payload: string): OutputInfo {
  return readOutput(
    parseKernelJson(payload, "an output", KERNEL_MESSAGE_LIMITS.payloadChars, MAX_OUTPUT_DEPTH),
  );
}

/** A stdout/stderr payload: `{"text": ...}`. */
export function readStreamText(payload: string): string {
  const chunk = expectKeys(
    parseKernelJson(payload, "a stream chunk", KERNEL_MESSAGE_LIMITS.payloadChars, 1),
    "a stream chunk",
    ["text"],
  );
  return expectString(chunk.text, "a stream chunk's text", KERNEL_MESSAGE_LIMITS.payloadChars);
}

function readCellError(value: unknown): CellErrorInfo | null {
  if (value === null) return null;
  const error = expectKeys(value, "an error", ["name", "message"], ["traceback"]);
  const name = expectString(error.name, "an error name", KERNEL_MESSAGE_LIMITS.errorNameChars, 1);
  const message = expectString(error.message, "an error message", KERNEL_MESSAGE_LIMITS.errorMessageChars);
  if (error.traceback === undefined || error.traceback === null) return { name, message };
  return {
    name,
    message,
    traceback: expectString(error.traceback, "a traceback", KERNEL_MESSAGE_LIMITS.tracebackChars),
  };
}

/**
 * run_cell's result: `{status, outputs, error}`. Its outputs are checked but not used: the cell's outputs are
 * the displays the server accepted while the cell ran (each was also sent as a display), so a forged result
 * cannot add to them.
 */
export function readRunResult(raw: string | null): {
  status: "success" | "error";
  error: CellErrorInfo | null;
} {
  const result = expectKeys(
    parseKernelJson(raw, "a cell result", KERNEL_MESSAGE_LIMITS.replyChars, MAX_OUTPUT_DEPTH + 2),
    "a cell result",
    ["status", "outputs", "error"],
  );
  if (result.status !== "success" && result.status !== "error") fail("a cell result has no valid status");
  if (!Array.isArray(result.outputs)) fail("a cell result's outputs are not a list");
  if (result.outputs.length > KERNEL_MESSAGE_LIMITS.resultOutputs) fail("a cell result has too many outputs");
  for (const output of result.outputs) readOutput(output);
  const error = readCellError(result.error);
  if ((result.status === "error") !== (error !== null)) fail("a cell result's status and error disagree");
  return { status: result.status, error };
}

function readNames(value: unknown, what: string): string[] {
  if (!Array.isArray(value)) fail(`${what} is not a list`);
  if (value.length > KERNEL_MESSAGE_LIMITS.names) fail(`${what} has too many names`);
  for (const name of value) expectString(name, `a name in ${what}`, KERNEL_MESSAGE_LIMITS.nameChars, 1);
  return value as string[];
}

/** analyze's answer: `{reads, writes, error}`. */
export function readAnalysis(raw: string | null): Analysis {
  const analysis = expectKeys(
    parseKernelJson(raw, "an analysis", KERNEL_MESSAGE_LIMITS.replyChars, 3),
    "an analysis",
    ["reads", "writes", "error"],
  );
  return {
    reads: readNames(analysis.reads, "the names read"),
    writes: readNames(analysis.writes, "the names written"),
    error: readCellError(analysis.error),
  };
}

/** missing_imports' answer: module names. */
export function readModuleNames(raw: string | null): string[] {
  return readNames(parseKernelJson(raw, "a module list", KERNEL_MESSAGE_LIMITS.replyChars, 1), "the modules");
}

/** get_values' answer: `{values: {name: encoded value}, missing: [name]}`. */
export function readValues(raw: string | null): { values: Record<string, unknown>; missing: string[] } {
  const answer = expectKeys(
    parseKernelJson(raw, "the values", KERNEL_MESSAGE_LIMITS.replyChars, KERNEL_MESSAGE_LIMITS.valueDepth),
    "the values",
    ["values", "missing"],
  );
  if (!isPlainObject(answer.values)) fail("the values are not an object");
  readNames(Object.keys(answer.values), "the values' names");
  return { values: answer.values, missing: readNames(answer.missing, "the missing names") };
}

/** The answer of a call that returns nothing (delete_names, set_variable, reset). */
export function readNothing(raw: string | null): void {
  if (raw !== null) fail("a call that returns nothing returned a value");
}

/** The answer of a call that returns JSON `true` or `false` (set_control). */
export function readBoolean(raw: string | null): boolean {
  if (raw === "true") return true;
  if (raw === "false") return false;
  return fail("a call that answers true or false answered something else");
}
