// The plain data the reactive core works with: cells as analysis left them, statuses, and the events it emits.
// Nothing here knows about Pyodide, storage or sockets; the lead's adapters translate at the edges.

export type CellType = "python" | "sql" | "markdown";
export type CellStatus = "idle" | "queued" | "running" | "success" | "error" | "blocked" | "stale";

export interface CellError {
  name: string;
  message: string;
  traceback?: string;
}

/** A cell frozen as the graph sees it: what it reads and writes, or why its analysis failed. */
export interface SchedulerCell {
  id: string;
  type: CellType;
  code: string;
  name?: string | null;
  reads: string[];
  writes: string[];
  analysisError: { name: string; message: string } | null;
}

export type CellPatch = Partial<Pick<SchedulerCell, "code" | "name" | "reads" | "writes" | "analysisError">>;

export type RunnerEvent =
  | { type: "stdout"; stream: "stdout" | "stderr"; text: string }
  | { type: "display"; output: unknown };

export interface RunResult {
  status: "success" | "error";
  outputs: unknown[];
  error: CellError | null;
}

/** Executes one cell at a time in the notebook's kernel; implemented by the server over the Kernel. */
export interface CellRunner {
  run(cell: SchedulerCell, ctx: { runId: string; emit: (e: RunnerEvent) => void }): Promise<RunResult>;
  forget(names: string[]): Promise<void>;
  interrupt(): void;
}

export type SchedulerEvent =
  | { type: "cell_status"; cellId: string; status: CellStatus; runId: string | null; blockedBy?: string }
  | { type: "cell_stdout"; cellId: string; stream: "stdout" | "stderr"; text: string }
  | { type: "cell_outputs"; cellId: string; outputs: unknown[] }
  | { type: "cell_error"; cellId: string; error: CellError }
  | { type: "run_finished"; runId: string; cells: string[]; ms: number };
