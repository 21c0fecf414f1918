// One sample database instance as the server sees it: a sandboxed process restored from the snapshot,
// serving one user's cells one at a time. A cell over its time limit, an interrupt, or a process over its
// memory limit stops the process (PGlite has no statement timeout or cancel); so does a cell the process
// could not reset after. A stopped instance never runs another cell.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import type { SandboxLayers } from "../../kernel/index.js";
import { type RawResult, type RunOptions, SqlExecutionError, type StatementInput } from "../result.js";
import { sampleCommand } from "./command.js";
import type { FromSample, RunMessage } from "./protocol.js";

const START_TIMEOUT_MS = 60_000;
/** PGlite's heap is WebAssembly memory, outside V8's; this caps only the JavaScript side. */
const JS_HEAP_MB = 256;
const MEMORY_POLL_MS = 100;

export interface InstanceLimits {
  /** Resident memory a process may reach while running a cell. */
  memoryMb: number;
}

interface Waiting {
  resolve(result: RawResult): void;
  reject(error: Error): void;
}

/** Resident memory of a process in MB (Linux), or null where /proc is not available. */
export function residentMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    return kb === undefined ? null : Math.round(Number(kb) / 1024);
  } catch {
    return null;
  }
}

export class SampleInstance {
  readonly child: ChildProcess;
  /** Resolves with the start time in ms once the instance can run cells. */
  readonly ready: Promise<number>;
  readonly exited: Promise<void>;
  /** Cells reserved on this instance by the pool (waiting or running). */
  pending = 0;
  lastUsed = Date.now();
  isReady = false;
  readonly #waiting = new Map<number, Waiting>();
  #nextId = 1;
  #stopReason: SqlExecutionError | null = null;
  #stderr = "";
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly user: string,
    layers: SandboxLayers,
    snapshot: Buffer,
    private readonly limits: InstanceLimits,
  ) {
    const command = sampleCommand(layers, "serve", JS_HEAP_MB);
    this.child = spawn(command.command, command.args, {
      cwd: command.cwd,
      env: {},
      stdio: ["pipe", "ignore", "pipe", "ipc"],
    });
    this.child.stdin?.on("error", () => {}); // the process may die before reading its snapshot
    this.child.stdin?.end(snapshot);
    this.child.stderr?.setEncoding("utf8");
    this.child.stderr?.on("data", (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-2000);
    });
    let started: (ms: number) => void = () => {};
    let failed: (error: Error) => void = () => {};
    this.ready = new Promise<number>((resolve, reject) => {
      started = resolve;
      failed = reject;
    });
    this.ready.catch(() => {});
    const timer = setTimeout(() => this.stop(stopped("it did not start in time")), START_TIMEOUT_MS);
    timer.unref();
    this.child.on("message", (message: FromSample) => this.#receive(message, started, timer));
    this.child.on("error", () => this.stop(stopped("it could not be started")));
    this.exited = new Promise((resolve) => {
      this.child.on("exit", (code, signal) => {
        clearTimeout(timer);
        command.cleanup();
        this.#stopReason ??= stopped(
          code === 3
            ? "a cell left state behind, so a fresh copy replaces it"
            : `it exited (${signal ?? `code ${code}`})`,
        );
        failed(new Error(`The sample database could not start: ${this.#stopReason.message}`));
        for (const waiting of this.#waiting.values()) waiting.reject(this.#stopReason);
        this.#waiting.clear();
        resolve();
      });
    });
  }

  get alive(): boolean {
    return this.#stopReason === null;
  }

  get pid(): number | null {
    return this.alive ? (this.child.pid ?? null) : null;
  }

  #receive(message: FromSample, started: (ms: number) => void, timer: NodeJS.Timeout): void {
    if (message?.type === "ready") {
      clearTimeout(timer);
      this.isReady = true;
      started(message.ms);
      return;
    }
    if (message?.type !== "result") return;
    const waiting = this.#waiting.get(message.id);
    this.#waiting.delete(message.id);
    if (!waiting) return;
    if (message.ok) {
      const { command, columns, rows, rowCount } = message;
      waiting.resolve({ command, columns, rows, rowCount });
    } else {
      const { message: text, ...details } = message.error;
      waiting.reject(new SqlExecutionError(text, { ...details, kind: details.kind ?? "query" }));
    }
  }

  /** What the process last wrote to stderr (for diagnosis; never shown to users). */
  get stderr(): string {
    return this.#stderr;
  }

  /** Runs one cell after the ones already queued here. */
  run(statements: StatementInput[], options: RunOptions): Promise<RawResult> {
    const next = this.#queue.then(() => this.#run(statements, options));
    this.#queue = next.catch(() => {});
    return next;
  }

  async #run(statements: StatementInput[], options: RunOptions): Promise<RawResult> {
    if (options.signal?.aborted) throw new SqlExecutionError("Interrupted.", { kind: "interrupted" });
    if (this.#stopReason) throw this.#stopReason;
    await this.ready;
    const timer = setTimeout(
      () =>
        this.stop(
          new SqlExecutionError(`The statement ran longer than ${options.timeoutMs} ms and was stopped.`, {
            kind: "timeout",
          }),
        ),
      options.timeoutMs,
    );
    const memory = setInterval(() => {
      const mb = residentMb(this.child.pid);
      if (mb !== null && mb > this.limits.memoryMb) {
        this.stop(
          new SqlExecutionError(
            `The statement used more than ${this.limits.memoryMb} MB of memory (SQL_SAMPLE_MEMORY_MB) and was stopped; add a LIMIT or aggregate.`,
            { kind: "memory" },
          ),
        );
      }
    }, MEMORY_POLL_MS);
    const onAbort = () => this.stop(new SqlExecutionError("Interrupted.", { kind: "interrupted" }));
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      return await this.#send(statements, options.maxRows, options.maxResultBytes);
    } finally {
      clearTimeout(timer);
      clearInterval(memory);
      options.signal?.removeEventListener("abort", onAbort);
    }
  }

  #send(statements: StatementInput[], maxRows: number, maxBytes: number): Promise<RawResult> {
    const id = this.#nextId++;
    return new Promise<RawResult>((resolve, reject) => {
      if (this.#stopReason) return reject(this.#stopReason);
      this.#waiting.set(id, { resolve, reject });
      const message: RunMessage = { type: "run", id, statements, maxRows, maxBytes };
      this.child.send(message, (error) => {
        if (!error) return;
        this.#waiting.delete(id);
        reject(this.#stopReason ?? stopped(error.message));
      });
    });
  }

  /** Kills the process; cells waiting here fail with `reason`. */
  stop(reason: SqlExecutionError): void {
    this.#stopReason ??= reason;
    this.child.kill("SIGKILL");
  }
}

function stopped(why: string): SqlExecutionError {
  return new SqlExecutionError(`The sample database stopped: ${why}.`, { kind: "connection" });
}
