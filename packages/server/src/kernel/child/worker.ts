// The kernel's Pyodide worker thread: restores the interpreter (from a memory snapshot when one is
// given), imports the Python runtime `rn_kernel`, closes the sandbox, then serves the server's calls.
// It runs in a worker so the supervising thread can interrupt it through a shared buffer.
// What it calls are closures taken once, before any user code ran: Python that replaces rn_kernel's
// functions changes nothing here. Timers only run during a call (so under its interrupt and time limit),
// and a call's output channel closes when the call ends.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import { loadPyodide, type PyodideInterface } from "pyodide";
import type { FromKernel, PythonCall, ToKernel, WheelFile } from "../messages.js";
import { hardenWorker } from "./harden.js";

type Init = Extract<ToKernel, { type: "init" }>;
type PyFunction = ((...args: unknown[]) => unknown) & { destroy?: () => void };
type Entries = ReadonlyMap<PythonCall, PyFunction>;
const ENTRY_POINTS: readonly PythonCall[] = [
  "run_cell",
  "analyze",
  "delete_names",
  "set_variable",
  "get_values",
  "reset",
  "missing_imports",
  "set_control",
];

const port = parentPort;
if (!port) throw new Error("the kernel worker must run in a worker thread");
const interruptFlag = new Uint8Array(workerData.interrupt as SharedArrayBuffer);
/** Set by the supervising thread to the first call id of a batch the server cancelled. */
const cancelledBatch = new BigInt64Array(workerData.cancel as SharedArrayBuffer);
/** How run_cell's result starts when the cell succeeded (rn_execute._result); anything else stops a batch. */
const SUCCESS_PREFIX = '{"status": "success"';

function post(message: FromKernel, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(message, transfer);
}

interface WasmModule {
  readonly __brand: "WebAssembly.Module";
}
interface WasmInstance {
  readonly exports: object;
}
type Instantiate = (
  source: ArrayBufferView | ArrayBuffer | WasmModule,
  imports?: object,
) => Promise<WasmInstance | { instance: WasmInstance; module: WasmModule }>;

interface MemoryDescriptor {
  initial: number;
  maximum?: number;
  shared?: boolean;
}
interface WasmNamespace {
  Memory: new (descriptor: MemoryDescriptor) => object;
  compile(bytes: ArrayBufferView): Promise<WasmModule>;
  instantiate: Instantiate;
  RuntimeError: new (...args: unknown[]) => Error;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmNamespace }).WebAssembly;

/**
 * Pyodide's code, loaded as soon as the worker starts, while the server's init message (with the snapshot)
 * is on its way:
 * - pyodide.asm.js (1 MB of JavaScript) through `require`: it sets the global `_createPyodideModule`, so
 *   loadPyodide does not import it as an ES module (Node's loader scans a CommonJS file imported that way for
 *   its exports, which took longer than compiling it);
 * - the interpreter's wasm module, compiled from pyodide.asm.wasm; loadPyodide instantiates this one instead
 *   of compiling the same bytes again (see instantiatePrecompiled).
 */
const pyodideDir = path.dirname(createRequire(import.meta.url).resolve("pyodide"));
createRequire(import.meta.url)(path.join(pyodideDir, "pyodide.asm.js"));
const wasmFile = path.join(pyodideDir, "pyodide.asm.wasm");
const precompiled: Promise<{ module: WasmModule; byteLength: number }> = readFile(wasmFile).then(
  async (bytes) => {
    const module = await wasm.compile(bytes); // V8 keeps its own copy of the bytes
    const byteLength = bytes.byteLength;
    free(bytes);
    return { module, byteLength };
  },
);
precompiled.catch(() => {}); // loadPyodide then compiles the bytes itself

/**
 * Frees a buffer's memory now: it moves (transferred) into a message channel that is closed at once. A
 * buffer merely dropped waits for a full garbage collection, which an idle kernel may never run, and the
 * start's buffers (the snapshot, the wasm bytes) are tens of MB.
 */
function free(view: ArrayBufferView | null | undefined): void {
  const buffer = view?.buffer;
  if (!(buffer instanceof ArrayBuffer) || buffer.byteLength === 0) return;
  const channel = new MessageChannel();
  try {
    channel.port1.postMessage(null, [buffer]);
  } catch {
    // not transferable (a pooled Buffer): the collector frees it
  } finally {
    channel.port1.close();
    channel.port2.close();
  }
}

/**
 * Runs `load` with WebAssembly.instantiate answering the interpreter's module (the same file's bytes: same
 * length) from the module compiled at start; anything else, and everything after `load`, goes to the native one.
 */
