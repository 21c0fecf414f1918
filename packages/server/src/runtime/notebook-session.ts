// One open notebook on this server: its scheduler, its (lazily started) kernel, and the bookkeeping that
// turns scheduler events into persisted cell results and published events.
//
// Ordering: events are published in the order the scheduler emits them; results are saved when a cell
// settles (success, error, blocked, stale), through one promise chain so saves of a cell never reorder.
import type { Kernel, KernelManager, KernelStatus } from "../kernel/index.js";
import {
  type CellStatus,
  NotebookScheduler,
  type SchedulerCell,
  type SchedulerEvent,
} from "../reactive/index.js";
import type { SqlEngine } from "../sql/index.js";
import { appendCapped, type CellRunRecord, emptyRecord } from "./cell-record.js";
import { KernelCellRunner } from "./kernel-runner.js";
import type { Publish, RuntimeCell, RuntimeEvent, RuntimeNotebook, RuntimeStore } from "./ports.js";

const SETTLED: ReadonlySet<CellStatus> = new Set(["success", "error", "blocked", "stale"]);

export function toSchedulerCell(cell: RuntimeCell): SchedulerCell {
  const analysisError = cell.status === "error" && cell.error?.name === "SyntaxError" ? cell.error : null;
  return {
    id: cell.id,
    type: cell.type,
    code: cell.code,
    name: cell.name ?? null,
    reads: cell.reads,
    writes: cell.writes,
    analysisError,
  };
}

export class NotebookSession {
  readonly scheduler: NotebookScheduler;
  #revision: number;
  #executionCount = 0;
  #kernel: Kernel | null = null;
  #unsubscribe: (() => void)[] = [];
  #kernelStatus: KernelStatus | "none" = "none";
  readonly #records = new Map<string, CellRunRecord>();
  #saving: Promise<void> = Promise.resolve();

  constructor(
    readonly notebookId: string,
    readonly ownerId: string,
    notebook: RuntimeNotebook,
    private readonly kernels: KernelManager,
    private readonly store: RuntimeStore,
    private readonly publish: Publish,
    private readonly onSaveError: (error: unknown) => void,
    sql: SqlEngine,
  ) {
    this.#revision = notebook.revision;
    const runner = new KernelCellRunner(() => this.kernel(), { engine: sql, notebookId });
    this.scheduler = new NotebookScheduler({ runner, onEvent: (event) => this.#onSchedulerEvent(event) });
    const statuses: Record<string, CellStatus> = {};
    for (const cell of notebook.cells) statuses[cell.id] = cell.status;
    this.scheduler.load(notebook.cells.map(toSchedulerCell), statuses);
  }

  get revision(): number {
    return this.#revision;
  }

  get kernelStatus(): KernelStatus | "none" {
    return this.#kernelStatus;
  }

  /** REST changes move the revision; every later event carries it. */
  noteRevision(revision: number): void {
    if (revision > this.#revision) this.#revision = revision;
  }

  /** The notebook's kernel, started on first use; a kernel closed for idleness is replaced transparently. */
  async kernel(): Promise<Kernel> {
    if (this.#kernel && this.#kernel.status !== "dead") return this.#kernel;
    for (const off of this.#unsubscribe) off();
    this.#emit({ type: "kernel_status", status: "starting" });
    const kernel = await this.kernels.kernelFor(this.notebookId, this.ownerId);
    this.#kernel = kernel;
    this.#unsubscribe = [
      kernel.onStatus((status) => this.#emit({ type: "kernel_status", status })),
      kernel.onRestarted(() => {
        this.#executionCount = 0;
        this.scheduler.kernelRestarted();
      }),
    ];
    this.#emit({ type: "kernel_status", status: kernel.status });
    return kernel;
  }

  async restartKernel(): Promise<void> {
    if (this.#kernel && this.#kernel.status !== "dead") {
      await this.#kernel.restart();
    } else {
      this.#executionCount = 0;
      this.scheduler.kernelRestarted();
    }
  }

  /** Stops the kernel (notebook deleted, server closing); waits for pending saves. */
  async close(): Promise<void> {
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
    if (this.kernels.has(this.notebookId)) await this.kernels.stop(this.notebookId);
    this.#kernel = null;
    await this.#saving;
  }

  /** Resolves when no run is queued or executing and every result is saved. */
  async idle(): Promise<void> {
    await this.scheduler.idle();
    await this.#saving;
  }

  #emit(event: RuntimeEvent): void {
    if (event.type === "kernel_status") this.#kernelStatus = event.status;
    this.publish(this.notebookId, { ...event, notebookId: this.notebookId, revision: this.#revision });
  }

  #record(cellId: string): CellRunRecord {
    let record = this.#records.get(cellId);
    if (!record) {
      record = emptyRecord();
      this.#records.set(cellId, record);
    }
    return record;
  }

  #onSchedulerEvent(event: SchedulerEvent): void {
    switch (event.type) {
      case "cell_status": {
        const { cellId, status, runId, blockedBy } = event;
        if (status === "running") {
          this.#records.set(cellId, { ...emptyRecord(), startedAt: Date.now() });
        }
        // blockedBy, executionCount and lastRunMs are additions to API.md's cell_status (events are open to
        // new fields): the UI names the blocker and shows the run's count and time without a refetch.
        const ran = SETTLED.has(status) ? this.#settle(cellId, status) : undefined;
        this.#emit({
          type: "cell_status",
          cellId,
          status,
          runId,
          ...(blockedBy ? { blockedBy } : {}),
          ...ran,
        });
        return;
      }
      case "cell_stdout": {
        const record = this.#record(event.cellId);
        record[event.stream] = appendCapped(record[event.stream], event.text);
        this.#emit(event);
        return;
      }
      case "cell_outputs":
        this.#record(event.cellId).outputs = event.outputs;
        this.#emit(event);
        return;
      case "cell_error":
        this.#record(event.cellId).error = event.error;
        this.#emit(event);
        return;
      case "run_finished":
        this.#emit(event);
        return;
    }
  }

  /**
   * Saves what a cell shows once it settles: a full result after it ran, only the status otherwise.
   * Returns the run's execution count and time when it ran.
   */
  #settle(cellId: string, status: CellStatus): { executionCount: number; lastRunMs: number } | undefined {
    const record = this.#records.get(cellId);
    const ran = record?.startedAt != null && (status === "success" || status === "error");
    let result: Parameters<RuntimeStore["saveCellResult"]>[2];
    if (ran && record) {
      this.#executionCount += 1;
      result = {
        status,
        stdout: record.stdout,
        stderr: record.stderr,
        outputs: record.outputs,
        error: record.error,
        executionCount: this.#executionCount,
        lastRunMs: Date.now() - (record.startedAt ?? Date.now()),
      };
      this.#records.delete(cellId);
    } else if (status === "error" && record?.error) {
      // A graph error (multiple definition, cycle, syntax): the cell did not run, its error is what it shows.
      result = { status, error: record.error, outputs: [], stdout: "", stderr: "" };
      this.#records.delete(cellId);
    } else {
      result = { status };
    }
    this.#saving = this.#saving
      .then(() => this.store.saveCellResult(this.notebookId, cellId, result))
      .catch(this.onSaveError);
    return result.executionCount != null && result.lastRunMs != null
      ? { executionCount: result.executionCount, lastRunMs: result.lastRunMs }
      : undefined;
  }
}
