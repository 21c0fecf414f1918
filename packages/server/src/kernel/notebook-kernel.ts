// A notebook's kernel: the Kernel the scheduler talks to. It serialises calls, puts a time limit on
// every call, loads packages through the server, keeps each cell's outputs within their caps, and
// replaces its sandboxed process when that process dies, times out, sends an invalid message or is
// restarted, telling listeners (before the call that lost the process returns) so cells become stale.

import { KernelUnavailableError } from "./errors.js";
import { readBoolean, readModuleNames, readNothing, readRunResult, readValues } from "./kernel-input.js";
import {
  KernelCallError,
  KernelDiedError,
  KernelInvalidMessageError,
  type KernelProcess,
} from "./kernel-process.js";
import type { PythonCall, WheelFile } from "./messages.js";
import { type PackageIndex, PackageIndexError } from "./package-index.js";
import { CellOutputs, errorResult } from "./results.js";
import type {
  BatchCell,
  ExecutionResult,
  Kernel,
  KernelBatch,
  KernelLogger,
  KernelStatus,
  KernelStreamEvent,
  KnownControl,
  RestartReason,
} from "./types.js";

/** Least time limit of the kernel's part of loading packages (missing_imports, install). */
const PACKAGE_CALL_TIMEOUT_MS = 60_000;

/** What a notebook kernel needs from its manager. */
export interface KernelSupport {
  takeProcess(): Promise<KernelProcess>;
  packages: PackageIndex;
  cellTimeoutMs: number;
  interruptGraceMs: number;
  idleMs: number;
  onIdle(kernel: NotebookKernel): void;
  logger?: KernelLogger;
}

export class NotebookKernel implements Kernel {
  private current: KernelProcess | null = null;
  private currentStatus: KernelStatus = "starting";
  private replacing: Promise<void> | null = null;
  private closed: string | null = null;
  /** Calls run one at a time: the notebook's globals are one namespace. */
  private queue: Promise<unknown> = Promise.resolve();
  private idleTimer: NodeJS.Timeout | null = null;
  /** Calls running or waiting, and when the last one ended. */
  private calls = 0;
  private usedAt = performance.now();
  private readonly killReasons = new WeakMap<KernelProcess, RestartReason>();
  private readonly installed = new WeakMap<KernelProcess, Set<string>>();
  private readonly statusListeners = new Set<(s: KernelStatus) => void>();
  private readonly restartListeners = new Set<(reason: RestartReason) => void>();
  /** The last batch sent, until another call spoils it (see KernelBatch.spoiled). */
  private batch: { spoil(): void } | null = null;

  constructor(
    readonly notebookId: string,
    readonly ownerId: string,
    private readonly support: KernelSupport,
    first: KernelProcess,
  ) {
    this.attach(first);
    this.currentStatus = "ready";
    this.touch();
  }

  get status(): KernelStatus {
    return this.currentStatus;
  }

  /** The pid of the process currently serving this notebook (for tests and diagnostics). */
  get pid(): number | null {
    return this.current?.alive ? this.current.pid : null;
  }

  get process(): KernelProcess | null {
    return this.current;
  }

  execute(
    cellId: string,
    code: string,
    onEvent: (e: KernelStreamEvent) => void,
    controls: readonly KnownControl[] = [],
  ): Promise<ExecutionResult> {
    this.spoilBatch();
    return this.serial(async () => {
      const started = performance.now();
      const done = (result: Omit<ExecutionResult, "ms">): ExecutionResult => ({
        ...result,
        ms: Math.round(performance.now() - started),
      });
      let proc: KernelProcess;
      try {
        proc = await this.ready();
      } catch (error) {
        return done(errorResult("KernelUnavailableError", (error as Error).message));
      }
      this.setStatus("busy");
      const outputs = new CellOutputs(onEvent);
      let timedOut = false;
      try {
        // Fetching packages is the server's work, with its own time limits; the kernel's part of it
        // (missing_imports, install) runs under the call time limit like everything the kernel does.
        const packageError = await this.loadPackages(proc, code, onEvent, () => {
          timedOut = true;
        });
        if (packageError) return done(packageError);
        const result = await this.withTimeLimit(
          proc,
          async () => {
            const { status, error } = await proc.call(
              "run_cell",
              [cellId, code, JSON.stringify(controls)],
              readRunResult,
              (kind, payload) => outputs.emit(kind, payload),
            );
            return { status, error, outputs: outputs.outputs };
          },
          () => {
            timedOut = true;
          },
        );
        if (timedOut && result.error?.name === "KeyboardInterrupt")
          return done(this.timeLimitResult(outputs.outputs));
        return done(result);
      } catch (error) {
        return done(this.failedCallResult(error, timedOut, outputs.outputs));
      } finally {
        await this.settle(proc);
      }
    });
  }

