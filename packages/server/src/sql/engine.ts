// Runs one SQL cell: its `{name}` placeholders read from the notebook's kernel as bind parameters, its
// statements on the notebook's PostgreSQL (or the built-in sample database when none is set), the last
// statement's result shown as a table and, when the cell has a name, bound as that Python variable.
// Every failure — a missing variable, a refused host, a connection or SQL error, a timeout — is the cell's
// error, with PostgreSQL's message and position; the connection's password never appears in any of them.
import type { Config } from "../config/index.js";
import { type ResolveHost, systemResolver } from "./host-policy.js";
import { PostgresTargets } from "./postgres/connections.js";
import { type RawResult, SqlExecutionError, type SqlProgress, type SqlTarget } from "./result.js";
import type { SampleDatabase } from "./sample/sample-database.js";
import type { SecretBox } from "./secrets.js";
import { type CompiledStatement, compileSql, placeholderVariable } from "./statements.js";
import { ParameterError, toParameter, toPythonValue, typeName } from "./values.js";

export const TABLE_MIME = "application/vnd.reactive-notebook.table+json";

export interface SqlCellKernel {
  getValues(names: string[]): Promise<{ values: Record<string, unknown>; missing: string[] }>;
  setVariable(name: string, value: unknown): Promise<void>;
}

export interface SqlCellRun {
  notebookId: string;
  /** The notebook's owner: the sample database instance is theirs alone. */
  userId: string;
  code: string;
  name: string | null;
  kernel: () => Promise<SqlCellKernel>;
  signal?: AbortSignal;
  /** Called while the cell waits for a database to start ("Starting the sample database…", then done). */
  onProgress?: (progress: SqlProgress) => void;
}

export interface SqlCellResult {
  status: "success" | "error";
  outputs: { mimeType: string; data: unknown; metadata?: Record<string, unknown> }[];
  error: { name: string; message: string; traceback?: string } | null;
}

export interface SqlEngineOptions {
  config: Pick<Config, "sqlAllowedHosts" | "sql">;
  sample: SampleDatabase;
  secrets: SecretBox;
  /** The notebook's sealed connection string, or null for the sample database. */
  databaseSecret(notebookId: string): Promise<string | null>;
  /** DNS for notebooks' database hosts (default: the system resolver); one answer per connection. */
  resolveHost?: ResolveHost;
}

class CellFailure extends Error {
  constructor(
    readonly errorName: string,
    message: string,
    readonly traceback?: string,
  ) {
    super(message);
  }
}

export class SqlEngine {
  readonly postgres: PostgresTargets;

  constructor(private readonly options: SqlEngineOptions) {
    this.postgres = new PostgresTargets(
      options.config.sqlAllowedHosts,
      options.resolveHost ?? systemResolver,
    );
  }

  async runCell(run: SqlCellRun): Promise<SqlCellResult> {
    let password: string | null = null;
    try {
      const statements = compileSql(run.code);
      if (statements.length === 0) return { status: "success", outputs: [], error: null };
      const names = [...new Set(statements.flatMap((s) => s.params))];
      const kernel = names.length > 0 || run.name ? await run.kernel() : null;
      const values = kernel && names.length > 0 ? await this.#values(kernel, names) : {};
      const inputs = statements.map((statement) => ({
        text: statement.text,
        params: statement.params.map((name) => toParameter(name, values[name])),
      }));
      const { target, password: secret } = await this.#target(run);
      password = secret;
      const { maxRowsShown, maxRowsBound, timeoutMs, maxResultBytes } = this.options.config.sql;
      const raw = await target.run(inputs, {
        timeoutMs,
        maxRows: run.name ? Math.max(maxRowsShown, maxRowsBound) : maxRowsShown,
        maxResultBytes,
        signal: run.signal,
        onProgress: run.onProgress,
      });
      if (run.name && kernel) await this.#bind(kernel, run.name, raw);
      return { status: "success", outputs: [toOutput(raw, maxRowsShown)], error: null };
    } catch (error) {
      return { status: "error", outputs: [], error: scrub(toCellError(error, run.code), password) };
    }
  }

