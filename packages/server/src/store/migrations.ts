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
