// Turns stored rows into API resources and back: JSON columns are parsed here and nowhere else.
import type { CellError, CellStatus, CellType, DatabaseInfo, Output } from "@reactive-notebook/protocol";
import type { CellsTable, NotebooksTable } from "./schema.js";
import type { StoredCell, StoredNotebook } from "./types.js";

function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** The columns a cell resource is made of (not its notebook, position or timestamps). */
export const CELL_COLUMNS = [
  "id",
  "type",
  "code",
  "name",
  "status",
  "stdout",
  "stderr",
  "outputs",
  "error",
  "analysis_error",
  "blocked_by",
  "reads",
  "writes",
  "execution_count",
  "last_run_ms",
] as const satisfies readonly (keyof CellsTable)[];

export type CellRow = Pick<CellsTable, (typeof CELL_COLUMNS)[number]>;

export function cellFromRow(row: CellRow): StoredCell {
  // An analysis error is what the cell shows while its source is wrong; its last run's error otherwise.
  const error = row.analysis_error ?? row.error;
  return {
    id: row.id,
    type: row.type as CellType,
    code: row.code,
    name: row.name,
    status: row.status as CellStatus,
    stdout: row.stdout,
    stderr: row.stderr,
    outputs: parseJson<Output[]>(row.outputs, []),
    error: parseJson<CellError | null>(error, null),
    reads: parseJson<string[]>(row.reads, []),
    writes: parseJson<string[]>(row.writes, []),
    executionCount: row.execution_count === null ? null : Number(row.execution_count),
    lastRunMs: row.last_run_ms === null ? null : Number(row.last_run_ms),
    blockedBy: row.status === "blocked" ? row.blocked_by : null,
    analysisError: parseJson<CellError | null>(row.analysis_error, null),
  };
}

export function databaseInfoFromRow(row: Pick<NotebooksTable, "database_info">): DatabaseInfo {
  if (row.database_info === null) return { configured: false };
  return { configured: true, ...parseJson<Omit<DatabaseInfo, "configured">>(row.database_info, {}) };
}

/** A notebook resource from its row (the database secret is never read for it) and its cells' rows. */
export function notebookFromRows(
  row: Omit<NotebooksTable, "database_secret">,
  cells: CellRow[],
): StoredNotebook {
  return {
    id: row.id,
    ownerId: row.owner_id,
    kernelFence: Number(row.kernel_fence),
    name: row.name,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    cellCount: cells.length,
    revision: Number(row.revision),
    cells: cells.map(cellFromRow),
    database: databaseInfoFromRow(row),
  };
}

/** JSON text of a CellError, keys in a fixed order. */
export function errorJson(error: CellError | null | undefined): string | null {
  if (!error) return null;
  return JSON.stringify({
    name: error.name,
    message: error.message,
    ...(error.traceback !== undefined ? { traceback: error.traceback } : {}),
  });
}

const UNSAFE_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Text both drivers store exactly: PostgreSQL refuses NUL in text and UTF-8 cannot hold a lone
 * surrogate, so each becomes U+FFFD. Used for run output, which the server does not choose.
 */
export function safeText(text: string): string {
  return text.replace(UNSAFE_TEXT, "\uFFFD");
}
