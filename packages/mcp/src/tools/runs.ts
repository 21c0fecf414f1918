/** The run tools: run a cell or the whole notebook and wait for the outcome, interrupt a run, restart the kernel. */
import { Type } from "@sinclair/typebox";
import { defineTool } from "../tool.js";
import {
  CellRef,
  DEFAULT_WAIT_SECONDS,
  NotebookId,
  RunView,
  resolveCell,
  runAndReport,
  WaitSeconds,
} from "./common.js";

export const runCell = defineTool({
  name: "run_cell",
  title: "Run a cell",
  description:
    "Runs a cell — first any stale cell it reads from, then every cell that reads its names — and waits for the run to end. Answers every cell the run touched in its final state: outputs, stdout, errors with tracebacks, and the cells blocked by an error.",
  input: Type.Object(
    { notebookId: NotebookId, cellId: CellRef, waitSeconds: Type.Optional(WaitSeconds) },
    { additionalProperties: false },
  ),
  output: RunView,
  annotations: {},
  async run(args, context) {
    const cellId = await resolveCell(context, args.notebookId, args.cellId);
    const report = await runAndReport(
      context,
      args.notebookId,
      args.waitSeconds ?? DEFAULT_WAIT_SECONDS,
      (options) => context.client.cells.run(args.notebookId, cellId, options),
    );
    return { text: report.text, images: report.images, structured: report.view };
  },
});

export const runAll = defineTool({
  name: "run_all",
  title: "Run every cell",
  description:
    "Runs every cell of the notebook in the order their names need and waits for the run to end. Answers every cell in its final state: outputs, stdout, errors with tracebacks, and the cells blocked by an error.",
  input: Type.Object(
    { notebookId: NotebookId, waitSeconds: Type.Optional(WaitSeconds) },
    { additionalProperties: false },
  ),
  output: RunView,
  annotations: {},
  async run(args, context) {
    const report = await runAndReport(
      context,
      args.notebookId,
      args.waitSeconds ?? DEFAULT_WAIT_SECONDS,
      (options) => context.client.notebooks.run(args.notebookId, options),
    );
    return { text: report.text, images: report.images, structured: report.view };
  },
});

export const interrupt = defineTool({
  name: "interrupt",
  title: "Interrupt the run",
  description:
    "Stops the cell that is executing: it ends in error (KeyboardInterrupt) and the cells that read from it are blocked. Use it on a run that takes too long.",
  input: Type.Object({ notebookId: NotebookId }, { additionalProperties: false }),
  output: Type.Object({ notebookId: Type.String() }),
  annotations: { idempotentHint: true },
  async run({ notebookId }, { client, signal }) {
    await client.notebooks.interrupt(notebookId, { signal });
    return {
      text: "Interrupt sent; call get_notebook to see where the run stopped.",
      structured: { notebookId },
    };
  },
});

export const restartKernel = defineTool({
  name: "restart_kernel",
  title: "Restart the kernel",
  description:
    "Restarts the notebook's Python kernel, forgetting every variable: every cell becomes stale until it runs again (run_all). Use it when the kernel is stuck or its state is muddled.",
  input: Type.Object({ notebookId: NotebookId }, { additionalProperties: false }),
  output: Type.Object({ notebookId: Type.String() }),
  annotations: { destructiveHint: true, idempotentHint: true },
  async run({ notebookId }, { client, signal }) {
    await client.notebooks.restartKernel(notebookId, { signal });
    return {
      text: "The kernel is restarting; every cell is stale now. Call run_all to compute them again.",
      structured: { notebookId },
    };
  },
});
