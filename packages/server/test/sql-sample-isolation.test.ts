// The sample database tried by a hostile user. Each user gets an instance of their own; cells run as a
// role that owns nothing and cannot create, read files or run programs; PostgreSQL's own grammar refuses
// anything but queries and data changes; every cell is rolled back and its session reset. The table below
// is what an attacker tries — comment and quoting tricks, transaction control, roles and settings,
// shadowing functions and operators, files and programs, large objects, locks, cursors — and after each
// attempt the database must look exactly as it did before, to the attacker's next cell and to everyone else.
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { KernelManager } from "../src/kernel/index.js";
import type { SqlCellResult, SqlProgress } from "../src/sql/index.js";
import { testSqlEngine } from "./helpers/sql.js";

const kernels = new KernelManager({
  dataDir: path.join(tmpdir(), "rn-kernel-test-data"),
  pyodideIndexUrl: "http://127.0.0.1:9/",
  cellTimeoutMs: 20_000,
  memoryMb: 512,
  maxKernels: 4,
  idleMs: 600_000,
  poolSize: 0,
});
const sql = testSqlEngine(kernels, { sql: { timeoutMs: 10_000 } });
after(async () => {
  await sql.engine.close();
  await kernels.close();
});

const noKernel = async () => {
  throw new Error("this cell reads no Python variable");
};

function cellAs(
  engine: typeof sql,
  userId: string,
  code: string,
  extra: { signal?: AbortSignal; onProgress?: (p: SqlProgress) => void } = {},
): Promise<SqlCellResult> {
  return engine.engine.runCell({
    notebookId: `${userId}-notebook`,
    userId,
    code,
    name: null,
    kernel: noKernel,
    ...extra,
  });
}

function rows(result: SqlCellResult): unknown[][] {
  assert.equal(result.status, "success", JSON.stringify(result.error));
  return (result.outputs[0]?.data as { rows?: unknown[][] } | undefined)?.rows ?? [];
}

/** Everything a cell could have left behind, as the cell role sees it. */
const FINGERPRINT = `SELECT current_user AS who, session_user AS session, current_setting('search_path') AS path,
  (SELECT count(*) FROM customers) AS customers, (SELECT count(*) FROM products) AS products,
  (SELECT sum(price) FROM products) AS prices, (SELECT count(*) FROM orders) AS orders,
  (SELECT count(*) FROM order_items) AS items, (SELECT count(*) FROM pg_proc) AS functions,
  (SELECT count(*) FROM pg_operator) AS operators, (SELECT count(*) FROM pg_class) AS relations,
  (SELECT count(*) FROM pg_namespace) AS schemas, (SELECT count(*) FROM pg_roles) AS roles,
  (SELECT count(*) FROM pg_roles WHERE rolsuper) AS superusers, (SELECT count(*) FROM pg_auth_members) AS memberships,
  (SELECT count(*) FROM pg_db_role_setting) AS role_settings, (SELECT count(*) FROM pg_largeobject_metadata) AS large_objects,
  (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory') AS advisory_locks, (SELECT count(*) FROM pg_cursors) AS cursors,
  (SELECT count(*) FROM pg_prepared_statements) AS prepared, (SELECT count(*) FROM pg_prepared_xacts) AS prepared_xacts,
  (SELECT count(*) FROM pg_event_trigger) AS event_triggers, (SELECT count(*) FROM pg_trigger) AS triggers,
  (SELECT count(*) FROM pg_rewrite) AS rules, (SELECT count(*) FROM pg_extension) AS extensions,
  (SELECT string_agg(name || '=' || setting, ',' ORDER BY name) FROM pg_settings WHERE source <> 'default') AS settings,
  lower('ABC') AS lowered, 'a' = 'a' AS equals`;

async function fingerprint(userId: string): Promise<unknown[]> {
  return rows(await cellAs(sql, userId, FINGERPRINT))[0] as unknown[];
}

const NOT_HERE = /queries and data changes only/;
const DENIED = /permission denied/;

