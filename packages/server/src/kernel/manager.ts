// KernelManager: the server's one door to Python. It probes the sandbox layers and the OS caps, builds
// (or loads) the memory snapshot, keeps a small pool of pre-started kernel processes, gives each notebook
// its own process (never shared between users), shares kernel slots fairly (per user, then per instance,
// stopping the least recently used idle kernel when full) and stops idle kernels.
import path from "node:path";
import { AnalysisKernel } from "./analysis-kernel.js";
import { KernelUnavailableError } from "./errors.js";
import { KernelProcess } from "./kernel-process.js";
import { NotebookKernel } from "./notebook-kernel.js";
import { KernelOsLimits, type OsLimits } from "./os-limits.js";
import { PackageIndex } from "./package-index.js";
import { detectSandboxLayers } from "./sandbox.js";
import { loadOrBuildSnapshot, readRuntimeSources } from "./snapshot.js";
import type { Analysis, Kernel, KernelManagerOptions, SandboxLayers } from "./types.js";

/** How long after a kernel is taken the pool refill starts: the taker's first call runs first. */
const REFILL_DELAY_MS = 250;
/** Enough for a long chain in one round trip, small enough that one message stays small. */
const DEFAULT_BATCH_CELLS = 128;

export class KernelManager {
  readonly sandbox: SandboxLayers;
  private readonly osLimits: KernelOsLimits;
  private readonly kernels = new Map<string, NotebookKernel>();
  private readonly starting = new Map<string, { ownerId: string; kernel: Promise<NotebookKernel> }>();
  private readonly pool: KernelProcess[] = [];
  private readonly packages: PackageIndex;
  private readonly analysis: AnalysisKernel;
  private started: Promise<void> | null = null;
  private filling: Promise<void> | null = null;
  private snapshot: { bytes: Uint8Array; file: string } | null = null;
  private sources: Record<string, string> = {};
  private closed = false;

  constructor(private readonly options: KernelManagerOptions) {
    this.sandbox = detectSandboxLayers();
    this.osLimits = new KernelOsLimits(options.memoryMb);
    this.packages = new PackageIndex({
      indexUrl: options.pyodideIndexUrl,
      cacheDir: path.join(options.dataDir, "packages"),
      timeoutMs: options.packageFetchTimeoutMs ?? 1500,
    });
    this.analysis = new AnalysisKernel(() => this.startProcess(), options.analysisProcesses ?? 2);
  }

  /** How the OS caps each kernel's memory and CPU on this machine. */
  /** Most cells a notebook's runner sends to its kernel in one message (1: each alone). */
  get batchCells(): number {
    return this.options.batchCells ?? DEFAULT_BATCH_CELLS;
  }

  get limits(): OsLimits {
    return this.osLimits.describe;
  }

  /** Builds or loads the snapshot, starts the analysis kernel and fills the pool. Idempotent. */
  start(): Promise<void> {
    this.started ??= this.boot();
    return this.started;
  }

  /**
   * The notebook's kernel: its existing one, or a new one from the pool. At the per-user limit the owner's
   * least recently used idle kernel is stopped first (never another user's); when the instance is full, the
   * least recently used idle kernel of anyone is. When there is none to stop, KernelUnavailableError.
   */
  async kernelFor(notebookId: string, ownerId: string): Promise<Kernel> {
    await this.start();
    const existing = this.kernels.get(notebookId) ?? (await this.starting.get(notebookId)?.kernel);
    if (existing) {
      if (existing.ownerId !== ownerId)
        throw new KernelUnavailableError(
          "this notebook's kernel belongs to another user; kernels are never shared",
        );
      return existing;
    }
    if (this.closed) throw new KernelUnavailableError("the kernel manager is closed");
    this.makeRoom(ownerId);
    const pending = this.createKernel(notebookId, ownerId);
    this.starting.set(notebookId, { ownerId, kernel: pending });
    try {
      const kernel = await pending;
      if (this.closed) {
        // The manager closed while this kernel was starting: nobody would ever stop it.
        kernel.close("stopped");
        throw new KernelUnavailableError("the kernel manager is closed");
      }
      this.kernels.set(notebookId, kernel);
      return kernel;
    } finally {
      this.starting.delete(notebookId);
    }
  }

  /** Frees a slot for one more kernel of `ownerId`, or throws when every kernel that counts is busy. */
  private makeRoom(ownerId: string): void {
    const perUser = this.options.maxKernelsPerUser ?? 4;
    const startingFor = (owner?: string) =>
      [...this.starting.values()].filter((entry) => owner === undefined || entry.ownerId === owner).length;
    const mine = [...this.kernels.values()].filter((kernel) => kernel.ownerId === ownerId);
    if (mine.length + startingFor(ownerId) >= perUser) {
      const victim = leastRecentlyUsedIdle(mine);
      if (!victim)
        throw new KernelUnavailableError(
          `all ${perUser} of your kernels are busy running cells (KERNEL_MAX_PER_USER); wait for one to finish or interrupt it`,
        );
      this.evict(victim);
    }
    if (this.kernels.size + startingFor() >= this.options.maxKernels) {
      const victim = leastRecentlyUsedIdle([...this.kernels.values()]);
      if (!victim)
        throw new KernelUnavailableError(
          `all ${this.options.maxKernels} kernels of this server are busy running cells (KERNEL_MAX); try again in a moment`,
        );
      this.evict(victim);
    }
  }

  /** Stops an idle kernel to free its slot; its notebook's cells become stale, as after an idle stop. */
  private evict(kernel: NotebookKernel): void {
    this.options.logger?.info(
      { notebookId: kernel.notebookId, ownerId: kernel.ownerId },
      "stopping the least recently used idle kernel to free a slot",
    );
    if (this.kernels.get(kernel.notebookId) === kernel) this.kernels.delete(kernel.notebookId);
    kernel.close("idle");
  }

