// The kernel's Pyodide worker thread: restores the interpreter (from a memory snapshot when one is
// given), imports the Python runtime `rn_kernel`, closes the sandbox, then serves the server's calls.
// It runs in a worker so the supervising thread can interrupt it through a shared buffer.
// What it calls are closures taken once, before any user code ran: Python that replaces rn_kernel's
// functions changes nothing here. Timers only run during a call (so under its interrupt and time limit),
// and a call's output channel closes when the call ends.
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

interface MemoryDescriptor {
  initial: number;
  maximum?: number;
  shared?: boolean;
}
interface WasmNamespace {
  Memory: new (descriptor: MemoryDescriptor) => object;
  RuntimeError: new (...args: unknown[]) => Error;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmNamespace }).WebAssembly;

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
  const pyodide = await loadPyodide({
    jsglobals: reducedGlobals(),
    env: { HOME: "/home/pyodide" },
    stdout: () => {},
    stderr: () => {},
    ...(init.makeSnapshot ? { _makeSnapshot: true } : {}),
    ...(init.snapshot ? { _loadSnapshot: init.snapshot } : {}),
  });
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
