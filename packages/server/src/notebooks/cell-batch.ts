// The cells a runner sent to the kernel in one message, waiting to be claimed by the scheduler one by one.
// The scheduler still decides each cell in turn; a cell's result counts only when the scheduler asks for
// exactly the cell the kernel ran next (same id, same code), so the kernel and the scheduler always agree on
// what ran in which order. Outputs a cell sends before it is claimed wait here, then go to its claimer.
import type {
  ExecutionResult,
  Kernel,
  KernelBatch,
  KernelStreamEvent,
  KnownControl,
} from "../kernel/index.js";
import type { SchedulerCell } from "../reactive/index.js";

interface Slot {
  cellId: string;
  code: string;
  result: Promise<ExecutionResult | null>;
  /** Outputs sent before the scheduler claimed the cell. */
  early: KernelStreamEvent[];
  claimer: ((event: KernelStreamEvent) => void) | null;
}

export class CellBatch {
  readonly #slots: Slot[];
  readonly #sent: KernelBatch;
  /** The slot the next claim must match; the first is claimed by whoever sent the batch. */
  #next = 1;

  constructor(
    kernel: Kernel,
    cells: readonly SchedulerCell[],
    controlsOf: (cellId: string) => readonly KnownControl[],
    onFirst: (event: KernelStreamEvent) => void,
  ) {
    this.#slots = cells.map((cell, index) => {
      const slot: Slot = {
        cellId: cell.id,
        code: cell.code,
        result: Promise.resolve(null),
        early: [],
        claimer: index === 0 ? onFirst : null,
      };
      return slot;
    });
    this.#sent = kernel.executeBatch(
      this.#slots.map((slot) => ({
        cellId: slot.cellId,
        code: slot.code,
        controls: controlsOf(slot.cellId),
        onEvent: (event) => (slot.claimer ? slot.claimer(event) : slot.early.push(event)),
      })),
    );
    this.#sent.results.forEach((result, index) => {
      (this.#slots[index] as Slot).result = result;
    });
  }

  /** The first cell's result (never null: the first cell always runs, or fails as execute would). */
  first(): Promise<ExecutionResult | null> {
    return (this.#slots[0] as Slot).result;
  }

  /**
   * The result of `cell` if it is the batch's next cell with the same code (null: the kernel did not run
   * it); undefined when it is not, and then the batch is cancelled and no later cell of it can be claimed.
   */
  claim(
    cell: SchedulerCell,
    onEvent: (event: KernelStreamEvent) => void,
  ): Promise<ExecutionResult | null> | undefined {
    const slot = this.#slots[this.#next];
    if (!slot || slot.cellId !== cell.id || slot.code !== cell.code || this.#sent.spoiled) {
      this.cancel();
      this.#next = this.#slots.length;
      return undefined;
    }
    this.#next++;
    for (const event of slot.early.splice(0)) onEvent(event);
    slot.claimer = onEvent;
    return slot.result;
  }

  /** Starts no more of the batch's cells in the kernel; those already run can still be claimed in order. */
  cancel(): void {
    this.#sent.cancel();
  }
}
