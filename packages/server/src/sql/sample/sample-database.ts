// The built-in sample database: one sandboxed instance per user, never shared. A user's first SQL cell
// (or the first after theirs was stopped) starts an instance restored from the seeded snapshot; that
// user's cells — from any of their notebooks — run on it one at a time, each rolled back and the session
// reset after it. At most `instances` run at once (each holds a few hundred MB); when all are taken, the
// least recently used idle one is stopped for the newcomer, and only when every instance is running a
// cell does a new user wait — for at most the statement timeout, since a cell over it stops its instance.
// An instance idle for `idleMs` is stopped, so an idle server holds no sample database memory.
import type { SandboxLayers } from "../../kernel/index.js";
import {
  type RawResult,
  type RunOptions,
  SqlExecutionError,
  type SqlTarget,
  type StatementInput,
} from "../result.js";
import { type InstanceLimits, SampleInstance } from "./instance.js";
import { discardSnapshot, sampleSnapshot } from "./snapshot.js";

export interface SampleDatabaseOptions {
  /** Instances running at once, each one user's (default 4). */
  instances?: number;
  /** An instance unused this long is stopped (default 5 minutes). */
  idleMs?: number;
  /** Resident memory an instance may reach while running a cell (default 1024 MB). */
  memoryMb?: number;
  /** Where the seeded snapshot is cached across restarts (the data directory); null keeps it in memory. */
  cacheDir?: string | null;
}

type Progress = NonNullable<RunOptions["onProgress"]>;

/** Reports waiting to the cell: the steps, then one `done: true` when the wait is over (if it began). */
function progressReporter(onProgress: Progress | undefined) {
  let reported = false;
  return {
    step(message: string) {
      reported = true;
      onProgress?.({ kind: "database", message, done: false });
    },
    finish(ok: boolean) {
      if (!reported) return;
      onProgress?.({
        kind: "database",
        message: ok ? "The sample database is ready." : "The sample database could not start.",
        fraction: ok ? 1 : undefined,
        done: true,
      });
    },
  };
}

export class SampleDatabase {
  readonly #instances = new Map<string, SampleInstance>();
  #waiters: (() => void)[] = [];
  #snapshot: Buffer | null = null;
  #closed = false;
  readonly #sweeper: NodeJS.Timeout;
  readonly #max: number;
  readonly #idleMs: number;
  readonly #memoryMb: number;
  readonly #cacheDir: string | null;

  constructor(
    private readonly layers: SandboxLayers,
    options: SampleDatabaseOptions = {},
  ) {
    this.#max = options.instances ?? 4;
    this.#idleMs = options.idleMs ?? 300_000;
    this.#memoryMb = options.memoryMb ?? 1024;
    this.#cacheDir = options.cacheDir ?? null;
    this.#sweeper = setInterval(() => this.#stopIdle(), Math.max(250, Math.min(this.#idleMs / 2, 30_000)));
    this.#sweeper.unref();
  }

  /** The sample database as one user's SQL cells see it. */
  forUser(user: string): SqlTarget {
    return { run: (statements, options) => this.#run(user, statements, options) };
  }

  /** The running instances (tests and the benchmark read pids and memory). */
  instances(): { user: string; pid: number | null; ready: boolean; pending: number }[] {
    return [...this.#instances.values()].map((i) => ({
      user: i.user,
      pid: i.pid,
      ready: i.isReady,
      pending: i.pending,
    }));
  }

  /** Starts `user`'s instance now; resolves with its start time in ms. */
  async start(user: string): Promise<number> {
    const instance = await this.#acquire(user, {});
    instance.pending--;
    this.#wake();
    return instance.ready;
  }

  async #run(user: string, statements: StatementInput[], options: RunOptions): Promise<RawResult> {
    const instance = await this.#acquire(user, options);
    try {
      return await instance.run(statements, options);
    } finally {
      instance.pending--;
      instance.lastUsed = Date.now();
      this.#wake();
    }
  }

  /** The user's instance, started if need be, with one cell reserved on it (`pending`). */
  async #acquire(user: string, options: Pick<RunOptions, "signal" | "onProgress">): Promise<SampleInstance> {
    const progress = progressReporter(options.onProgress);
    let ok = false;
    try {
      for (;;) {
        if (this.#closed) throw new SqlExecutionError("The server is shutting down.", { kind: "connection" });
        if (options.signal?.aborted) throw new SqlExecutionError("Interrupted.", { kind: "interrupted" });
        const existing = this.#instances.get(user);
        if (existing?.alive) {
          existing.pending++;
          if (!existing.isReady) {
            progress.step("Starting the sample database…");
            try {
              await abortable(existing.ready, options.signal);
            } catch (error) {
              existing.pending--;
              if (error instanceof SqlExecutionError) throw error;
              discardSnapshot(this.#cacheDir);
              this.#snapshot = null;
              throw new SqlExecutionError((error as Error).message, { kind: "connection" });
            }
          }
          ok = true;
          return existing;
        }
        if (existing) this.#instances.delete(user);
        if (this.#instances.size >= this.#max) this.#evictIdle();
        if (this.#instances.size < this.#max) {
          if (!this.#snapshot) {
            progress.step("Preparing the sample database (its first use on this server)…");
            this.#snapshot = await abortable(this.#loadSnapshot(), options.signal);
            continue;
          }
          this.#launch(user, this.#snapshot);
          continue;
        }
        progress.step(
          `Waiting for a free sample database (all ${this.#max} are running other users' cells)…`,
        );
        await abortable(new Promise<void>((resolve) => this.#waiters.push(resolve)), options.signal);
      }
    } finally {
      progress.finish(ok);
    }
  }

  async #loadSnapshot(): Promise<Buffer> {
    try {
      return await sampleSnapshot(this.layers, this.#cacheDir);
    } catch (error) {
      throw new SqlExecutionError(`The sample database could not start: ${(error as Error).message}`, {
        kind: "connection",
      });
    }
  }

  #launch(user: string, snapshot: Buffer): void {
    const limits: InstanceLimits = { memoryMb: this.#memoryMb };
    const instance = new SampleInstance(user, this.layers, snapshot, limits);
    this.#instances.set(user, instance);
    void instance.exited.then(() => {
      if (this.#instances.get(user) === instance) this.#instances.delete(user);
      this.#wake();
    });
  }

  /** Stops the least recently used instance that runs nothing, to make room. */
  #evictIdle(): void {
    let oldest: SampleInstance | null = null;
    for (const instance of this.#instances.values()) {
      if (instance.pending > 0 || !instance.isReady) continue;
      if (!oldest || instance.lastUsed < oldest.lastUsed) oldest = instance;
    }
    if (!oldest) return;
    this.#instances.delete(oldest.user);
    oldest.stop(stoppedFor("another user needed its place"));
  }

  #stopIdle(): void {
    const now = Date.now();
    for (const instance of [...this.#instances.values()]) {
      if (instance.pending === 0 && instance.isReady && now - instance.lastUsed >= this.#idleMs) {
        this.#instances.delete(instance.user);
        instance.stop(stoppedFor("it was idle"));
      }
    }
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#sweeper);
    const all = [...this.#instances.values()];
    this.#instances.clear();
    for (const instance of all) instance.stop(stoppedFor("the server is shutting down"));
    this.#wake();
    await Promise.all(all.map((instance) => instance.exited));
  }
}

function stoppedFor(why: string): SqlExecutionError {
  return new SqlExecutionError(`The sample database was stopped: ${why}.`, { kind: "connection" });
}

/** `promise`, or an "Interrupted." error as soon as `signal` aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new SqlExecutionError("Interrupted.", { kind: "interrupted" }));
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