/** [what the attacker tries, the cell, the error it gets — or null when it runs and must leave nothing] */
const attempts: [string, string, RegExp | null][] = [
  ["COMMIT after a nested comment", "/* /* nested */ */ COMMIT", NOT_HERE],
  ["COMMIT after a line comment", "-- looks harmless\nCOMMIT", NOT_HERE],
  ["COMMIT after a dollar-quoted semicolon", "SELECT $$;$$; COMMIT", NOT_HERE],
  ["END after a tagged dollar quote", "SELECT $tag$ ; $tag$; END", NOT_HERE],
  ["COMMIT hidden in an E'' string (just a string)", "SELECT E'\\'; COMMIT; --'", null],
  ["ABORT after a doubled quote", "SELECT 'it''s'; ABORT", NOT_HERE],
  [
    "ROLLBACK after a comment holding a semicolon",
    "SELECT 1 /* ; */ ; ROLLBACK; DELETE FROM customers",
    NOT_HERE,
  ],
  ["BEGIN", "BEGIN", NOT_HERE],
  ["START TRANSACTION", "START TRANSACTION ISOLATION LEVEL SERIALIZABLE", NOT_HERE],
  ["COMMIT AND CHAIN", "COMMIT AND CHAIN", NOT_HERE],
  ["releasing the server's own savepoint", "RELEASE SAVEPOINT rn_gate", NOT_HERE],
  ["rolling back to the server's own savepoint", "ROLLBACK TO SAVEPOINT rn_gate", NOT_HERE],
  ["a savepoint", "SAVEPOINT mine", NOT_HERE],
  ["PREPARE TRANSACTION", "PREPARE TRANSACTION 'kept'", NOT_HERE],
  ["COMMIT inside DO", "DO $$ BEGIN COMMIT; END $$", NOT_HERE],
  ["SET ROLE inside DO", "DO $$ BEGIN EXECUTE 'SET ROLE postgres'; END $$", NOT_HERE],
  ["CALL", "CALL anything()", NOT_HERE],
  ["SET ROLE to the superuser", "SET ROLE postgres", NOT_HERE],
  ["SET SESSION AUTHORIZATION", "SET SESSION AUTHORIZATION postgres", NOT_HERE],
  ["RESET ROLE", "RESET ROLE", NOT_HERE],
  ["RESET SESSION AUTHORIZATION", "RESET SESSION AUTHORIZATION", NOT_HERE],
  ["RESET ALL", "RESET ALL", NOT_HERE],
  ["DISCARD ALL", "DISCARD ALL", NOT_HERE],
  ["search_path with public first", "SET search_path = public, pg_catalog", NOT_HERE],
  ["set_config of the role", "SELECT set_config('role', 'postgres', false)", DENIED],
  ["set_config of search_path", "SELECT set_config('search_path', 'public, pg_catalog', false)", DENIED],
  ["the role through pg_settings", "UPDATE pg_settings SET setting = 'postgres' WHERE name = 'role'", DENIED],
  ["a setting through pg_settings", "UPDATE pg_settings SET setting = '1GB' WHERE name = 'work_mem'", DENIED],
  [
    "SET ROLE through query_to_xml",
    "SELECT query_to_xml('SET ROLE postgres', true, true, '')",
    /not allowed in a non-volatile function/,
  ],
  ["becoming superuser", "ALTER ROLE notebook SUPERUSER", NOT_HERE],
  ["a per-role search_path", "ALTER ROLE notebook SET search_path = public, pg_catalog", NOT_HERE],
  ["ALTER SYSTEM", "ALTER SYSTEM SET work_mem = '1GB'", NOT_HERE],
  ["granting the program role", "GRANT pg_execute_server_program TO notebook", NOT_HERE],
  [
    "shadowing lower() in public",
    "CREATE FUNCTION public.lower(text) RETURNS text LANGUAGE sql AS $$ SELECT 'pwned' $$",
    NOT_HERE,
  ],
  [
    "shadowing lower() in pg_temp",
    "CREATE FUNCTION pg_temp.lower(text) RETURNS text LANGUAGE sql AS $$ SELECT 'pwned' $$",
    NOT_HERE,
  ],
  [
    "shadowing = for text",
    "CREATE OPERATOR public.= (LEFTARG = text, RIGHTARG = text, FUNCTION = texteq)",
    NOT_HERE,
  ],
  ["a temporary table shadowing customers", "CREATE TEMP TABLE customers AS SELECT 1 AS id", DENIED],
  ["a table named like a catalog", "CREATE TABLE public.pg_class AS SELECT 1 AS x", DENIED],
  ["SELECT INTO a new table", "SELECT * INTO public.stolen FROM customers", DENIED],
  ["a view", "CREATE VIEW public.v AS SELECT 1", NOT_HERE],
  [
    "a trigger",
    "CREATE TRIGGER t BEFORE INSERT ON customers FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()",
    NOT_HERE,
  ],
  ["a rule", "CREATE RULE r AS ON SELECT TO customers DO INSTEAD SELECT 1", NOT_HERE],
  [
    "an event trigger",
    "CREATE EVENT TRIGGER e ON ddl_command_start EXECUTE FUNCTION pg_catalog.now()",
    NOT_HERE,
  ],
  ["an extension", "CREATE EXTENSION dblink", NOT_HERE],
  ["DROP TABLE", "DROP TABLE customers", NOT_HERE],
  ["TRUNCATE", "TRUNCATE customers CASCADE", NOT_HERE],
  ["ALTER TABLE", "ALTER TABLE customers ADD COLUMN secret text", NOT_HERE],
  ["COMMENT ON", "COMMENT ON TABLE customers IS 'owned'", NOT_HERE],
  ["COPY TO PROGRAM", "COPY customers TO PROGRAM 'yes'", NOT_HERE],
  ["COPY FROM a server file", "COPY customers FROM '/etc/passwd'", NOT_HERE],
  ["COPY TO STDOUT", "COPY (SELECT 1) TO STDOUT", NOT_HERE],
  ["pg_read_file", "SELECT pg_read_file('/etc/passwd')", DENIED],
  ["pg_read_binary_file", "SELECT pg_read_binary_file('/etc/passwd')", DENIED],
  ["pg_ls_dir", "SELECT pg_ls_dir('.')", DENIED],
  ["pg_stat_file", "SELECT pg_stat_file('postgresql.conf')", DENIED],
  ["lo_import of a server file", "SELECT lo_import('/etc/passwd')", DENIED],
  ["lo_export to a server file", "SELECT lo_export(lo_from_bytea(0, 'x'), '/tmp/rn-sample-owned')", DENIED],
  ["LOAD a library", "LOAD 'plpgsql'", NOT_HERE],
  ["the WAL directory", "SELECT * FROM pg_ls_waldir()", DENIED],
  ["the server's log file", "SELECT pg_current_logfile()", DENIED],
  ["the server's configuration files", "SELECT * FROM pg_file_settings", DENIED],
  ["the authentication rules", "SELECT * FROM pg_hba_file_rules", DENIED],
  ["resetting statistics", "SELECT pg_stat_reset()", DENIED],
  [
    "an XML external entity naming a server file (left unexpanded)",
    `SELECT xmlparse(document '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>')`,
    null,
  ],
  ["reloading the configuration", "SELECT pg_reload_conf()", DENIED],
  ["terminating its own backend", "SELECT pg_terminate_backend(pg_backend_pid())", DENIED],
  ["VACUUM", "VACUUM", NOT_HERE],
  ["ANALYZE", "ANALYZE customers", NOT_HERE],
  ["CHECKPOINT", "CHECKPOINT", NOT_HERE],
  ["LISTEN", "LISTEN channel", NOT_HERE],
  ["PREPARE", "PREPARE kept AS SELECT 1", NOT_HERE],
  ["EXECUTE of a statement it could not prepare", "EXECUTE kept", /does not exist/],
  ["SHOW", "SHOW ALL", NOT_HERE],
  ["EXPLAIN ANALYZE of a DELETE", "EXPLAIN ANALYZE DELETE FROM customers", NOT_HERE],
  ["a large object", "SELECT lo_from_bytea(0, 'kept?')", null],
  ["a session advisory lock", "SELECT pg_advisory_lock(42)", null],
  ["a cursor WITH HOLD", "DECLARE kept CURSOR WITH HOLD FOR SELECT * FROM customers", null],
  ["an INSERT", "INSERT INTO products VALUES (99, 'Secret gadget', 'Secret', 1.00)", null],
  ["a DELETE", "DELETE FROM order_items", null],
  ["an UPDATE", "UPDATE products SET price = price * 100", null],
  [
    "a DELETE inside WITH",
    "WITH gone AS (DELETE FROM order_items RETURNING *) SELECT count(*) FROM gone",
    null,
  ],
  [
    "a MERGE",
    "MERGE INTO order_items i USING (VALUES (1)) v (id) ON i.order_id = v.id WHEN MATCHED THEN DELETE",
    null,
  ],
  ["a notification", "SELECT pg_notify('channel', 'hello')", null],
];

