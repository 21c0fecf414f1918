/**
 * The run tools: run a cell or the whole notebook and wait for the outcome, set a control (which re-runs its
 * readers), interrupt a run, restart the kernel.
 */
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

export const setControl = defineTool({
  name: "set_control",
  title: "Set a control",
  description:
    "Sets an interactive control (an rn.ui slider, number, text, textarea, dropdown, checkbox, radio or button a cell shows; get_notebook lists each as [control ID: kind = value, what it accepts]) as a person would, and waits for the cells that read it to re-run; the cell that made the control does not run again. A button's value is its click count: set it one higher to click it. Answers every cell the run touched in its final state. A value that does not fit the control (wrong type, out of range, off its step, not one of its options) is an invalid_request error naming the control.",
  input: Type.Object(
    {
      notebookId: NotebookId,
      cellId: CellRef,
      controlId: Type.String({
        minLength: 1,
        maxLength: 20,
        description: 'The control\'s id in its cell, as get_notebook shows it ("0" for the first control).',
      }),
      value: Type.Union([Type.Number(), Type.String(), Type.Boolean()], {
        description:
          "The new value: a number (slider, number, button), a string (text, textarea, dropdown, radio) or a boolean (checkbox).",
      }),
      waitSeconds: Type.Optional(WaitSeconds),
    },
    { additionalProperties: false },
  ),
  output: RunView,
  annotations: { idempotentHint: true },
  async run(args, context) {
    const cellId = await resolveCell(context, args.notebookId, args.cellId);
    const report = await runAndReport(
      context,
      args.notebookId,
      args.waitSeconds ?? DEFAULT_WAIT_SECONDS,
      (options) =>
        context.client.cells.setControl(args.notebookId, cellId, args.controlId, args.value, options),
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