  async #values(kernel: SqlCellKernel, names: string[]): Promise<Record<string, unknown>> {
    const { values, missing } = await kernel.getValues(names);
    if (missing.length > 0) {
      const list = [...new Set(missing.map(placeholderVariable))].map((name) => `'${name}'`).join(", ");
      throw new CellFailure(
        "NameError",
        `name${missing.length > 1 ? "s" : ""} ${list} ${missing.length > 1 ? "are" : "is"} not defined: no cell has defined ${missing.length > 1 ? "them" : "it"} (used as ${missing.map((n) => `{${n}}`).join(", ")} in this SQL cell).`,
      );
    }
    return values;
  }

  async #target(run: SqlCellRun): Promise<{ target: SqlTarget; password: string | null }> {
    const sealed = await this.options.databaseSecret(run.notebookId);
    if (!sealed) return { target: this.options.sample.forUser(run.userId), password: null };
    let connectionString: string;
    try {
      connectionString = this.options.secrets.open(sealed);
    } catch {
      throw new CellFailure(
        "DatabaseConnectionError",
        "The notebook's stored connection could not be decrypted (was NOTEBOOK_SECRET_KEY changed?). Set the connection again.",
      );
    }
    let password: string | null = null;
    try {
      password = decodeURIComponent(new URL(connectionString).password) || null;
    } catch {
      password = null;
    }
    return { target: this.postgres.target(connectionString), password };
  }

  async #bind(kernel: SqlCellKernel, name: string, raw: RawResult): Promise<void> {
    const { maxRowsBound } = this.options.config.sql;
    if ((raw.rowCount ?? 0) > maxRowsBound && raw.columns.length > 0) {
      throw new CellFailure(
        "ResultTooLargeError",
        `The result has ${raw.rowCount} rows; a named SQL cell binds at most ${maxRowsBound} into Python (SQL_MAX_ROWS_BOUND). Add a LIMIT or aggregate in SQL.`,
      );
    }
    const types = raw.columns.map((column) => typeName(column.typeOid));
    const records = raw.rows.map((row) => {
      const record: Record<string, unknown> = {};
      raw.columns.forEach((column, i) => {
        record[column.name] = toPythonValue(row[i], types[i] ?? "");
      });
      return record;
    });
    await kernel.setVariable(name, records);
  }

  async close(): Promise<void> {
    await Promise.all([this.postgres.close(), this.options.sample.close()]);
  }
}

function toOutput(raw: RawResult, maxRowsShown: number): SqlCellResult["outputs"][number] {
  if (raw.columns.length === 0) {
    const command = raw.command || "Statement";
    const data =
      raw.rowCount === null
        ? `${command} completed.`
        : `${command}: ${raw.rowCount} row${raw.rowCount === 1 ? "" : "s"} affected.`;
    return { mimeType: "text/plain", data };
  }
  const rowCount = raw.rowCount ?? raw.rows.length;
  return {
    mimeType: TABLE_MIME,
    data: {
      columns: raw.columns.map((column) => ({ name: column.name, type: typeName(column.typeOid) })),
      rows: raw.rows.slice(0, maxRowsShown),
      rowCount,
      truncated: rowCount > maxRowsShown,
    },
  };
}

const KIND_NAMES: Record<string, string> = {
  query: "PostgresError",
  connection: "DatabaseConnectionError",
  refused: "DatabaseConnectionError",
  timeout: "TimeoutError",
  interrupted: "KeyboardInterrupt",
  "too-large": "ResultTooLargeError",
  memory: "MemoryError",
};

function toCellError(error: unknown, code: string): NonNullable<SqlCellResult["error"]> {
  if (error instanceof CellFailure) return { name: error.errorName, message: error.message };
  if (error instanceof ParameterError) return { name: "TypeError", message: error.message };
  if (error instanceof SqlExecutionError) {
    const { code: sqlState, statementIndex, position, detail, hint, kind } = error.details;
    const name = KIND_NAMES[kind ?? "query"] ?? "PostgresError";
    const message = sqlState ? `${error.message} (SQLSTATE ${sqlState})` : error.message;
    const lines: string[] = [];
    const statement = statementIndex === undefined ? undefined : compileSql(code)[statementIndex];
    if (statement && position !== undefined) lines.push(...pointAt(code, statement, position));
    if (detail) lines.push(`DETAIL: ${detail}`);
    if (hint) lines.push(`HINT: ${hint}`);
    lines.push(`${name}: ${message}`);
    return { name, message, traceback: lines.join("\n") };
  }
  const e = error as Error;
  return { name: e?.name ?? "Error", message: e?.message ?? String(error) };
}

/** "line 2, column 8" and the line with a caret under the error's position, in the cell's own code. */
function pointAt(code: string, statement: CompiledStatement, position: number): string[] {
  const offset = statement.sourcePosition(position) - 1;
  const before = code.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  const text = code.split("\n")[line - 1] ?? "";
  return [`line ${line}, column ${column}:`, `  ${text}`, `  ${" ".repeat(Math.max(0, column - 1))}^`];
}

/** Removes the connection's password from anything shown (drivers sometimes echo connection details). */
function scrub<T extends { message: string; traceback?: string }>(error: T, password: string | null): T {
  if (!password || password.length < 2) return error;
  const hide = (text: string) => text.split(password).join("********");
  return {
    ...error,
    message: hide(error.message),
    ...(error.traceback ? { traceback: hide(error.traceback) } : {}),
  };
}
