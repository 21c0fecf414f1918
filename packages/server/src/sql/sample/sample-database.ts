// The built-in sample database as the server sees it: one sandboxed PGlite process per server, started on
// first use (it takes seconds and several hundred MB), shared by every notebook without a connection of
// its own, one cell at a time. A cell over the time limit — or an interrupt — stops the process (PGlite has
// no statement_timeout); the next cell starts a fresh, freshly seeded one.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { kernelCommand } from "../../kernel/sandbox.js";
import type { SandboxLayers } from "../../kernel/types.js";
import {
  type RawResult,
  type RunOptions,
  SqlExecutionError,
  type SqlTarget,
  type StatementInput,
} from "../result.js";
import type { FromSample, ToSample } from "./host.js";

const HOST_ENTRY = fileURLToPath(new URL("./host.js", import.meta.url));
const START_TIMEOUT_MS = 120_000;
/** PGlite's heap is WebAssembly memory, outside V8's; this caps only the JavaScript side. */
const JS_HEAP_MB = 256;

interface Waiting {
  resolve(result: RawResult): void;
  reject(error: Error): void;
}

class SampleProcess {
  readonly child: ChildProcess;
  readonly ready: Promise<number>;
  readonly #waiting = new Map<number, Waiting>();
  #nextId = 1;
  #exitReason: string | null = null;
  #stderr = "";

  constructor(layers: SandboxLayers) {
    const command = kernelCommand(layers, HOST_ENTRY, JS_HEAP_MB);
    this.child = spawn(command.command, command.args, {
      cwd: command.cwd,
      env: {},
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    this.child.stderr?.setEncoding("utf8");
    this.child.stderr?.on("data", (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-2000);
    });
    let onReady: (ms: number) => void = () => {};
    let onFail: (error: Error) => void = () => {};
    this.ready = new Promise<number>((resolve, reject) => {
      onReady = resolve;
      onFail = reject;
    });
    this.ready.catch(() => {});
    const timer = setTimeout(() => this.kill("it did not start in time"), START_TIMEOUT_MS);
    timer.unref();
    this.child.on("message", (message: FromSample) => {
      if (message.type === "ready") {
        clearTimeout(timer);
        onReady(message.ms);
        return;
      }
      const waiting = this.#waiting.get(message.id);
      this.#waiting.delete(message.id);
      if (!waiting) return;
      if (message.ok) {
        waiting.resolve({
          command: message.command,
          columns: message.columns,
          rows: message.rows,
          rowCount: message.rowCount,
        });
      } else {
        const { message: text, ...details } = message.error;
        waiting.reject(new SqlExecutionError(text, { ...details, kind: "query" }));
      }
    });
    this.child.on("exit", (code, signal) => {
      clearTimeout(timer);
      command.cleanup();
      const reason =
        this.#exitReason ?? `it exited (${signal ?? `code ${code}`}) ${this.#stderr.trim()}`.trim();
      this.#exitReason = reason;
      onFail(new Error(`The sample database could not start: ${reason}`));
      for (const waiting of this.#waiting.values()) {
        waiting.reject(
          new SqlExecutionError(`The sample database stopped: ${reason}`, { kind: "connection" }),
        );
      }
      this.#waiting.clear();
    });
  }

  get alive(): boolean {
    return this.#exitReason === null;
  }

  run(statements: StatementInput[], maxRows: number): Promise<RawResult> {
    const id = this.#nextId++;
    return new Promise<RawResult>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      const message: ToSample = { type: "run", id, statements, maxRows };
      this.child.send(message, (error) => {
        if (error) {
          this.#waiting.delete(id);
          reject(
            new SqlExecutionError(`The sample database stopped: ${error.message}`, { kind: "connection" }),
          );
        }
      });
    });
  }

  kill(reason: string): void {
    if (this.#exitReason === null) this.#exitReason = reason;
    this.child.kill("SIGKILL");
  }
}

export class SampleDatabase implements SqlTarget {
  #process: SampleProcess | null = null;
  /** Cells run one at a time: a stopped process must not take other notebooks' queued cells with it. */
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(private readonly layers: SandboxLayers) {}

  /** The pid of the running sample process (benchmarks read its memory), or null. */
  get pid(): number | null {
    return this.#process?.alive ? (this.#process.child.pid ?? null) : null;
  }

  /** Starts the process now (e.g. ahead of a demo); resolves with its start time in ms. */
  async warm(): Promise<number> {
    return (await this.#ready()).ready;
  }

  run(statements: StatementInput[], options: RunOptions): Promise<RawResult> {
    const next = this.#queue.then(() => this.#run(statements, options));
    this.#queue = next.catch(() => {});
    return next;
  }

  async #ready(): Promise<SampleProcess> {
    if (this.#closed) throw new SqlExecutionError("The server is shutting down.", { kind: "connection" });
    if (!this.#process?.alive) this.#process = new SampleProcess(this.layers);
    const proc = this.#process;
    try {
      await proc.ready;
    } catch (error) {
      throw new SqlExecutionError((error as Error).message, { kind: "connection" });
    }
    return proc;
  }

  async #run(statements: StatementInput[], options: RunOptions): Promise<RawResult> {
    if (options.signal?.aborted) throw new SqlExecutionError("Interrupted.", { kind: "interrupted" });
    const proc = await this.#ready();
    let stopped: SqlExecutionError | null = null;
    const stop = (error: SqlExecutionError) => {
      stopped = error;
      proc.kill(error.message);
    };
    const timer = setTimeout(
      () =>
        stop(
          new SqlExecutionError(`The statement ran longer than ${options.timeoutMs} ms and was stopped.`, {
            kind: "timeout",
          }),
        ),
      options.timeoutMs,
    );
    const onAbort = () => stop(new SqlExecutionError("Interrupted.", { kind: "interrupted" }));
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      return await proc.run(statements, options.maxRows);
    } catch (error) {
      throw stopped ?? error;
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    const proc = this.#process;
    this.#process = null;
    if (proc?.alive) {
      const exited = new Promise((resolve) => proc.child.once("exit", resolve));
      proc.kill("the server is shutting down");
      await exited;
    }
  }
}
