// Group commit: result writes share a window and one transaction, resolve only once committed, and reach the
// database in the order the store's writes were made.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import type { Transaction } from "kysely";
import { openDatabase } from "../src/store/database.js";
import { GroupCommit } from "../src/store/group-commit.js";
import { migrateToLatest } from "../src/store/migrations.js";
import { openStore } from "../src/store/open.js";
import type { StoreSchema } from "../src/store/schema.js";
import { tempDataDir } from "./store-fixtures.js";

const data = tempDataDir("rn-group-commit-");
after(() => data.remove());

const { db } = openDatabase({ dataDir: data.dir });
await migrateToLatest(db);
after(() => db.destroy());

/** A write that records which transaction ran it; `fail` makes it throw. */
function recorder(seen: Transaction<StoreSchema>[], fail = false) {
  return async (trx: Transaction<StoreSchema>) => {
    seen.push(trx);
    await trx.selectFrom("notebooks").select("id").execute();
    if (fail) throw new Error("bad write");
  };
}

const settledFlag = (promise: Promise<unknown>) => {
  const state = { done: false, error: undefined as unknown };
  promise.then(
    () => {
      state.done = true;
    },
    (error: unknown) => {
      state.done = true;
      state.error = error;
    },
  );
  return state;
};

test("writes in one window wait for it, then commit in one transaction", async () => {
  const commits = new GroupCommit(db, 40);
  const seen: Transaction<StoreSchema>[] = [];
  const writes = [1, 2, 3].map(() => settledFlag(commits.add(recorder(seen))));
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(seen.length, 0, "nothing ran before the window ended");
  assert.ok(writes.every((w) => !w.done));
  await commits.settled();
  assert.equal(seen.length, 3);
  assert.equal(new Set(seen).size, 1, "all three ran in the same transaction");
  await Promise.resolve();
  assert.ok(writes.every((w) => w.done && w.error === undefined));
});

test("the window ends by itself when its timer fires", async () => {
  const commits = new GroupCommit(db, 20);
  const seen: Transaction<StoreSchema>[] = [];
  await commits.add(recorder(seen));
  assert.equal(seen.length, 1);
});

test("commit() ends the window at once, also when asked while an earlier batch commits", async () => {
  const commits = new GroupCommit(db, 60_000); // a window no test would wait for
  const seen: Transaction<StoreSchema>[] = [];
  const first = commits.add(recorder(seen));
  commits.commit();
  const second = commits.add(recorder(seen)); // arrives while the first batch commits
  commits.commit();
  await Promise.all([first, second]);
  assert.equal(seen.length, 2);
});

test("a failing write rejects alone; the others of its batch are committed", async () => {
  const commits = new GroupCommit(db, 60_000);
  const seen: Transaction<StoreSchema>[] = [];
  const good = commits.add(recorder(seen));
  const bad = commits.add(recorder(seen, true));
  const alsoGood = commits.add(recorder(seen));
  commits.commit();
  await good;
  await alsoGood;
  await assert.rejects(bad, /bad write/);
});

test("a store write commits the results queued before it first, so the database sees them in order", async () => {
  const store = await openStore({ dataDir: tempDataDir("rn-group-commit-store-").dir });
  after(() => store.close());
  const notebook = await store.createNotebook("u1", {
    name: "N",
    cells: [{ type: "python", code: "x = 1" }],
  });
  const cellId = notebook.cells[0]?.id as string;
  const result = settledFlag(
    store.saveCellResult(notebook.id, cellId, { status: "success", stdout: "1\n", outputs: [], error: null }),
  );
  await store.renameNotebook(notebook.id, "M");
  assert.ok(result.done, "the result queued before the rename committed before it");
  const stored = await store.getNotebook(notebook.id);
  assert.equal(stored?.name, "M");
  assert.equal(stored?.cells[0]?.status, "success");
  assert.equal(stored?.cells[0]?.stdout, "1\n");
});
