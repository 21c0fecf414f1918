// What an SQL target (a notebook's PostgreSQL, or the sample database) gives back, and how it fails.

export interface StatementInput {
  text: string;
  params: unknown[];
}

export interface RawResult {
  /** PostgreSQL's command tag word: SELECT, INSERT, UPDATE, CREATE, … */
  command: string;
  columns: { name: string; typeOid: number }[];
  /** JSON-safe values, at most `maxRows` of them. */
  rows: unknown[][];
  /** Exact: rows returned (SELECT) or affected (INSERT/UPDATE/DELETE); null for other commands. */
  rowCount: number | null;
}

export interface RunOptions {
  timeoutMs: number;
  /** Rows to keep of the last statement's result. */
  maxRows: number;
  /** Bytes a result may take (what the server sends, or the kept rows as JSON). */
  maxResultBytes: number;
  signal?: AbortSignal;
  /** Told when the cell waits for the database to start (the sample database's instances). */
  onProgress?: (progress: SqlProgress) => void;
}

/** A step of getting a database ready for a cell; the last one of a wait has `done: true`. */
export interface SqlProgress {
  kind: "database";
  message: string;
  fraction?: number;
  done: boolean;
}

export interface SqlTarget {
  /** Runs the statements in order on one connection; the last statement's result. */
  run(statements: StatementInput[], options: RunOptions): Promise<RawResult>;
}

/** PostgreSQL reported an error (or the connection failed); shown as the cell's error, never a 5xx. */
export class SqlExecutionError extends Error {
  constructor(
    message: string,
    readonly details: {
      /** Which statement of the cell failed (0-based). */
      statementIndex?: number;
      /** 1-based character position in that statement's compiled text. */
      position?: number;
      code?: string;
      detail?: string;
      hint?: string;
      kind?: "query" | "connection" | "timeout" | "interrupted" | "refused" | "too-large" | "memory";
    } = {},
  ) {
    super(message);
    this.name = "SqlExecutionError";
  }
}

/** Reads the fields PostgreSQL errors carry (node-postgres and PGlite use the same names). */
export function fromPostgresError(error: unknown, statementIndex: number): SqlExecutionError {
  const e = error as {
    message?: string;
    code?: string;
    position?: string | number;
    detail?: string;
    hint?: string;
  };
  const position = e.position === undefined ? undefined : Number(e.position);
  return new SqlExecutionError(e.message ?? String(error), {
    statementIndex,
    position: Number.isFinite(position) ? position : undefined,
    code: e.code,
    detail: e.detail,
    hint: e.hint,
    kind: e.code && /^[0-9A-Z]{5}$/.test(e.code) ? "query" : "connection",
  });
}
