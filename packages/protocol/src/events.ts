/**
 * The events the server sends on the notebook WebSocket (API.md "WebSocket"), as a union
 * discriminated on `type`. Each carries the `notebookId` and the notebook `revision` after it
 * (optional on `error`, which may come before the notebook is known).
 */
import { type Static, type TLiteral, type TProperties, Type } from "@sinclair/typebox";
import { ErrorCode, ErrorDetails } from "./errors.js";
import { ref } from "./ref.js";
import { Cell, CellError, CellStatus, ControlValue, KernelStatus, Notebook, Output } from "./resources.js";

// Events are responses: open to new fields, like resources (see README).

const envelope = {
  notebookId: Type.String(),
  revision: Type.Integer({ minimum: 0, description: "The notebook revision after this event." }),
};

/** Builds the schema of event `type` with the common envelope and its own fields. */
function event<T extends string, P extends TProperties>(
  type: T,
  id: string,
  properties: P,
  description?: string,
) {
  const literal: TLiteral<T> = Type.Literal(type);
  return Type.Object(
    { type: literal, ...envelope, ...properties },
    { $id: id, ...(description ? { description } : {}) },
  );
}

export const HelloEvent = event(
  "hello",
  "HelloEvent",
  { notebook: ref(Notebook) },
  "Sent once after a valid auth frame.",
);
export type HelloEvent = Static<typeof HelloEvent>;

export const PongEvent = event("pong", "PongEvent", {}, "The answer to a ping frame.");
export type PongEvent = Static<typeof PongEvent>;

export const ErrorEvent = Type.Object(
  {
    type: Type.Literal("error"),
    notebookId: Type.Optional(envelope.notebookId),
    revision: Type.Optional(envelope.revision),
    code: ref(ErrorCode),
    message: Type.String(),
    details: Type.Optional(ref(ErrorDetails)),
  },
  { $id: "ErrorEvent", description: "A frame was refused; the connection stays open." },
);
export type ErrorEvent = Static<typeof ErrorEvent>;

export const NotebookUpdatedEvent = event("notebook_updated", "NotebookUpdatedEvent", {
  name: Type.String(),
});
export type NotebookUpdatedEvent = Static<typeof NotebookUpdatedEvent>;

export const CellCreatedEvent = event("cell_created", "CellCreatedEvent", {
  cell: ref(Cell),
  index: Type.Integer({ minimum: 0 }),
});
export type CellCreatedEvent = Static<typeof CellCreatedEvent>;

export const CellUpdatedEvent = event("cell_updated", "CellUpdatedEvent", { cell: ref(Cell) });
export type CellUpdatedEvent = Static<typeof CellUpdatedEvent>;

export const CellDeletedEvent = event("cell_deleted", "CellDeletedEvent", { cellId: Type.String() });
export type CellDeletedEvent = Static<typeof CellDeletedEvent>;

export const CellsMovedEvent = event("cells_moved", "CellsMovedEvent", {
  order: Type.Array(Type.String(), { description: "Every cell id in the new display order." }),
});
export type CellsMovedEvent = Static<typeof CellsMovedEvent>;

export const CellStatusEvent = event("cell_status", "CellStatusEvent", {
  cellId: Type.String(),
  status: ref(CellStatus),
  runId: Type.Union([Type.String(), Type.Null()], {
    description: "The run that caused it; null when no run did (e.g. stale after a kernel restart).",
  }),
  // Additions to API.md's cell_status (events are open to new fields); older clients ignore them.
  blockedBy: Type.Optional(
    Type.String({ description: "With `blocked`: the upstream cell whose error or block stops this one." }),
  ),
  executionCount: Type.Optional(
    Type.Integer({
      minimum: 1,
      description: "With `success`/`error` after the cell ran: its new `executionCount`.",
    }),
  ),
  lastRunMs: Type.Optional(
    Type.Number({
      minimum: 0,
      description: "With `success`/`error` after the cell ran: its new `lastRunMs`.",
    }),
  ),
});
export type CellStatusEvent = Static<typeof CellStatusEvent>;

export const StdStream = Type.Union([Type.Literal("stdout"), Type.Literal("stderr")], { $id: "StdStream" });
export type StdStream = Static<typeof StdStream>;

export const CellStdoutEvent = event(
  "cell_stdout",
  "CellStdoutEvent",
  { cellId: Type.String(), stream: ref(StdStream), text: Type.String() },
  "A chunk of printed text, streamed while the cell runs.",
);
export type CellStdoutEvent = Static<typeof CellStdoutEvent>;

