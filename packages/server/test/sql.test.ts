// SQL cells through the engine, with a real sandboxed kernel for placeholders and results, against the
// built-in sample database (PGlite in its own sandboxed process) and a scratch database on the real
// PostgreSQL at 127.0.0.1:5432: selects, writes, types, row caps, errors with positions, timeouts,
// injection attempts, the host policy, and the password never shown.
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { type Kernel, KernelManager } from "../src/kernel/index.js";
import type { SqlCellResult } from "../src/sql/index.js";
import { scratchDatabase, testSqlEngine } from "./helpers/sql.js";

const kernels = new KernelManager({
  dataDir: path.join(tmpdir(), "rn-kernel-test-data"),
  pyodideIndexUrl: "http://127.0.0.1:9/",
  cellTimeoutMs: 20_000,
  memoryMb: 512,
  maxKernels: 8,
  idleMs: 600_000,
  poolSize: 1,
});
const sql = testSqlEngine(kernels, { sql: { timeoutMs: 30_000, maxRowsShown: 1_000 } });
/** For the time-limit tests only: every other cell gets a limit no loaded machine comes near. */
const short = testSqlEngine(kernels, { sql: { timeoutMs: 3_000 } });

before(() => kernels.start());
after(async () => {
  await sql.engine.close();
  await short.engine.close();
  await kernels.close();
});

/** Spins the CPU for hours without spilling to temporary files (4 × 500 customers, nested loops). */
const SPIN = "SELECT count(*) FROM customers a, customers b, customers c, customers d";

let counter = 0;
/** A notebook id of its own (its own connection), sharing one kernel: SQL is what is under test here. */
async function notebook(python = ""): Promise<{ id: string; kernel: Kernel }> {
  const id = `sql-nb-${++counter}`;
  const kernel = await kernels.kernelFor("sql-shared-kernel", "alice");
  if (python) {
    const result = await kernel.execute("setup", python, () => {});
    assert.equal(result.status, "success", JSON.stringify(result.error));
  }
  return { id, kernel };
}

function run(
  id: string,
  kernel: Kernel,
  code: string,
  name: string | null = null,
  on: typeof sql = sql,
): Promise<SqlCellResult> {
  return on.engine.runCell({ notebookId: id, userId: "alice", code, name, kernel: async () => kernel });
}

interface Table {
  columns: { name: string; type?: string }[];
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
}

function table(result: SqlCellResult): Table {
  assert.equal(result.status, "success", JSON.stringify(result.error));
  const output = result.outputs[0];
  assert.equal(output?.mimeType, "application/vnd.reactive-notebook.table+json");
  return output.data as Table;
}

async function python(kernel: Kernel, code: string): Promise<string> {
  const result = await kernel.execute("probe", code, () => {});
  assert.equal(result.status, "success", JSON.stringify(result.error));
  const text = result.outputs.find((o) => o.mimeType === "text/plain");
  return String(text?.data);
}

