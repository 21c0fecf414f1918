// The sample database's instances over time: one per user (shared by that user's notebooks, never by two
// users), started on a user's first cell with progress reported to the cell, never held up by another
// user's long statement, the least recently used idle one stopped when all are taken, a newcomer waiting
// (and told so) only while every instance is running a cell, idle ones stopped, and an instance over its
// time or memory limit stopped — its process gone — with the next cell on a fresh copy.
import assert from "node:assert/strict";
import { readFileSync, readlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { KernelManager } from "../src/kernel/index.js";
import type { SampleDatabaseOptions, SqlCellResult, SqlProgress } from "../src/sql/index.js";
import { type TestSqlEngine, testSqlEngine } from "./helpers/sql.js";

/** The machine's sandbox layers (the manager starts no kernel here). */
const layers = new KernelManager({
  dataDir: path.join(tmpdir(), "rn-kernel-test-data"),
  pyodideIndexUrl: "http://127.0.0.1:9/",
  cellTimeoutMs: 20_000,
  memoryMb: 512,
  maxKernels: 1,
  idleMs: 600_000,
  poolSize: 0,
}).sandbox;

/** Spins the CPU for hours without spilling to temporary files. */
const SPIN = "SELECT count(*) FROM customers a, customers b, customers c, customers d";

const engines: TestSqlEngine[] = [];
after(() => Promise.all(engines.map((e) => e.engine.close())));

function engine(sample: SampleDatabaseOptions, timeoutMs = 8_000): TestSqlEngine {
  const created = testSqlEngine({ sandbox: layers }, { sql: { timeoutMs }, sample });
  engines.push(created);
  return created;
}

function cell(
  on: TestSqlEngine,
  userId: string,
  code = "SELECT 1 AS one",
  onProgress?: (p: SqlProgress) => void,
  notebookId = `${userId}-notebook`,
): Promise<SqlCellResult> {
  return on.engine.runCell({
    notebookId,
    userId,
    code,
    name: null,
    kernel: async () => assert.fail("no Python here"),
    onProgress,
  });
}

const pidOf = (on: TestSqlEngine, user: string) =>
  on.sample.instances().find((i) => i.user === user)?.pid ?? null;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, what: string, limitMs = 60_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("sample database instances", () => {
  test("a user's first cell is told the database is starting, then that it is ready; the next cell is told nothing", async () => {
    const on = engine({ instances: 2 });
    const first: SqlProgress[] = [];
    assert.equal((await cell(on, "alice", undefined, (p) => first.push(p))).status, "success");
    assert.ok(first.length >= 2, JSON.stringify(first));
    assert.match(first[0]?.message ?? "", /Preparing the sample database|Starting the sample database/);
    assert.ok(first.slice(0, -1).every((p) => p.kind === "database" && !p.done));
    assert.deepEqual(first.at(-1), {
      kind: "database",
      message: "The sample database is ready.",
      fraction: 1,
      done: true,
    });
    const second: SqlProgress[] = [];
    assert.equal((await cell(on, "alice", undefined, (p) => second.push(p))).status, "success");
    assert.deepEqual(second, []);
  });

  test("a user's notebooks share that user's instance; two users never share one", async () => {
    const on = engine({ instances: 3 });
    await cell(on, "alice", undefined, undefined, "alice-1");
    await cell(on, "alice", undefined, undefined, "alice-2");
    await cell(on, "bob");
    const instances = on.sample.instances();
    assert.deepEqual(instances.map((i) => i.user).sort(), ["alice", "bob"]);
    assert.notEqual(pidOf(on, "alice"), pidOf(on, "bob"));
  });

  test("one user's long statement does not hold up another user; it is stopped at the time limit, its process gone", async () => {
    const on = engine({ instances: 2 }, 6_000);
    await Promise.all([cell(on, "mallory"), cell(on, "alice")]);
    const malloryPid = pidOf(on, "mallory");
    assert.ok(malloryPid);
    let spinning = true;
    const spin = cell(on, "mallory", SPIN).finally(() => {
      spinning = false;
    });
    await until(
      () => on.sample.instances().find((i) => i.user === "mallory")?.pending === 1,
      "the spin to start",
    );
    const answered = await cell(on, "alice", "SELECT count(*) FROM products");
    assert.equal(answered.status, "success");
    assert.equal(spinning, true, "alice's cell waited for mallory's");
    const stopped = await spin;
    assert.equal(stopped.error?.name, "TimeoutError");
    await until(() => !alive(malloryPid), "the spinning process to be gone");
    assert.equal((await cell(on, "mallory")).status, "success");
    assert.notEqual(pidOf(on, "mallory"), malloryPid);
  });

  test("when every instance is taken, the least recently used idle one is stopped for a new user", async () => {
    const on = engine({ instances: 2 });
    await cell(on, "a");
    await cell(on, "b");
    const [a, b] = [pidOf(on, "a"), pidOf(on, "b")];
    assert.ok(a && b);
    await cell(on, "c");
    assert.deepEqual(
      on.sample
        .instances()
        .map((i) => i.user)
        .sort(),
      ["b", "c"],
    );
    assert.equal(pidOf(on, "b"), b);
    await until(() => !alive(a), "a's process to be gone");
  });

  test("when every instance is running a cell, a new user waits — and is told so — then runs", async () => {
    const on = engine({ instances: 1 }, 3_000);
    await cell(on, "mallory");
    let spinning = true;
    const spin = cell(on, "mallory", SPIN).finally(() => {
      spinning = false;
    });
    await until(() => on.sample.instances()[0]?.pending === 1, "the spin to start");
    const progress: SqlProgress[] = [];
    const waited = await cell(on, "bob", "SELECT 1", (p) => progress.push(p));
    assert.equal(waited.status, "success", JSON.stringify(waited.error));
    assert.equal(spinning, false, "bob ran only after mallory's cell was stopped");
    assert.equal((await spin).error?.name, "TimeoutError");
    assert.match(
      progress[0]?.message ?? "",
      /Waiting for a free sample database \(all 1 are running other users' cells\)/,
    );
    assert.equal(progress.at(-1)?.done, true);
  });

  test("an instance idle for SQL_SAMPLE_IDLE_MS is stopped", async () => {
    const on = engine({ instances: 1, idleMs: 1_000 });
    await cell(on, "alice");
    const pid = pidOf(on, "alice");
    assert.ok(pid);
    await until(() => on.sample.instances().length === 0, "the idle instance to be stopped");
    await until(() => !alive(pid), "its process to be gone");
  });

  test("a statement past the memory limit stops its instance; the next cell gets a fresh one", async () => {
    const on = engine({ instances: 1, memoryMb: 600 }, 30_000);
    await cell(on, "alice");
    const pid = pidOf(on, "alice");
    const greedy = await cell(on, "alice", "SELECT length(repeat('x', 300000000))");
    assert.equal(greedy.error?.name, "MemoryError", JSON.stringify(greedy.error));
    assert.match(greedy.error?.message ?? "", /more than 600 MB of memory/);
    assert.equal((await cell(on, "alice")).status, "success");
    assert.notEqual(pidOf(on, "alice"), pid);
  });

  test("an instance runs as nobody, in a network namespace of its own, where the machine allows", async (t) => {
    if (!layers.unprivilegedUser || !layers.networkNamespace)
      return t.skip("needs Linux, root, unshare and setpriv");
    const on = engine({ instances: 1 });
    await cell(on, "alice");
    const pid = pidOf(on, "alice");
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    assert.match(status, /^Uid:\s+65534\s+65534\s+65534\s+65534$/m);
    assert.notEqual(readlinkSync(`/proc/${pid}/ns/net`), readlinkSync("/proc/self/ns/net"));
    const environment = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").filter(Boolean);
    assert.deepEqual(
      environment.filter((entry) => !entry.startsWith("NODE_CHANNEL_")),
      [],
      "nothing but Node's IPC channel in its environment",
    );
  });
});
