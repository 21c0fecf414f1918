// The notebook store, specified once and run against both drivers: SQLite in a temp dir and a fresh
// PostgreSQL database (skipped with a printed reason when PostgreSQL is unreachable, unless CI=true).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  type NotebookStore,
  openStore,
  RevisionConflictError,
  type StoreLocation,
  withStatementCache,
} from "../src/store/index.js";
import { createTestPostgres, tempDataDir } from "./store-fixtures.js";

interface Driver {
  name: "sqlite" | "postgres";
  skip?: string;
  location?: StoreLocation;
  cleanup: () => Promise<void>;
}

async function sqliteDriver(): Promise<Driver> {
  const data = tempDataDir();
  return { name: "sqlite", location: { dataDir: data.dir }, cleanup: async () => data.remove() };
}

async function postgresDriver(): Promise<Driver> {
  const database = await createTestPostgres();
  if ("skip" in database) return { name: "postgres", skip: database.skip, cleanup: async () => {} };
  const data = tempDataDir();
  return {
    name: "postgres",
    location: { dataDir: data.dir, databaseUrl: database.url },
    cleanup: async () => {
      data.remove();
      await database.drop();
    },
  };
}

const drivers = [await sqliteDriver(), await postgresDriver()];

for (const driver of drivers) {
  describe(`NotebookStore on ${driver.name}`, { skip: driver.skip ?? false }, () => {
    let store: NotebookStore;

    before(async () => {
      store = await openStore(driver.location as StoreLocation);
    });
    after(async () => {
      await store?.close();
      await driver.cleanup();
    });

    const python = (code: string) => ({ type: "python" as const, code });

    test("uses the driver its location asks for, and opening an up-to-date database again migrates nothing", async () => {
      assert.equal(store.driver, driver.name);
      const again = await openStore(driver.location as StoreLocation);
      assert.equal(again.driver, driver.name);
      await again.close();
    });

    test("a created notebook comes back with its cells in order, revision 0, idle and empty", async () => {
      const created = await store.createNotebook("alice", {
        name: "First",
        cells: [
          python("x = 1"),
          { type: "sql", code: "select {x}", name: "rows" },
          { type: "markdown", code: "# Hi" },
        ],
      });
      const notebook = await store.getNotebook(created.id);
      assert.ok(notebook);
      assert.deepEqual(notebook, created);
      assert.equal(notebook.ownerId, "alice");
      assert.equal(notebook.name, "First");
      assert.equal(notebook.revision, 0);
      assert.equal(notebook.cellCount, 3);
      assert.deepEqual(notebook.database, { configured: false });
      assert.deepEqual(
        notebook.cells.map((cell) => [cell.type, cell.code, cell.name]),
        [
          ["python", "x = 1", null],
          ["sql", "select {x}", "rows"],
          ["markdown", "# Hi", null],
        ],
      );
      const [first] = notebook.cells;
      assert.deepEqual(
        { ...first, id: "" },
        {
          id: "",
          type: "python",
          code: "x = 1",
          name: null,
          status: "idle",
          stdout: "",
          stderr: "",
          outputs: [],
          error: null,
          reads: [],
          writes: [],
          executionCount: null,
          lastRunMs: null,
          blockedBy: null,
          analysisError: null,
        },
      );
      assert.ok(!Number.isNaN(Date.parse(notebook.createdAt)));
    });

    test("listing shows only the owner's notebooks, newest first, with cell counts", async () => {
      const owner = `lister-${driver.name}`;
      const a = await store.createNotebook(owner, { name: "a", cells: [] });
      const b = await store.createNotebook(owner, { name: "b", cells: [python("1"), python("2")] });
      const c = await store.createNotebook(owner, { name: "c", cells: [python("1")] });
      await store.createNotebook("someone-else", { name: "not mine", cells: [] });
      const list = await store.listNotebooks(owner);
      assert.deepEqual(
        list.map((item) => [item.id, item.name, item.cellCount]),
        [
          [c.id, "c", 1],
          [b.id, "b", 2],
          [a.id, "a", 0],
        ],
      );
      assert.deepEqual(await store.listNotebooks("nobody"), []);
    });

    test("ownerOf names the owner, or null for a notebook that does not exist", async () => {
      const notebook = await store.createNotebook("bob", { name: "n", cells: [] });
      assert.equal(await store.ownerOf(notebook.id), "bob");
      assert.equal(await store.ownerOf("no-such-id"), null);
    });

    test("reads answer the notebook asked for: one without cells has none, a missing one is null", async () => {
      const empty = await store.createNotebook("carol", { name: "Empty", cells: [] });
      const full = await store.createNotebook("dave", { name: "Full", cells: [python("a = 1")] });
      const readEmpty = await store.getNotebook(empty.id);
      assert.deepEqual(readEmpty, empty);
      assert.deepEqual(readEmpty?.cells, []);
      assert.equal(readEmpty?.cellCount, 0);
      assert.equal((await store.getNotebook(full.id))?.name, "Full");
      assert.equal((await store.getNotebook(full.id))?.ownerId, "dave");
      assert.equal(await store.getNotebook("no-such-id"), null);
      assert.equal(await store.ownerOf(empty.id), "carol");
      assert.equal(await store.ownerOf(full.id), "dave");
      assert.equal(readEmpty?.kernelFence, 0);
      assert.equal(await store.claimKernel(full.id, 5), true);
      assert.equal((await store.getNotebook(full.id))?.kernelFence, 5);
    });

    test("renaming moves the revision and keeps the cells", async () => {
      const notebook = await store.createNotebook("alice", { name: "old", cells: [python("x = 1")] });
      const renamed = await store.renameNotebook(notebook.id, "new");
      assert.equal(renamed?.name, "new");
      assert.equal(renamed?.revision, 1);
      assert.equal(renamed?.cells[0]?.code, "x = 1");
      assert.equal(await store.renameNotebook("no-such-id", "x"), null);
    });

    test("deleting a notebook deletes its cells; deleting twice answers false", async () => {
      const notebook = await store.createNotebook("alice", { name: "doomed", cells: [python("x = 1")] });
      const cellId = notebook.cells[0]?.id as string;
      assert.equal(await store.deleteNotebook(notebook.id), true);
      assert.equal(await store.getNotebook(notebook.id), null);
      assert.equal(await store.getCell(notebook.id, cellId), null);
      assert.equal(await store.deleteNotebook(notebook.id), false);
    });

    test("cells are inserted at an index, appended without one, and clamped past the end", async () => {
      const notebook = await store.createNotebook("alice", { name: "n", cells: [python("a"), python("b")] });
      const inserted = await store.createCell(notebook.id, python("first"), 0);
      assert.equal(inserted?.index, 0);
      assert.equal(inserted?.revision, 1);
      const appended = await store.createCell(notebook.id, python("last"));
      assert.equal(appended?.index, 3);
      const clamped = await store.createCell(notebook.id, python("way out"), 99);
      assert.equal(clamped?.index, 4);
      const middle = await store.createCell(notebook.id, { type: "markdown" }, 2);
      assert.equal(middle?.cell.code, "");
      const after = await store.getNotebook(notebook.id);
      assert.deepEqual(
        after?.cells.map((cell) => cell.code),
        ["first", "a", "", "b", "last", "way out"],
      );
      assert.equal(after?.revision, 4);
      assert.equal(await store.createCell("no-such-id", python("x")), null);
    });

    test("editing code stores the analysis, moves the revision, and makes a cell that ran stale", async () => {
      const notebook = await store.createNotebook("alice", { name: "n", cells: [python("x = 1")] });
      const cellId = notebook.cells[0]?.id as string;
      const edited = await store.updateCell(notebook.id, cellId, {
        code: "y = x",
        reads: ["x"],
        writes: ["y"],
      });
      assert.equal(edited?.revision, 1);
      assert.deepEqual(edited?.cell.reads, ["x"]);
      assert.deepEqual(edited?.cell.writes, ["y"]);
      assert.equal(edited?.cell.status, "idle", "a cell that never ran stays idle");
      await store.saveCellResult(notebook.id, cellId, { status: "success", executionCount: 1 });
      const again = await store.updateCell(notebook.id, cellId, { code: "y = x + 1" });
      assert.equal(again?.cell.status, "stale");
      assert.deepEqual(await store.getCell(notebook.id, cellId), again?.cell);
    });

    test("code that does not parse puts the cell in error until it parses again", async () => {
      const notebook = await store.createNotebook("alice", { name: "n", cells: [python("x = 1")] });
      const cellId = notebook.cells[0]?.id as string;
      const syntaxError = { name: "SyntaxError", message: "invalid syntax (line 1)" };
      const broken = await store.updateCell(notebook.id, cellId, {
        code: "x = (",
        reads: [],
        writes: [],
        analysisError: syntaxError,
      });
      assert.equal(broken?.cell.status, "error");
      assert.deepEqual(broken?.cell.error, syntaxError);
      await store.markRunningStale(notebook.id);
      assert.equal(
        (await store.getCell(notebook.id, cellId))?.status,
        "error",
        "a parse error survives a restart",
      );
      const fixed = await store.updateCell(notebook.id, cellId, {
        code: "x = 2",
        reads: [],
        writes: ["x"],
        analysisError: null,
      });
      assert.equal(fixed?.cell.error, null);
      assert.equal(fixed?.cell.status, "stale");
    });

    // Every error analysis can report is data in its own column: set by analysis, cleared by analysis, never
    // by a run result, and never made stale by a restart.
    for (const analysisError of [
      { name: "SyntaxError", message: "'(' was never closed (line 1)" },
      { name: "IndentationError", message: "unexpected indent (line 2)" },
      { name: "TabError", message: "inconsistent use of tabs and spaces in indentation (line 3)" },
      { name: "ImportStarError", message: "from os import * hides which names the cell defines" },
      { name: "RecursionError", message: "the code is nested too deeply to analyse" },
      { name: "AnalysisError", message: "the cell could not be analysed" },
    ]) {
      test(`a ${analysisError.name} from analysis holds the cell in error until analysis clears it`, async () => {
        const created = await store.createNotebook("alice", {
          name: "n",
          cells: [{ ...python("bad"), analysisError }, python("x = 1")],
        });
        const [broken, fine] = created.cells.map((cell) => cell.id) as [string, string];
        assert.equal(created.cells[0]?.status, "error", "created broken: in error");
        assert.deepEqual(created.cells[0]?.error, analysisError);
        await store.saveCellResult(created.id, broken, { status: "success", outputs: [], error: null });
        assert.deepEqual(
          await store.getCell(created.id, broken),
          created.cells[0],
          "a run result does not hide it",
        );
        await store.markRunningStale();
        assert.equal((await store.getCell(created.id, broken))?.status, "error", "a restart keeps it");
        const edited = await store.updateCell(created.id, fine, { code: "x = (", analysisError });
        assert.equal(edited?.cell.status, "error", "an edit into it puts an existing cell in error");
        assert.deepEqual(edited?.cell.error, analysisError);
        const cleared = await store.updateCell(created.id, fine, {
          code: "x = 2",
          reads: [],
          writes: ["x"],
          analysisError: null,
        });
        assert.equal(cleared?.cell.status, "stale", "cleared: the cell must run again");
        assert.equal(cleared?.cell.error, null);
      });
    }

    test("a blocked cell keeps the cell that blocks it; any other status drops it", async () => {
      const notebook = await store.createNotebook("alice", { name: "n", cells: [python("x"), python("y")] });
      const [first, second] = notebook.cells.map((cell) => cell.id) as [string, string];
      await store.saveCellResult(notebook.id, second, { status: "blocked", blockedBy: first });
      assert.equal((await store.getCell(notebook.id, second))?.blockedBy, first);
      assert.equal((await store.getNotebook(notebook.id))?.cells[1]?.blockedBy, first);
      await store.saveCellResult(notebook.id, second, { status: "stale" });
      assert.equal((await store.getCell(notebook.id, second))?.blockedBy, null);
    });

    test("results saved at once are all durable when each resolves, and a bad one fails alone", async () => {
      const notebook = await store.createNotebook("alice", {
        name: "many",
        cells: Array.from({ length: 50 }, (_, i) => python(`x${i} = ${i}`)),
      });
      const saves = notebook.cells.map((cell, i) =>
        store.saveCellResult(notebook.id, cell.id, {
          status: "success",
          stdout: `${i}\n`,
          executionCount: i + 1,
        }),
      );
      // A value both databases refuse inside the transaction: an object where an integer is expected.
      const bad = store.saveCellResult(notebook.id, notebook.cells[0]?.id as string, {
        status: "success",
        executionCount: { not: "a number" } as unknown as number,
      });
      const results = await Promise.allSettled([...saves, bad]);
      assert.equal(results.filter((r) => r.status === "fulfilled").length, 50);
      assert.equal(results.at(-1)?.status, "rejected");
      const stored = await store.getNotebook(notebook.id);
      assert.deepEqual(
        stored?.cells.map((cell) => [cell.status, cell.stdout, cell.executionCount]),
        notebook.cells.map((_, i) => ["success", `${i}\n`, i + 1]),
      );
    });

    test("an idempotency key is claimed once, answered, replayed, and refused for another request", async () => {
      const keys = store.idempotency;
      const user = `idem-${driver.name}`;
      assert.deepEqual(await keys.claim(user, "k1", "POST /a #1", 60_000), { state: "claimed" });
      assert.deepEqual(await keys.claim(user, "k1", "POST /a #1", 60_000), { state: "in_progress" });
      assert.deepEqual(await keys.claim(user, "k1", "POST /a #2", 60_000), { state: "mismatch" });
      assert.deepEqual(await keys.claim("someone-else", "k1", "POST /a #2", 60_000), { state: "claimed" });
      await keys.answer(user, "k1", 201, '{"id":"n1"}');
      assert.deepEqual(await keys.claim(user, "k1", "POST /a #1", 60_000), {
        state: "answered",
        statusCode: 201,
        body: '{"id":"n1"}',
      });
      assert.deepEqual(await keys.claim(user, "k2", "POST /b", 60_000), { state: "claimed" });
      await keys.release(user, "k2");
      assert.deepEqual(
        await keys.claim(user, "k2", "POST /b", 60_000),
        { state: "claimed" },
        "released: free",
      );
      assert.deepEqual(await keys.claim(user, "k3", "POST /c", -1), { state: "claimed" });
      assert.deepEqual(
        await keys.claim(user, "k3", "POST /d", 60_000),
        { state: "claimed" },
        "expired: free",
      );
    });

    test("two concurrent first uses of one idempotency key: exactly one claims it", async () => {
      const claims = await Promise.all(
        Array.from({ length: 8 }, () => store.idempotency.claim("racer", "same", "POST /x", 60_000)),
      );
      assert.equal(claims.filter((c) => c.state === "claimed").length, 1);
      assert.equal(claims.filter((c) => c.state === "in_progress").length, 7);
    });

    test("a stale ifRevision is refused with the current revision and changes nothing", async () => {
      const notebook = await store.createNotebook("alice", { name: "n", cells: [python("x = 1")] });
      const cellId = notebook.cells[0]?.id as string;
      const ok = await store.updateCell(notebook.id, cellId, { code: "x = 2" }, { ifRevision: 0 });
      assert.equal(ok?.revision, 1);
      await assert.rejects(
        store.updateCell(notebook.id, cellId, { code: "x = 3" }, { ifRevision: 0 }),
        (error: unknown) => error instanceof RevisionConflictError && error.currentRevision === 1,
      );
      const after = await store.getNotebook(notebook.id);
      assert.equal(after?.revision, 1);
      assert.equal(after?.cells[0]?.code, "x = 2");
    });

    test("a cell of another notebook is not found, and the miss leaves the revision alone", async () => {
      const mine = await store.createNotebook("alice", { name: "mine", cells: [python("x = 1")] });
      const other = await store.createNotebook("alice", { name: "other", cells: [python("y = 1")] });
      const foreignCell = other.cells[0]?.id as string;
      assert.equal(await store.getCell(mine.id, foreignCell), null);
      assert.equal(await store.updateCell(mine.id, foreignCell, { code: "z" }), null);
      assert.equal(await store.deleteCell(mine.id, foreignCell), null);
      assert.equal(await store.moveCell(mine.id, foreignCell, 0), null);
      assert.equal((await store.getNotebook(mine.id))?.revision, 0);
      assert.equal((await store.getCell(other.id, foreignCell))?.code, "y = 1");
    });

    test("deleting a cell closes the gap in the order", async () => {
      const notebook = await store.createNotebook("alice", { name: "n", cells: ["a", "b", "c"].map(python) });
      const [a, b, c] = notebook.cells.map((cell) => cell.id);
      const deleted = await store.deleteCell(notebook.id, b as string);
      assert.deepEqual(deleted, { revision: 1, order: [a, c] });
      const inserted = await store.createCell(notebook.id, python("d"), 1);
      const after = await store.getNotebook(notebook.id);
      assert.deepEqual(
        after?.cells.map((cell) => cell.id),
        [a, inserted?.cell.id, c],
      );
    });

    test("moving a cell forwards, backwards and past the end answers the new order", async () => {
      const notebook = await store.createNotebook("alice", {
        name: "n",
        cells: ["a", "b", "c", "d"].map(python),
      });
      const [a, b, c, d] = notebook.cells.map((cell) => cell.id) as [string, string, string, string];
      assert.deepEqual((await store.moveCell(notebook.id, a, 2))?.order, [b, c, a, d]);
      assert.deepEqual((await store.moveCell(notebook.id, d, 0))?.order, [d, b, c, a]);
      const clamped = await store.moveCell(notebook.id, b, 50);
      assert.deepEqual(clamped, { order: [d, c, a, b], index: 3, revision: 3 });
      assert.deepEqual(
        (await store.moveCell(notebook.id, c, 1))?.order,
        [d, c, a, b],
        "moving in place is fine",
      );
      const stored = await store.getNotebook(notebook.id);
      assert.deepEqual(
        stored?.cells.map((cell) => cell.id),
        [d, c, a, b],
      );
    });

    test("a run result is stored with the cell, keeps omitted fields, and does not move the revision", async () => {
      const notebook = await store.createNotebook("alice", { name: "n", cells: [python("print(1); 2")] });
      const cellId = notebook.cells[0]?.id as string;
      const outputs = [
        { mimeType: "text/plain", data: "2" },
        { mimeType: "application/json", data: { a: [1, 2, { b: null }] }, metadata: { expanded: true } },
      ];
      await store.saveCellResult(notebook.id, cellId, {
        status: "success",
        stdout: "1\n",
        stderr: "warn\n",
        outputs,
        error: null,
        executionCount: 3,
        lastRunMs: 12.5,
      });
      await store.saveCellResult(notebook.id, cellId, { status: "stale" });
      const cell = await store.getCell(notebook.id, cellId);
      assert.deepEqual(
        { ...cell, id: "" },
        {
          id: "",
          type: "python",
          code: "print(1); 2",
          name: null,
          status: "stale",
          stdout: "1\n",
          stderr: "warn\n",
          outputs,
          error: null,
          reads: [],
          writes: [],
          executionCount: 3,
          lastRunMs: 12.5,
          blockedBy: null,
          analysisError: null,
        },
      );
      const error = {
        name: "ZeroDivisionError",
        message: "division by zero",
        traceback: "Traceback...\n  line 1",
      };
      await store.saveCellResult(notebook.id, cellId, { status: "error", error, outputs: [] });
      assert.deepEqual((await store.getCell(notebook.id, cellId))?.error, error);
      assert.equal((await store.getNotebook(notebook.id))?.revision, 0);
      await store.saveCellResult(notebook.id, "no-such-cell", { status: "success" });
    });

    test("after a restart every cell that is not idle is stale; a takeover does it for one notebook", async () => {
      const statuses = ["idle", "queued", "running", "success", "error", "blocked", "stale"] as const;
      const make = () =>
        store.createNotebook("alice", {
          name: "statuses",
          cells: [
            ...statuses.map((status) => ({ ...python("x"), status })),
            { ...python("x = ("), analysisError: { name: "SyntaxError", message: "'(' was never closed" } },
          ],
        });
      const one = await make();
      const two = await make();
      assert.equal(await store.markRunningStale(one.id), 5);
      assert.deepEqual(
        (await store.getNotebook(one.id))?.cells.map((cell) => cell.status),
        ["idle", "stale", "stale", "stale", "stale", "stale", "stale", "error"],
        "an analysis error is not a run: it stays",
      );
      assert.deepEqual(
        (await store.getNotebook(two.id))?.cells.map((cell) => cell.status),
        [...statuses, "error"],
        "another notebook is left alone",
      );
      assert.ok((await store.markRunningStale()) >= 5);
      assert.deepEqual(
        (await store.getNotebook(two.id))?.cells.map((cell) => cell.status),
        ["idle", "stale", "stale", "stale", "stale", "stale", "stale", "error"],
      );
    });

    test("hostile but valid text is stored exactly: emoji, RTL overrides, combining marks, huge code", async () => {
      const name = "\u202Eevil\u202C 👩🏽‍💻 Ωmega e\u0301 \uFEFF'; DROP TABLE notebooks; --";
      const code = `s = "${"λ".repeat(200_000)}"\n# ${"🙂".repeat(1000)}`;
      const notebook = await store.createNotebook("alice", { name, cells: [python(code)] });
      const stored = await store.getNotebook(notebook.id);
      assert.equal(stored?.name, name);
      assert.equal(stored?.cells[0]?.code, code);
      assert.equal(
        (await store.listNotebooks("alice")).some((item) => item.name === name),
        true,
      );
    });

    test("run output with NUL bytes or broken surrogates is stored, made safe for both drivers", async () => {
      const notebook = await store.createNotebook("alice", { name: "n", cells: [python("x")] });
      const cellId = notebook.cells[0]?.id as string;
      await store.saveCellResult(notebook.id, cellId, {
        status: "success",
        stdout: "a\u0000b\uD800c",
        stderr: "",
      });
      assert.equal((await store.getCell(notebook.id, cellId))?.stdout, "a\uFFFDb\uFFFDc");
    });

    test("the database connection is stored as an opaque secret and shown without it", async () => {
      const notebook = await store.createNotebook("alice", { name: "n", cells: [] });
      assert.equal(await store.getDatabaseSecret(notebook.id), null);
      const info = { host: "db.example.com", database: "shop", user: "reader" };
      assert.equal(await store.setDatabase(notebook.id, { secret: "v1:abc:def", info }), true);
      assert.equal(await store.getDatabaseSecret(notebook.id), "v1:abc:def");
      assert.deepEqual((await store.getNotebook(notebook.id))?.database, { configured: true, ...info });
      await store.setDatabase(notebook.id, null);
      assert.deepEqual((await store.getNotebook(notebook.id))?.database, { configured: false });
      assert.equal(await store.setDatabase("no-such-id", null), false);
    });

    test("concurrent edits of one notebook each get their own revision", async () => {
      const notebook = await store.createNotebook("alice", { name: "n", cells: [python("x")] });
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.createCell(notebook.id, python(`c${i}`))),
      );
      const revisions = results.map((result) => result?.revision).sort((x, y) => (x ?? 0) - (y ?? 0));
      assert.deepEqual(
        revisions,
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      const after = await store.getNotebook(notebook.id);
      assert.equal(after?.cellCount, 21);
      assert.deepEqual(
        [...new Set(results.map((result) => result?.index))].length,
        20,
        "every insert got its own position",
      );
    });
  });
}

