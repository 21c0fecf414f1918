// Versioned schema migrations, kept in code and run at start by Kysely's Migrator. The same list runs on
// SQLite and PostgreSQL: only portable column types (text, integer, double precision) are used.
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from "kysely";

// Kysely runs migrations in name order, so names carry a zero-padded number; never edit a shipped one.
const migrations: Record<string, Migration> = {
  "0001_notebooks_and_cells": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("notebooks")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("owner_id", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("revision", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("database_secret", "text")
        .addColumn("database_info", "text")
        .execute();
      await db.schema
        .createIndex("notebooks_owner_created")
        .on("notebooks")
        .columns(["owner_id", "created_at"])
        .execute();
      await db.schema
        .createTable("cells")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("notebook_id", "text", (c) => c.notNull().references("notebooks.id").onDelete("cascade"))
        .addColumn("position", "integer", (c) => c.notNull())
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("code", "text", (c) => c.notNull())
        .addColumn("name", "text")
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("stdout", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("stderr", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("outputs", "text", (c) => c.notNull().defaultTo("[]"))
        .addColumn("error", "text")
        .addColumn("reads", "text", (c) => c.notNull().defaultTo("[]"))
        .addColumn("writes", "text", (c) => c.notNull().defaultTo("[]"))
        .addColumn("execution_count", "integer")
        .addColumn("last_run_ms", sql`double precision`)
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("cells_notebook_position")
        .on("cells")
        .columns(["notebook_id", "position"])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable("cells").execute();
      await db.schema.dropTable("notebooks").execute();
    },
  },
  "0002_analysis_error_blocked_by_idempotency": {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("cells").addColumn("analysis_error", "text").execute();
      await db.schema.alterTable("cells").addColumn("blocked_by", "text").execute();
      // Before this column, an analysis error was stored as the cell's error and recognised by its text
      // (a parse error has no traceback). Move those to the new column once; from now on it is data.
      await sql`
        UPDATE cells SET analysis_error = error
        WHERE status = 'error' AND error IS NOT NULL AND error NOT LIKE '%"traceback":%'
          AND (error LIKE '{"name":"SyntaxError"%' OR error LIKE '{"name":"IndentationError"%'
            OR error LIKE '{"name":"TabError"%' OR error LIKE '{"name":"ImportStarError"%'
            OR error LIKE '{"name":"AnalysisError"%')`.execute(db);
      await db.schema
        .createTable("idempotency_keys")
        .addColumn("user_id", "text", (c) => c.notNull())
        .addColumn("key", "text", (c) => c.notNull())
        .addColumn("fingerprint", "text", (c) => c.notNull())
        .addColumn("status_code", "integer")
        .addColumn("response_body", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("idempotency_keys_pk", ["user_id", "key"])
        .execute();
      await db.schema
        .createIndex("idempotency_keys_expires")
        .on("idempotency_keys")
        .column("expires_at")
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable("idempotency_keys").execute();
      await db.schema.alterTable("cells").dropColumn("blocked_by").execute();
      await db.schema.alterTable("cells").dropColumn("analysis_error").execute();
    },
  },
  "0003_kernel_fence": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable("notebooks")
        .addColumn("kernel_fence", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable("notebooks").dropColumn("kernel_fence").execute();
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the database to the newest schema; throws with the failing migration's name. */
// biome-ignore lint/suspicious/noExplicitAny: the Migrator works on any schema
export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === "Error")?.migrationName ?? "unknown";
    throw new Error(
      `store migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** Names of every migration, newest last (tests check both drivers applied all of them). */
export const MIGRATION_NAMES: readonly string[] = Object.keys(migrations).sort();
