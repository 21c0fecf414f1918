// Runs scheduled cells: the scheduler's CellRunner. Python cells run in the notebook's kernel; SQL cells
// run through the SQL engine, which reads their placeholders from (and binds their result into) that
// kernel. The kernel is fetched lazily (the first run starts it), so opening a notebook costs no process.
import type { Kernel, KernelStreamEvent, KnownControl } from "../kernel/index.js";
import type { CellRunner, ControlValue, RunnerEvent, RunResult, SchedulerCell } from "../reactive/index.js";
import type { SqlEngine } from "../sql/index.js";

/** What an interrupted cell shows when it was stopped before its code started (kernel starting, packages). */
const INTERRUPTED: RunResult = {
  status: "error",
  outputs: [],
  error: { name: "KeyboardInterrupt", message: "interrupted before the cell started" },
};

export class KernelCellRunner implements CellRunner {
  #current: Kernel | null = null;
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
  ) {}

  async run(cell: SchedulerCell, ctx: { runId: string; emit: (e: RunnerEvent) => void }): Promise<RunResult> {
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
    this.#interrupted = false;
    const kernel = await this.kernel();
    this.#current = kernel;
    if (this.#interrupted) return INTERRUPTED;
    const onEvent = (event: KernelStreamEvent) => {
      if (event.type === "stdout") ctx.emit({ type: "stdout", stream: event.stream, text: event.text });
      else if (event.type === "display") ctx.emit({ type: "display", output: event.output });
      else
        ctx.emit({
          type: "progress",
          kind: "packages",
          message: event.message,
          done: event.done === true,
          ...(event.fraction !== undefined ? { fraction: event.fraction } : {}),
        });
    };
    const result = await kernel.execute(cell.id, cell.code, onEvent, this.controlsOf(cell.id));
    return { status: result.status, outputs: result.outputs, error: result.error };
  }

  async forget(names: string[]): Promise<void> {
    if (names.length > 0 && this.#current) await this.#current.deleteNames(names);
  }

  /** Only a kernel that ran the cell can hold its live controls; none started yet holds nothing. */
  async setControl(cellId: string, controlId: string, value: ControlValue): Promise<boolean> {
    if (!this.#current || this.#current.status === "dead") return false;
    return this.#current.setControl(cellId, controlId, value);
  }

  interrupt(): void {
    this.#interrupted = true;
    this.#sqlRun?.abort();
    this.#current?.interrupt();
  }
}
