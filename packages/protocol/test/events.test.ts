/** Specification of the server → client WebSocket events: every type, its envelope and its payload. */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type EventOf,
  SERVER_EVENT_TYPES,
  ServerEvent,
  ServerEventType,
  schemasById,
  validate,
} from "../src/index.js";
import { broken, runCases } from "./cases.js";
import { cell, events } from "./samples.js";

const event = <T extends ServerEventType>(type: T) => events.find((e) => e.type === type) as EventOf<T>;

test("the samples cover every event type, in the order of SERVER_EVENT_TYPES", () => {
  assert.deepEqual(
    events.map((e) => e.type),
    [...SERVER_EVENT_TYPES],
  );
});

test("SERVER_EVENT_TYPES lists exactly the variants of ServerEvent", () => {
  const types = ServerEvent.anyOf.map(
    (variant) => schemasById[variant.$ref as string]?.properties?.type?.const,
  );
  assert.deepEqual(types, [...SERVER_EVENT_TYPES]);
});

runCases([
  ...events.map((value) => ({ name: `a ${value.type} event is valid`, schema: ServerEvent, value })),
  ...SERVER_EVENT_TYPES.map((type) => ({
    name: `${type} is an event type`,
    schema: ServerEventType,
    value: type,
  })),
  {
    name: "cell_output (singular) is not an event type",
    schema: ServerEventType,
    value: "cell_output",
    rejectsAt: "",
  },
  ...SERVER_EVENT_TYPES.filter((type) => type !== "error").flatMap((type) => [
    {
      name: `a ${type} event carries its notebookId`,
      schema: ServerEvent,
      value: broken(event(type), (e) => Reflect.deleteProperty(e, "notebookId")),
      rejectsAt: "/notebookId",
    },
    {
      name: `a ${type} event carries the revision after it`,
      schema: ServerEvent,
      value: broken(event(type), (e) => Reflect.deleteProperty(e, "revision")),
      rejectsAt: "/revision",
    },
  ]),
  {
    name: "an error event may carry its notebookId and revision",
    schema: ServerEvent,
    value: { ...event("error"), notebookId: "nb-1", revision: 3, details: { field: "/cellId" } },
  },
  {
    name: "an error event's code comes from the error table",
    schema: ServerEvent,
    value: { ...event("error"), code: "bad_frame" },
    rejectsAt: "/code",
  },
  {
    name: "an event of unknown type is refused at its type",
    schema: ServerEvent,
    value: { ...event("pong"), type: "cell_output" },
    rejectsAt: "/type",
  },
  {
    name: "an event may carry fields a newer server adds",
    schema: ServerEvent,
    value: { ...event("pong"), serverTime: 1 },
  },
  {
    name: "a hello event's notebook is checked deeply",
    schema: ServerEvent,
    value: broken(event("hello"), (e) => {
      e.notebook.cells[0]!.type = "ruby" as never;
    }),
    rejectsAt: "/notebook/cells/0/type",
  },
  {
    name: "a revision is an integer",
    schema: ServerEvent,
    value: { ...event("pong"), revision: "7" },
    rejectsAt: "/revision",
  },
  {
    name: "a cell_status with status done is refused",
    schema: ServerEvent,
    value: { ...event("cell_status"), status: "done" },
    rejectsAt: "/status",
  },
  {
    name: "a cell_status with no run says runId null",
    schema: ServerEvent,
    value: { ...event("cell_status"), status: "stale", runId: null },
  },
  {
    name: "a cell_status needs its runId key",
    schema: ServerEvent,
    value: broken(event("cell_status"), (e) => Reflect.deleteProperty(e, "runId")),
    rejectsAt: "/runId",
  },
  {
    name: "a cell_stdout streams stdout or stderr only",
    schema: ServerEvent,
    value: { ...event("cell_stdout"), stream: "stdin" },
    rejectsAt: "/stream",
  },
  {
    name: "a cell_created needs its index",
    schema: ServerEvent,
    value: broken(event("cell_created"), (e) => Reflect.deleteProperty(e, "index")),
    rejectsAt: "/index",
  },
  {
    name: "a cell_updated carries a whole cell",
    schema: ServerEvent,
    value: { ...event("cell_updated"), cell: { id: "c-1", code: "x" } },
    rejectsAt: "/cell/status",
  },
  {
    name: "a cell_outputs carries a list of outputs",
    schema: ServerEvent,
    value: { ...event("cell_outputs"), outputs: { mimeType: "text/plain", data: "" } },
    rejectsAt: "/outputs",
  },
  {
    name: "a cell_error carries a cell error",
    schema: ServerEvent,
    value: { ...event("cell_error"), error: "boom" },
    rejectsAt: "/error",
  },
  {
    name: "a run_finished lists the cells it ran",
    schema: ServerEvent,
    value: { ...event("run_finished"), cells: "sql-1" },
    rejectsAt: "/cells",
  },
  {
    name: "a run_finished says how long it took",
    schema: ServerEvent,
    value: broken(event("run_finished"), (e) => Reflect.deleteProperty(e, "ms")),
    rejectsAt: "/ms",
  },
  {
    name: "a kernel_status with status sleeping is refused",
    schema: ServerEvent,
    value: { ...event("kernel_status"), status: "sleeping" },
    rejectsAt: "/status",
  },
  {
    name: "a cells_moved lists ids",
    schema: ServerEvent,
    value: { ...event("cells_moved"), order: [cell()] },
    rejectsAt: "/order/0",
  },
]);

test("a switch on event.type narrows the payload", () => {
  const seen: string[] = [];
  for (const value of events) {
    const result = validate(ServerEvent, value);
    assert.ok(result.ok);
    const e = result.value;
    switch (e.type) {
      case "cell_status":
        seen.push(`${e.cellId}:${e.status}`);
        break;
      case "hello":
        seen.push(`${e.notebook.cells.length} cells`);
        break;
      case "run_finished":
        seen.push(`${e.ms}ms`);
        break;
    }
  }
  assert.deepEqual(seen, ["2 cells", "sql-1:running", "12ms"]);
});
