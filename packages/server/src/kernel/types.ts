// The kernel's public types: what the scheduler and routes see of a notebook's Python kernel. Errors and
// outputs are the wire contract's own shapes: what a kernel sends is what a client receives.
import type { CellError, KernelStatus, Output } from "@reactive-notebook/protocol";

export type { KernelStatus };
export type CellErrorInfo = CellError;
export type OutputInfo = Output;

export interface Analysis {
  reads: string[];
  writes: string[];
  error: CellErrorInfo | null;
}

export type KernelStreamEvent =
  | { type: "stdout"; stream: "stdout" | "stderr"; text: string }
  | { type: "display"; output: OutputInfo }
  /** Package loading before the cell's code runs; `done` on the last one, `fraction` when known. */
  | { type: "progress"; message: string; done?: boolean; fraction?: number };

export interface ExecutionResult {
  status: "success" | "error";
  outputs: OutputInfo[];
  error: CellErrorInfo | null;
  ms: number;
}

/** One cell of a batch: its id, its code, and where its outputs go while it runs. */
export interface BatchCell {
  cellId: string;
  code: string;
  controls?: readonly KnownControl[];
  onEvent: (e: KernelStreamEvent) => void;
}

/** Cells sent to the kernel in one message (executeBatch). */
export interface KernelBatch {
  /** Each cell's result, in order; null for a cell that did not run (cancelled, or an earlier cell failed). */
  results: Promise<ExecutionResult | null>[];
  /** Starts no more of the batch's cells; the one running (if any) goes on. */
  cancel(): void;
  /**
   * True once another call (a cell, setting or deleting names, another batch) was made on the kernel after
   * this batch: a cell of the batch not taken yet may have run before that call, not after it.
   */
  readonly spoiled: boolean;
}

/** What the server knows of one of a cell's controls, so a re-run (or a fresh kernel) keeps its value. */
export interface KnownControl {
  /** Its creation order in the cell's run. */
  id: string;
  /** The hash of its constructor's arguments, from its output's metadata: a change resets the value. */
  args: string;
  value: number | string | boolean;
}

export type RestartReason = "crash" | "timeout" | "request" | "idle";

/** One notebook's kernel. Its process may be replaced (crash, time limit, restart); the object stays. */
export interface Kernel {
  readonly notebookId: string;
  readonly status: KernelStatus;
  /** Serialised per kernel; never rejects for user errors (a time limit is an error result named "TimeoutError"). */
  execute(
    cellId: string,
    code: string,
    onEvent: (e: KernelStreamEvent) => void,
    controls?: readonly KnownControl[],
  ): Promise<ExecutionResult>;
  /**
   * Runs cells one after the other in one round trip; stops at the first that does not succeed. The first
   * cell always runs (or gets the error execute would give); cells with imports belong in execute, which
   * loads packages first.
   */
  executeBatch(cells: BatchCell[]): KernelBatch;
  deleteNames(names: string[]): Promise<void>;
  setVariable(name: string, value: unknown): Promise<void>;
  getValues(names: string[]): Promise<{ values: Record<string, unknown>; missing: string[] }>;
  /** Sets a live control's value without running its cell; false when this kernel has no such control. */
  setControl(cellId: string, controlId: string, value: number | string | boolean): Promise<boolean>;
  interrupt(): void;
  /** Fresh globals in a fresh process; fires onRestarted("request"). */
  restart(): Promise<void>;
  onStatus(listener: (s: KernelStatus) => void): () => void;
  /** Fired whenever the notebook's globals were lost; listeners mark cells stale. */
  onRestarted(listener: (reason: RestartReason) => void): () => void;
}

export interface KernelLogger {
  info(o: object | string, msg?: string): void;
  warn(o: object | string, msg?: string): void;
  error(o: object | string, msg?: string): void;
}

export interface KernelManagerOptions {
  dataDir: string;
  /** Where the kernel snapshot is cached (`<dir>/kernel-snapshots`); DATA_DIR when omitted. */
  snapshotDir?: string;
  pyodideIndexUrl: string;
  cellTimeoutMs: number;
  memoryMb: number;
  maxKernels: number;
  /** Kernels one user may hold (KERNEL_MAX_PER_USER, default 4). */
  maxKernelsPerUser?: number;
  /** Processes that analyse cell code (default 2). */
  analysisProcesses?: number;
  idleMs: number;
  poolSize: number;
  logger?: KernelLogger;
  /** How long the supervisor waits for the package index before failing the cell (default 1500 ms). */
  packageFetchTimeoutMs?: number;
  /**
   * Most python cells of a run sent to a kernel in one message (KERNEL_BATCH_CELLS, default 128); 1 sends
   * each cell alone.
   */
  batchCells?: number;
  /** How long a kernel may ignore an interrupt at the time limit before it is killed (default 2000 ms). */
  interruptGraceMs?: number;
}

export interface SandboxLayers {
  networkNamespace: boolean;
  unprivilegedUser: boolean;
  codeGenerationDisallowed: true;
}
