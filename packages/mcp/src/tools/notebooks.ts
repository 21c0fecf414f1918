/** The notebook tools: list, create, read, rename and delete notebooks, point their SQL at a database, export them. */
import {
  MAX_CELLS_PER_NOTEBOOK,
  MAX_CODE_LENGTH,
  MAX_CONNECTION_STRING_LENGTH,
} from "@reactive-notebook/protocol";
import { Type } from "@sinclair/typebox";
import { defineTool } from "../tool.js";
import { DatabaseView, databaseText, NotebookView, notebookText, notebookView } from "../views.js";
import { NotebookId, NotebookName } from "./common.js";

export const CellType = Type.Union([Type.Literal("python"), Type.Literal("sql"), Type.Literal("markdown")], {
  description: "python, sql (runs against the notebook's database) or markdown.",
});
export const CellCode = Type.String({ maxLength: MAX_CODE_LENGTH, description: "The cell's source." });
export const SqlName = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: "^[A-Za-z_][A-Za-z0-9_]*$",
  description: "sql cells: the Python variable the query's result is bound to, so python cells can read it.",
});

const NotebookSummaryView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  cellCount: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const listNotebooks = defineTool({
  name: "list_notebooks",
  title: "List notebooks",
  description:
    "Lists your notebooks, newest first: id, name, number of cells and when each was last changed.",
  input: Type.Object({}, { additionalProperties: false }),
  output: Type.Object({ notebooks: Type.Array(NotebookSummaryView) }),
  annotations: { readOnlyHint: true },
  async run(_args, { client, signal }) {
    const notebooks = (await client.notebooks.list({ signal })).map(
      ({ id, name, cellCount, createdAt, updatedAt }) => ({ id, name, cellCount, createdAt, updatedAt }),
    );
    const text =
      notebooks.length === 0
        ? "You have no notebooks yet; create one with create_notebook."
        : notebooks
            .map((n) => `- "${n.name}" (id ${n.id}): ${n.cellCount} cells, updated ${n.updatedAt}`)
            .join("\n");
    return { text, structured: { notebooks } };
  },
});

export const createNotebook = defineTool({
  name: "create_notebook",
  title: "Create a notebook",
  description:
    "Creates a notebook with the given cells (one empty python cell if none are given) and answers the notebook with each cell's id and position. Nothing runs yet: call run_all next. Cells are reactive: a python cell's top-level assignments are names other cells can read, each name defined by one cell only, and a trailing expression is shown as the cell's output.",
  input: Type.Object(
    {
      name: NotebookName,
      cells: Type.Optional(
        Type.Array(
          Type.Object(
            { type: CellType, code: CellCode, name: Type.Optional(SqlName) },
            { additionalProperties: false },
          ),
          { maxItems: MAX_CELLS_PER_NOTEBOOK, description: "The cells, in order." },
        ),
      ),
    },
    { additionalProperties: false },
  ),
  output: NotebookView,
  annotations: {},
  async run({ name, cells }, { client, signal }) {
    const notebook = await client.notebooks.create({ name, ...(cells ? { cells } : {}) }, { signal });
    const { view, images } = notebookView(notebook);
    return {
      text: `Created the notebook; nothing has run yet (call run_all).\n\n${notebookText(view)}`,
      images,
      structured: view,
    };
  },
});

export const getNotebook = defineTool({
  name: "get_notebook",
  title: "Read a notebook",
  description:
    "Reads a notebook: every cell with its 1-based position, id, type, status (success, error, blocked, stale, queued, running, idle), the names it reads and writes, its code, and its outputs rendered as text (tables as Markdown, images as image content), stdout/stderr and error with traceback.",
  input: Type.Object({ notebookId: NotebookId }, { additionalProperties: false }),
  output: NotebookView,
  annotations: { readOnlyHint: true },
  async run({ notebookId }, { client, signal }) {
    const { view, images } = notebookView(await client.notebooks.get(notebookId, { signal }));
    return { text: notebookText(view), images, structured: view };
  },
});

export const renameNotebook = defineTool({
  name: "rename_notebook",
  title: "Rename a notebook",
  description: "Gives a notebook a new name.",
  input: Type.Object({ notebookId: NotebookId, name: NotebookName }, { additionalProperties: false }),
  output: Type.Object({ id: Type.String(), name: Type.String() }),
  annotations: { idempotentHint: true },
  async run({ notebookId, name }, { client, signal }) {
    const notebook = await client.notebooks.rename(notebookId, name, { signal });
    return {
      text: `Renamed the notebook to "${notebook.name}".`,
      structured: { id: notebook.id, name: notebook.name },
    };
  },
});

export const deleteNotebook = defineTool({
  name: "delete_notebook",
  title: "Delete a notebook",
  description: "Deletes a notebook and all its cells for good, and stops its kernel.",
  input: Type.Object({ notebookId: NotebookId }, { additionalProperties: false }),
  output: Type.Object({ deleted: Type.String({ description: "The deleted notebook's id." }) }),
  annotations: { destructiveHint: true, idempotentHint: true },
  async run({ notebookId }, { client, signal }) {
    await client.notebooks.delete(notebookId, { signal });
    return { text: `Deleted notebook ${notebookId}.`, structured: { deleted: notebookId } };
  },
});

export const setDatabase = defineTool({
  name: "set_database",
  title: "Set the notebook's SQL database",
  description:
    "Points the notebook's sql cells at a PostgreSQL database (postgres://user:password@host:port/database), or back at the built-in sample database with null. Answers the host, database and user; the connection string is stored encrypted and never shown again.",
  input: Type.Object(
    {
      notebookId: NotebookId,
      connectionString: Type.Union(
        [Type.String({ minLength: 1, maxLength: MAX_CONNECTION_STRING_LENGTH }), Type.Null()],
        { description: "A postgres:// URL, or null for the sample database." },
      ),
    },
    { additionalProperties: false },
  ),
  output: DatabaseView,
  annotations: { idempotentHint: true },
  async run({ notebookId, connectionString }, { client, signal }) {
    const database = await client.notebooks.setDatabase(notebookId, connectionString, { signal });
    return {
      text: `SQL cells of this notebook now run against ${databaseText(database)}.`,
      structured: database,
    };
  },
});

export const exportIpynb = defineTool({
  name: "export_ipynb",
  title: "Export as Jupyter notebook",
  description: "Exports the notebook as a Jupyter notebook (nbformat 4 JSON), outputs included.",
  input: Type.Object({ notebookId: NotebookId }, { additionalProperties: false }),
  output: Type.Object({ ipynb: Type.Object({}, { description: "The nbformat 4 document." }) }),
  annotations: { readOnlyHint: true },
  async run({ notebookId }, { client, signal }) {
    const ipynb = await client.notebooks.exportIpynb(notebookId, { signal });
    return { text: JSON.stringify(ipynb), structured: { ipynb } };
  },
});