describe("the sample database against a hostile user", () => {
  let baseline: unknown[] = [];
  let pids: { alice?: number | null; mallory?: number | null } = {};
  before(async () => {
    baseline = await fingerprint("alice");
    await fingerprint("mallory");
    const instances = sql.sample.instances();
    pids = {
      alice: instances.find((i) => i.user === "alice")?.pid,
      mallory: instances.find((i) => i.user === "mallory")?.pid,
    };
  });

  test("the baseline: cells run as the role 'notebook', search_path pinned, the seeded data", () => {
    assert.deepEqual(baseline.slice(0, 8), [
      "notebook",
      "postgres",
      "pg_catalog, public",
      500,
      24,
      baseline[5],
      3000,
      baseline[7],
    ]);
    assert.equal(baseline[13], 1, "one superuser (the session's), not the cell role");
    assert.deepEqual(baseline.slice(-2), ["abc", true]);
  });

  for (const [name, code, refused] of attempts) {
    test(`${name}: ${refused ? "refused" : "runs"}, and nothing of it is left for the next cell or another user`, async () => {
      const result = await cellAs(sql, "mallory", code);
      if (refused) {
        assert.equal(result.status, "error", `ran: ${JSON.stringify(result.outputs).slice(0, 200)}`);
        assert.match(result.error?.message ?? "", refused);
      } else {
        assert.equal(result.status, "success", JSON.stringify(result.error));
      }
      assert.deepEqual(await fingerprint("mallory"), baseline);
    });
  }

  test("after all of it, the other user's instance is untouched, and neither instance had to be replaced", async () => {
    assert.deepEqual(await fingerprint("alice"), baseline);
    const instances = sql.sample.instances();
    assert.equal(instances.find((i) => i.user === "alice")?.pid, pids.alice);
    assert.equal(instances.find((i) => i.user === "mallory")?.pid, pids.mallory);
    assert.notEqual(pids.alice, pids.mallory);
  });
});

