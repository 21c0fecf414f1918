// The sample database's process (started by SampleDatabase under the kernel sandbox: no network, uid
// nobody, empty environment). PGlite — PostgreSQL in WebAssembly — in memory, seeded once. Every cell runs
// in a transaction that is rolled back, so no user sees another's writes; a statement that would end that
// transaction is refused, and if one slipped through anyway the process exits so a fresh copy replaces it.
import { PGlite } from "@electric-sql/pglite";
import { controlsTransaction } from "../statements.js";
import { NUMERIC_TYPES, parseNumeric, TEXT_TYPES, toJsonValue } from "../values.js";
import { SAMPLE_SEED_SQL } from "./seed.js";

export type ToSample = {
  type: "run";
  id: number;
  statements: { text: string; params: unknown[] }[];
  maxRows: number;
};

export type FromSample =
  | { type: "ready"; ms: number }
  | {
      type: "result";
      id: number;
      ok: true;
      command: string;
      columns: { name: string; typeOid: number }[];
      rows: unknown[][];
      rowCount: number | null;
    }
  | {
      type: "result";
      id: number;
      ok: false;
      error: {
        message: string;
        statementIndex?: number;
        position?: number;
        code?: string;
        detail?: string;
        hint?: string;
      };
    };

const send = (message: FromSample) => process.send?.(message);

const parsers: Record<number, (text: string) => unknown> = {};
for (const oid of TEXT_TYPES) parsers[oid] = (text) => text;
for (const oid of NUMERIC_TYPES) parsers[oid] = parseNumeric;

const started = performance.now();
const db = await PGlite.create({ parsers });
await db.exec(SAMPLE_SEED_SQL);
send({ type: "ready", ms: Math.round(performance.now() - started) });

let queue: Promise<void> = Promise.resolve();
process.on("message", (message: ToSample) => {
  if (message?.type !== "run") return;
  queue = queue.then(() => run(message));
});
process.on("disconnect", () => process.exit(0));

async function run(message: ToSample): Promise<void> {
  const { id, statements, maxRows } = message;
  await db.exec("BEGIN");
  const xid = await currentTransaction();
  try {
    let last: Awaited<ReturnType<typeof db.query<unknown[]>>> | null = null;
    for (const [index, statement] of statements.entries()) {
      if (controlsTransaction(statement.text)) {
        send({
          type: "result",
          id,
          ok: false,
          error: {
            statementIndex: index,
            message:
              "The sample database runs each cell in a transaction that is rolled back; transaction control, COPY to or from files and VACUUM are not available here. Set a database connection for the notebook to run them.",
          },
        });
        return;
      }
      try {
        last = await db.query<unknown[]>(statement.text, statement.params, { rowMode: "array" });
      } catch (error) {
        const e = error as {
          message?: string;
          code?: string;
          position?: string;
          detail?: string;
          hint?: string;
        };
        send({
          type: "result",
          id,
          ok: false,
          error: {
            message: e.message ?? String(error),
            statementIndex: index,
            position: e.position === undefined ? undefined : Number(e.position),
            code: e.code,
            detail: e.detail,
            hint: e.hint,
          },
        });
        return;
      }
    }
    const rows = last?.rows ?? [];
    const hasRows = (last?.fields.length ?? 0) > 0;
    send({
      type: "result",
      id,
      ok: true,
      command: commandOf(statements.at(-1)?.text ?? ""),
      columns: (last?.fields ?? []).map((field) => ({ name: field.name, typeOid: field.dataTypeID })),
      rows: rows.slice(0, maxRows).map((row) => (row as unknown[]).map(toJsonValue)),
      rowCount: hasRows ? rows.length : (last?.affectedRows ?? null),
    });
  } finally {
    let escaped = false;
    try {
      escaped = (await currentTransaction()) !== xid;
    } catch (error) {
      // 25P02: a statement failed and our transaction is aborted — still ours, nothing escaped.
      escaped = (error as { code?: string }).code !== "25P02";
    }
    try {
      await db.exec("ROLLBACK");
    } catch {
      escaped = true;
    }
    // Something ended our transaction: writes may have become visible to everyone. Start over, clean.
    if (escaped) process.exit(3);
  }
}

async function currentTransaction(): Promise<string> {
  const result = await db.query<{ xid: string }>("SELECT pg_current_xact_id()::text AS xid");
  return result.rows[0]?.xid ?? "";
}

function commandOf(text: string): string {
  const withoutComments = text.replace(/--[^\n]*/g, " ").replace(/\/\*[\s\S]*?\*\//g, " ");
  return (/^\s*(\w+)/.exec(withoutComments)?.[1] ?? "").toUpperCase();
}
