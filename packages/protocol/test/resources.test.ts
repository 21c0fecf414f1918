/** Specification of the resources the API returns: cells, outputs, notebooks, who-am-I and health. */
import {
  Cell,
  CellError,
  CellStatus,
  CellType,
  ClientConfig,
  DatabaseInfo,
  Health,
  KernelStatus,
  Me,
  Notebook,
  NotebookSummary,
  Output,
  TableData,
} from "../src/index.js";
import { broken, runCases } from "./cases.js";
import { cell, database, notebook, outputs, sqlCell, summary, table } from "./samples.js";

runCases([
  ...["python", "sql", "markdown"].map((type) => ({
    name: `cell type ${type} is known`,
    schema: CellType,
    value: type,
  })),
  { name: "cell type ruby is refused", schema: CellType, value: "ruby", rejectsAt: "" },
  ...["idle", "queued", "running", "success", "error", "blocked", "stale"].map((status) => ({
    name: `cell status ${status} is known`,
    schema: CellStatus,
    value: status,
  })),
  { name: "cell status done is refused", schema: CellStatus, value: "done", rejectsAt: "" },
  ...["starting", "ready", "busy", "restarting", "dead"].map((status) => ({
    name: `kernel status ${status} is known`,
    schema: KernelStatus,
    value: status,
  })),

  ...outputs.map((output) => ({
    name: `an output of ${output.mimeType} is valid`,
    schema: Output,
    value: output,
  })),
  { name: "an output needs a mimeType", schema: Output, value: { data: "x" }, rejectsAt: "/mimeType" },
  {
    name: "an output's data is text or JSON, not a number",
    schema: Output,
    value: { mimeType: "text/plain", data: 4 },
    rejectsAt: "/data",
  },
  {
    name: "an output's metadata is an object",
    schema: Output,
    value: { mimeType: "text/plain", data: "", metadata: "x" },
    rejectsAt: "/metadata",
  },

  { name: "a truncated table is valid", schema: TableData, value: table },
  {
    name: "a table's rowCount is an integer",
    schema: TableData,
    value: { ...table, rowCount: 1.5 },
    rejectsAt: "/rowCount",
  },
  {
    name: "a table's rowCount is not negative",
    schema: TableData,
    value: { ...table, rowCount: -1 },
    rejectsAt: "/rowCount",
  },
  {
    name: "a table's rows are arrays",
    schema: TableData,
    value: { ...table, rows: [{ id: 1 }] },
    rejectsAt: "/rows/0",
  },
  {
    name: "a table column needs a name",
    schema: TableData,
    value: { ...table, columns: [{ type: "int4" }] },
    rejectsAt: "/columns/0/name",
  },
  {
    name: "a table says whether it is truncated",
    schema: TableData,
    value: broken(table, (t) => Reflect.deleteProperty(t, "truncated")),
    rejectsAt: "/truncated",
  },

  {
    name: "a cell error with a traceback is valid",
    schema: CellError,
    value: { name: "E", message: "m", traceback: "t" },
  },
  { name: "a cell error needs a message", schema: CellError, value: { name: "E" }, rejectsAt: "/message" },

  { name: "a python cell that ran is valid", schema: Cell, value: cell() },
  { name: "an sql cell in error with a name is valid", schema: Cell, value: sqlCell },
  { name: "a cell's name may be null", schema: Cell, value: cell({ name: null }) },
  { name: "a cell may carry fields a newer server adds", schema: Cell, value: { ...cell(), pinned: true } },
  {
    name: "a cell of type ruby is refused",
    schema: Cell,
    value: { ...cell(), type: "ruby" },
    rejectsAt: "/type",
  },
  {
    name: "a cell with status done is refused",
    schema: Cell,
    value: { ...cell(), status: "done" },
    rejectsAt: "/status",
  },
  {
    name: "a cell needs its code",
    schema: Cell,
    value: broken(cell(), (c) => Reflect.deleteProperty(c, "code")),
    rejectsAt: "/code",
  },
  {
    name: "a cell's error is an object or null, never missing",
    schema: Cell,
    value: broken(cell(), (c) => Reflect.deleteProperty(c, "error")),
    rejectsAt: "/error",
  },
  {
    name: "a cell's error needs a name",
    schema: Cell,
    value: { ...cell(), error: { message: "m" } },
    rejectsAt: "/error",
  },
  {
    name: "a cell's reads are strings",
    schema: Cell,
    value: { ...cell(), reads: [1] },
    rejectsAt: "/reads/0",
  },
  {
    name: "a cell's writes are a list, not one string",
    schema: Cell,
    value: { ...cell(), writes: "x" },
    rejectsAt: "/writes",
  },
  {
    name: "a cell's outputs are checked one by one",
    schema: Cell,
    value: { ...cell(), outputs: [{ mimeType: "text/plain" }] },
    rejectsAt: "/outputs/0/data",
  },
  {
    name: "a cell's executionCount is an integer or null",
    schema: Cell,
    value: { ...cell(), executionCount: "1" },
    rejectsAt: "/executionCount",
  },
  {
    name: "a cell's lastRunMs is a number or null",
    schema: Cell,
    value: { ...cell(), lastRunMs: "fast" },
    rejectsAt: "/lastRunMs",
  },
  { name: "a cell's stdout is text", schema: Cell, value: { ...cell(), stdout: null }, rejectsAt: "/stdout" },

  { name: "a notebook summary is valid", schema: NotebookSummary, value: summary },
  {
    name: "a summary's times are ISO-8601",
    schema: NotebookSummary,
    value: { ...summary, updatedAt: "yesterday" },
    rejectsAt: "/updatedAt",
  },
  {
    name: "a summary's cellCount is an integer",
    schema: NotebookSummary,
    value: { ...summary, cellCount: "2" },
    rejectsAt: "/cellCount",
  },

  { name: "a configured database is valid", schema: DatabaseInfo, value: database },
  { name: "an unconfigured database is just that", schema: DatabaseInfo, value: { configured: false } },
  {
    name: "a database says whether it is configured",
    schema: DatabaseInfo,
    value: { host: "h" },
    rejectsAt: "/configured",
  },

  { name: "a notebook with cells and a database is valid", schema: Notebook, value: notebook },
  {
    name: "a notebook needs its revision",
    schema: Notebook,
    value: broken(notebook, (n) => Reflect.deleteProperty(n, "revision")),
    rejectsAt: "/revision",
  },
  {
    name: "a notebook needs its database",
    schema: Notebook,
    value: broken(notebook, (n) => Reflect.deleteProperty(n, "database")),
    rejectsAt: "/database",
  },
  {
    name: "a notebook's cells are checked deeply",
    schema: Notebook,
    value: broken(notebook, (n) => {
      n.cells[1]!.status = "done" as never;
    }),
    rejectsAt: "/cells/1/status",
  },
  {
    name: "a notebook's cells are a list, not a map",
    schema: Notebook,
    value: { ...notebook, cells: { a: cell() } },
    rejectsAt: "/cells",
  },
  {
    name: "a notebook's revision is an integer",
    schema: Notebook,
    value: { ...notebook, revision: 1.5 },
    rejectsAt: "/revision",
  },

  {
    name: "client config in dev mode is valid",
    schema: ClientConfig,
    value: { authMode: "dev", publishableKey: null, version: "0.1.0" },
  },
  {
    name: "client config in clerk mode is valid",
    schema: ClientConfig,
    value: { authMode: "clerk", publishableKey: "pk_test_abc", version: "0.1.0" },
  },
  {
    name: "client config without publishableKey is invalid",
    schema: ClientConfig,
    value: { authMode: "dev", version: "0.1.0" },
    rejectsAt: "/publishableKey",
  },
  { name: "me in clerk mode is valid", schema: Me, value: { userId: "user_2x", authMode: "clerk" } },
  { name: "me in dev mode is valid", schema: Me, value: { userId: "alice", authMode: "dev" } },
  {
    name: "me with an unknown auth mode is refused",
    schema: Me,
    value: { userId: "alice", authMode: "basic" },
    rejectsAt: "/authMode",
  },

  { name: "health is ok with a version", schema: Health, value: { status: "ok", version: "0.1.0" } },
  {
    name: "health is only ever ok",
    schema: Health,
    value: { status: "degraded", version: "0.1.0" },
    rejectsAt: "/status",
  },
]);
