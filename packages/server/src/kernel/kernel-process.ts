// One sandboxed kernel process seen from the server: spawns it under the OS caps, talks to it over IPC,
// and reports its death. Every message it sends is checked (kernel-input.ts) before anything reads it, and
// no failure while handling one escapes the handler: the process is stopped instead. It knows nothing of
// notebooks; NotebookKernel, the analysis pool and the snapshot builder drive it.
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readdirSync, readFileSync } from "node:fs";
import { setPriority } from "node:os";
import { fileURLToPath } from "node:url";
import { BatchOrder, KernelMessageError, readFromKernel } from "./kernel-input.js";
import {
  EXIT_FATAL,
  EXIT_IDLE_CPU,
  EXIT_INVALID_MESSAGE,
  EXIT_MEMORY_LIMIT,
  type PythonCall,
  type ToKernel,
  type WheelFile,
} from "./messages.js";
import type { KernelOsLimits } from "./os-limits.js";
import { kernelCommand } from "./sandbox.js";
import type { KernelLogger, SandboxLayers } from "./types.js";

const HOST_ENTRY = fileURLToPath(new URL("./child/host.js", import.meta.url));
const START_TIMEOUT_MS = 60_000;
/** The kernel process's descriptor that holds the snapshot file open for reading (see child/host.ts). */
export const SNAPSHOT_FD = 4;
/** Nice value of a kernel started with `lowPriority`. */
const LOW_PRIORITY = 10;

/** A read-only descriptor of the snapshot file, or null when it cannot be opened (then it goes over IPC). */
function openSnapshot(file: string): number | null {
  try {
    return openSync(file, "r");
  } catch {
    return null;
  }
}

/** A call failed because the kernel process ended before answering. */
export class KernelDiedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KernelDiedError";
  }
}

/** The kernel sent a message the server does not accept, and was stopped. */
export class KernelInvalidMessageError extends KernelDiedError {
  constructor(detail: string) {
    super(`the kernel sent an invalid message and was stopped (${detail})`);
    this.name = "KernelInvalidMessageError";
  }
}

/** A call failed inside Python (an exception the runtime did not turn into a result). */
export class KernelCallError extends Error {
  constructor(
    readonly pythonName: string,
    message: string,
  ) {
    super(message);
    this.name = "KernelCallError";
  }
}

export interface KernelProcessOptions {
  layers: SandboxLayers;
  memoryMb: number;
  snapshot: Uint8Array | null;
  /**
   * The snapshot's cache file. When given (and it opens), the kernel reads the snapshot from a read-only
   * descriptor of it instead of receiving `snapshot` over IPC: no copies in the server, the channel and the
   * kernel's supervising thread.
   */
  snapshotFile?: string;
  sources: Record<string, string>;
  /** Memory and CPU caps of the OS; none when absent. */
  osLimits?: KernelOsLimits;
  /**
   * Start at a low CPU priority (nice 10), so the start only takes CPU nobody else wants: a pool refill never
   * slows a waiting request. raisePriority() restores it. Only as root (others could not raise it again).
   */
  lowPriority?: boolean;
  logger?: KernelLogger;
}

interface Pending {
  resolve(value: string | null): void;
  reject(error: Error): void;
  onEmit?: (kind: string, payload: string) => void;
  /** For a cell of a batch: the order its answers must keep, and how its reply and a skip are taken. */
  batch?: { order: BatchOrder; take(raw: string | null): void; skip(): void };
}

/** A batch of cells sent in one message: each cell's answer (null: not run), and a way to stop the rest. */
export interface BatchCall<T> {
  answers: Promise<T | null>[];
  /** Starts no more of the batch's cells (the one running goes on); their answers become null. */
  cancel(): void;
}

export class KernelProcess {
  readonly child: ChildProcess;
  /** Why the process ended, once it has. */
  exitReason: string | null = null;
  private readonly pending = new Map<number, Pending>();
  private readonly exitListeners = new Set<(reason: string) => void>();
  private nextId = 1;
  private fatalMessage: string | null = null;
  private stderrTail = "";
  private killedBecause: string | null = null;
  /** Why the process was stopped for sending an invalid message, once it was. */
  private invalidMessage: string | null = null;
  private readyPromise: Promise<number>;
  private snapshotPromise: Promise<Uint8Array> | null = null;
  private lowPriority: boolean;

