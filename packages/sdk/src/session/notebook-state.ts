/**
 * How a notebook changes under each server event: one pure function from (notebook, event) to the next
 * notebook. It never mutates its input, so a UI can compare old and new objects to see what changed.
 */
import type {
  Cell,
  CONTROL_MIME_TYPE as ControlMimeType,
  Notebook,
  Output,
  ServerEvent,
} from "@reactive-notebook/protocol";
// The subpath keeps the browser bundle free of the protocol's schemas.
import { appendCapped } from "@reactive-notebook/protocol/streams";

// Written out, not imported: a value import would pull the protocol's schemas into the browser bundle.
const CONTROL_MIME_TYPE: typeof ControlMimeType = "application/vnd.reactive-notebook.control+json";

/** Whether `output` is the control `controlId` (an `rn.ui` output). */
function isControl(output: Output, controlId: string): output is Output & { data: Record<string, unknown> } {
  return (
    output.mimeType === CONTROL_MIME_TYPE &&
    typeof output.data === "object" &&
    output.data !== null &&
    !Array.isArray(output.data) &&
    output.data.id === controlId
  );
}

/** The notebook after `event`; the same object when the event changes nothing in it. */
export function applyEvent(notebook: Notebook, event: ServerEvent): Notebook {
  switch (event.type) {
    case "hello":
      return event.notebook;
    case "notebook_updated":
      return { ...notebook, name: event.name, revision: event.revision };
    case "cell_created": {
      const cells = notebook.cells.filter((cell) => cell.id !== event.cell.id);
      cells.splice(Math.min(event.index, cells.length), 0, event.cell);
      return withCells(notebook, cells, event.revision);
    }
    case "cell_updated":
      return withCells(
        notebook,
        notebook.cells.map((cell) => (cell.id === event.cell.id ? event.cell : cell)),
        event.revision,
      );
    case "cell_deleted":
      return withCells(
        notebook,
        notebook.cells.filter((cell) => cell.id !== event.cellId),
        event.revision,
      );
    case "cells_moved":
      return withCells(notebook, reorder(notebook.cells, event.order), event.revision);
    case "cell_status":
      return updateCell(notebook, event.cellId, event.revision, (cell) =>
        // A cell that starts running starts from a blank page; other statuses keep what it shows.
        event.status === "running"
          ? {
              ...cell,
              status: event.status,
              stdout: "",
              stderr: "",
              outputs: [],
              error: null,
              blockedBy: null,
            }
          : {
              ...cell,
              status: event.status,
              blockedBy: event.status === "blocked" ? (event.blockedBy ?? null) : null,
              ...(event.executionCount !== undefined ? { executionCount: event.executionCount } : {}),
              ...(event.lastRunMs !== undefined ? { lastRunMs: event.lastRunMs } : {}),
            },
      );
    case "cell_stdout":
      return updateCell(notebook, event.cellId, event.revision, (cell) => ({
        ...cell,
        [event.stream]: appendCapped(cell[event.stream], event.text),
      }));
    case "cell_outputs":
      return updateCell(notebook, event.cellId, event.revision, (cell) => ({
        ...cell,
        outputs: event.outputs,
      }));
    case "cell_output_added":
      return updateCell(notebook, event.cellId, event.revision, (cell) => {
        // Outputs before `index` stay; one sent again (a replay) takes its own place. An index past the end
        // (an event missed) appends rather than leaving holes: cell_outputs puts the final list right.
        const outputs = cell.outputs.slice(0, event.index);
        outputs.push(event.output);
        return { ...cell, outputs };
      });
    case "cell_error":
      return updateCell(notebook, event.cellId, event.revision, (cell) => ({ ...cell, error: event.error }));
    case "control_value":
      // The control's output in its defining cell shows the new value; readers re-run on their own events.
      return updateCell(notebook, event.cellId, event.revision, (cell) => ({
        ...cell,
        outputs: cell.outputs.map((output) =>
          isControl(output, event.controlId)
            ? { ...output, data: { ...(output.data as Record<string, unknown>), value: event.value } }
            : output,
        ),
      }));
    case "run_finished":
    case "kernel_status":
    case "cell_progress":
    case "pong":
      return event.revision > notebook.revision ? { ...notebook, revision: event.revision } : notebook;
    case "error":
      return notebook;
  }
}

function withCells(notebook: Notebook, cells: Cell[], revision: number): Notebook {
  return { ...notebook, cells, cellCount: cells.length, revision: Math.max(notebook.revision, revision) };
}

function updateCell(
  notebook: Notebook,
  cellId: string,
  revision: number,
  change: (cell: Cell) => Cell,
): Notebook {
  if (!notebook.cells.some((cell) => cell.id === cellId)) return notebook;
  return withCells(
    notebook,
    notebook.cells.map((cell) => (cell.id === cellId ? change(cell) : cell)),
    revision,
  );
}

/** Cells in `order`; cells the order does not name (it should name all) keep their place at the end. */
function reorder(cells: Cell[], order: string[]): Cell[] {
  const byId = new Map(cells.map((cell) => [cell.id, cell]));
  const ordered = order.flatMap((id) => {
    const cell = byId.get(id);
    byId.delete(id);
    return cell ? [cell] : [];
  });
  return [...ordered, ...byId.values()];
}
