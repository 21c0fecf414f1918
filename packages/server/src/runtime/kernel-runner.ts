// Runs scheduled cells in a notebook's kernel: the scheduler's CellRunner, implemented over the Kernel.
// The kernel is fetched lazily (the first run starts it), so opening a notebook costs no process.
import type { Kernel, KernelStreamEvent } from "../kernel/index.js";
import type { CellRunner, RunnerEvent, SchedulerCell } from "../reactive/index.js";

export class KernelCellRunner implements CellRunner {
  #current: Kernel | null = null;

  constructor(private readonly kernel: () => Promise<Kernel>) {}

  async run(
    cell: SchedulerCell,
    ctx: { runId: string; emit: (e: RunnerEvent) => void },
  ): ReturnType<CellRunner["run"]> {
    if (cell.type === "markdown") return { status: "success", outputs: [], error: null };
    if (cell.type === "sql") {
      return {
        status: "error",
        outputs: [],
        error: { name: "SQLUnavailableError", message: "SQL cells are not enabled on this server yet." },
      };
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
    this.#current?.interrupt();
  }
}
