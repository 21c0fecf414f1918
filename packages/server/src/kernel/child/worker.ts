// The kernel's Pyodide worker thread: restores the interpreter (from a memory snapshot when one is
// given), imports the Python runtime `rn_kernel`, closes the sandbox, then serves the server's calls.
// It runs in a worker so the supervising thread can interrupt it through a shared buffer.
import { parentPort, workerData } from "node:worker_threads";
import { loadPyodide, type PyodideInterface } from "pyodide";
import type { FromKernel, ToKernel, WheelFile } from "../messages.js";
import { hardenWorker } from "./harden.js";

type Init = Extract<ToKernel, { type: "init" }>;
type PyFunction = ((...args: unknown[]) => unknown) & { destroy?: () => void };

const port = parentPort;
if (!port) throw new Error("the kernel worker must run in a worker thread");
const interruptFlag = new Uint8Array(workerData.interrupt as SharedArrayBuffer);

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

/** The only JavaScript globals Python's `js` module sees: timers for asyncio, nothing else. */
function reducedGlobals(): object {
  const globals = Object.create(null) as Record<string, unknown>;
  globals.setTimeout = (callback: unknown, ms?: number) => {
    if (typeof callback !== "function") throw new TypeError("setTimeout needs a function");
    return Number(setTimeout(callback as () => void, ms));
  };
  globals.clearTimeout = (id: number) => clearTimeout(id);
  return Object.freeze(globals);
}

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

async function start(init: Init): Promise<{ pyodide: PyodideInterface; rn: Record<string, PyFunction> }> {
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
    return { pyodide, rn: {} };
  }
  if (!init.snapshot) writeRuntime(pyodide, init.sources);
  pyodide.setInterruptBuffer(interruptFlag);
  await hardenWorker(pyodide);
  const rn = pyodide.pyimport("rn_kernel") as unknown as Record<string, PyFunction>;
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

async function call(
  rn: Record<string, PyFunction>,
  message: Extract<ToKernel, { type: "call" }>,
): Promise<string | null> {
  const fn = rn[message.fn];
  if (!fn) throw new Error(`rn_kernel has no function ${message.fn}`);
  if (message.fn === "run_cell") {
    const emit = (kind: string, payload: string) => post({ type: "emit", id: message.id, kind, payload });
    const [cellId, code] = message.args;
    return (await fn(cellId, code, emit)) as string;
  }
  const value = fn(...message.args);
  return value === undefined || value === null ? null : String(value);
}

let ready: Promise<{ pyodide: PyodideInterface; rn: Record<string, PyFunction> }> | null = null;
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
  if (message.type === "interrupt" || !ready) return;
  const current = ready;
  queue = queue.then(async () => {
    try {
      const { pyodide, rn } = await current;
      interruptFlag[0] = 0;
      if (message.type === "install") {
        await install(pyodide, message.wheels);
        post({ type: "reply", id: message.id, ok: true, value: null });
      } else {
        post({ type: "reply", id: message.id, ok: true, value: await call(rn, message) });
      }
    } catch (error) {
      if (isFatal(error)) {
        post({ type: "fatal", message: `the Python interpreter failed: ${errorOf(error).message}` });
        return;
      }
      post({ type: "reply", id: message.id, ok: false, error: errorOf(error) });
    }
  });
});
