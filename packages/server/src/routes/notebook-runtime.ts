// What the notebook routes need from the reactive runtime (analysis, scheduler, kernels), as one small
// interface decorated on the app as `app.notebookRuntime`. Routes call it after each change they have
// persisted, and for runs. Until kernels are wired, a default answers empty analyses and 503 to runs.
import type { Cell, CellError, CellType } from "@reactive-notebook/protocol";
import fp from "fastify-plugin";
import { kernelUnavailable } from "../http/index.js";
import type { NewCellInput } from "../store/index.js";

export interface CellAnalysis {
  /** Sorted global names the cell reads from other cells. */
  reads: string[];
  /** Sorted global names the cell defines. */
  writes: string[];
  /** A parse error (e.g. SyntaxError): the cell shows it and cannot run until edited. */
  error: CellError | null;
}

/**
 * The runtime as the routes see it. Every `revision` is the notebook's revision after the change.
 * Methods may throw ApiErrors (e.g. `kernelUnavailable`), which reach the client as they are.
 */
export interface NotebookRuntimeService {
  /** Reads and writes of a cell's source (python via the sandboxed analysis kernel, sql from placeholders). */
  analyze(cell: { type: CellType; code: string; name?: string | null }): Promise<CellAnalysis>;
  cellCreated(notebookId: string, cell: Cell, index: number, revision: number): Promise<void>;
  /** Code or name changed (and was analysed); dependents become stale. */
  cellEdited(notebookId: string, cell: Cell, revision: number): Promise<void>;
  /** Its definitions leave the kernel; dependents re-run. */
  cellDeleted(notebookId: string, cellId: string, revision: number): Promise<void>;
  cellMoved(notebookId: string, cellId: string, index: number, revision: number): Promise<void>;
  /** A change that does not touch cells (rename) moved the revision. */
  noteRevision(notebookId: string, revision: number): Promise<void>;
  /** Schedules the cell (and stale ancestors, then descendants); answers the run id. */
  runCell(notebookId: string, cellId: string): Promise<string>;
  runAll(notebookId: string): Promise<string>;
  interrupt(notebookId: string): Promise<void>;
  /** Restarts the kernel; every cell becomes stale (saved through the store's saveCellResult). */
  restartKernel(notebookId: string): Promise<void>;
  /** The notebook was deleted: stop its kernel and forget it. */
  stop(notebookId: string): Promise<void>;
}

const NOT_WIRED = "Kernels are not wired yet on this server.";

/** The stand-in used until the real runtime is decorated: no analysis, no runs. */
export const unwiredRuntime: NotebookRuntimeService = {
  analyze: async () => ({ reads: [], writes: [], error: null }),
  cellCreated: async () => {},
  cellEdited: async () => {},
  cellDeleted: async () => {},
  cellMoved: async () => {},
  noteRevision: async () => {},
  runCell: async () => {
    throw kernelUnavailable(NOT_WIRED);
  },
  runAll: async () => {
    throw kernelUnavailable(NOT_WIRED);
  },
  interrupt: async () => {
    throw kernelUnavailable(NOT_WIRED);
  },
  restartKernel: async () => {
    throw kernelUnavailable(NOT_WIRED);
  },
  stop: async () => {},
};

/** Decorates `app.notebookRuntime` with `runtime` (default: the unwired stand-in) unless one is already there. */
export const notebookRuntimePlugin = fp<{ runtime?: NotebookRuntimeService }>(
  async (app, options) => {
    if (!app.hasDecorator("notebookRuntime"))
      app.decorate("notebookRuntime", options.runtime ?? unwiredRuntime);
  },
  { name: "notebook-runtime" },
);

declare module "fastify" {
  interface FastifyInstance {
    notebookRuntime: NotebookRuntimeService;
  }
}

/** A cell about to be created, with its analysis: reads/writes, or the parse error it will show. */
export async function withAnalysis(
  runtime: NotebookRuntimeService,
  cell: NewCellInput,
): Promise<NewCellInput> {
  const analysis = await runtime.analyze({ type: cell.type, code: cell.code ?? "", name: cell.name ?? null });
  if (analysis.error)
    return {
      ...cell,
      reads: analysis.reads,
      writes: analysis.writes,
      status: "error",
      error: analysis.error,
    };
  return { ...cell, reads: analysis.reads, writes: analysis.writes };
}