describe("the SQLite statement cache", () => {
  test("reuses a statement per SQL text, never one that is still iterating, and stays bounded", async () => {
    const { default: SqliteDatabase } = await import("better-sqlite3");
    const file = new SqliteDatabase(":memory:");
    const db = withStatementCache(file);
    try {
      file.exec("CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1), (2), (3)");
      const select = "SELECT v FROM t ORDER BY v";
      const first = db.prepare(select);
      assert.equal(db.prepare(select), first, "the same SQL gets the prepared statement back");
      assert.deepEqual(first.all(), [{ v: 1 }, { v: 2 }, { v: 3 }]);

      // A statement in the middle of a streamed read is busy: a second use gets its own statement.
      const rows = first.iterate();
      rows.next();
      const second = db.prepare(select);
      assert.notEqual(second, first);
      assert.deepEqual(second.all(), [{ v: 1 }, { v: 2 }, { v: 3 }], "both read correctly");
      rows.return?.();
      assert.equal(db.prepare(select), first, "the cached one is used again once it is done");

      // Parameters bind per call: a cached statement carries nothing over.
      const byValue = "SELECT v FROM t WHERE v = ?";
      assert.deepEqual(db.prepare(byValue).all(2), [{ v: 2 }]);
      assert.deepEqual(db.prepare(byValue).all(3), [{ v: 3 }]);

      // Many distinct texts (e.g. IN lists of every length) do not grow it without bound.
      for (let i = 0; i < 300; i++) db.prepare(`SELECT ${i} AS n`);
      assert.notEqual(db.prepare(select), first, "the least recently used statements were dropped");
    } finally {
      db.close();
    }
  });
});