  has(notebookId: string): boolean {
    return this.kernels.has(notebookId);
  }

  async stop(notebookId: string): Promise<void> {
    const kernel = this.kernels.get(notebookId);
    this.kernels.delete(notebookId);
    kernel?.close("stopped");
  }

  /** Reads and writes of a python cell, in the analysis pool's queue of `userId`. */
  analyze(code: string, userId: string): Promise<Analysis> {
    return this.start().then(() => this.analysis.analyze(code, userId));
  }

  async close(): Promise<void> {
    this.closed = true;
    const starting = [...this.starting.values()].map((entry) => entry.kernel);
    for (const kernel of this.kernels.values()) kernel.close("stopped");
    this.kernels.clear();
    for (const proc of this.pool.splice(0)) proc.kill("server closing");
    this.analysis.close();
    // A process still starting for the pool is killed once it is up; do not wait long for it.
    await Promise.race([
      this.filling?.catch(() => {}),
      new Promise((resolve) => setTimeout(resolve, 2000).unref()),
    ]);
    for (const proc of this.pool.splice(0)) proc.kill("server closing");
    // Kernels still starting close themselves when they come up (see kernelFor); wait for them briefly.
    await Promise.race([
      Promise.allSettled(starting),
      new Promise((resolve) => setTimeout(resolve, 5000).unref()),
    ]);
    this.osLimits.close();
  }

  private async boot(): Promise<void> {
    const log = this.options.logger;
    if (!this.sandbox.networkNamespace)
      log?.warn("kernel sandbox: network namespace layer is off (needs Linux, root and unshare)");
    if (!this.sandbox.unprivilegedUser)
      log?.warn("kernel sandbox: unprivileged-uid layer is off (needs Linux, root and setpriv)");
    this.sources = readRuntimeSources();
    const began = performance.now();
    try {
      const snapshot = await loadOrBuildSnapshot({
        dataDir: this.options.snapshotDir ?? this.options.dataDir,
        layers: this.sandbox,
        memoryMb: this.options.memoryMb,
        sources: this.sources,
      });
      this.snapshot = { bytes: snapshot.bytes, file: snapshot.file };
      log?.info(
        { ms: Math.round(performance.now() - began), cached: snapshot.cached, bytes: snapshot.bytes.length },
        "kernel snapshot ready",
      );
    } catch (error) {
      log?.warn({ err: (error as Error).message }, "kernel snapshot unavailable; kernels start cold");
    }
    await this.analysis.start();
    this.fillPool();
  }

  private async createKernel(notebookId: string, ownerId: string): Promise<NotebookKernel> {
    let first: KernelProcess;
    try {
      first = await this.takeProcess();
    } catch (error) {
      throw new KernelUnavailableError(`the kernel could not start: ${(error as Error).message}`);
    }
    return new NotebookKernel(
      notebookId,
      ownerId,
      {
        takeProcess: () => this.takeProcess(),
        packages: this.packages,
        cellTimeoutMs: this.options.cellTimeoutMs,
        interruptGraceMs: this.options.interruptGraceMs ?? 2000,
        idleMs: this.options.idleMs,
        onIdle: (kernel) => {
          if (this.kernels.get(kernel.notebookId) === kernel) this.kernels.delete(kernel.notebookId);
          kernel.close("idle");
        },
        ...(this.options.logger ? { logger: this.options.logger } : {}),
      },
      first,
    );
  }

  /**
   * A ready process: from the pool when one is waiting, else a fresh one. The pool is refilled once this
   * request's first call had time to run, and at a low CPU priority (see fillPool).
   */
  private async takeProcess(): Promise<KernelProcess> {
    let proc = this.pool.shift();
    while (proc && !proc.alive) proc = this.pool.shift();
    proc?.raisePriority();
    setTimeout(() => this.fillPool(), REFILL_DELAY_MS).unref();
    return proc ?? this.startProcess();
  }

  private startProcess(lowPriority = false): Promise<KernelProcess> {
    return KernelProcess.start({
      lowPriority,
      layers: this.sandbox,
      memoryMb: this.options.memoryMb,
      snapshot: this.snapshot?.bytes ?? null,
      ...(this.snapshot ? { snapshotFile: this.snapshot.file } : {}),
      sources: this.sources,
      osLimits: this.osLimits,
      ...(this.options.logger ? { logger: this.options.logger } : {}),
    });
  }

  /**
   * Tops the pool up to poolSize, one process at a time (each start is CPU-heavy), each at a low CPU
   * priority until it is taken: a refill only uses CPU that requests (and their kernels' starts) leave.
   */
  private fillPool(): void {
    if (this.filling || this.closed) return;
    this.filling = (async () => {
      while (!this.closed && this.pool.filter((proc) => proc.alive).length < this.options.poolSize) {
        try {
          const proc = await this.startProcess(true);
          if (this.closed) proc.kill("server closing");
          else this.pool.push(proc);
        } catch (error) {
          this.options.logger?.error({ err: (error as Error).message }, "could not pre-start a kernel");
          break;
        }
      }
    })().finally(() => {
      this.filling = null;
    });
  }
}

function leastRecentlyUsedIdle(kernels: NotebookKernel[]): NotebookKernel | undefined {
  let found: NotebookKernel | undefined;
  for (const kernel of kernels)
    if (kernel.idle && (!found || kernel.lastUsedAt < found.lastUsedAt)) found = kernel;
  return found;
}
