// The NotebookStore over Kysely: the same queries for SQLite and PostgreSQL. Every change that moves a
// notebook's revision runs in one transaction that starts by bumping the revision; on PostgreSQL that
// UPDATE row-locks the notebook, so concurrent edits of one notebook serialise (SQLite serialises all).
import { randomUUID } from "node:crypto";
import type { Output } from "@reactive-notebook/protocol";
import type { ExpressionBuilder, Kysely, Transaction } from "kysely";
import { nextTimestamp } from "./clock.js";
import type { StoreDriver } from "./database.js";
import { GroupCommit } from "./group-commit.js";
import { StoredIdempotencyKeys } from "./idempotency.js";
import { PreparedQuery } from "./prepared.js";
import { CELL_COLUMNS, type CellRow, cellFromRow, errorJson, notebookFromRows, safeText } from "./rows.js";
import type { CellsTable, StoreSchema } from "./schema.js";
import {
  type CellEdit,
  type CellResult,
  type NewCellInput,
  type NewNotebookInput,
  type NotebookDatabase,
  type NotebookStore,
  RevisionConflictError,
  type StoredCell,
  type StoredNotebook,
} from "./types.js";

type Db = Kysely<StoreSchema> | Transaction<StoreSchema>;

/** Thrown inside a transaction to roll it back (the revision bump included) when the target is missing. */
class Missing extends Error {}

/** Runs `work` in a transaction; a Missing thrown by it rolls back and answers null. */
async function orNull<T>(
  db: Kysely<StoreSchema>,
  work: (trx: Transaction<StoreSchema>) => Promise<T>,
): Promise<T | null> {
  try {
    return await db.transaction().execute(work);
  } catch (error) {
    if (error instanceof Missing) return null;
    throw error;
  }
}

function cellRow(notebookId: string, position: number, input: NewCellInput, now: string): CellsTable {
  const analysisError = errorJson(input.analysisError);
  return {
    id: randomUUID(),
    notebook_id: notebookId,
    position,
    type: input.type,
    code: input.code ?? "",
    name: input.name ?? null,
    status: analysisError ? "error" : (input.status ?? "idle"),
    stdout: input.stdout ?? "",
    stderr: input.stderr ?? "",
    outputs: JSON.stringify(input.outputs ?? []),
    error: errorJson(input.error),
    analysis_error: analysisError,
    blocked_by: null,
    reads: JSON.stringify(input.reads ?? []),
    writes: JSON.stringify(input.writes ?? []),
    execution_count: input.executionCount ?? null,
    last_run_ms: null,
    created_at: now,
    updated_at: now,
  };
}

/** The reads every request makes (ownership, the notebook with its cells), compiled once per database. */
function readQueries(db: Kysely<StoreSchema>) {
  return {
    owner: new PreparedQuery(1, (id) => db.selectFrom("notebooks").select("owner_id").where("id", "=", id)),
    // The notebook's columns (but its database secret) beside each of its cells, in display order; a
    // notebook without cells is one row whose cell columns are null. Only the columns the resources show:
    // each column of each row costs a string in V8.
    notebook: new PreparedQuery(1, (id) =>
      db
        .selectFrom("notebooks")
        .leftJoin("cells", "cells.notebook_id", "notebooks.id")
        .select(CELL_COLUMNS.map((column) => `cells.${column}` as const))
        .select([
          "notebooks.owner_id as notebook_owner_id",
          "notebooks.kernel_fence as notebook_kernel_fence",
          "notebooks.name as notebook_name",
          "notebooks.revision as notebook_revision",
          "notebooks.created_at as notebook_created_at",
          "notebooks.updated_at as notebook_updated_at",
          "notebooks.database_info as notebook_database_info",
        ])
        .where("notebooks.id", "=", id)
        .orderBy("cells.position"),
    ),
  };
}

/** A row of the notebook read that holds a cell: `cells.id` is the key, null only in a cell-less notebook's row. */
function isCellRow<Row extends { [K in keyof CellRow]: CellRow[K] | null }>(row: Row): row is Row & CellRow {
  return row.id !== null;
}

export class KyselyNotebookStore implements NotebookStore {
  readonly idempotency: StoredIdempotencyKeys;
  readonly #results: GroupCommit;
  readonly #queries: ReturnType<typeof readQueries>;

  constructor(
    private readonly db: Kysely<StoreSchema>,
    readonly driver: StoreDriver,
  ) {
    this.idempotency = new StoredIdempotencyKeys(db);
    this.#results = new GroupCommit(db);
    this.#queries = readQueries(db);
  }

