// The plain data the reactive core works with: cells as analysis left them, the read-only view of the graph,
// and what the scheduler emits. Shapes shared with clients (statuses, errors, outputs, events) are the wire
// contract's own types, so an event leaves the scheduler in the form it reaches a socket, minus its envelope.
// Nothing here knows about Pyodide, storage or sockets.
import type {
  CellError,
  CellStatus,
  CellType,
  ControlValue,
  EventOf,
  Output,
  ProgressKind,
} from "@reactive-notebook/protocol";

export type { CellError, CellStatus, CellType, ControlValue };

/** A cell frozen as the graph sees it: what it reads and writes, or why its analysis failed. */
export interface SchedulerCell {
  id: string;
  type: CellType;
  code: string;
  name?: string | null;
  reads: string[];
  writes: string[];
  analysisError: CellError | null;
}

export type CellPatch = Partial<Pick<SchedulerCell, "code" | "name" | "reads" | "writes" | "analysisError">>;

/** The read-only face of the graph that the free functions (topology, cycles, plan) work on. */
export interface GraphView {
  /** Cell ids in notebook order. */
  ids(): readonly string[];
  has(id: string): boolean;
  cell(id: string): SchedulerCell | undefined;
  /** Position in notebook order: the tie-break that makes every ordering deterministic. */
  indexOf(id: string): number;
  /** Cells this cell reads from, in notebook order. A cell is never its own parent. */
  parents(id: string): readonly string[];
  /** Cells that read from this cell, in notebook order. */
  children(id: string): readonly string[];
  /** Cells that write `name`, in notebook order. */
  definers(name: string): readonly string[];
  /** Cells that cannot run because of the graph: failed analysis, multiple definitions, cycles. */
  errors(): ReadonlyMap<string, CellError>;
}

/** What a running cell sends while it runs: printed text, a displayed output, progress of slow work. */
export type RunnerEvent =
  | { type: "stdout"; stream: "stdout" | "stderr"; text: string }
  | { type: "display"; output: Output }
  | { type: "progress"; kind: ProgressKind; message: string; fraction?: number; done: boolean };

export interface RunResult {
  status: "success" | "error";
  outputs: Output[];
  error: CellError | null;
}

/** What the scheduler tells the runner about the cell it runs. */
export interface RunContext {
  runId: string;
  emit: (e: RunnerEvent) => void;
  /**
   * The cells that will run right after this one, in order, if it and each of them succeed and nothing
   * changes the notebook meanwhile (then `supersede` is called): the runner may send them to the kernel
   * with this one. The scheduler still asks for each with `run`, in this order, before it counts.
   */
  upcoming?: (limit: number) => SchedulerCell[];
}

/** Executes one cell at a time in the notebook's kernel; implemented by the server over the Kernel. */
export interface CellRunner {
  run(cell: SchedulerCell, ctx: RunContext): Promise<RunResult>;
  forget(names: string[]): Promise<void>;
  /** Sets a live control of a cell that ran in this kernel, without running it; false when it has none. */
  setControl(cellId: string, controlId: string, value: ControlValue): Promise<boolean>;
  interrupt(): void;
  /** The notebook or its queue changed: cells announced by `upcoming` may not run next any more. */
  supersede?(): void;
}

/** A wire event without its envelope (`notebookId`, `revision`), which the notebook's session adds. */
type WithoutEnvelope<E> = E extends unknown ? Omit<E, "notebookId" | "revision"> : never;

/** What the scheduler emits: the cell and run events of the wire contract. */
export type SchedulerEvent = WithoutEnvelope<
  EventOf<
    | "cell_status"
    | "cell_stdout"
    | "cell_outputs"
    | "cell_output_added"
    | "cell_progress"
    | "cell_error"
    | "run_finished"
    | "control_value"
  >
>;
