// Opens the store's database: PostgreSQL (pg.Pool) when a DATABASE_URL is given, else a SQLite file in
// WAL mode with synchronous=FULL, so every committed transaction is on disk before the HTTP answer leaves.
import { mkdirSync } from "node:fs";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import type { StoreSchema } from "./schema.js";

export type StoreDriver = "sqlite" | "postgres";

export interface StoreLocation {
  /** PostgreSQL connection URL; when set, PostgreSQL is used. */
  databaseUrl?: string;
  /** Directory holding notebooks.sqlite otherwise. */
  dataDir: string;
}

export interface OpenedDatabase {
  db: Kysely<StoreSchema>;
  driver: StoreDriver;
}

export const SQLITE_FILE_NAME = "notebooks.sqlite";

export function openDatabase(location: StoreLocation): OpenedDatabase {
  if (location.databaseUrl) {
    const pool = new pg.Pool({ connectionString: location.databaseUrl, max: 10 });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    pool.on("error", () => {});
    return { db: new Kysely<StoreSchema>({ dialect: new PostgresDialect({ pool }) }), driver: "postgres" };
  }
  mkdirSync(location.dataDir, { recursive: true });
  const file = new SqliteDatabase(path.join(location.dataDir, SQLITE_FILE_NAME));
  file.pragma("journal_mode = WAL");
  // FULL (not WAL's usual NORMAL): fsync at every commit, so an acknowledged write survives a power cut.
  file.pragma("synchronous = FULL");
  file.pragma("foreign_keys = ON");
  file.pragma("busy_timeout = 5000");
  return {
    db: new Kysely<StoreSchema>({ dialect: new SqliteDialect({ database: withStatementCache(file) }) }),
    driver: "sqlite",
  };
}

/** How many prepared statements a SQLite store keeps; its queries are a small fixed set, so a few hundred is plenty. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely's SQLite driver prepares every query again; preparing was the largest single cost of a read
 * (`npm run bench -- http`). This keeps the prepared statements by SQL text (least recently used dropped
 * first) and hands out a fresh one only while a cached one is still iterating (a streamed query).
 */
export function withStatementCache(
  file: SqliteDatabase.Database,
): Pick<SqliteDatabase.Database, "prepare" | "close"> {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    prepare(sql: string) {
      const cached = cache.get(sql);
      if (cached && !cached.busy) {
        cache.delete(sql); // re-inserted below: most recently used last
        cache.set(sql, cached);
        return cached;
      }
      const statement = file.prepare(sql);
      if (!cached) {
        cache.set(sql, statement);
        if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      }
      return statement;
    },
    close() {
      cache.clear();
      return file.close();
    },
  } as Pick<SqliteDatabase.Database, "prepare" | "close">;
}
