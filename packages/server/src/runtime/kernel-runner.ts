// Runs scheduled cells: the scheduler's CellRunner. Python cells run in the notebook's kernel; SQL cells
// run through the SQL engine, which reads their placeholders from (and binds their result into) that
// kernel. The kernel is fetched lazily (the first run starts it), so opening a notebook costs no process.
import type { Kernel, KernelStreamEvent } from "../kernel/index.js";
import type { CellRunner, RunnerEvent, SchedulerCell } from "../reactive/index.js";
import type { SqlEngine } from "../sql/index.js";

export class KernelCellRunner implements CellRunner {
  #current: Kernel | null = null;
  #sqlRun: AbortController | null = null;

  constructor(
    private readonly kernel: () => Promise<Kernel>,
    private readonly sql: { engine: SqlEngine; notebookId: string },
  ) {}

  async run(
    cell: SchedulerCell,
    ctx: { runId: string; emit: (e: RunnerEvent) => void },
  ): ReturnType<CellRunner["run"]> {
    if (cell.type === "markdown") return { status: "success", outputs: [], error: null };
    if (cell.type === "sql") {
      const controller = new AbortController();
      this.#sqlRun = controller;
      try {
        return await this.sql.engine.runCell({
          notebookId: this.sql.notebookId,
          code: cell.code,
          name: cell.name ?? null,
          kernel: async () => {
            this.#current = await this.kernel();
            return this.#current;
          },
          signal: controller.signal,
        });
      } finally {
        this.#sqlRun = null;
      }
    }
    const kernel = await this.kernel();
    this.#current = kernel;
    const result = await kernel.execute(cell.id, cell.code, (event: KernelStreamEvent) => {
      if (event.type === "stdout") ctx.emit({ type: "stdout", stream: event.stream, text: event.text });
      else if (event.type === "display") ctx.emit({ type: "display", output: event.output });
      else ctx.emit({ type: "stdout", stream: "stderr", text: `${event.message}\n` });
    });
    return { status: result.status, outputs: result.outputs, error: result.error };
  }

  async forget(names: string[]): Promise<void> {
    if (names.length > 0 && this.#current) await this.#current.deleteNames(names);
  }

  interrupt(): void {
    this.#sqlRun?.abort();
    this.#current?.interrupt();
  }
}
