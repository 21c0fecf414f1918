// Entry point of a kernel process: the supervising thread. It starts the Pyodide worker, relays the
// server's messages (IPC) to it, interrupts it through a shared buffer, and stops the whole process
// when the interpreter dies or memory use passes the limit, so the server can replace it.
import { Worker } from "node:worker_threads";
import { EXIT_FATAL, EXIT_MEMORY_LIMIT, type FromKernel, type ToKernel } from "../messages.js";

delete process.env.NODE_CHANNEL_FD;
delete process.env.NODE_CHANNEL_SERIALIZATION_MODE;

const interruptBuffer = new SharedArrayBuffer(1);
const interruptFlag = new Uint8Array(interruptBuffer);
/** SIGINT, which Pyodide turns into KeyboardInterrupt at the next bytecode boundary. */
const SIGINT = 2;
let worker: Worker | null = null;
let exiting = false;

function send(message: FromKernel): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected) return resolve();
    process.send?.(message, undefined, {}, () => resolve());
  });
}

async function stop(code: number, message: string): Promise<void> {
  if (exiting) return;
  exiting = true;
  await send({ type: "fatal", message });
  process.exit(code);
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

process.on("disconnect", () => process.exit(0));
process.on("message", (message: ToKernel) => {
  if (message.type === "interrupt") {
    Atomics.store(interruptFlag, 0, SIGINT);
    return;
  }
  if (message.type === "init") {
    worker = new Worker(new URL("./worker.js", import.meta.url), {
      workerData: { interrupt: interruptBuffer },
      env: {},
      stdout: false,
      stderr: false,
      resourceLimits: { maxOldGenerationSizeMb: Math.max(128, message.memoryMb) },
    });
    worker.on("message", (reply: FromKernel) => {
      if (reply.type === "fatal") void stop(EXIT_FATAL, reply.message);
      else void send(reply);
    });
    worker.on("error", (error: unknown) => {
      const detail = (error instanceof Error ? error.message : String(error)).split("\n")[0];
      void stop(EXIT_FATAL, `the kernel worker failed: ${detail}`);
    });
    worker.on("exit", (code) => void stop(EXIT_FATAL, `the kernel worker stopped (exit code ${code})`));
    watchMemory(message.memoryMb);
  }
  worker?.postMessage(message);
});