async function instantiatePrecompiled<T>(load: () => Promise<T>): Promise<T> {
  const native = wasm.instantiate;
  let compiled: { module: WasmModule; byteLength: number } | null = null;
  try {
    compiled = await precompiled;
  } catch {
    // the worker compiles it in loadPyodide instead
  }
  if (!compiled) return load();
  const { module, byteLength } = compiled;
  wasm.instantiate = (source, imports) => {
    const bytes = source as Partial<ArrayBufferView>;
    if (typeof bytes.byteLength !== "number" || bytes.byteLength !== byteLength)
      return native.call(wasm, source, imports);
    wasm.instantiate = native;
    free(source as ArrayBufferView); // Pyodide read the file again; nothing reads these bytes after
    return (native.call(wasm, module, imports) as Promise<WasmInstance>).then((instance) => ({
      instance,
      module,
    }));
  };
  try {
    return await load();
  } finally {
    wasm.instantiate = native;
  }
}

const PAGE = 4096;

/**
 * Runs `load` with the copy of the snapshot into the interpreter's fresh (zero-filled) memory skipping the
 * snapshot's all-zero pages (a third of it: free heap, unused stack), which then stay untouched and cost no
 * RSS until Python writes there. Pyodide restores with `HEAP8.set(bytes)` on a view of the snapshot's buffer;
 * only that call is changed, and only while `load` runs; any other copy, or a Pyodide restoring otherwise,
 * takes the native path unchanged.
 */
async function restoreSparsely<T>(snapshot: Uint8Array | null, load: () => Promise<T>): Promise<T> {
  if (!snapshot || Object.hasOwn(Int8Array.prototype, "set")) return load();
  const proto = Int8Array.prototype as unknown as {
    set: (source: ArrayLike<number>, offset?: number) => void;
  };
  const native = proto.set; // %TypedArray%.prototype.set, inherited
  const restore = () => {
    delete (proto as { set?: unknown }).set;
  };
  proto.set = function set(this: Int8Array, source: ArrayLike<number>, offset?: number) {
    const view = source as Partial<Uint8Array>;
    if (
      view.buffer !== snapshot.buffer ||
      !(source instanceof Uint8Array) ||
      (offset ?? 0) !== 0 ||
      !(this.buffer instanceof ArrayBuffer) || // wasm memory: a fresh, zero-filled one
      this.byteLength < source.byteLength ||
      source.byteOffset % 4 !== 0
    )
      return native.call(this, source, offset);
    restore();
    copyNonZeroPages(source, new Uint8Array(this.buffer, this.byteOffset, this.byteLength));
  };
  try {
    return await load();
  } finally {
    restore();
  }
}

/**
 * target.set(source) page by page, leaving alone the pages that are zero in both (reading an untouched page
 * of the target does not make it resident). The target's pages are checked too: instantiation already wrote
 * the module's data segments.
 */
function copyNonZeroPages(source: Uint8Array, target: Uint8Array): void {
  const sourceWords = new Uint32Array(source.buffer, source.byteOffset, Math.floor(source.byteLength / 4));
  const targetWords = new Uint32Array(target.buffer, target.byteOffset, Math.floor(target.byteLength / 4));
  const allZero = (words: Uint32Array, from: number, to: number) => {
    for (let word = from; word < to; word++) if (words[word] !== 0) return false;
    return true;
  };
  for (let start = 0; start < source.byteLength; start += PAGE) {
    const end = Math.min(start + PAGE, source.byteLength);
    const whole = end - start === PAGE && target.byteOffset % PAGE === 0;
    if (whole && allZero(sourceWords, start / 4, end / 4) && allZero(targetWords, start / 4, end / 4))
      continue;
    target.set(source.subarray(start, end), start);
  }
}

/**
 * Drops what Pyodide keeps of its start once the interpreter runs: the snapshot (in its config) and the
 * instantiate hook, whose closure holds the wasm bytes it read. Together ~30 MB the kernel never reads again.
 */
function releaseStartBuffers(pyodide: PyodideInterface): void {
  const internals = pyodide as unknown as {
    _api?: { config?: Record<string, unknown> };
    _module?: Record<string, unknown>;
  };
  if (internals._api?.config) delete internals._api.config._loadSnapshot;
  if (internals._module) internals._module.instantiateWasm = undefined;
}

/** Caps WebAssembly memory growth so Python sees MemoryError instead of exhausting the machine. */
function capWasmMemory(memoryMb: number): void {
  const maxPages = Math.max(64, Math.floor(memoryMb * 16));
  const Native = wasm.Memory;
  class CappedMemory extends Native {
    constructor(descriptor: MemoryDescriptor) {
      const capped =
        descriptor.shared || descriptor.maximum === undefined
          ? descriptor
          : { ...descriptor, maximum: Math.max(descriptor.initial, Math.min(descriptor.maximum, maxPages)) };
      super(capped);
    }
  }
  wasm.Memory = CappedMemory;
}