  executeBatch(cells: BatchCell[]): KernelBatch {
    this.spoilBatch();
    const settlers: ((result: ExecutionResult | null) => void)[] = [];
    const results = cells.map(() => new Promise<ExecutionResult | null>((resolve) => settlers.push(resolve)));
    let cancelled = false;
    let sent: { cancel(): void } | null = null;
    let spoiled = false;
    this.batch = {
      spoil: () => {
        spoiled = true;
        cancelled = true;
        sent?.cancel();
      },
    };
    const finish = (from: number, first: ExecutionResult | null) => {
      settlers[from]?.(first);
      for (const settle of settlers.slice(from + 1)) settle(null);
    };
    void this.serial(async () => {
      let proc: KernelProcess;
      try {
        proc = await this.ready();
      } catch (error) {
        return finish(0, { ...errorResult("KernelUnavailableError", (error as Error).message), ms: 0 });
      }
      this.setStatus("busy");
      const outputs = cells.map((cell) => new CellOutputs(cell.onEvent));
      const batch = proc.callBatch(
        cells.map((cell) => [cell.cellId, cell.code, JSON.stringify(cell.controls ?? [])]),
        readRunResult,
        (result) => result.status === "success",
        (index, kind, payload) => outputs[index]?.emit(kind, payload),
      );
      sent = batch;
      if (cancelled) batch.cancel();
      // Each cell has the whole time limit from when the one before it answered, as if sent alone.
      let lost: { index: number; result: ExecutionResult } | null = null;
      for (const [index, answer] of batch.answers.entries()) {
        const started = performance.now();
        const cellOutputs = outputs[index] as CellOutputs;
        const done = (result: Omit<ExecutionResult, "ms">): ExecutionResult => ({
          ...result,
          ms: Math.round(performance.now() - started),
        });
        let timedOut = false;
        try {
          const read = await this.withTimeLimit(
            proc,
            () => answer,
            () => {
              timedOut = true;
            },
          );
          if (read === null) {
            settlers[index]?.(null);
            continue;
          }
          const result =
            timedOut && read.error?.name === "KeyboardInterrupt"
              ? this.timeLimitResult(cellOutputs.outputs)
              : { status: read.status, error: read.error, outputs: cellOutputs.outputs };
          settlers[index]?.(done(result));
        } catch (error) {
          lost = { index, result: done(this.failedCallResult(error, timedOut, cellOutputs.outputs)) };
          break;
        }
      }
      // A lost process is replaced (and listeners told) before the cell that lost it gets its result.
      await this.settle(proc);
      if (lost) finish(lost.index, lost.result);
    }).catch((error: unknown) => finish(0, { ...errorResult("Error", String(error)), ms: 0 }));
    return {
      results,
      cancel: () => {
        cancelled = true;
        sent?.cancel();
      },
      get spoiled() {
        return spoiled;
      },
    };
  }

  /** Another call is made: the batch in flight stops, and its cells not taken yet no longer count. */
  private spoilBatch(): void {
    this.batch?.spoil();
    this.batch = null;
  }

  async deleteNames(names: string[]): Promise<void> {
    this.spoilBatch();
    await this.serial(() => this.callWithLimit("delete_names", [JSON.stringify(names)], readNothing));
  }

  async setVariable(name: string, value: unknown): Promise<void> {
    this.spoilBatch();
    await this.serial(() =>
      this.callWithLimit("set_variable", [name, JSON.stringify(value ?? null)], readNothing),
    );
  }

  /** Reading names changes nothing: a batch in flight goes on. */
  async getValues(names: string[]): Promise<{ values: Record<string, unknown>; missing: string[] }> {
    return this.serial(() => this.callWithLimit("get_values", [JSON.stringify(names)], readValues));
  }

  async setControl(cellId: string, controlId: string, value: number | string | boolean): Promise<boolean> {
    this.spoilBatch();
    return this.serial(() =>
      this.callWithLimit("set_control", [cellId, controlId, JSON.stringify(value)], readBoolean),
    );
  }

  interrupt(): void {
    if (this.current?.alive) this.current.interrupt();
  }

