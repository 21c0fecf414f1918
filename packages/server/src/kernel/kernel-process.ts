// One sandboxed kernel process seen from the server: spawns it, talks to it over IPC, and reports
// its death. It knows nothing of notebooks; NotebookKernel and the snapshot builder drive it.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  EXIT_FATAL,
  EXIT_MEMORY_LIMIT,
  type FromKernel,
  type PythonCall,
  type ToKernel,
  type WheelFile,
} from "./messages.js";
import { kernelCommand } from "./sandbox.js";
import type { KernelLogger, SandboxLayers } from "./types.js";

const HOST_ENTRY = fileURLToPath(new URL("./child/host.js", import.meta.url));
const START_TIMEOUT_MS = 60_000;

/** A call failed because the kernel process ended before answering. */
export class KernelDiedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KernelDiedError";
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
  sources: Record<string, string>;
  logger?: KernelLogger;
}

interface Pending {
  resolve(value: string | null): void;
  reject(error: Error): void;
  onEmit?: (kind: string, payload: string) => void;
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
  private readyPromise: Promise<number>;
  private snapshotPromise: Promise<Uint8Array> | null = null;

  private constructor(
    private readonly options: KernelProcessOptions,
    makeSnapshot: boolean,
  ) {
    const command = kernelCommand(options.layers, HOST_ENTRY, options.memoryMb);
    this.child = spawn(command.command, command.args, {
      cwd: command.cwd,
      env: {},
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      serialization: "advanced",
    });
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

    this.child.on("message", (message: FromKernel) => {
      switch (message.type) {
        case "ready":
          clearTimeout(startTimer);
          onReady(message.ms);
          break;
        case "snapshot":
          clearTimeout(startTimer);
          onSnapshot(message.bytes);
          break;
        case "emit":
          this.pending.get(message.id)?.onEmit?.(message.kind, message.payload);
          break;
        case "reply": {
          const waiting = this.pending.get(message.id);
          this.pending.delete(message.id);
          if (!waiting) break;
          if (message.ok) waiting.resolve(message.value);
          else waiting.reject(new KernelCallError(message.error.name, message.error.message));
          break;
        }
        case "fatal":
          this.fatalMessage = message.message;
          break;
      }
    });
    this.child.on("error", (error) =>
      this.options.logger?.error({ err: error.message }, "kernel process error"),
    );
    this.child.on("exit", (code, signal) => {
      clearTimeout(startTimer);
      command.cleanup();
      const reason = this.describeExit(code, signal);
      this.exitReason = reason;
      failStart(new KernelDiedError(`the kernel process stopped before it was ready: ${reason}`));
      for (const waiting of this.pending.values()) waiting.reject(new KernelDiedError(reason));
      this.pending.clear();
      for (const listener of this.exitListeners) listener(reason);
    });
    this.send({
      type: "init",
      snapshot: options.snapshot,
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

  get alive(): boolean {
    return this.exitReason === null;
  }

  /** Calls an rn_kernel function; `onEmit` receives run_cell's stream events. */
  call(
    fn: PythonCall,
    args: string[],
    onEmit?: (kind: string, payload: string) => void,
  ): Promise<string | null> {
    return this.request((id) => ({ type: "call", id, fn, args }), onEmit);
  }

  /** Installs wheels (bytes fetched by the server) into the kernel's site-packages. */
  async install(wheels: WheelFile[]): Promise<void> {
    await this.request((id) => ({ type: "install", id, wheels }));
  }

  interrupt(): void {
    this.send({ type: "interrupt" });
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
      this.pending.set(id, { resolve, reject, ...(onEmit ? { onEmit } : {}) });
      this.send(build(id));
    });
  }

  private send(message: ToKernel): void {
    if (this.child.connected) this.child.send(message);
  }

  private describeExit(code: number | null, signal: NodeJS.Signals | null): string {
    if (this.killedBecause) return `the kernel was stopped: ${this.killedBecause}`;
    if (code === EXIT_MEMORY_LIMIT) return this.fatalMessage ?? "the kernel exceeded its memory limit";
    if (code === EXIT_FATAL && this.fatalMessage) return `the kernel died: ${this.fatalMessage}`;
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    const tail = this.stderrTail.trim().split("\n").slice(-3).join(" | ");
    return `the kernel process died (${how})${tail ? `: ${tail}` : ""}`;
  }
}