/** Python's `js` module sees no JavaScript globals at all: the runtime needs none (asyncio uses Pyodide's own scheduler). */
function reducedGlobals(): object {
  return Object.freeze(Object.create(null));
}

/** The worker's own setImmediate, before gateTimers replaces the global one. */
const nativeSetImmediate = setImmediate;

/** Whether a call is running: timers only run then. */
let callOpen = false;
const timers = new Set<NodeJS.Timeout>();
const immediates = new Set<NodeJS.Immediate>();

/**
 * Replaces the worker's timers (which Pyodide's event loop schedules Python callbacks with) by ones that
 * only run while a call is open; everything still pending when the call ends is cancelled, so no Python
 * runs outside a call's interrupt and time limit.
 */
function gateTimers(): void {
  const realSetTimeout = setTimeout;
  const realClearTimeout = clearTimeout;
  const realSetImmediate = setImmediate;
  const realClearImmediate = clearImmediate;
  const global = globalThis as unknown as Record<string, unknown>;
  const define = (name: string, value: unknown) =>
    Object.defineProperty(global, name, { value, writable: false, configurable: false });
  define("setTimeout", (callback: unknown, ms?: number, ...args: unknown[]) => {
    if (!callOpen || typeof callback !== "function") return undefined;
    const timer = realSetTimeout(() => {
      timers.delete(timer);
      if (callOpen) (callback as (...a: unknown[]) => void)(...args);
    }, ms);
    timers.add(timer);
    return timer;
  });
  define("clearTimeout", (timer: NodeJS.Timeout) => {
    timers.delete(timer);
    realClearTimeout(timer);
  });
  define("setImmediate", (callback: unknown, ...args: unknown[]) => {
    if (!callOpen || typeof callback !== "function") return undefined;
    const immediate = realSetImmediate(() => {
      immediates.delete(immediate);
      if (callOpen) (callback as (...a: unknown[]) => void)(...args);
    });
    immediates.add(immediate);
    return immediate;
  });
  define("clearImmediate", (immediate: NodeJS.Immediate) => {
    immediates.delete(immediate);
    realClearImmediate(immediate);
  });
  const noInterval = () => {
    throw new Error("setInterval is not available in a notebook kernel");
  };
  define("setInterval", noInterval);
  closeCall = () => {
    callOpen = false;
    for (const timer of timers) realClearTimeout(timer);
    for (const immediate of immediates) realClearImmediate(immediate);
    timers.clear();
    immediates.clear();
  };
}

let closeCall = () => {
  callOpen = false;
};

function writeRuntime(pyodide: PyodideInterface, sources: Record<string, string>): void {
  pyodide.FS.mkdirTree("/rn");
  for (const [name, text] of Object.entries(sources)) pyodide.FS.writeFile(`/rn/${name}`, text);
  pyodide.runPython("import sys\nif '/rn' not in sys.path: sys.path.insert(0, '/rn')\nimport rn_kernel");
}

