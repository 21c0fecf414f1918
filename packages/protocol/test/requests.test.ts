/** Specification of the request bodies, parameters and small answers of the REST routes. */
import {
  CellParams,
  CreateCellBody,
  CreateNotebookBody,
  DevTokenRequest,
  DevTokenResponse,
  ExportNotebookQuery,
  ListNotebooksResponse,
  MAX_CODE_LENGTH,
  MAX_NAME_LENGTH,
  MoveCellBody,
  MoveCellResponse,
  NotebookParams,
  RenameNotebookBody,
  RunAccepted,
  SetDatabaseBody,
  UpdateCellBody,
} from "../src/index.js";
import { runCases } from "./cases.js";
import { now, summary } from "./samples.js";

const longestCode = "x".repeat(MAX_CODE_LENGTH);
const tooLongCode = `${longestCode}y`;

runCases([
  { name: "a dev token is asked for a user id", schema: DevTokenRequest, value: { userId: "alice" } },
  { name: "a dev token needs a user id", schema: DevTokenRequest, value: {}, rejectsAt: "/userId" },
  {
    name: "a dev token's user id is not empty",
    schema: DevTokenRequest,
    value: { userId: "" },
    rejectsAt: "/userId",
  },
  {
    name: "a dev token request takes no other field",
    schema: DevTokenRequest,
    value: { userId: "a", admin: true },
    rejectsAt: "/admin",
  },
  {
    name: "a dev token comes with its expiry",
    schema: DevTokenResponse,
    value: { token: "eyJ", expiresAt: now },
  },
  {
    name: "a dev token's expiry is ISO-8601",
    schema: DevTokenResponse,
    value: { token: "eyJ", expiresAt: 1700000000 },
    rejectsAt: "/expiresAt",
  },

  { name: "creating a notebook needs no field at all", schema: CreateNotebookBody, value: {} },
  {
    name: "creating a notebook may give its name and cells",
    schema: CreateNotebookBody,
    value: {
      name: "Sales",
      cells: [
        { type: "python", code: "x = 1" },
        { type: "sql", code: "select 1", name: "one" },
        { type: "markdown", code: "# Hi", name: null },
      ],
    },
  },
  {
    name: "creating a notebook refuses an unknown field",
    schema: CreateNotebookBody,
    value: { title: "Sales" },
    rejectsAt: "/title",
  },
  {
    name: "creating a notebook refuses an empty name",
    schema: CreateNotebookBody,
    value: { name: "" },
    rejectsAt: "/name",
  },
  {
    name: `creating a notebook refuses a name over ${MAX_NAME_LENGTH} characters`,
    schema: CreateNotebookBody,
    value: { name: "n".repeat(MAX_NAME_LENGTH + 1) },
    rejectsAt: "/name",
  },
  {
    name: "creating a notebook refuses a cell of type ruby",
    schema: CreateNotebookBody,
    value: { cells: [{ type: "ruby", code: "" }] },
    rejectsAt: "/cells/0/type",
  },
  {
    name: "creating a notebook needs each cell's code",
    schema: CreateNotebookBody,
    value: { cells: [{ type: "python" }] },
    rejectsAt: "/cells/0/code",
  },
  {
    name: "creating a notebook refuses unknown fields in a cell",
    schema: CreateNotebookBody,
    value: { cells: [{ type: "python", code: "", id: "mine" }] },
    rejectsAt: "/cells/0/id",
  },
  {
    name: "creating a notebook refuses oversized code in a cell",
    schema: CreateNotebookBody,
    value: { cells: [{ type: "python", code: tooLongCode }] },
    rejectsAt: "/cells/0/code",
  },
  {
    name: "creating a notebook wants a list of cells",
    schema: CreateNotebookBody,
    value: { cells: { type: "python", code: "" } },
    rejectsAt: "/cells",
  },

  { name: "renaming a notebook gives the new name", schema: RenameNotebookBody, value: { name: "Q3" } },
  { name: "renaming a notebook needs the name", schema: RenameNotebookBody, value: {}, rejectsAt: "/name" },
  {
    name: "renaming a notebook wants a string name",
    schema: RenameNotebookBody,
    value: { name: 3 },
    rejectsAt: "/name",
  },
  {
    name: "renaming a notebook takes no other field",
    schema: RenameNotebookBody,
    value: { name: "Q3", cells: [] },
    rejectsAt: "/cells",
  },

  {
    name: "setting the database gives a connection string",
    schema: SetDatabaseBody,
    value: { connectionString: "postgres://u:p@h/db" },
  },
  {
    name: "setting the database to null removes it",
    schema: SetDatabaseBody,
    value: { connectionString: null },
  },
  {
    name: "setting the database needs the field, even when null",
    schema: SetDatabaseBody,
    value: {},
    rejectsAt: "/connectionString",
  },
  {
    name: "setting the database refuses a number",
    schema: SetDatabaseBody,
    value: { connectionString: 5432 },
    rejectsAt: "/connectionString",
  },
  {
    name: "setting the database takes no password field",
    schema: SetDatabaseBody,
    value: { connectionString: null, password: "x" },
    rejectsAt: "/password",
  },

  { name: "creating a cell needs only its type", schema: CreateCellBody, value: { type: "markdown" } },
  {
    name: "creating a cell may give code, name and index",
    schema: CreateCellBody,
    value: { type: "sql", code: "select 1", name: "rows", index: 0 },
  },
  {
    name: `creating a cell accepts code of exactly ${MAX_CODE_LENGTH} characters`,
    schema: CreateCellBody,
    value: { type: "python", code: longestCode },
  },
  {
    name: "creating a cell refuses code one character longer",
    schema: CreateCellBody,
    value: { type: "python", code: tooLongCode },
    rejectsAt: "/code",
  },
  {
    name: "creating a cell needs its type",
    schema: CreateCellBody,
    value: { code: "x = 1" },
    rejectsAt: "/type",
  },
  {
    name: "creating a cell of type ruby is refused",
    schema: CreateCellBody,
    value: { type: "ruby" },
    rejectsAt: "/type",
  },
  {
    name: "creating a cell refuses a negative index",
    schema: CreateCellBody,
    value: { type: "python", index: -1 },
    rejectsAt: "/index",
  },
  {
    name: "creating a cell refuses a fractional index",
    schema: CreateCellBody,
    value: { type: "python", index: 1.5 },
    rejectsAt: "/index",
  },
  {
    name: "creating a cell refuses an index given as text",
    schema: CreateCellBody,
    value: { type: "python", index: "0" },
    rejectsAt: "/index",
  },
  {
    name: "creating a cell refuses a name that is not a Python identifier",
    schema: CreateCellBody,
    value: { type: "sql", name: "my rows" },
    rejectsAt: "/name",
  },
  {
    name: "creating a cell refuses an unknown field",
    schema: CreateCellBody,
    value: { type: "python", language: "py" },
    rejectsAt: "/language",
  },
  {
    name: "creating a cell wants its code as text, not lines",
    schema: CreateCellBody,
    value: { type: "python", code: ["x = 1"] },
    rejectsAt: "/code",
  },

  { name: "updating a cell may change nothing", schema: UpdateCellBody, value: {} },
  {
    name: "updating a cell may edit, rename, run and guard on a revision",
    schema: UpdateCellBody,
    value: { code: "y = 2", name: "y_rows", run: true, ifRevision: 7 },
  },
  { name: "updating a cell may clear its name", schema: UpdateCellBody, value: { name: null } },
  {
    name: "updating a cell refuses oversized code",
    schema: UpdateCellBody,
    value: { code: tooLongCode },
    rejectsAt: "/code",
  },
  {
    name: "updating a cell wants run as a boolean",
    schema: UpdateCellBody,
    value: { run: "yes" },
    rejectsAt: "/run",
  },
  {
    name: "updating a cell wants ifRevision as an integer",
    schema: UpdateCellBody,
    value: { ifRevision: "7" },
    rejectsAt: "/ifRevision",
  },
  {
    name: "updating a cell refuses a negative ifRevision",
    schema: UpdateCellBody,
    value: { ifRevision: -1 },
    rejectsAt: "/ifRevision",
  },
  {
    name: "updating a cell cannot change its type",
    schema: UpdateCellBody,
    value: { type: "sql" },
    rejectsAt: "/type",
  },
  {
    name: "updating a cell refuses a misspelt field",
    schema: UpdateCellBody,
    value: { if_revision: 7 },
    rejectsAt: "/if_revision",
  },

  { name: "moving a cell gives its new index", schema: MoveCellBody, value: { index: 3 } },
  { name: "moving a cell needs the index", schema: MoveCellBody, value: {}, rejectsAt: "/index" },
  {
    name: "moving a cell refuses a negative index",
    schema: MoveCellBody,
    value: { index: -2 },
    rejectsAt: "/index",
  },
  {
    name: "moving a cell refuses extra nesting",
    schema: MoveCellBody,
    value: { index: { to: 3 } },
    rejectsAt: "/index",
  },
  {
    name: "moving a cell answers with the new order",
    schema: MoveCellResponse,
    value: { order: ["b", "a"] },
  },
  {
    name: "the new order lists ids",
    schema: MoveCellResponse,
    value: { order: [{ id: "b" }] },
    rejectsAt: "/order/0",
  },

  {
    name: "listing notebooks answers with summaries",
    schema: ListNotebooksResponse,
    value: { notebooks: [summary] },
  },
  {
    name: "listing no notebooks answers with an empty list",
    schema: ListNotebooksResponse,
    value: { notebooks: [] },
  },
  {
    name: "listed notebooks are checked one by one",
    schema: ListNotebooksResponse,
    value: { notebooks: [{ ...summary, id: 1 }] },
    rejectsAt: "/notebooks/0/id",
  },

  { name: "a run is accepted with its id", schema: RunAccepted, value: { runId: "run-1" } },
  { name: "an accepted run needs its id", schema: RunAccepted, value: {}, rejectsAt: "/runId" },

  { name: "notebook routes take the notebook id", schema: NotebookParams, value: { id: "nb-1" } },
  { name: "notebook routes refuse an empty id", schema: NotebookParams, value: { id: "" }, rejectsAt: "/id" },
  {
    name: "cell routes take the notebook and cell ids",
    schema: CellParams,
    value: { id: "nb-1", cellId: "c-1" },
  },
  { name: "cell routes need the cell id", schema: CellParams, value: { id: "nb-1" }, rejectsAt: "/cellId" },
  { name: "export may omit its format", schema: ExportNotebookQuery, value: {} },
  { name: "export speaks ipynb", schema: ExportNotebookQuery, value: { format: "ipynb" } },
  {
    name: "export refuses other formats",
    schema: ExportNotebookQuery,
    value: { format: "pdf" },
    rejectsAt: "/format",
  },
]);
