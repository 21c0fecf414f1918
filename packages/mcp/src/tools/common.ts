/**
 * What several tools share: the argument schemas of a notebook and of a cell (by id or 1-based position),
 * finding a cell's id from either, and running cells and reporting every cell the run touched.
 */
import { MAX_NAME_LENGTH } from "@reactive-notebook/protocol";
import type { RunAccepted, RunCompleted } from "@reactive-notebook/sdk";
import { type Static, Type } from "@sinclair/typebox";
import type { ModelImage } from "../outputs.js";
import { type ToolContext, ToolError } from "../tool.js";
import { CellView, cellText, cellView, positionsOf } from "../views.js";

export const NotebookId = Type.String({
  minLength: 1,
  maxLength: 100,
  description: "The notebook's id, as list_notebooks and create_notebook give it.",
});

export const CellRef = Type.Union(
  [Type.String({ minLength: 1, maxLength: 100 }), Type.Integer({ minimum: 1 })],
  { description: "The cell: its id, or its 1-based position in the notebook as get_notebook numbers them." },
);
export type CellRef = Static<typeof CellRef>;

export const NotebookName = Type.String({
  minLength: 1,
  maxLength: MAX_NAME_LENGTH,
  description: "The notebook's name, as people will see it.",
});

/** Longest wait for a run: below the 60 s most MCP clients give a tool call, leaving time to answer. */
export const MAX_WAIT_SECONDS = 50;
export const DEFAULT_WAIT_SECONDS = 30;

export const WaitSeconds = Type.Integer({
  minimum: 1,
  maximum: MAX_WAIT_SECONDS,
  description: `How long to wait for the run to end, in seconds (default ${DEFAULT_WAIT_SECONDS}). A run still going then is reported as running; read it later with get_notebook.`,
});

export const RunView = Type.Object(
  {
    runId: Type.String(),
    finished: Type.Boolean({ description: "false: still running when the wait ran out." }),
    ms: Type.Optional(Type.Number({ description: "How long the run took." })),
    cells: Type.Array(CellView, {
      description: "Every cell the run touched, in its final state (empty while still running).",
    }),
  },
  { description: "What a run did." },
);
export type RunView = Static<typeof RunView>;

/** A run's report: its view, its text for the model, and its cells' images. */
export interface RunReport {
  view: RunView;
  text: string;
  images: ModelImage[];
}

/** The id of the cell `ref` names in the notebook: ids pass through, positions (also "2") are looked up. */
export async function resolveCell(context: ToolContext, notebookId: string, ref: CellRef): Promise<string> {
  const position = typeof ref === "number" ? ref : /^\d+$/.test(ref) ? Number(ref) : undefined;
  if (position === undefined) return ref as string;
  const notebook = await context.client.notebooks.get(notebookId, { signal: context.signal });
  const cell = notebook.cells[position - 1];
  if (!cell) {
    const count = notebook.cells.length === 1 ? "1 cell" : `${notebook.cells.length} cells`;
    throw new ToolError("not_found", `The notebook has ${count}; there is no cell ${position}.`);
  }
  return cell.id;
}

/**
 * Starts a run that waits up to `wait` seconds and reports it: when it ended, every cell it touched, in
 * its final state, numbered by position (one more request reads the notebook's order).
 */
export async function runAndReport(
  context: ToolContext,
  notebookId: string,
  wait: number,
  start: (options: { wait: number; signal?: AbortSignal }) => Promise<RunAccepted | RunCompleted>,
): Promise<RunReport> {
  const result = await start({ wait, signal: context.signal });
  if (!("cells" in result)) {
    return {
      view: { runId: result.runId, finished: false, cells: [] },
      text: `Run ${result.runId} is still running after ${wait} s. Call get_notebook to see its cells as they finish, or interrupt to stop it.`,
      images: [],
    };
  }
  const notebook = await context.client.notebooks.get(notebookId, { signal: context.signal });
  const positions = positionsOf(notebook.cells);
  const cells = result.cells.map((cell) => cellView(cell, positions));
  const touched = cells.length === 1 ? "1 cell" : `${cells.length} cells`;
  const failed = cells.filter((cell) => cell.view.status === "error").length;
  const outcome = failed === 0 ? "" : ` ${failed === 1 ? "1 cell" : `${failed} cells`} failed.`;
  return {
    view: { runId: result.runId, finished: true, ms: result.ms, cells: cells.map((cell) => cell.view) },
    text: [
      `Run ${result.runId} finished in ${Math.round(result.ms)} ms and touched ${touched}.${outcome}`,
      ...cells.map((cell) => cellText(cell.view)),
    ].join("\n\n"),
    images: cells.flatMap((cell) => cell.images),
  };
}
