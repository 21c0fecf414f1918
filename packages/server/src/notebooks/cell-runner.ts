// Runs scheduled cells: the scheduler's CellRunner. Python cells run in the notebook's kernel; SQL cells
// run through the SQL engine, which reads their placeholders from (and binds their result into) that
// kernel. The kernel is fetched lazily (the first run starts it), so opening a notebook costs no process.
//
// Python cells that will run back to back (the scheduler's `upcoming`) go to the kernel in one message
// (CellBatch), so a chain of cells pays one round trip, not one per cell; any change to the notebook
// cancels the cells of the batch the kernel has not started.
import type { ExecutionResult, Kernel, KernelStreamEvent, KnownControl } from "../kernel/index.js";
import type {
  CellRunner,
  ControlValue,
  RunContext,
  RunnerEvent,
  RunResult,
  SchedulerCell,
} from "../reactive/index.js";
import type { SqlEngine } from "../sql/index.js";
import { CellBatch } from "./cell-batch.js";

/** What an interrupted cell shows when it was stopped before its code started (kernel starting, packages). */
const INTERRUPTED: RunResult = {
  status: "error",
  outputs: [],
  error: { name: "KeyboardInterrupt", message: "interrupted before the cell started" },
};

/** Cells with imports run alone: packages are loaded (a round trip to the kernel) before their code runs. */
const IMPORTS = /\bimport\b/;

export class KernelCellRunner implements CellRunner {
  #current: Kernel | null = null;
  #batch: CellBatch | null = null;
  #sqlRun: AbortController | null = null;
  /**
   * Set by an interrupt that arrives while a python cell waits for its kernel: the kernel can only be
   * interrupted once it executes, so the runner itself must not start the cell.
   */
  #interrupted = false;

  constructor(
    private readonly kernel: () => Promise<Kernel>,
    private readonly sql: { engine: SqlEngine; notebookId: string; userId: string },
    /** What the session knows of a cell's controls, handed to the kernel when the cell runs. */
    private readonly controlsOf: (cellId: string) => KnownControl[] = () => [],
    /** Most cells sent to the kernel in one message; 1 sends each cell alone. */
    private readonly batchCells = 1,
  ) {}

  async run(cell: SchedulerCell, ctx: RunContext): Promise<RunResult> {
    if (cell.type !== "python") this.#endBatch(); // it reads or binds names in the kernel between cells
    if (cell.type === "markdown") return { status: "success", outputs: [], error: null };
    if (cell.type === "sql") {
      const controller = new AbortController();
      this.#sqlRun = controller;
      try {
        return (await this.sql.engine.runCell({
          notebookId: this.sql.notebookId,
          userId: this.sql.userId,
          code: cell.code,
          name: cell.name ?? null,
          kernel: async () => {
            this.#current = await this.kernel();
            return this.#current;
          },
          signal: controller.signal,
          // "Starting the sample database…" while a user's first SQL cell waits for their instance.
          onProgress: (progress) => ctx.emit({ type: "progress", ...progress }),
        })) as RunResult;
      } finally {
        this.#sqlRun = null;
      }
    }
    const onEvent = (event: KernelStreamEvent) => relay(event, ctx.emit);
    const batched = await this.#batch?.claim(cell, onEvent);
    if (batched) return toRunResult(batched);
    if (batched === undefined) this.#batch = null; // not the batch's next cell: the batch is over
    this.#interrupted = false;
    const kernel = await this.kernel();
    this.#current = kernel;
    if (this.#interrupted) return INTERRUPTED;
    const upcoming =
      this.batchCells > 1 && !IMPORTS.test(cell.code) ? (ctx.upcoming?.(this.batchCells - 1) ?? []) : [];
    const imports = upcoming.findIndex((next) => IMPORTS.test(next.code));
    const following = imports < 0 ? upcoming : upcoming.slice(0, imports);
    if (following.length === 0)
      return toRunResult(await kernel.execute(cell.id, cell.code, onEvent, this.controlsOf(cell.id)));
    const batch = new CellBatch(kernel, [cell, ...following], this.controlsOf, onEvent);
    this.#batch = batch;
    const first = await batch.first();
    return first ? toRunResult(first) : INTERRUPTED;
  }

  supersede(): void {
    this.#batch?.cancel();
  }

  /** No later cell of the batch may count: something else runs in the kernel first. */
  #endBatch(): void {
    this.#batch?.cancel();
    this.#batch = null;
  }

  async forget(names: string[]): Promise<void> {
    this.#endBatch();
    if (names.length > 0 && this.#current) await this.#current.deleteNames(names);
  }

  /** Only a kernel that ran the cell can hold its live controls; none started yet holds nothing. */
  async setControl(cellId: string, controlId: string, value: ControlValue): Promise<boolean> {
    this.#endBatch();
    if (!this.#current || this.#current.status === "dead") return false;
    return this.#current.setControl(cellId, controlId, value);
  }

  interrupt(): void {
    this.#endBatch();
    this.#interrupted = true;
    this.#sqlRun?.abort();
    this.#current?.interrupt();
  }
}

function toRunResult(result: ExecutionResult): RunResult {
  return { status: result.status, outputs: result.outputs, error: result.error };
}

/** A kernel event as the scheduler's runner event. */
function relay(event: KernelStreamEvent, emit: (e: RunnerEvent) => void): void {
  if (event.type === "stdout") emit({ type: "stdout", stream: event.stream, text: event.text });
  else if (event.type === "display") emit({ type: "display", output: event.output });
  else
    emit({
      type: "progress",
      kind: "packages",
      message: event.message,
      done: event.done === true,
      ...(event.fraction !== undefined ? { fraction: event.fraction } : {}),
    });
}
