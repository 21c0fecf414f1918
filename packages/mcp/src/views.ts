/**
 * The compact views of notebooks and cells the tools answer with: one structured shape (the tools'
 * `structuredContent`, with its JSON schema here beside it) and one text rendering of it for the model,
 * cells numbered by their 1-based position and outputs rendered by `outputs.ts`.
 */
import type { Cell, DatabaseInfo, Notebook } from "@reactive-notebook/sdk";
import { type Static, Type } from "@sinclair/typebox";
import { capStream, type ModelImage, renderError, renderOutput } from "./outputs.js";

const CellErrorView = Type.Object({
  name: Type.String(),
  message: Type.String(),
  traceback: Type.Optional(Type.String({ description: 'Cells are named by position: File "cell 2".' })),
});

export const CellView = Type.Object(
  {
    index: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
      description: "1-based position in the notebook; null if the cell is no longer in it.",
    }),
    id: Type.String(),
    type: Type.String({ description: "python, sql or markdown." }),
    name: Type.Optional(
      Type.String({ description: "sql cells: the Python variable the result is bound to." }),
    ),
    status: Type.String({ description: "idle, queued, running, success, error, blocked or stale." }),
    reads: Type.Array(Type.String()),
    writes: Type.Array(Type.String()),
    code: Type.String(),
    outputs: Type.Array(
      Type.Object({ mimeType: Type.String(), text: Type.String({ description: "The output as text." }) }),
    ),
    stdout: Type.Optional(Type.String()),
    stderr: Type.Optional(Type.String()),
    error: Type.Union([CellErrorView, Type.Null()]),
    blockedBy: Type.Optional(
      Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
        description: "With status blocked: the position of the failing cell upstream.",
      }),
    ),
    executionCount: Type.Union([Type.Integer(), Type.Null()]),
    lastRunMs: Type.Union([Type.Number(), Type.Null()]),
  },
  { description: "A cell, compact, outputs rendered as text." },
);
export type CellView = Static<typeof CellView>;

export const DatabaseView = Type.Object({
  configured: Type.Boolean({ description: "false: SQL cells run against the built-in sample database." }),
  host: Type.Optional(Type.String()),
  database: Type.Optional(Type.String()),
  user: Type.Optional(Type.String()),
});

export const NotebookView = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    revision: Type.Integer(),
    updatedAt: Type.String(),
    database: DatabaseView,
    cells: Type.Array(CellView),
  },
  { description: "A notebook, compact." },
);
export type NotebookView = Static<typeof NotebookView>;

/** A view with the images its outputs carry (sent to the model as image content, beside the text). */
export interface Viewed<T> {
  view: T;
  images: ModelImage[];
}

/** Cell id (lower case) → 1-based position, for a notebook's cells in display order. */
export function positionsOf(cells: readonly Pick<Cell, "id">[]): Map<string, number> {
  return new Map(cells.map((cell, i) => [cell.id.toLowerCase(), i + 1]));
}

export function cellView(cell: Cell, positions: ReadonlyMap<string, number>): Viewed<CellView> {
  const images: ModelImage[] = [];
  const outputs = cell.outputs.map((output) => {
    const rendered = renderOutput(output);
    if (rendered.image) images.push(rendered.image);
    return { mimeType: rendered.mimeType, text: rendered.text };
  });
  const position = (id: string) => positions.get(id.toLowerCase()) ?? null;
  const view: CellView = {
    index: position(cell.id),
    id: cell.id,
    type: cell.type,
    ...(cell.name ? { name: cell.name } : {}),
    status: cell.status,
    reads: cell.reads,
    writes: cell.writes,
    code: cell.code,
    outputs,
    ...(cell.stdout ? { stdout: capStream(cell.stdout) } : {}),
    ...(cell.stderr ? { stderr: capStream(cell.stderr) } : {}),
    error: cell.error ? renderError(cell.error, positions) : null,
    ...(cell.blockedBy ? { blockedBy: position(cell.blockedBy) } : {}),
    executionCount: cell.executionCount,
    lastRunMs: cell.lastRunMs,
  };
  return { view, images };
}

export function notebookView(notebook: Notebook): Viewed<NotebookView> {
  const positions = positionsOf(notebook.cells);
  const cells = notebook.cells.map((cell) => cellView(cell, positions));
  return {
    view: {
      id: notebook.id,
      name: notebook.name,
      revision: notebook.revision,
      updatedAt: notebook.updatedAt,
      database: notebook.database,
      cells: cells.map((cell) => cell.view),
    },
    images: cells.flatMap((cell) => cell.images),
  };
}

/** A cell for the model: a heading with its position, status and names, its code, then what it produced. */
export function cellText(cell: CellView): string {
  const where = cell.index === null ? "Cell (no longer in the notebook)" : `Cell ${cell.index}`;
  const named = cell.name ? ` → ${cell.name}` : "";
  const lines = [`### ${where}: ${cell.type}${named}, ${cell.status} (id ${cell.id})`];
  const names = [
    cell.reads.length > 0 ? `reads ${cell.reads.join(", ")}` : "",
    cell.writes.length > 0 ? `writes ${cell.writes.join(", ")}` : "",
  ].filter(Boolean);
  if (names.length > 0) lines.push(names.join("; "));
  lines.push(fenced(cell.code, cell.type));
  if (cell.status === "blocked" && cell.blockedBy)
    lines.push(`blocked by cell ${cell.blockedBy}, which failed`);
  if (cell.stdout) lines.push(`stdout:\n${cell.stdout}`);
  if (cell.stderr) lines.push(`stderr:\n${cell.stderr}`);
  for (const output of cell.outputs) {
    lines.push(output.text.includes("\n") ? `out:\n${output.text}` : `out: ${output.text}`);
  }
  if (cell.error) {
    lines.push(`error: ${cell.error.name}: ${cell.error.message}`);
    if (cell.error.traceback) lines.push(fenced(cell.error.traceback, ""));
  }
  return lines.join("\n");
}

/** A notebook for the model: its name, id, database, then every cell. */
export function notebookText(notebook: NotebookView): string {
  const count = notebook.cells.length === 1 ? "1 cell" : `${notebook.cells.length} cells`;
  return [
    `# Notebook "${notebook.name}" (id ${notebook.id}, revision ${notebook.revision}, ${count})`,
    `SQL cells run against ${databaseText(notebook.database)}.`,
    ...notebook.cells.map(cellText),
  ].join("\n\n");
}

/** Where SQL cells run, in words; never the password (the API never sends it). */
export function databaseText(database: DatabaseInfo): string {
  if (!database.configured) return "the built-in sample database (no connection set)";
  const parts = [
    database.database ? `database ${database.database}` : "",
    database.host ? `on ${database.host}` : "",
    database.user ? `as ${database.user}` : "",
  ].filter(Boolean);
  return `PostgreSQL ${parts.join(" ")}`.trim();
}

/** Text in a Markdown code fence longer than any run of backticks inside it. */
function fenced(text: string, language: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((run) => run[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${language}\n${text}\n${fence}`;
}
