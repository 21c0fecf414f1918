// Fixtures shared by the store, route and durability tests: a temp data dir for SQLite and a throwaway
// PostgreSQL database (created fresh per use, dropped after). Not a test file itself.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

/** The server that tests create their databases on; `TEST_POSTGRES_URL` overrides it. */
export const POSTGRES_ADMIN_URL =
  process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export function tempDataDir(prefix = "rn-store-"): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestPostgres {
  url: string;
  drop: () => Promise<void>;
}

/**
 * A fresh empty database `rn_test_<random>`, or the reason PostgreSQL cannot be used. With CI=true an
 * unreachable server is a failure, not a skip.
 */
export async function createTestPostgres(): Promise<TestPostgres | { skip: string }> {
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 10_000 });
  const name = `rn_test_${randomBytes(6).toString("hex")}`;
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    await admin.end().catch(() => {});
    const reason = `PostgreSQL at ${POSTGRES_ADMIN_URL} is unavailable: ${error instanceof Error ? error.message : String(error)}`;
    if (process.env.CI === "true") throw new Error(reason);
    process.stderr.write(`skipping PostgreSQL tests: ${reason}\n`);
    return { skip: reason };
  }
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}