  async restart(): Promise<void> {
    if (this.closed) throw new KernelUnavailableError(this.closed);
    await this.replace("request");
  }

  onStatus(listener: (s: KernelStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  onRestarted(listener: (reason: RestartReason) => void): () => void {
    this.restartListeners.add(listener);
    return () => this.restartListeners.delete(listener);
  }

  /** Stops the kernel for good (notebook deleted, idle, server closing). */
  close(reason: "idle" | "stopped"): void {
    if (this.closed) return;
    this.closed = reason === "idle" ? "the kernel was stopped after being idle" : "the kernel was stopped";
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const proc = this.current;
    this.current = null;
    proc?.kill(this.closed);
    this.setStatus("dead");
    if (reason === "idle") for (const listener of this.restartListeners) listener("idle");
  }

  /** True when no call is running or waiting: the kernel may be stopped to free its slot. */
  get idle(): boolean {
    return this.calls === 0;
  }

  /** When the kernel was last used (a call ended), for least-recently-used eviction. */
  get lastUsedAt(): number {
    return this.usedAt;
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    this.calls++;
    const run = this.queue.then(task, task).finally(() => {
      this.calls--;
      this.usedAt = performance.now();
    });
    this.queue = run.catch(() => {});
    return run;
  }

  private async ready(): Promise<KernelProcess> {
    if (this.replacing) await this.replacing;
    if (this.closed) throw new KernelUnavailableError(this.closed);
    if (!this.current?.alive) await this.replace("crash");
    if (!this.current?.alive) throw new KernelUnavailableError("the kernel process could not be started");
    return this.current;
  }

  private attach(proc: KernelProcess): void {
    this.current = proc;
    proc.onExit((why) => {
      if (this.current !== proc || this.closed) return;
      this.support.logger?.warn({ notebookId: this.notebookId, pid: proc.pid, why }, "kernel process ended");
      this.setStatus("dead");
      void this.replace(this.killReasons.get(proc) ?? "crash");
    });
  }

  private replace(reason: RestartReason): Promise<void> {
    if (this.replacing) return this.replacing;
    this.replacing = (async () => {
      this.setStatus("restarting");
      const old = this.current;
      this.current = null;
      old?.kill(`restarted (${reason})`);
      try {
        const fresh = await this.support.takeProcess();
        if (this.closed) {
          fresh.kill(this.closed);
          return;
        }
        this.attach(fresh);
        this.setStatus("ready");
      } catch (error) {
        this.support.logger?.error(
          { notebookId: this.notebookId, err: (error as Error).message },
          "kernel restart failed",
        );
        this.setStatus("dead");
      } finally {
        this.replacing = null;
      }
      for (const listener of this.restartListeners) listener(reason);
    })();
    return this.replacing;
  }

  /** Runs `call`; at the time limit interrupts the kernel, and kills it if the interrupt is ignored. */
  private async withTimeLimit<T>(
    proc: KernelProcess,
    call: () => Promise<T>,
    onLimit: () => void,
    limitMs = this.support.cellTimeoutMs,
  ): Promise<T> {
    let grace: NodeJS.Timeout | undefined;
    const limit = setTimeout(() => {
      onLimit();
      proc.interrupt();
      grace = setTimeout(() => {
        this.killReasons.set(proc, "timeout");
        proc.kill("the call ignored the interrupt at its time limit");
      }, this.support.interruptGraceMs);
    }, limitMs);
    try {
      return await call();
    } finally {
      clearTimeout(limit);
      if (grace) clearTimeout(grace);
    }
  }

  /** A call other than run_cell, under the same time limit; a call past it fails with a clear message. */
  private async callWithLimit<T>(
    fn: PythonCall,
    args: string[],
    read: (raw: string | null) => T,
  ): Promise<T> {
    const proc = await this.ready();
    let timedOut = false;
    try {
      return await this.withTimeLimit(
        proc,
        () => proc.call(fn, args, read),
        () => {
          timedOut = true;
        },
      );
    } catch (error) {
      if (timedOut)
        throw new Error(
          `the kernel did not finish ${fn} within the time limit of ${this.support.cellTimeoutMs / 1000} s`,
        );
      throw error;
    } finally {
      await this.settle(proc);
    }
  }

  /**
   * After a call: a process that is gone (killed at the time limit, died, sent an invalid message) is
   * replaced before the call returns, so listeners learn of the lost globals before whatever runs next.
   */
  private async settle(proc: KernelProcess): Promise<void> {
    if (this.current === proc && !proc.alive && !this.closed)
      await this.replace(this.killReasons.get(proc) ?? "crash");
    else if (this.replacing) await this.replacing;
    if (this.current?.alive && !this.replacing) this.setStatus("ready");
    this.touch();
  }

  /** What a cell shows when its call failed: the process was lost, refused, timed out, or Python raised. */
  private failedCallResult(
    error: unknown,
    timedOut: boolean,
    outputs: ExecutionResult["outputs"],
  ): Omit<ExecutionResult, "ms"> {
    if (error instanceof KernelInvalidMessageError)
      return { ...errorResult("InvalidKernelMessage", error.message), outputs };
    if (timedOut) return this.timeLimitResult(outputs);
    if (error instanceof KernelDiedError)
      return { ...errorResult("KernelDiedError", error.message), outputs };
    const e = error as Error;
    return errorResult(e instanceof KernelCallError ? e.pythonName : e.name, e.message);
  }

  private timeLimitResult(outputs: ExecutionResult["outputs"]): Omit<ExecutionResult, "ms"> {
    const seconds = this.support.cellTimeoutMs / 1000;
    return {
      ...errorResult("TimeoutError", `the cell exceeded the time limit of ${seconds} s and was stopped`),
      outputs,
    };
  }

  /** Finding and installing packages (unpacking wheels, importing importlib) may take longer than a short cell limit. */
  private get packageCallLimitMs(): number {
    return Math.max(this.support.cellTimeoutMs, PACKAGE_CALL_TIMEOUT_MS);
  }

  /** Fetches (server side) and installs the packages the code imports; an error result if it cannot. */
  private async loadPackages(
    proc: KernelProcess,
    code: string,
    onEvent: (e: KernelStreamEvent) => void,
    onLimit: () => void,
  ): Promise<Omit<ExecutionResult, "ms"> | null> {
    if (!/\bimport\b/.test(code)) return null; // saves a round trip for most cells
    let missing: string[];
    try {
      missing = await this.withTimeLimit(
        proc,
        () => proc.call("missing_imports", [code], readModuleNames),
        onLimit,
        this.packageCallLimitMs,
      );
    } catch (error) {
      if (error instanceof KernelDiedError) throw error;
      return null; // the cell itself will report what is wrong with the code
    }
    if (missing.length === 0) return null;
    const index = this.support.packages;
    const installed = this.installed.get(proc) ?? new Set<string>();
    this.installed.set(proc, installed);
    try {
      onEvent({
        type: "progress",
        message: `Looking up ${missing.join(", ")} in ${index.indexUrl}`,
        fraction: 0,
      });
      const { packages } = await index.resolve(missing);
      const wanted = packages.filter((entry) => !installed.has(entry.name));
      if (wanted.length === 0) {
        onEvent({ type: "progress", message: `Found ${missing.join(", ")}`, done: true, fraction: 1 });
        return null;
      }
      const wheels: WheelFile[] = [];
      // Downloads and the install share the bar: one step per wheel, one for installing them all.
      const steps = wanted.length + 1;
      for (const [i, entry] of wanted.entries()) {
        onEvent({
          type: "progress",
          message: `Downloading ${entry.name} ${entry.version}`,
          fraction: i / steps,
        });
        wheels.push(await index.download(entry));
      }
      const names = wanted.map((entry) => entry.name).join(", ");
      onEvent({ type: "progress", message: `Installing ${names}`, fraction: wanted.length / steps });
      await this.withTimeLimit(proc, () => proc.install(wheels), onLimit, this.packageCallLimitMs);
      for (const entry of wanted) installed.add(entry.name);
      onEvent({ type: "progress", message: `Loaded ${names}`, done: true, fraction: 1 });
      return null;
    } catch (error) {
      if (error instanceof PackageIndexError) {
        const names = missing.map((name) => `'${name}'`).join(", ");
        return errorResult("ModuleNotFoundError", `No module named ${names}: ${error.message}`);
      }
      throw error;
    }
  }

  private touch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.closed || this.support.idleMs <= 0) return;
    this.idleTimer = setTimeout(() => this.support.onIdle(this), this.support.idleMs);
    this.idleTimer.unref();
  }

  private setStatus(status: KernelStatus): void {
    if (this.currentStatus === status) return;
    this.currentStatus = status;
    for (const listener of this.statusListeners) listener(status);
  }
}
