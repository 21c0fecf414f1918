// Entry point of a kernel process: the supervising thread. It starts the Pyodide worker, relays the
// server's messages (IPC) to it, interrupts it through a shared buffer, and stops the whole process when
// the interpreter dies, memory use passes the limit, the worker sends something oversized, or the process
// uses CPU while no call is running. Python cannot reach this thread (a separate V8 isolate), so its
// checks hold even if the worker's JavaScript world was tampered with from Python.
import { closeSync, readFile } from "node:fs";
import { Worker } from "node:worker_threads";
// Only the limits: the package's index (every schema of the API) took ~200 ms and 16 MB of each kernel.
import {
  MAX_CELL_OUTPUT_BYTES,
  MAX_CELL_OUTPUTS,
  MAX_OUTPUT_BYTES,
} from "@reactive-notebook/protocol/limits";
import {
  EXIT_FATAL,
  EXIT_IDLE_CPU,
  EXIT_INVALID_MESSAGE,
  EXIT_MEMORY_LIMIT,
  type FromKernel,
  type ToKernel,
} from "../messages.js";

delete process.env.NODE_CHANNEL_FD;
delete process.env.NODE_CHANNEL_SERIALIZATION_MODE;

const interruptBuffer = new SharedArrayBuffer(1);
const interruptFlag = new Uint8Array(interruptBuffer);
/** The first call id of a cancelled batch: the worker reads it between a batch's cells, while it is busy. */
const cancelBuffer = new SharedArrayBuffer(8);
const cancelledBatch = new BigInt64Array(cancelBuffer);
/** SIGINT, which Pyodide turns into KeyboardInterrupt at the next bytecode boundary. */
const SIGINT = 2;
/** Largest emit relayed (one output or stream chunk), and largest reply (a cell result repeats its outputs). */
const MAX_EMIT_CHARS = MAX_OUTPUT_BYTES + 1024;
const MAX_REPLY_CHARS = MAX_CELL_OUTPUT_BYTES + 2 * 1024 * 1024;
/**
 * Emits relayed per call. The server keeps at most MAX_CELL_OUTPUTS outputs and MAX_CELL_OUTPUT_BYTES; what
 * is past both (plus one message, so the server sees the cap reached) is dropped here, so a flooding cell
 * costs the server nothing.
 */
const RELAYED_DISPLAYS = MAX_CELL_OUTPUTS + 1;
const RELAYED_CHARS = MAX_CELL_OUTPUT_BYTES + MAX_EMIT_CHARS;
const RELAYED_EMITS = 10_000;
/** Idle CPU watchdog: a tick whose CPU use is over this share while no call runs is a strike. */
const IDLE_TICK_MS = 1000;
const IDLE_CPU_SHARE = 0.5;
const IDLE_STRIKES = 3;

let worker: Worker | null = null;
let exiting = false;
/** Calls sent to the worker and not answered yet (the worker runs them one at a time). */
const active = new Map<number, { displays: number; chars: number; emits: number }>();

function send(message: FromKernel): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected) return resolve();
    process.send?.(message, undefined, {}, () => resolve());
  });
}

async function stop(code: number, message: string): Promise<void> {
  if (exiting) return;
  exiting = true;
  worker?.terminate().catch(() => {});
  await send({ type: "fatal", message });
  process.exit(code);
}

/** Relays one message of the worker, or stops the process when it is one the server would refuse. */
function relay(message: FromKernel): void {
  if (exiting) return;
  if (typeof message !== "object" || message === null) {
    void stop(EXIT_INVALID_MESSAGE, "a message that is not an object");
    return;
  }
  if (message.type === "ready") watchIdleCpu();
  if (message.type === "fatal") {
    void stop(EXIT_FATAL, String(message.message).slice(0, 2000));
    return;
  }
  if (message.type === "emit") {
    const call = active.get(message.id);
    if (!call) return; // the call has ended: late output is dropped
    const size = typeof message.payload === "string" ? message.payload.length : Number.POSITIVE_INFINITY;
    if (size > MAX_EMIT_CHARS) {
      void stop(EXIT_INVALID_MESSAGE, `an output of ${size} characters (the limit is ${MAX_EMIT_CHARS})`);
      return;
    }
    call.emits++;
    call.chars += size;
    if (message.kind === "display") call.displays++;
    if (call.emits > RELAYED_EMITS || call.chars > RELAYED_CHARS || call.displays > RELAYED_DISPLAYS) return;
  } else if (message.type === "skipped") {
    active.delete(message.id);
  } else if (message.type === "reply") {
    active.delete(message.id);
    const value = message.ok ? message.value : null;
    const size = typeof value === "string" ? value.length : 0;
    if (size > MAX_REPLY_CHARS) {
      void stop(EXIT_INVALID_MESSAGE, `a reply of ${size} characters (the limit is ${MAX_REPLY_CHARS})`);
      return;
    }
  }
  void send(message);
}

function watchMemory(memoryMb: number): void {
  // The wasm heap is capped at memoryMb inside the worker; this catches everything else
  // (JS heap, compiled code) with room for Node and Pyodide's own ~200 MB.
  const limit = (memoryMb + 320) * 1024 * 1024;
  setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > limit) void stop(EXIT_MEMORY_LIMIT, `the kernel exceeded its memory limit (${memoryMb} MB)`);
  }, 250).unref();
}