export const CellOutputsEvent = event("cell_outputs", "CellOutputsEvent", {
  cellId: Type.String(),
  outputs: Type.Array(ref(Output)),
});
export type CellOutputsEvent = Static<typeof CellOutputsEvent>;

export const CellOutputAddedEvent = event(
  "cell_output_added",
  "CellOutputAddedEvent",
  {
    cellId: Type.String(),
    index: Type.Integer({ minimum: 0, description: "Its position in the cell's outputs." }),
    output: ref(Output),
  },
  "One output a running cell displayed (display()), appended at `index`. The cell's final list follows in " +
    "cell_outputs when it ends.",
);
export type CellOutputAddedEvent = Static<typeof CellOutputAddedEvent>;

export const ProgressKind = Type.Union([Type.Literal("packages"), Type.Literal("database")], {
  $id: "ProgressKind",
  description:
    "What a cell waits for: Python packages being fetched and installed, or the sample database starting.",
});
export type ProgressKind = Static<typeof ProgressKind>;

export const CellProgressEvent = event(
  "cell_progress",
  "CellProgressEvent",
  {
    cellId: Type.String(),
    kind: ref(ProgressKind),
    message: Type.String({ description: 'A sentence for people, e.g. "Starting the sample database…".' }),
    fraction: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: "Done so far, when known." })),
    done: Type.Boolean({
      description: "True on the last progress event of this kind for this run of the cell.",
    }),
  },
  "Progress of slow work a running cell waits for, before its own code runs.",
);
export type CellProgressEvent = Static<typeof CellProgressEvent>;

export const CellErrorEvent = event("cell_error", "CellErrorEvent", {
  cellId: Type.String(),
  error: ref(CellError),
});
export type CellErrorEvent = Static<typeof CellErrorEvent>;

export const RunFinishedEvent = event("run_finished", "RunFinishedEvent", {
  runId: Type.String(),
  cells: Type.Array(Type.String(), { description: "The cells the run executed, in order." }),
  ms: Type.Number({ minimum: 0 }),
});
export type RunFinishedEvent = Static<typeof RunFinishedEvent>;

export const ControlValueEvent = event(
  "control_value",
  "ControlValueEvent",
  { cellId: Type.String(), controlId: Type.String(), value: ref(ControlValue) },
  "A control's value changed (from any tab, the SDK or REST); the cells that read it re-run.",
);
export type ControlValueEvent = Static<typeof ControlValueEvent>;

export const KernelStatusEvent = event("kernel_status", "KernelStatusEvent", { status: ref(KernelStatus) });
export type KernelStatusEvent = Static<typeof KernelStatusEvent>;

export const ServerEvent = Type.Union(
  [
    ref(HelloEvent),
    ref(PongEvent),
    ref(ErrorEvent),
    ref(NotebookUpdatedEvent),
    ref(CellCreatedEvent),
    ref(CellUpdatedEvent),
    ref(CellDeletedEvent),
    ref(CellsMovedEvent),
    ref(CellStatusEvent),
    ref(CellStdoutEvent),
    ref(CellOutputsEvent),
    ref(CellOutputAddedEvent),
    ref(CellProgressEvent),
    ref(CellErrorEvent),
    ref(RunFinishedEvent),
    ref(KernelStatusEvent),
    ref(ControlValueEvent),
  ],
  { $id: "ServerEvent", description: "Any server → client WebSocket event." },
);
export type ServerEvent = Static<typeof ServerEvent>;
export type ServerEventType = ServerEvent["type"];
/** The server event whose `type` is T, e.g. `EventOf<"cell_status">`. */
export type EventOf<T extends ServerEventType> = Extract<ServerEvent, { type: T }>;

export const SERVER_EVENT_TYPES = [
  "hello",
  "pong",
  "error",
  "notebook_updated",
  "cell_created",
  "cell_updated",
  "cell_deleted",
  "cells_moved",
  "cell_status",
  "cell_stdout",
  "cell_outputs",
  "cell_output_added",
  "cell_progress",
  "cell_error",
  "run_finished",
  "kernel_status",
  "control_value",
] as const satisfies readonly ServerEventType[];

export const ServerEventType = Type.Union(
  SERVER_EVENT_TYPES.map((type) => Type.Literal(type)),
  { $id: "ServerEventType" },
);