  private constructor(
    private readonly options: KernelProcessOptions,
    makeSnapshot: boolean,
  ) {
    const group = options.osLimits?.createGroup() ?? null;
    const lowPriority = options.lowPriority === true && process.getuid?.() === 0;
    this.lowPriority = lowPriority;
    const snapshotFd = options.snapshot && options.snapshotFile ? openSnapshot(options.snapshotFile) : null;
    const command = kernelCommand(
      options.layers,
      HOST_ENTRY,
      options.memoryMb,
      [
        ...(lowPriority ? ["nice", "-n", String(LOW_PRIORITY)] : []),
        ...(options.osLimits?.wrap(group) ?? []),
      ],
      snapshotFd === null ? [] : [`--snapshot-fd=${SNAPSHOT_FD}`],
    );
    try {
      this.child = spawn(command.command, command.args, {
        cwd: command.cwd,
        env: command.env,
        stdio: ["ignore", "ignore", "pipe", "ipc", ...(snapshotFd === null ? [] : [snapshotFd])],
        serialization: "advanced",
      });
    } finally {
      if (snapshotFd !== null) closeSync(snapshotFd); // the child has its own copy of the descriptor
    }
    this.child.stderr?.setEncoding("utf8");
    this.child.stderr?.on("data", (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-2000);
    });
    let onReady: (ms: number) => void = () => {};
    let onSnapshot: (bytes: Uint8Array) => void = () => {};
    let failStart: (error: Error) => void = () => {};
    this.readyPromise = new Promise<number>((resolve, reject) => {
      onReady = resolve;
      failStart = reject;
    });
    this.readyPromise.catch(() => {});
    if (makeSnapshot) {
      this.snapshotPromise = new Promise<Uint8Array>((resolve, reject) => {
        onSnapshot = resolve;
        const previous = failStart;
        failStart = (error) => {
          previous(error);
          reject(error);
        };
      });
      this.snapshotPromise.catch(() => {});
    }
    const startTimer = setTimeout(() => this.kill("it did not start within 60 s"), START_TIMEOUT_MS);
    startTimer.unref();