let watchingCpu = false;
/** From the moment the kernel is ready (its start is busy by nature). */
function watchIdleCpu(): void {
  if (watchingCpu) return;
  watchingCpu = true;
  // Work that outlives its call (a thread of Python scheduled from a callback the runtime did not see)
  // shows as CPU used while nothing runs: after a few such seconds the kernel is stopped.
  let last = process.cpuUsage();
  let strikes = 0;
  let wasIdle = false;
  setInterval(() => {
    const now = process.cpuUsage();
    const usedMs = (now.user - last.user + now.system - last.system) / 1000;
    last = now;
    const idle = active.size === 0;
    strikes = idle && wasIdle && usedMs > IDLE_TICK_MS * IDLE_CPU_SHARE ? strikes + 1 : 0;
    wasIdle = idle;
    if (strikes >= IDLE_STRIKES)
      void stop(EXIT_IDLE_CPU, "the kernel used CPU while no cell was running and was stopped");
  }, IDLE_TICK_MS).unref();
}

/**
 * Starts the Pyodide worker. It begins loading Pyodide's code and compiling its wasm module at once, while
 * the server's init message (with the memory snapshot) is still on its way.
 */
function startWorker(memoryMb: number): Worker {
  const started = new Worker(new URL("./worker.js", import.meta.url), {
    workerData: { interrupt: interruptBuffer, cancel: cancelBuffer },
    env: {},
    stdout: false,
    stderr: false,
    // The young generations keep V8's defaults: smaller ones saved no idle memory but made a cell that
    // displays megabytes twice as slow (kernel-hostile.test.ts, "huge displays").
    resourceLimits: { maxOldGenerationSizeMb: Math.max(128, memoryMb) },
  });
  started.on("message", relay);
  started.on("error", (error: unknown) => {
    const detail = (error instanceof Error ? error.message : String(error)).split("\n")[0];
    void stop(EXIT_FATAL, `the kernel worker failed: ${detail}`);
  });
  started.on("exit", (code) => void stop(EXIT_FATAL, `the kernel worker stopped (exit code ${code})`));
  watchMemory(memoryMb);
  return started;
}

/** The memory limit the server put on the command line (see sandbox.ts), if any. */
const argvMemoryMb = Number(process.argv[2]);
if (Number.isSafeInteger(argvMemoryMb) && argvMemoryMb > 0) worker = startWorker(argvMemoryMb);

/**
 * The snapshot, when the server passed its file as a read-only descriptor (`--snapshot-fd=N`, see
 * kernel-process.ts) instead of sending it: read at once (while the worker loads Pyodide), into a buffer of
 * its own that moves to the worker; the descriptor is closed after.
 */
const snapshotFd = Number(/^--snapshot-fd=(\d+)$/.exec(process.argv[3] ?? "")?.[1] ?? Number.NaN);
const fileSnapshot: Promise<Uint8Array> | null = Number.isSafeInteger(snapshotFd)
  ? new Promise((resolve, reject) =>
      readFile(snapshotFd, (error, buffer) =>
        error ? reject(error) : resolve(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)),
      ),
    )
  : null;
fileSnapshot
  ?.catch(() => {})
  .finally(() => {
    try {
      closeSync(snapshotFd);
    } catch {
      // already closed
    }
  });

/** Messages for the worker wait here while the snapshot file is read (only calls the server sends after ready). */
let toWorker: Promise<void> = Promise.resolve();

function forwardInit(message: Extract<ToKernel, { type: "init" }>, target: Worker): void {
  const forward = (snapshot: Uint8Array | null) => {
    // The snapshot (tens of MB) moves to the worker instead of being copied, when it has a buffer of its own.
    if (snapshot && snapshot.byteOffset === 0 && snapshot.byteLength === snapshot.buffer.byteLength)
      target.postMessage({ ...message, snapshot }, [snapshot.buffer as ArrayBuffer]);
    else target.postMessage({ ...message, snapshot });
  };
  if (message.snapshot || !fileSnapshot || message.makeSnapshot) {
    forward(message.snapshot);
    return;
  }
  toWorker = fileSnapshot.then(forward, (error: unknown) =>
    stop(EXIT_FATAL, `the kernel could not read its snapshot: ${(error as Error).message}`),
  );
}

process.on("disconnect", () => process.exit(0));
process.on("message", (message: ToKernel) => {
  if (message.type === "interrupt") {
    Atomics.store(interruptFlag, 0, SIGINT);
    return;
  }
  if (message.type === "cancel") {
    Atomics.store(cancelledBatch, 0, BigInt(message.id));
    return;
  }
  if (message.type === "call" || message.type === "install")
    active.set(message.id, { displays: 0, chars: 0, emits: 0 });
  if (message.type === "batch")
    for (const id of message.ids) active.set(id, { displays: 0, chars: 0, emits: 0 });
  if (message.type === "init") {
    worker ??= startWorker(message.memoryMb);
    forwardInit(message, worker);
    return;
  }
  const target = worker;
  if (target) toWorker = toWorker.then(() => target.postMessage(message));
});
