// One cell on a sample database instance (inside its process). PGlite's session is always its superuser
// (a single-user backend), so the cell's statements run inside a transaction that first switches to the
// cell role (`SET LOCAL ROLE`, no privileges beyond the sample tables' rows) with the search_path pinned.
// Before a statement runs, PostgreSQL's own grammar decides whether it may: it must be something EXPLAIN
// accepts (a query or a data change — SELECT, WITH, VALUES, TABLE, INSERT, UPDATE, DELETE, MERGE), so SET,
// RESET, SET ROLE / SESSION AUTHORIZATION, COMMIT, ROLLBACK, SAVEPOINT, COPY, DO, CALL, LISTEN, PREPARE,
// VACUUM and every DDL statement never run; what they could reach through functions the role's
// privileges refuse. After the cell, the transaction is rolled back and the session discarded; if the
// transaction was not ours any more or the session does not look fresh, the caller stops the instance.
import type { PGlite } from "@electric-sql/pglite";
import { toJsonValue } from "../values.js";
import type { CellFailure, ResultMessage, RunMessage } from "./protocol.js";
import { CELL_ROLE } from "./seed.js";

const GATE = "EXPLAIN (COSTS OFF) ";

export const NOT_ALLOWED =
  "The sample database runs queries and data changes only (SELECT, WITH, VALUES, TABLE, INSERT, UPDATE, DELETE, MERGE) — " +
  "not settings, roles, transaction control, COPY, DO or schema changes — and every cell's changes are rolled back. " +
  "Connect the notebook to your own PostgreSQL to run other statements.";

interface PostgresErrorFields {
  message?: string;
  code?: string;
  position?: string | number;
  detail?: string;
  hint?: string;
}

function failure(error: unknown, statementIndex: number, shift = 0): CellFailure {
  const e = error as PostgresErrorFields;
  const position = e.position === undefined ? undefined : Number(e.position) - shift;
  return {
    message: e.message ?? String(error),
    statementIndex,
    position: position !== undefined && position >= 1 ? position : undefined,
    code: e.code,
    detail: e.detail,
    hint: e.hint,
    kind: "query",
  };
}

/** Null when PostgreSQL's grammar lets the statement run here; otherwise why not, as the cell's error. */
async function gate(
  db: PGlite,
  statement: RunMessage["statements"][number],
  index: number,
): Promise<CellFailure | null> {
  await db.exec("SAVEPOINT rn_gate");
  try {
    await db.query(GATE + statement.text, statement.params);
    await db.exec("RELEASE SAVEPOINT rn_gate");
    return null;
  } catch (error) {
    await db.exec("ROLLBACK TO SAVEPOINT rn_gate");
    if ((error as PostgresErrorFields).code !== "42601") return failure(error, index, GATE.length);
    // Not explainable: either a syntax error in the statement itself (then show that one, with its own
    // position) or a statement of a kind the sample database does not run.
    try {
      await db.describeQuery(statement.text);
    } catch (parseError) {
      if ((parseError as PostgresErrorFields).code === "42601") return failure(parseError, index);
    }
    return { message: NOT_ALLOWED, statementIndex: index, code: "42501", kind: "query" };
  }
}

/** Rolls the cell back and checks the session is as fresh as before it; false means stop this instance. */
async function reset(db: PGlite): Promise<boolean> {
  let clean = db.isInTransaction();
  for (const command of ["ROLLBACK", "DISCARD ALL"]) {
    try {
      await db.exec(command);
    } catch {
      clean = false;
    }
  }
  try {
    const { rows } = await db.query<{ who: string; session: string; path: string }>(
      "SELECT current_user::text AS who, session_user::text AS session, pg_catalog.current_setting('search_path') AS path",
    );
    const [row] = rows;
    clean &&= !db.isInTransaction() && row?.who === row?.session && row?.path === "public";
  } catch {
    clean = false;
  }
  return clean;
}

/** Runs one cell; `clean: false` when the instance must not serve another cell. */
export async function runCell(
  db: PGlite,
  message: RunMessage,
): Promise<{ reply: ResultMessage; clean: boolean }> {
  const { id, statements, maxRows, maxBytes } = message;
  const fail = (error: CellFailure): ResultMessage => ({ type: "result", id, ok: false, error });
  let reply: ResultMessage | null = null;
  try {
    await db.exec(`BEGIN; SET LOCAL ROLE ${CELL_ROLE}; SET LOCAL search_path = pg_catalog, public;`);
    let last: Awaited<ReturnType<typeof db.query<unknown[]>>> | null = null;
    for (const [index, statement] of statements.entries()) {
      const refused = await gate(db, statement, index);
      if (refused) {
        reply = fail(refused);
        break;
      }
      try {
        last = await db.query<unknown[]>(statement.text, statement.params, { rowMode: "array" });
      } catch (error) {
        reply = fail(failure(error, index));
        break;
      }
    }
    reply ??= toReply(id, last, maxRows, maxBytes);
  } catch (error) {
    reply = fail(failure(error, 0));
  }
  return { reply, clean: await reset(db) };
}

type QueryResult = Awaited<ReturnType<PGlite["query"]>> & { command?: string; rowCount?: number };

function toReply(id: number, last: QueryResult | null, maxRows: number, maxBytes: number): ResultMessage {
  const all = (last?.rows ?? []) as unknown[][];
  const rows = all.slice(0, maxRows).map((row) => row.map(toJsonValue));
  if (Buffer.byteLength(JSON.stringify(rows)) > maxBytes) {
    return {
      type: "result",
      id,
      ok: false,
      error: {
        message: `The result is larger than ${Math.round(maxBytes / 1024 / 1024)} MB (SQL_MAX_RESULT_MB); select fewer or smaller columns, or add a LIMIT.`,
        kind: "too-large",
      },
    };
  }
  const hasRows = (last?.fields.length ?? 0) > 0;
  return {
    type: "result",
    id,
    ok: true,
    command: last?.command ?? "",
    columns: (last?.fields ?? []).map((field) => ({ name: field.name, typeOid: field.dataTypeID })),
    rows,
    rowCount: hasRows ? all.length : (last?.affectedRows ?? null),
  };
}