function isFatal(error: unknown): boolean {
  if (error instanceof wasm.RuntimeError) return true;
  const message = error instanceof Error ? error.message : String(error);
  return /fatal error|fatally failed|Aborted\(|Program terminated|ExitStatus/i.test(message);
}

function errorOf(error: unknown): { name: string; message: string } {
  const e = error as { type?: string; name?: string; message?: string };
  return { name: e?.type ?? e?.name ?? "Error", message: e?.message ?? String(error) };
}

async function start(init: Init): Promise<{ pyodide: PyodideInterface; rn: Entries }> {
  const began = performance.now();
  capWasmMemory(init.memoryMb);
  const quiet = { batched: () => {} };
  const pyodide = await instantiatePrecompiled(() =>
    restoreSparsely(init.snapshot, () =>
      loadPyodide({
        jsglobals: reducedGlobals(),
        env: { HOME: "/home/pyodide" },
        stdout: () => {},
        stderr: () => {},
        ...(init.makeSnapshot ? { _makeSnapshot: true } : {}),
        ...(init.snapshot ? { _loadSnapshot: init.snapshot } : {}),
      }),
    ),
  );
  releaseStartBuffers(pyodide);
  free(init.snapshot); // copied into the interpreter's memory
  pyodide.setStdout(quiet);
  pyodide.setStderr(quiet);
  if (init.makeSnapshot) {
    writeRuntime(pyodide, init.sources);
    const bytes = pyodide.makeMemorySnapshot();
    post({ type: "snapshot", bytes }, [bytes.buffer as ArrayBuffer]);
    return { pyodide, rn: new Map() };
  }
  if (!init.snapshot) writeRuntime(pyodide, init.sources);
  pyodide.setInterruptBuffer(interruptFlag);
  await hardenWorker(pyodide);
  gateTimers();
  const module = pyodide.pyimport("rn_kernel") as unknown as Record<string, PyFunction>;
  const rn = new Map<PythonCall, PyFunction>();
  for (const name of ENTRY_POINTS) {
    const fn = module[name];
    if (typeof fn !== "function") throw new Error(`rn_kernel has no function ${name}`);
    rn.set(name, fn);
  }
  post({ type: "ready", ms: performance.now() - began });
  return { pyodide, rn };
}

async function install(pyodide: PyodideInterface, wheels: WheelFile[]): Promise<void> {
  const sitePackages = pyodide.runPython("import sysconfig; sysconfig.get_paths()['purelib']") as string;
  for (const wheel of wheels) {
    pyodide.unpackArchive(wheel.bytes, wheel.fileName.endsWith(".zip") ? "zip" : "wheel", {
      extractDir: sitePackages,
    });
  }
  pyodide.runPython("import importlib; importlib.invalidate_caches()");
}

async function call(rn: Entries, message: Extract<ToKernel, { type: "call" }>): Promise<string | null> {
  const fn = rn.get(message.fn);
  if (!fn) throw new Error(`rn_kernel has no function ${message.fn}`);
  if (message.fn === "run_cell") {
    // The cell's output channel: bound to this call's id, closed when the call ends. Python can reach it
    // (and call it with anything); the server checks each message, so it can only send what display() can.
    let open = true;
    const emit = (kind: unknown, payload: unknown) => {
      if (!open) throw new Error("this cell has ended: its output channel is closed");
      if (typeof kind !== "string" || typeof payload !== "string")
        throw new TypeError("emit(kind, payload) takes two strings");
      post({ type: "emit", id: message.id, kind, payload });
    };
    const [cellId, code, controls = "[]"] = message.args;
    try {
      const answer = fn(cellId, code, emit, controls) as
        | string
        | (PromiseLike<string> & { destroy?: () => void });
      if (typeof answer !== "string") {
        try {
          return await answer;
        } finally {
          answer.destroy?.();
        }
      }
      // Ran without the event loop. What the cell scheduled on it gets the one turn it had when every cell
      // ran as a task of the loop, before the call closes.
      if (immediates.size > 0) await new Promise((resolve) => nativeSetImmediate(resolve));
      return answer;
    } finally {
      open = false;
    }
  }
  const value = fn(...message.args);
  return value === undefined || value === null ? null : String(value);
}

/**
 * Runs a batch's cells in order, answering each as it ends; after a cell that did not succeed, or once the
 * server cancelled the batch, the cells left are answered `skipped` without running.
 */
async function runBatch(rn: Entries, message: Extract<ToKernel, { type: "batch" }>): Promise<void> {
  const first = BigInt(message.ids[0] ?? 0);
  let stopped = false;
  for (const [i, id] of message.ids.entries()) {
    if (stopped || (i > 0 && Atomics.load(cancelledBatch, 0) === first)) {
      stopped = true;
      post({ type: "skipped", id });
      continue;
    }
    callOpen = true;
    try {
      const value = await call(rn, { type: "call", id, fn: "run_cell", args: message.args[i] ?? [] });
      post({ type: "reply", id, ok: true, value });
      stopped = typeof value !== "string" || !value.startsWith(SUCCESS_PREFIX);
    } catch (error) {
      if (isFatal(error)) throw error;
      post({ type: "reply", id, ok: false, error: errorOf(error) });
      stopped = true;
    } finally {
      closeCall();
    }
  }
}

let ready: Promise<{ pyodide: PyodideInterface; rn: Entries }> | null = null;
/** One call at a time: the runtime's globals are not re-entrant. */
let queue: Promise<unknown> = Promise.resolve();

port.on("message", (message: ToKernel) => {
  if (message.type === "init") {
    ready = start(message);
    ready.catch((error: unknown) =>
      post({ type: "fatal", message: `kernel failed to start: ${errorOf(error).message}` }),
    );
    return;
  }
  if (message.type === "interrupt" || message.type === "cancel" || !ready) return;
  const current = ready;
  queue = queue.then(async () => {
    try {
      const { pyodide, rn } = await current;
      interruptFlag[0] = 0;
      if (message.type === "batch") return await runBatch(rn, message);
      callOpen = true;
      let value: string | null = null;
      try {
        if (message.type === "install") await install(pyodide, message.wheels);
        else value = await call(rn, message);
      } finally {
        closeCall();
      }
      post({ type: "reply", id: message.id, ok: true, value });
    } catch (error) {
      if (isFatal(error) || message.type === "batch") {
        post({ type: "fatal", message: `the Python interpreter failed: ${errorOf(error).message}` });
        return;
      }
      post({ type: "reply", id: message.id, ok: false, error: errorOf(error) });
    }
  });
});