  async listNotebooks(ownerId: string) {
    const rows = await this.db
      .selectFrom("notebooks")
      .leftJoin("cells", "cells.notebook_id", "notebooks.id")
      .select((eb) => [
        "notebooks.id",
        "notebooks.name",
        "notebooks.created_at",
        "notebooks.updated_at",
        eb.fn.count<number | string>("cells.id").as("cell_count"),
      ])
      .where("notebooks.owner_id", "=", ownerId)
      .groupBy(["notebooks.id", "notebooks.name", "notebooks.created_at", "notebooks.updated_at"])
      .orderBy("notebooks.created_at", "desc")
      .orderBy("notebooks.id", "desc")
      .execute();
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      cellCount: Number(row.cell_count),
    }));
  }

  async createNotebook(ownerId: string, input: NewNotebookInput): Promise<StoredNotebook> {
    this.#results.commit();
    const id = randomUUID();
    const now = nextTimestamp();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto("notebooks")
        .values({
          id,
          owner_id: ownerId,
          name: input.name,
          revision: 0,
          created_at: now,
          updated_at: now,
          database_secret: null,
          database_info: null,
          kernel_fence: 0,
        })
        .execute();
      // Inserted in chunks: SQLite caps bound parameters per statement (32766) and a row has 17.
      const rows = input.cells.map((cell, position) => cellRow(id, position, cell, now));
      for (let start = 0; start < rows.length; start += 500) {
        await trx
          .insertInto("cells")
          .values(rows.slice(start, start + 500))
          .execute();
      }
    });
    const created = await this.getNotebook(id);
    if (!created) throw new Error("a created notebook vanished");
    return created;
  }

  async getNotebook(notebookId: string): Promise<StoredNotebook | null> {
    // One statement, so the notebook row and its cells are one consistent snapshot without a transaction.
    const rows = await this.#queries.notebook.execute(this.db, notebookId);
    const first = rows[0];
    if (!first) return null;
    const notebook = {
      id: notebookId,
      owner_id: first.notebook_owner_id,
      kernel_fence: first.notebook_kernel_fence,
      name: first.notebook_name,
      revision: first.notebook_revision,
      created_at: first.notebook_created_at,
      updated_at: first.notebook_updated_at,
      database_info: first.notebook_database_info,
    };
    return notebookFromRows(notebook, rows.filter(isCellRow));
  }

  loadNotebook(notebookId: string): Promise<StoredNotebook | null> {
    return this.getNotebook(notebookId);
  }

  async ownerOf(notebookId: string): Promise<string | null> {
    const [row] = await this.#queries.owner.execute(this.db, notebookId);
    return row?.owner_id ?? null;
  }

  async renameNotebook(notebookId: string, name: string): Promise<StoredNotebook | null> {
    this.#results.commit();
    const changed = await orNull(this.db, async (trx) => {
      await this.#bump(trx, notebookId);
      await trx.updateTable("notebooks").set({ name }).where("id", "=", notebookId).execute();
      return true;
    });
    return changed ? this.getNotebook(notebookId) : null;
  }

  async deleteNotebook(notebookId: string): Promise<boolean> {
    this.#results.commit();
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom("cells").where("notebook_id", "=", notebookId).execute();
      const result = await trx.deleteFrom("notebooks").where("id", "=", notebookId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  async getCell(notebookId: string, cellId: string): Promise<StoredCell | null> {
    const row = await this.#cellRow(this.db, notebookId, cellId);
    return row ? cellFromRow(row) : null;
  }

  async createCell(notebookId: string, input: NewCellInput, index?: number) {
    this.#results.commit();
    return orNull(this.db, async (trx) => {
      const revision = await this.#bump(trx, notebookId);
      const count = await this.#cellCount(trx, notebookId);
      const position = index === undefined ? count : Math.min(index, count);
      await trx
        .updateTable("cells")
        .set((eb) => ({ position: eb("position", "+", 1) }))
        .where("notebook_id", "=", notebookId)
        .where("position", ">=", position)
        .execute();
      const row = cellRow(notebookId, position, input, nextTimestamp());
      await trx.insertInto("cells").values(row).execute();
      return { cell: cellFromRow(row), index: position, revision };
    });
  }

  async updateCell(
    notebookId: string,
    cellId: string,
    edit: CellEdit,
    options: { ifRevision?: number } = {},
  ) {
    this.#results.commit();
    return orNull(this.db, async (trx) => {
      const revision = await this.#bump(trx, notebookId);
      // The bump above holds the notebook's lock, so this check and the write below are atomic.
      if (options.ifRevision !== undefined && options.ifRevision !== revision - 1) {
        throw new RevisionConflictError(revision - 1);
      }
      const current = await this.#cellRow(trx, notebookId, cellId);
      if (!current) throw new Missing();
      const next: CellsTable = { ...current, updated_at: nextTimestamp() };
      if (edit.name !== undefined) next.name = edit.name;
      if (edit.reads !== undefined) next.reads = JSON.stringify(edit.reads);
      if (edit.writes !== undefined) next.writes = JSON.stringify(edit.writes);
      const codeChanged = edit.code !== undefined && edit.code !== current.code;
      if (edit.analysisError) {
        next.status = "error";
        next.analysis_error = errorJson(edit.analysisError);
        next.blocked_by = null;
      } else if (edit.analysisError === null && current.analysis_error !== null) {
        // The source is right again: its analysis error goes, and the cell must run again to show anything.
        next.analysis_error = null;
        next.error = null;
        next.status = "stale";
      } else if (codeChanged && current.status !== "idle") {
        next.status = "stale";
        next.blocked_by = null;
      }
      if (edit.code !== undefined) next.code = edit.code;
      const { id: _id, notebook_id: _notebook, created_at: _created, ...changes } = next;
      await trx.updateTable("cells").set(changes).where("id", "=", cellId).execute();
      return { cell: cellFromRow(next), revision };
    });
  }

  async deleteCell(notebookId: string, cellId: string) {
    this.#results.commit();
    return orNull(this.db, async (trx) => {
      const revision = await this.#bump(trx, notebookId);
      const current = await this.#cellRow(trx, notebookId, cellId);
      if (!current) throw new Missing();
      await trx.deleteFrom("cells").where("id", "=", cellId).execute();
      await trx
        .updateTable("cells")
        .set((eb) => ({ position: eb("position", "-", 1) }))
        .where("notebook_id", "=", notebookId)
        .where("position", ">", current.position)
        .execute();
      return { revision, order: await this.#order(trx, notebookId) };
    });
  }

  async moveCell(notebookId: string, cellId: string, index: number) {
    this.#results.commit();
    return orNull(this.db, async (trx) => {
      const revision = await this.#bump(trx, notebookId);
      const current = await this.#cellRow(trx, notebookId, cellId);
      if (!current) throw new Missing();
      const from = current.position;
      const to = Math.min(index, (await this.#cellCount(trx, notebookId)) - 1);
      if (to > from) {
        await trx
          .updateTable("cells")
          .set((eb) => ({ position: eb("position", "-", 1) }))
          .where("notebook_id", "=", notebookId)
          .where("position", ">", from)
          .where("position", "<=", to)
          .execute();
      } else if (to < from) {
        await trx
          .updateTable("cells")
          .set((eb) => ({ position: eb("position", "+", 1) }))
          .where("notebook_id", "=", notebookId)
          .where("position", ">=", to)
          .where("position", "<", from)
          .execute();
      }
      await trx.updateTable("cells").set({ position: to }).where("id", "=", cellId).execute();
      return { order: await this.#order(trx, notebookId), index: to, revision };
    });
  }

  commitResults(): void {
    this.#results.commit();
  }

  async saveCellResult(
    notebookId: string,
    cellId: string,
    result: CellResult,
    fence?: number,
  ): Promise<void> {
    const changes: Partial<CellsTable> = {
      status: result.status,
      blocked_by: result.status === "blocked" ? (result.blockedBy ?? null) : null,
    };
    if (result.stdout !== undefined) changes.stdout = safeText(result.stdout);
    if (result.stderr !== undefined) changes.stderr = safeText(result.stderr);
    if (result.outputs !== undefined) changes.outputs = JSON.stringify(result.outputs);
    if (result.error !== undefined) changes.error = errorJson(result.error);
    if (result.executionCount !== undefined) changes.execution_count = result.executionCount;
    if (result.lastRunMs !== undefined) changes.last_run_ms = result.lastRunMs;
    return this.#results.add(async (trx) => {
      let update = trx
        .updateTable("cells")
        .set(changes)
        .where("id", "=", cellId)
        .where("notebook_id", "=", notebookId)
        // An analysis error outranks a run: a result arriving after the source broke must not hide it.
        .where("analysis_error", "is", null);
      if (fence !== undefined) update = update.where((eb) => this.#fenceAtMost(eb, notebookId, fence));
      await update.execute();
    });
  }

  async updateCellOutputs(
    notebookId: string,
    cellId: string,
    change: (outputs: Output[]) => Output[],
    fence?: number,
  ): Promise<void> {
    return this.#results.add(async (trx) => {
      // Read and written in one transaction of the group commit, in order with the cell's other results.
      const row = await trx
        .selectFrom("cells")
        .select("outputs")
        .where("id", "=", cellId)
        .where("notebook_id", "=", notebookId)
        .executeTakeFirst();
      if (!row) return;
      let outputs: Output[];
      try {
        outputs = JSON.parse(row.outputs) as Output[];
      } catch {
        return;
      }
      let update = trx
        .updateTable("cells")
        .set({ outputs: JSON.stringify(change(outputs)) })
        .where("id", "=", cellId)
        .where("notebook_id", "=", notebookId);
      if (fence !== undefined) update = update.where((eb) => this.#fenceAtMost(eb, notebookId, fence));
      await update.execute();
    });
  }

  async markRunningStale(notebookId?: string, ifFence?: number): Promise<number> {
    this.#results.commit();
    return this.#markRunningStale(this.db, notebookId, ifFence);
  }

  async claimKernel(notebookId: string, token: number): Promise<boolean> {
    this.#results.commit();
    return this.db.transaction().execute(async (trx) => {
      const claimed = await trx
        .updateTable("notebooks")
        .set({ kernel_fence: token })
        .where("id", "=", notebookId)
        .where("kernel_fence", "<", token)
        .returning("id")
        .executeTakeFirst();
      if (!claimed) return false;
      await this.#markRunningStale(trx, notebookId);
      return true;
    });
  }

  async setDatabase(notebookId: string, database: NotebookDatabase | null): Promise<boolean> {
    this.#results.commit();
    const result = await this.db
      .updateTable("notebooks")
      .set({
        database_secret: database?.secret ?? null,
        database_info: database ? JSON.stringify(database.info) : null,
        updated_at: nextTimestamp(),
      })
      .where("id", "=", notebookId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async getDatabaseSecret(notebookId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom("notebooks")
      .select("database_secret")
      .where("id", "=", notebookId)
      .executeTakeFirst();
    return row?.database_secret ?? null;
  }

  async close(): Promise<void> {
    await this.#results.settled();
    await this.db.destroy();
  }

  async #markRunningStale(db: Db, notebookId?: string, ifFence?: number): Promise<number> {
    let query = db
      .updateTable("cells")
      .set({ status: "stale", blocked_by: null })
      .where("status", "not in", ["idle", "stale"])
      .where("analysis_error", "is", null);
    if (notebookId !== undefined) query = query.where("notebook_id", "=", notebookId);
    if (notebookId !== undefined && ifFence !== undefined) {
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom("notebooks")
            .select("notebooks.id")
            .where("notebooks.id", "=", notebookId)
            .where("notebooks.kernel_fence", "=", ifFence),
        ),
      );
    }
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** The notebook's kernel fence is at most `fence`: no newer lease was claimed since `fence` was. */
  #fenceAtMost(eb: ExpressionBuilder<StoreSchema, "cells">, notebookId: string, fence: number) {
    return eb.exists(
      eb
        .selectFrom("notebooks")
        .select("notebooks.id")
        .where("notebooks.id", "=", notebookId)
        .where("notebooks.kernel_fence", "<=", fence),
    );
  }

  /** Moves the notebook to its next revision (locking its row); throws Missing when it does not exist. */
  async #bump(trx: Db, notebookId: string): Promise<number> {
    const row = await trx
      .updateTable("notebooks")
      .set((eb) => ({ revision: eb("revision", "+", 1), updated_at: nextTimestamp() }))
      .where("id", "=", notebookId)
      .returning("revision")
      .executeTakeFirst();
    if (!row) throw new Missing();
    return Number(row.revision);
  }

  #cellRow(db: Db, notebookId: string, cellId: string): Promise<CellsTable | undefined> {
    return db
      .selectFrom("cells")
      .selectAll()
      .where("id", "=", cellId)
      .where("notebook_id", "=", notebookId)
      .executeTakeFirst();
  }

  async #cellCount(db: Db, notebookId: string): Promise<number> {
    const row = await db
      .selectFrom("cells")
      .select((eb) => eb.fn.countAll<number | string>().as("count"))
      .where("notebook_id", "=", notebookId)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async #order(db: Db, notebookId: string): Promise<string[]> {
    const rows = await db
      .selectFrom("cells")
      .select("id")
      .where("notebook_id", "=", notebookId)
      .orderBy("position")
      .execute();
    return rows.map((row) => row.id);
  }
}
