/** The cell tools: add, edit (and run), delete and move cells. */
import { type Static, Type } from "@sinclair/typebox";
import type { ModelImage } from "../outputs.js";
import { defineTool, type ToolContext, ToolError } from "../tool.js";
import { CellView, cellText, cellView, positionsOf } from "../views.js";
import {
  CellRef,
  DEFAULT_WAIT_SECONDS,
  NotebookId,
  type RunReport,
  RunView,
  resolveCell,
  runAndReport,
  WaitSeconds,
} from "./common.js";
import { CellCode, CellType, SqlName } from "./notebooks.js";

const CellAndRun = Type.Object({
  cell: CellView,
  run: Type.Optional(RunView),
});
type CellAndRun = Static<typeof CellAndRun>;

const Run = Type.Boolean({
  description:
    "Also run the cell now and wait for it and every cell that reads its names; the answer then holds all of them in their final state.",
});

/**
 * The answer of a cell tool: with a finished run, the run's cells (the cell's final state among them);
 * otherwise the cell as it is now, and the run's report if it is still going.
 */
async function savedAndMaybeRun(
  context: ToolContext,
  notebookId: string,
  cellId: string,
  saved: string,
  run: { wait: number } | undefined,
): Promise<{ text: string; images: ModelImage[]; structured: CellAndRun }> {
  let report: RunReport | undefined;
  if (run) {
    report = await runAndReport(context, notebookId, run.wait, (options) =>
      context.client.cells.run(notebookId, cellId, options),
    );
  }
  const ran = report?.view.cells.find((cell) => cell.id === cellId);
  if (report && ran) {
    return {
      text: `${saved}\n\n${report.text}`,
      images: report.images,
      structured: { cell: ran, run: report.view },
    };
  }
  const notebook = await context.client.notebooks.get(notebookId, { signal: context.signal });
  const current = notebook.cells.find((cell) => cell.id === cellId);
  if (!current) throw new ToolError("not_found", `${saved} It has been deleted since, by another client.`);
  const { view, images } = cellView(current, positionsOf(notebook.cells));
  const text = [saved, cellText(view), ...(report ? [report.text] : [])].join("\n\n");
  return { text, images, structured: { cell: view, ...(report ? { run: report.view } : {}) } };
}

export const addCell = defineTool({
  name: "add_cell",
  title: "Add a cell",
  description:
    "Adds a cell to a notebook, at a 1-based position (appended if none) and, with run: true, runs it and every cell that reads its names, answering them all in their final state.",
  input: Type.Object(
    {
      notebookId: NotebookId,
      type: CellType,
      code: CellCode,
      index: Type.Optional(
        Type.Integer({
          minimum: 1,
          description: "1-based position the new cell takes; appended if omitted.",
        }),
      ),
      name: Type.Optional(SqlName),
      run: Type.Optional(Run),
      waitSeconds: Type.Optional(WaitSeconds),
    },
    { additionalProperties: false },
  ),
  output: CellAndRun,
  annotations: {},
  async run(args, context) {
    const { notebookId, type, code, index, name, run, waitSeconds } = args;
    const cell = await context.client.cells.create(
      notebookId,
      { type, code, ...(name ? { name } : {}), ...(index !== undefined ? { index: index - 1 } : {}) },
      { signal: context.signal },
    );
    const wait = run ? { wait: waitSeconds ?? DEFAULT_WAIT_SECONDS } : undefined;
    return savedAndMaybeRun(context, notebookId, cell.id, `Added cell ${cell.id}.`, wait);
  },
});

export const editCell = defineTool({
  name: "edit_cell",
  title: "Edit a cell",
  description:
    "Replaces a cell's code. Without run the cell and the cells reading its names become stale; with run: true it runs now, with every cell that reads its names, and the answer holds all of them in their final state (for example editing x = 10 to x = 20 returns the re-computed cells that use x).",
  input: Type.Object(
    {
      notebookId: NotebookId,
      cellId: CellRef,
      code: CellCode,
      name: Type.Optional(SqlName),
      run: Type.Optional(Run),
      waitSeconds: Type.Optional(WaitSeconds),
    },
    { additionalProperties: false },
  ),
  output: CellAndRun,
  annotations: {},
  async run(args, context) {
    const { notebookId, code, name, run, waitSeconds } = args;
    const cellId = await resolveCell(context, notebookId, args.cellId);
    // The edit is saved without `run: true` and the run asked for apart: the PATCH answers the cell, not a
    // run id, and a separate run with ?wait reports every cell it touched. It is still one run.
    const cell = await context.client.cells.update(
      notebookId,
      cellId,
      { code, ...(name ? { name } : {}) },
      { signal: context.signal },
    );
    const names = [
      cell.reads.length > 0 ? `reads ${cell.reads.join(", ")}` : "",
      cell.writes.length > 0 ? `writes ${cell.writes.join(", ")}` : "",
    ].filter(Boolean);
    const saved = `Saved cell ${cell.id}${names.length > 0 ? ` (it ${names.join("; ")})` : ""}.`;
    const wait = run ? { wait: waitSeconds ?? DEFAULT_WAIT_SECONDS } : undefined;
    return savedAndMaybeRun(context, notebookId, cellId, saved, wait);
  },
});

export const deleteCell = defineTool({
  name: "delete_cell",
  title: "Delete a cell",
  description:
    "Deletes a cell. The names it defined leave the kernel, so cells that read them re-run and fail or are blocked until another cell defines them.",
  input: Type.Object({ notebookId: NotebookId, cellId: CellRef }, { additionalProperties: false }),
  output: Type.Object({ deleted: Type.String({ description: "The deleted cell's id." }) }),
  annotations: { destructiveHint: true },
  async run(args, context) {
    const cellId = await resolveCell(context, args.notebookId, args.cellId);
    await context.client.cells.delete(args.notebookId, cellId, { signal: context.signal });
    return { text: `Deleted cell ${cellId}.`, structured: { deleted: cellId } };
  },
});

export const moveCell = defineTool({
  name: "move_cell",
  title: "Move a cell",
  description:
    "Moves a cell to another 1-based position. Order is only for reading: cells run in the order their names need, wherever they are.",
  input: Type.Object(
    {
      notebookId: NotebookId,
      cellId: CellRef,
      index: Type.Integer({ minimum: 1, description: "The 1-based position the cell moves to." }),
    },
    { additionalProperties: false },
  ),
  output: Type.Object({
    order: Type.Array(Type.String(), { description: "Every cell id, in the new order." }),
  }),
  annotations: { idempotentHint: true },
  async run(args, context) {
    const cellId = await resolveCell(context, args.notebookId, args.cellId);
    const { order } = await context.client.cells.move(args.notebookId, cellId, args.index - 1, {
      signal: context.signal,
    });
    const position = order.indexOf(cellId) + 1;
    const list = order.map((id, i) => `${i + 1}. ${id}`).join("\n");
    return {
      text: `Moved cell ${cellId} to position ${position}. The order now:\n${list}`,
      structured: { order },
    };
  },
});
