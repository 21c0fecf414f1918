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
    db: new Kysely<StoreSchema>({ dialect: new SqliteDialect({ database: file }) }),
    driver: "sqlite",
  };
}