describe("the sample database", () => {
  test("has the documented tables, with realistic row counts", async () => {
    const { id, kernel } = await notebook();
    const counts = table(
      await run(
        id,
        kernel,
        `SELECT 'customers' AS t, count(*) FROM customers UNION ALL SELECT 'products', count(*) FROM products
         UNION ALL SELECT 'orders', count(*) FROM orders UNION ALL SELECT 'order_items', count(*) FROM order_items`,
      ),
    );
    assert.deepEqual(
      counts.rows.map((row) => row[0]),
      ["customers", "products", "orders", "order_items"],
    );
    const [customers, products, orders, items] = counts.rows.map((row) => row[1] as number);
    assert.equal(customers, 500);
    assert.equal(products, 24);
    assert.equal(orders, 3000);
    assert.ok(items! > 5000 && items! < 10_000, `order_items: ${items}`);
    assert.deepEqual(counts.columns, [
      { name: "t", type: "text" },
      { name: "count", type: "int8" },
    ]);
  });

  test("placeholders bind Python values; a named result becomes a list of dicts in Python", async () => {
    const { id, kernel } = await notebook("threshold = 300\ncats = ['Displays', 'Furniture']");
    const result = await run(
      id,
      kernel,
      "SELECT name, price, category FROM products WHERE price > {threshold} AND category = ANY({cats}) ORDER BY price",
      "pricey",
    );
    const shown = table(result);
    assert.deepEqual(shown.columns, [
      { name: "name", type: "text" },
      { name: "price", type: "numeric" },
      { name: "category", type: "text" },
    ]);
    assert.deepEqual(
      shown.rows.map((row) => row[0]),
      ['27" monitor', "Ergonomic chair", "Standing desk", '34" ultrawide monitor'],
    );
    assert.equal(shown.rows[1]?.[1], 429);
    assert.equal(
      await python(kernel, "type(pricey).__name__, len(pricey), pricey[1]['name'], pricey[1]['price']"),
      "('list', 4, 'Ergonomic chair', 429)",
    );
  });

  test("types: dates and timestamps come back as text in the table and as date/datetime in Python", async () => {
    const { id, kernel } = await notebook("import datetime\nsince = datetime.date(2025, 6, 1)");
    const result = await run(
      id,
      kernel,
      `SELECT signed_up, signed_up::timestamptz AS at, true AS yes, 1.5::float8 AS f, NULL::text AS nothing,
              '{"a": [1, 2]}'::jsonb AS doc, 9007199254740993::int8 AS big
       FROM customers WHERE signed_up >= {since} ORDER BY signed_up LIMIT 1`,
      "first",
    );
    const shown = table(result);
    assert.deepEqual(
      shown.columns.map((c) => c.type),
      ["date", "timestamptz", "bool", "float8", "text", "jsonb", "int8"],
    );
    const [row] = shown.rows;
    assert.match(String(row?.[0]), /^2025-0[6-9]-\d\d$|^2025-1[0-2]-\d\d$/);
    assert.match(String(row?.[1]), /^2025-\d\d-\d\d 00:00:00\+00$/);
    assert.deepEqual(row?.slice(2), [true, 1.5, null, { a: [1, 2] }, "9007199254740993"]);
    assert.equal(
      await python(
        kernel,
        "type(first[0]['signed_up']).__name__, type(first[0]['at']).__name__, first[0]['signed_up'] >= since",
      ),
      "('date', 'datetime', True)",
    );
  });

  test("the table shows 1,000 rows and an exact rowCount; the Python variable gets every row", async () => {
    const { id, kernel } = await notebook();
    const shown = table(await run(id, kernel, "SELECT * FROM order_items", "items"));
    assert.equal(shown.rows.length, 1000);
    assert.equal(shown.truncated, true);
    assert.ok(shown.rowCount > 5000);
    assert.equal(await python(kernel, "len(items)"), String(shown.rowCount));
  });

  test("writes are the cell's own: rolled back after the cell, never seen by other notebooks", async () => {
    const a = await notebook();
    const inserted = await run(
      a.id,
      a.kernel,
      "INSERT INTO products VALUES (99, 'Secret gadget', 'Secret', 1.00); SELECT count(*) FROM products",
    );
    assert.deepEqual(table(inserted).rows, [[25]]);
    const b = await notebook();
    assert.deepEqual(table(await run(b.id, b.kernel, "SELECT count(*) FROM products")).rows, [[24]]);
    const update = await run(a.id, a.kernel, "UPDATE products SET price = price * 2");
    assert.deepEqual(update.outputs, [{ mimeType: "text/plain", data: "UPDATE: 24 rows affected." }]);
    assert.deepEqual(table(await run(b.id, b.kernel, "SELECT min(price) FROM products")).rows, [[12.5]]);
  });

  test("statements that would end the cell's transaction are refused and change nothing", async () => {
    const { id, kernel } = await notebook();
    const result = await run(id, kernel, "COMMIT; DROP TABLE customers");
    assert.equal(result.status, "error");
    assert.match(result.error?.message ?? "", /queries and data changes only .* rolled back/);
    const viaDo = await run(id, kernel, "DO $$ BEGIN COMMIT; END $$; DROP TABLE orders");
    assert.equal(viaDo.status, "error");
    assert.deepEqual(table(await run(id, kernel, "SELECT count(*) FROM customers")).rows, [[500]]);
    assert.deepEqual(table(await run(id, kernel, "SELECT count(*) FROM orders")).rows, [[3000]]);
  });

  test("an SQL error is the cell's error, with PostgreSQL's message and where it happened in the cell", async () => {
    const { id, kernel } = await notebook("n = 3");
    const result = await run(id, kernel, "SELECT 1;\nSELECT {n} + nope\nFROM products");
    assert.equal(result.status, "error");
    assert.equal(result.error?.name, "PostgresError");
    assert.match(result.error?.message ?? "", /column "nope" does not exist \(SQLSTATE 42703\)/);
    assert.match(result.error?.traceback ?? "", /line 2, column 14:\n {2}SELECT \{n\} \+ nope\n {15}\^/);
  });

  test("a dotted placeholder binds an attribute (a control's value) as a parameter, never spliced", async () => {
    const { id, kernel } = await notebook(
      "import rn\nmax_price = rn.ui.slider(0, 1000, step=50, value=300)\nwho = rn.ui.text(value=\"x' OR '1'='1\")",
    );
    const cheap = table(
      await run(id, kernel, "SELECT count(*) AS n FROM products WHERE price < {max_price.value}"),
    );
    const all = table(await run(id, kernel, "SELECT count(*) AS n FROM products"));
    assert.ok((cheap.rows[0]?.[0] as number) < (all.rows[0]?.[0] as number));
    const injected = table(
      await run(id, kernel, "SELECT {who.value} AS v, count(*) AS n FROM customers WHERE name = {who.value}"),
    );
    assert.deepEqual(
      injected.rows,
      [["x' OR '1'='1", 0]],
      "the text is one parameter: no customer has that name",
    );
    const missing = await run(id, kernel, "SELECT {max_price.nope}");
    assert.equal(missing.error?.name, "TypeError");
    assert.match(missing.error?.message ?? "", /\{max_price\.nope\} could not be read: AttributeError/);
    const undefinedRoot = await run(id, kernel, "SELECT {no_such.value}");
    assert.match(undefinedRoot.error?.message ?? "", /'no_such' is not defined.*\{no_such\.value\}/);
  });

  test("a placeholder no cell defined is a clear NameError", async () => {
    const { id, kernel } = await notebook();
    const result = await run(id, kernel, "SELECT * FROM products WHERE price > {limit_price}");
    assert.equal(result.status, "error");
    assert.equal(result.error?.name, "NameError");
    assert.match(result.error?.message ?? "", /'limit_price' is not defined.*\{limit_price\}/);
  });

  test("a Python value that cannot be a parameter is a TypeError naming it", async () => {
    const { id, kernel } = await notebook("opts = {'a': 1}");
    const result = await run(id, kernel, "SELECT {opts}");
    assert.equal(result.error?.name, "TypeError");
    assert.match(result.error?.message ?? "", /\{opts\} is a dict/);
  });

  test("injection: hostile strings are values, never SQL — they match nothing and change nothing", async () => {
    const { id, kernel } = await notebook(
      `evil = "'; DROP TABLE customers; --"\nalso_evil = "1 OR 1=1"\nname_evil = "x' OR '1'='1"`,
    );
    for (const name of ["evil", "also_evil", "name_evil"]) {
      const result = await run(id, kernel, `SELECT * FROM customers WHERE name = {${name}}`);
      assert.equal(table(result).rowCount, 0, name);
    }
    const numeric = await run(id, kernel, "SELECT * FROM customers WHERE id::text = {also_evil}");
    assert.equal(table(numeric).rowCount, 0);
    assert.deepEqual(table(await run(id, kernel, "SELECT count(*) FROM customers")).rows, [[500]]);
  });

  test("a statement over the time limit is stopped; the next cell gets a fresh sample database", async () => {
    const { id, kernel } = await notebook();
    const result = await run(id, kernel, SPIN, null, short);
    assert.equal(result.status, "error");
    assert.equal(result.error?.name, "TimeoutError");
    assert.match(result.error?.message ?? "", /longer than 3000 ms/);
    assert.deepEqual(table(await run(id, kernel, "SELECT count(*) FROM products", null, short)).rows, [[24]]);
  });

  test("an interrupt stops a running statement", async () => {
    const { id, kernel } = await notebook();
    const controller = new AbortController();
    const pending = sql.engine.runCell({
      notebookId: id,
      userId: "alice",
      code: SPIN,
      name: null,
      kernel: async () => kernel,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 300);
    const result = await pending;
    assert.equal(result.error?.name, "KeyboardInterrupt");
    assert.deepEqual(table(await run(id, kernel, "SELECT 1 AS one")).rows, [[1]]);
  });
});

describe("a notebook's own PostgreSQL", () => {
  let db: Exclude<Awaited<ReturnType<typeof scratchDatabase>>, string> | null = null;
  let skipReason = "";
  before(async () => {
    const scratch = await scratchDatabase();
    if (typeof scratch === "string") {
      skipReason = scratch;
      process.stdout.write(`# skipping PostgreSQL SQL tests: ${scratch}\n`);
      return;
    }
    db = scratch;
    await db.admin(
      `CREATE TABLE readings (id serial PRIMARY KEY, v integer NOT NULL, label text NOT NULL, taken date NOT NULL DEFAULT '2025-01-01');
       INSERT INTO readings (v, label) SELECT g, 'r' || g FROM generate_series(1, 2500) g;
       ALTER TABLE readings OWNER TO ${new URL(db.url).username};`,
    );
  });
  after(async () => {
    await db?.drop();
  });

  async function connected(python = "") {
    const nb = await notebook(python);
    assert.ok(db);
    sql.connect(nb.id, db.url);
    return nb;
  }

  test("select with placeholders, row cap and exact rowCount", async (t) => {
    if (!db) return t.skip(skipReason);
    const { id, kernel } = await connected("low = 10");
    const shown = table(
      await run(id, kernel, "SELECT id, v, label, taken FROM readings WHERE v > {low} ORDER BY v", "rs"),
    );
    assert.equal(shown.rowCount, 2490);
    assert.equal(shown.rows.length, 1000);
    assert.equal(shown.truncated, true);
    assert.deepEqual(shown.rows[0], [11, 11, "r11", "2025-01-01"]);
    assert.deepEqual(
      shown.columns.map((c) => c.type),
      ["int4", "int4", "text", "date"],
    );
    assert.equal(await python(kernel, "len(rs), rs[0]['label'], rs[0]['taken'].year"), "(2490, 'r11', 2025)");
  });

  test("writes persist in the notebook's database; the last statement's result is shown", async (t) => {
    if (!db) return t.skip(skipReason);
    const { id, kernel } = await connected("label = 'new'");
    const result = await run(
      id,
      kernel,
      "INSERT INTO readings (v, label) VALUES (-1, {label});\nSELECT count(*) AS n FROM readings WHERE v < 0",
    );
    assert.deepEqual(table(result).rows, [[1]]);
    const insert = await run(id, kernel, "INSERT INTO readings (v, label) VALUES (-2, 'x'), (-3, 'y')");
    assert.deepEqual(insert.outputs, [{ mimeType: "text/plain", data: "INSERT: 2 rows affected." }]);
    assert.deepEqual((await db.admin("SELECT count(*)::int AS n FROM readings WHERE v < 0")).rows, [
      { n: 3 },
    ]);
    await db.admin("DELETE FROM readings WHERE v < 0");
  });

  test("errors carry PostgreSQL's message and position", async (t) => {
    if (!db) return t.skip(skipReason);
    const { id, kernel } = await connected();
    const result = await run(id, kernel, "SELECT v FROM readings WHERE v > 'abc'");
    assert.equal(result.error?.name, "PostgresError");
    assert.match(
      result.error?.message ?? "",
      /invalid input syntax for type integer: "abc" \(SQLSTATE 22P02\)/,
    );
    assert.match(result.error?.traceback ?? "", /line 1, column 34:/);
  });

  test("statement_timeout stops a long statement", async (t) => {
    if (!db) return t.skip(skipReason);
    const { id, kernel } = await connected();
    short.connect(id, db.url);
    const result = await run(id, kernel, "SELECT pg_sleep(30)", null, short);
    assert.equal(result.error?.name, "TimeoutError");
    assert.match(result.error?.message ?? "", /longer than 3000 ms/);
  });

  test("an interrupt cancels the statement on the server", async (t) => {
    if (!db) return t.skip(skipReason);
    const { id, kernel } = await connected();
    const controller = new AbortController();
    const scratch = db;
    const sleeping = async () =>
      (
        await scratch.admin(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)' AND state = 'active'",
        )
      ).rows[0]?.n as number;
    const pending = sql.engine.runCell({
      notebookId: id,
      userId: "alice",
      code: "SELECT pg_sleep(30)",
      name: null,
      kernel: async () => kernel,
      signal: controller.signal,
    });
    while ((await sleeping()) === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    const result = await pending;
    assert.equal(result.error?.name, "KeyboardInterrupt", JSON.stringify(result.error));
    // Cancelled, not merely abandoned: a backend whose client just left would sleep on for 30 s.
    for (let i = 0; (await sleeping()) > 0; i++) {
      assert.ok(i < 500, "the statement still runs on the server");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });

  test("injection attempts leave the data intact and match nothing", async (t) => {
    if (!db) return t.skip(skipReason);
    const { id, kernel } = await connected(`evil = "'; DROP TABLE readings; --"\nor_true = "1 OR 1=1"`);
    assert.equal(table(await run(id, kernel, "SELECT * FROM readings WHERE label = {evil}")).rowCount, 0);
    assert.equal(table(await run(id, kernel, "SELECT * FROM readings WHERE label = {or_true}")).rowCount, 0);
    assert.deepEqual((await db.admin("SELECT count(*)::int AS n FROM readings")).rows, [{ n: 2500 }]);
  });

  test("connection failures are cell errors that never show the password", async (t) => {
    if (!db) return t.skip(skipReason);
    const nb = await notebook();
    const secret = encodeURIComponent(db.password);
    const cases: [string, RegExp][] = [
      [db.url.replace(/\/[^/]+$/, "/no_such_database"), /database "no_such_database" does not exist/],
      [db.url.replace(":5432/", ":1/"), /^The database server at 127\.0\.0\.1:1 refused the connection\.$/],
      [db.url.replace("@127.0.0.1:", `@${db.password}.invalid:`), /could not be resolved/],
    ];
    for (const [url, message] of cases) {
      assert.ok(url.includes(secret));
      sql.connect(nb.id, url);
      const result = await run(nb.id, nb.kernel, "SELECT 1");
      assert.equal(result.status, "error", url);
      assert.match(result.error?.message ?? "", message);
      assert.doesNotMatch(JSON.stringify(result), new RegExp(db.password.replace(/[-]/g, "\\-")));
    }
  });
});

describe("the host policy at run time", () => {
  const policies: [string, string][] = [
    ["metadata address", "postgres://u:p@169.254.169.254:5432/db"],
    ["private address", "postgres://u:p@10.0.0.1:5432/db"],
    ["loopback name", "postgres://u:p@localhost:5432/db"],
  ];
  const publicOnly = testSqlEngine(kernels, { sqlAllowedHosts: "public" });
  after(() => publicOnly.engine.close());
  for (const [name, url] of policies) {
    test(`under the production policy a ${name} is refused before connecting`, async () => {
      const { id, kernel } = await notebook();
      publicOnly.connect(id, url);
      const result = await publicOnly.engine.runCell({
        notebookId: id,
        userId: "alice",
        code: "SELECT 1",
        name: null,
        kernel: async () => kernel,
      });
      assert.equal(result.error?.name, "DatabaseConnectionError");
      assert.match(result.error?.message ?? "", /only connect to public hosts/);
    });
  }
});
