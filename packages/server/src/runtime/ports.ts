// What the runtime needs from the rest of the server, as narrow interfaces: the stored notebook, a place to
// save run results, and somewhere to publish events. The store and realtime layers implement them.
import type { CellStatus, CellType } from "../reactive/index.js";

export interface RuntimeCell {
  id: string;
  type: CellType;
  code: string;
  name?: string | null;
  status: CellStatus;
  reads: string[];
  writes: string[];
  error: { name: string; message: string; traceback?: string } | null;
}

export interface RuntimeNotebook {
  id: string;
  ownerId: string;
  revision: number;
  cells: RuntimeCell[];
}

/** A settled cell's run, saved with the cell so a reopened notebook shows it. */
export interface CellResult {
  status: CellStatus;
  stdout?: string;
  stderr?: string;
  outputs?: unknown[];
  error?: { name: string; message: string; traceback?: string } | null;
  executionCount?: number | null;
  lastRunMs?: number | null;
}

export interface RuntimeStore {
  loadNotebook(notebookId: string): Promise<RuntimeNotebook | null>;
  saveCellResult(notebookId: string, cellId: string, result: CellResult): Promise<void>;
}

/** A server → client event without its envelope; the session adds notebookId and revision. */
export type RuntimeEvent =
  | {
      type: "cell_status";
      cellId: string;
      status: CellStatus;
      runId: string | null;
      blockedBy?: string;
      executionCount?: number;
      lastRunMs?: number;
    }
  | { type: "cell_stdout"; cellId: string; stream: "stdout" | "stderr"; text: string }
  | { type: "cell_outputs"; cellId: string; outputs: unknown[] }
  | { type: "cell_error"; cellId: string; error: { name: string; message: string; traceback?: string } }
  | { type: "run_finished"; runId: string; cells: string[]; ms: number }
  | { type: "kernel_status"; status: "starting" | "ready" | "busy" | "restarting" | "dead" };

export type Publish = (
  notebookId: string,
  event: RuntimeEvent & { notebookId: string; revision: number },
) => void;
