// SQL test support: an engine over the real sample database (sandboxed PGlite processes, one per user;
// the seeded snapshot cached in one directory for every test file), and a scratch PostgreSQL database on
// 127.0.0.1:5432, created per run and dropped after it.
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { KernelManager } from "../../src/kernel/index.js";
import {
  type ResolveHost,
  SampleDatabase,
  type SampleDatabaseOptions,
  SecretBox,
  SqlEngine,
} from "../../src/sql/index.js";

export const TEST_SQL_LIMITS = {
  timeoutMs: 5_000,
  maxRowsShown: 1_000,
  maxRowsBound: 100_000,
  maxResultBytes: 32 * 1024 * 1024,
  sample: { instances: 4, idleMs: 300_000, memoryMb: 1024 },
};

/** Where tests keep the seeded sample snapshot (built once per machine, not once per test file). */
export const TEST_SAMPLE_CACHE = path.join(tmpdir(), "rn-sample-cache");

export interface TestSqlEngine {
  engine: SqlEngine;
  sample: SampleDatabase;
  secrets: SecretBox;
  /** Sets the sealed connection a notebook uses (null: the sample database). */
  connect(notebookId: string, connectionString: string | null): void;
}

export function testSqlEngine(
  kernels: Pick<KernelManager, "sandbox">,
  options: {
    sqlAllowedHosts?: "any" | "public" | string[];
    sql?: Partial<typeof TEST_SQL_LIMITS>;
    sample?: SampleDatabaseOptions;
    resolveHost?: ResolveHost;
  } = {},
): TestSqlEngine {
  const secrets = new SecretBox(randomBytes(32));
  const sealed = new Map<string, string>();
  const sample = new SampleDatabase(kernels.sandbox, { cacheDir: TEST_SAMPLE_CACHE, ...options.sample });
  const engine = new SqlEngine({
    config: {
      sqlAllowedHosts: options.sqlAllowedHosts ?? "any",
      sql: { ...TEST_SQL_LIMITS, ...options.sql },
    },
    sample,
    secrets,
    databaseSecret: async (notebookId) => sealed.get(notebookId) ?? null,
    resolveHost: options.resolveHost,
  });
  return {
    engine,
    sample,
    secrets,
    connect(notebookId, connectionString) {
      if (connectionString === null) sealed.delete(notebookId);
      else sealed.set(notebookId, secrets.seal(connectionString));
    },
  };
}

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/**
 * A fresh database on the local PostgreSQL with a password-protected role, or null (with the reason) when
 * PostgreSQL is not reachable. Under CI=true an unreachable PostgreSQL is an error, not a skip.
 */
export async function scratchDatabase(): Promise<
  | {
      url: string;
      password: string;
      admin: (sql: string) => Promise<pg.QueryResult>;
      drop: () => Promise<void>;
    }
  | string
> {
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 10_000 });
  try {
    await admin.connect();
  } catch (error) {
    const reason = `PostgreSQL is not reachable at ${ADMIN_URL}: ${(error as Error).message}`;
    if (process.env.CI === "true") throw new Error(reason);
    return reason;
  }
  const suffix = randomBytes(4).toString("hex");
  const database = `rn_sql_${suffix}`;
  const role = `rn_sql_user_${suffix}`;
  const password = `pw-${randomBytes(9).toString("base64url")}`;
  await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
  await admin.query(`CREATE DATABASE ${database} OWNER ${role}`);
  const inDatabase = new pg.Client({ connectionString: ADMIN_URL.replace(/\/[^/]*$/, `/${database}`) });
  await inDatabase.connect();
  return {
    url: `postgres://${role}:${encodeURIComponent(password)}@127.0.0.1:5432/${database}`,
    password,
    admin: (sql) => inDatabase.query(sql),
    drop: async () => {
      await inDatabase.end();
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.query(`DROP ROLE IF EXISTS ${role}`);
      await admin.end();
    },
  };
}