    this.child.on("message", (raw: unknown) => {
      // Nothing a kernel sends may throw out of this handler: a bad message stops the kernel instead,
      // and nothing it sent after that (a reply already on its way) is read.
      if (this.invalidMessage) return;
      try {
        const message = readFromKernel(raw);
        switch (message.type) {
          case "ready":
            clearTimeout(startTimer);
            try {
              group?.limitCpu(this.pid);
            } catch (error) {
              this.kill(`its CPU could not be capped: ${(error as Error).message}`);
              break;
            }
            onReady(message.ms);
            break;
          case "snapshot":
            clearTimeout(startTimer);
            onSnapshot(message.bytes);
            break;
          case "emit": {
            const waiting = this.pending.get(message.id);
            waiting?.batch?.order.checkOutput(message.id);
            waiting?.onEmit?.(message.kind, message.payload);
            break;
          }
          case "reply": {
            const waiting = this.pending.get(message.id);
            if (!waiting) throw new KernelMessageError("a reply to no call in progress");
            waiting.batch?.order.answer(message.id, "reply");
            if (!message.ok) {
              waiting.batch?.order.stop();
              this.pending.delete(message.id);
              waiting.reject(new KernelCallError(message.error.name, message.error.message));
            } else if (waiting.batch) {
              waiting.batch.take(message.value); // a forged result throws while the call is still pending
              this.pending.delete(message.id);
            } else {
              this.pending.delete(message.id);
              waiting.resolve(message.value);
            }
            break;
          }
          case "skipped": {
            const waiting = this.pending.get(message.id);
            if (!waiting?.batch) throw new KernelMessageError("a skipped cell that is in no batch");
            waiting.batch.order.answer(message.id, "skipped");
            this.pending.delete(message.id);
            waiting.batch.skip();
            break;
          }
          case "fatal":
            this.fatalMessage = message.message;
            break;
        }
      } catch (error) {
        this.refuse(error);
      }
    });
    this.child.on("error", (error) =>
      this.options.logger?.error({ err: error.message }, "kernel process error"),
    );
    this.child.on("exit", (code, signal) => {
      clearTimeout(startTimer);
      command.cleanup();
      if (code === EXIT_INVALID_MESSAGE)
        this.invalidMessage ??= this.fatalMessage ?? "refused by the kernel host";
      const hitMemoryCap = signal === "SIGKILL" && !this.killedBecause && (group?.hitMemoryCap() ?? false);
      group?.remove();
      const reason = hitMemoryCap
        ? `the kernel exceeded its memory limit (${options.memoryMb} MB) and was stopped`
        : this.describeExit(code, signal);
      this.exitReason = reason;
      failStart(new KernelDiedError(`the kernel process stopped before it was ready: ${reason}`));
      const invalid = this.invalidMessage;
      for (const waiting of this.pending.values())
        waiting.reject(invalid ? new KernelInvalidMessageError(invalid) : new KernelDiedError(reason));
      this.pending.clear();
      for (const listener of this.exitListeners) {
        try {
          listener(reason);
        } catch (error) {
          this.options.logger?.error({ err: (error as Error).message }, "a kernel exit listener failed");
        }
      }
    });
    this.send({
      type: "init",
      snapshot: snapshotFd === null ? options.snapshot : null,
      makeSnapshot,
      sources: options.sources,
      memoryMb: options.memoryMb,
    });
  }

  /** Starts a kernel process and resolves once it can run code. */
  static async start(options: KernelProcessOptions): Promise<KernelProcess> {
    const kernel = new KernelProcess(options, false);
    await kernel.readyPromise;
    return kernel;
  }

  /** Starts a process that imports the runtime, returns its memory snapshot and exits. */
  static async snapshot(options: Omit<KernelProcessOptions, "snapshot">): Promise<Uint8Array> {
    const kernel = new KernelProcess({ ...options, snapshot: null }, true);
    try {
      return await (kernel.snapshotPromise as Promise<Uint8Array>);
    } finally {
      kernel.kill("snapshot taken");
    }
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** False from the moment the process is told to stop (not only once its exit is seen). */
  get alive(): boolean {
    return this.exitReason === null && this.killedBecause === null;
  }

  /**
   * Calls an rn_kernel function and reads its answer with `read` (one of kernel-input.ts's readers);
   * `onEmit` receives run_cell's stream events. An answer or an emit that `read`/`onEmit` refuses stops the
   * process and rejects with KernelInvalidMessageError.
   */
  async call<T>(
    fn: PythonCall,
    args: string[],
    read: (raw: string | null) => T,
    onEmit?: (kind: string, payload: string) => void,
  ): Promise<T> {
    const raw = await this.request((id) => ({ type: "call", id, fn, args }), onEmit);
    try {
      return read(raw);
    } catch (error) {
      this.refuse(error);
      throw new KernelInvalidMessageError(this.invalidMessage ?? (error as Error).message);
    }
  }

  /**
   * Runs cells with run_cell in one message (messages.ts, "batch"). Each reply is read with `read` as it
   * arrives; one that fails `succeeded` stops the batch (the kernel starts no more cells). `onEmit` gets each
   * cell's outputs by its index. An answer out of order, twice, for no cell of the batch, or a skip the server
   * did not allow stops the process, like any invalid message.
   */
  callBatch<T>(
    cells: [cellId: string, code: string, controls: string][],
    read: (raw: string | null) => T,
    succeeded: (value: T) => boolean,
    onEmit: (index: number, kind: string, payload: string) => void,
  ): BatchCall<T> {
    if (!this.alive) {
      const gone = new KernelDiedError(this.exitReason ?? "the kernel process has stopped");
      return { answers: cells.map(() => Promise.reject(gone)), cancel: () => {} };
    }
    const ids = cells.map(() => this.nextId++);
    const order = new BatchOrder(ids);
    const answers = ids.map(
      (id, index) =>
        new Promise<T | null>((resolve, reject) => {
          const take = (raw: string | null) => {
            const value = read(raw); // throws for a forged result: the handler stops the process
            if (!succeeded(value)) order.stop();
            resolve(value);
          };
          const onEmitGuarded = (kind: string, payload: string) => {
            if (this.invalidMessage) return;
            try {
              onEmit(index, kind, payload);
            } catch (error) {
              this.refuse(error);
            }
          };
          this.pending.set(id, {
            resolve: () => {},
            reject,
            onEmit: onEmitGuarded,
            batch: { order, take, skip: () => resolve(null) },
          });
        }),
    );
    for (const answer of answers) answer.catch(() => {});
    this.send({ type: "batch", ids, args: cells });
    let cancelled = false;
    return {
      answers,
      cancel: () => {
        if (cancelled || order.done || !this.alive) return;
        cancelled = true;
        order.cancel();
        this.send({ type: "cancel", id: ids[0] as number });
      },
    };
  }

  /** Installs wheels (bytes fetched by the server) into the kernel's site-packages. */
  async install(wheels: WheelFile[]): Promise<void> {
    const raw = await this.request((id) => ({ type: "install", id, wheels }));
    if (raw !== null) {
      this.refuse(new KernelMessageError("an install returned a value"));
      throw new KernelInvalidMessageError("an install returned a value");
    }
  }

  /** Gives a process started with `lowPriority` the normal CPU priority (every thread of it). Never throws. */
  raisePriority(): void {
    if (!this.lowPriority || !this.alive) return;
    this.lowPriority = false;
    try {
      for (const task of readdirSync(`/proc/${this.pid}/task`)) setPriority(Number(task), 0);
    } catch (error) {
      this.options.logger?.warn(
        { pid: this.pid, err: (error as Error).message },
        "could not raise a kernel's priority",
      );
    }
  }

  interrupt(): void {
    this.send({ type: "interrupt" });
  }

  /**
   * Stops the process because of what it sent (or because handling it failed); its pending calls reject
   * with KernelInvalidMessageError. Never throws.
   */
  refuse(error: unknown): void {
    const detail =
      error instanceof KernelMessageError
        ? error.message
        : `handling its message failed: ${error instanceof Error ? error.message : String(error)}`;
    if (!(error instanceof KernelMessageError))
      this.options.logger?.error({ pid: this.pid, err: detail }, "a kernel message could not be handled");
    this.invalidMessage ??= detail.slice(0, 500);
    this.kill(`it sent an invalid message (${this.invalidMessage})`);
    for (const waiting of this.pending.values())
      waiting.reject(new KernelInvalidMessageError(this.invalidMessage));
    this.pending.clear();
  }

  /** Stops the process (SIGKILL); `because` becomes its exit reason. */
  kill(because: string): void {
    if (!this.alive) return;
    this.killedBecause ??= because;
    this.child.kill("SIGKILL");
  }

  onExit(listener: (reason: string) => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  /** Resident memory of the process in bytes (Linux), or null. */
  rssBytes(): number | null {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, "utf8");
      const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
      return kb ? Number(kb) * 1024 : null;
    } catch {
      return null;
    }
  }

  private request(
    build: (id: number) => ToKernel,
    onEmit?: (kind: string, payload: string) => void,
  ): Promise<string | null> {
    if (!this.alive)
      return Promise.reject(new KernelDiedError(this.exitReason ?? "the kernel process has stopped"));
    const id = this.nextId++;
    return new Promise<string | null>((resolve, reject) => {
      const guarded = onEmit
        ? (kind: string, payload: string) => {
            if (this.invalidMessage) return;
            try {
              onEmit(kind, payload);
            } catch (error) {
              this.refuse(error);
            }
          }
        : undefined;
      this.pending.set(id, { resolve, reject, ...(guarded ? { onEmit: guarded } : {}) });
      this.send(build(id));
    });
  }

  private send(message: ToKernel): void {
    if (this.child.connected) this.child.send(message);
  }

  private describeExit(code: number | null, signal: NodeJS.Signals | null): string {
    if (this.invalidMessage)
      return `the kernel sent an invalid message and was stopped (${this.invalidMessage})`;
    if (this.killedBecause) return `the kernel was stopped: ${this.killedBecause}`;
    if (code === EXIT_MEMORY_LIMIT) return this.fatalMessage ?? "the kernel exceeded its memory limit";
    if (code === EXIT_FATAL && this.fatalMessage) return `the kernel died: ${this.fatalMessage}`;
    if (code === EXIT_IDLE_CPU) return this.fatalMessage ?? "the kernel used CPU while no cell was running";
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    const tail = this.stderrTail.trim().split("\n").slice(-3).join(" | ");
    return `the kernel process died (${how})${tail ? `: ${tail}` : ""}`;
  }
}