describe("values crossing users", () => {
  test("a secret one user passes as a parameter never reaches another user's instance", async () => {
    const secret = `alice-${Date.now().toString(36)}-top-secret`;
    const kernel = await kernels.kernelFor("alice-secrets", "alice");
    const setup = await kernel.execute("setup", `secret = ${JSON.stringify(secret)}`, () => {});
    assert.equal(setup.status, "success", JSON.stringify(setup.error));
    const used = await sql.engine.runCell({
      notebookId: "alice-secrets",
      userId: "alice",
      code: "SELECT lower({secret}) AS s, count(*) AS matches FROM customers WHERE name = {secret}",
      name: null,
      kernel: async () => kernel,
    });
    assert.deepEqual(rows(used), [[secret, 0]]);
    const probes = [
      "SELECT query FROM pg_stat_activity",
      "SELECT * FROM pg_prepared_statements",
      "SELECT * FROM pg_cursors",
      "SELECT lower('X'), count(*) FROM pg_proc WHERE proname = 'lower'",
      "SELECT name, setting FROM pg_settings WHERE source <> 'default'",
      "SELECT pg_read_file('log/postgresql.log')",
    ];
    for (const probe of probes) {
      const seen = await cellAs(sql, "mallory", probe);
      assert.ok(!JSON.stringify(seen).includes(secret), `${probe} showed the secret`);
    }
  });
});
