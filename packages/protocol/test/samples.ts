/** Valid sample payloads of the contract's shapes, shared by the tests (each test breaks one on purpose). */
import type {
  Cell,
  DatabaseInfo,
  IpynbNotebook,
  Notebook,
  NotebookSummary,
  Output,
  ServerEvent,
  TableData,
} from "../src/index.js";

export const now = "2025-01-02T03:04:05.678Z";

export const table: TableData = {
  columns: [{ name: "id", type: "int4" }, { name: "title" }],
  rows: [
    [1, "a"],
    [2, null],
  ],
  rowCount: 5000,
  truncated: true,
};

export const outputs: Output[] = [
  { mimeType: "text/plain", data: "42" },
  { mimeType: "image/png", data: "iVBORw0KGgo=", metadata: { width: 640 } },
  { mimeType: "application/vnd.reactive-notebook.table+json", data: table },
  { mimeType: "application/json", data: [1, 2, 3] },
  { mimeType: "application/x-custom", data: "anything" },
];

export function cell(overrides: Partial<Cell> = {}): Cell {
  return {
    id: "5d0f1c1e-0000-4000-8000-000000000001",
    type: "python",
    code: "x = 1\nx + 1",
    status: "success",
    stdout: "",
    stderr: "",
    outputs: [{ mimeType: "text/plain", data: "2" }],
    error: null,
    reads: [],
    writes: ["x"],
    executionCount: 1,
    lastRunMs: 3.5,
    ...overrides,
  };
}

export const sqlCell = cell({
  id: "sql-1",
  type: "sql",
  code: "select * from t where id = {x}",
  name: "rows",
  status: "error",
  outputs: [],
  error: { name: "NameError", message: "name 'x' is not defined", traceback: "Traceback..." },
  reads: ["x"],
  writes: ["rows"],
  executionCount: null,
  lastRunMs: null,
});

export const summary: NotebookSummary = {
  id: "nb-1",
  name: "Sales",
  createdAt: now,
  updatedAt: now,
  cellCount: 2,
};

export const database: DatabaseInfo = {
  configured: true,
  host: "db.example.com",
  database: "sales",
  user: "ro",
};

export const notebook: Notebook = {
  ...summary,
  revision: 7,
  cells: [cell(), sqlCell],
  database,
};

export const ipynb: IpynbNotebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: "python3", display_name: "Python 3", language: "python" } },
  cells: [
    {
      id: "a1",
      cell_type: "code",
      source: ["x = 1\n", "x"],
      metadata: {},
      execution_count: 1,
      outputs: [
        { output_type: "stream", name: "stdout", text: "hi\n" },
        { output_type: "execute_result", execution_count: 1, data: { "text/plain": "1" }, metadata: {} },
        { output_type: "error", ename: "ValueError", evalue: "bad", traceback: ["line 1"] },
      ],
    },
    { cell_type: "markdown", source: "# Title", metadata: {} },
  ],
};

const envelope = { notebookId: "nb-1", revision: 7 };

/** One valid event of every server event type. */
export const events: ServerEvent[] = [
  { type: "hello", ...envelope, notebook },
  { type: "pong", ...envelope },
  {
    type: "error",
    code: "invalid_request",
    message: "Invalid frame at /cellId: Expected required property.",
  },
  { type: "notebook_updated", ...envelope, name: "Renamed" },
  { type: "cell_created", ...envelope, cell: cell(), index: 0 },
  { type: "cell_updated", ...envelope, cell: sqlCell },
  { type: "cell_deleted", ...envelope, cellId: "sql-1" },
  { type: "cells_moved", ...envelope, order: ["sql-1", "5d0f1c1e-0000-4000-8000-000000000001"] },
  { type: "cell_status", ...envelope, cellId: "sql-1", status: "running", runId: "run-1" },
  { type: "cell_stdout", ...envelope, cellId: "sql-1", stream: "stderr", text: "warning\n" },
  { type: "cell_outputs", ...envelope, cellId: "sql-1", outputs },
  {
    type: "cell_output_added",
    ...envelope,
    cellId: "sql-1",
    index: 0,
    output: { mimeType: "text/plain", data: "1" },
  },
  {
    type: "cell_progress",
    ...envelope,
    cellId: "sql-1",
    kind: "database",
    message: "Starting the sample database…",
    done: false,
  },
  { type: "cell_error", ...envelope, cellId: "sql-1", error: { name: "CycleError", message: "a -> b -> a" } },
  { type: "run_finished", ...envelope, runId: "run-1", cells: ["sql-1"], ms: 12 },
  { type: "kernel_status", ...envelope, status: "ready" },
  { type: "control_value", ...envelope, cellId: "sql-1", controlId: "0", value: 42 },
];
