// Several instances acting as one service: two real server processes on loopback sharing a fresh PostgreSQL
// database and Redis (a key prefix per test file). One kernel state whichever instance runs a cell, events
// on both, no lost creates, takeover after SIGKILL, fencing after a pause, and leases handed over on SIGTERM.
// PostgreSQL and Redis are required under CI=true; elsewhere the suite skips with the reason.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { Cell, Notebook, RunCompleted, ServerEvent } from "@reactive-notebook/protocol";
import { Redis } from "ioredis";
import { clerkEnv, clerkKey, clerkToken, TestSocket } from "./helpers/index.js";
import { type Instance, startInstance } from "./helpers/instances.js";
import { createTestPostgres, type TestPostgres } from "./store-fixtures.js";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

async function redisOrSkip(): Promise<Redis | { skip: string }> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000 });
  redis.on("error", () => {});
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch (error) {
    redis.disconnect();
    const reason = `Redis at ${REDIS_URL} is unavailable: ${(error as Error).message}`;
    if (process.env.CI === "true") throw new Error(reason);
    return { skip: reason };
  }
}

const postgres = await createTestPostgres();
const redis = await redisOrSkip();
const skip = "skip" in postgres ? postgres.skip : "skip" in redis ? redis.skip : false;

describe("two instances, one service", { skip }, () => {
  const prefix = `rn-test-${randomBytes(4).toString("hex")}:`;
  // Shared by every instance of this file: the kernel snapshot is built once.
  const dataDir = mkdtempSync(path.join(tmpdir(), "rn-cluster-"));
  const started: Instance[] = [];
  let env: Record<string, string>;
  let a: Instance;
  let b: Instance;
  const key = clerkKey();

  async function instance(): Promise<Instance> {
    const started_ = await startInstance(env);
    started.push(started_);
    return started_;
  }

  async function call(at: Instance, user: string, method: string, url: string, body?: unknown) {
    const response = await fetch(`${at.url}/api/v1${url}`, {
      method,
      headers: {
        authorization: `Bearer ${await clerkToken(await key, user)}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  }

  async function notebook(at: Instance, user: string, cells: string[]): Promise<Notebook> {
    const created = await call(at, user, "POST", "/notebooks", {
      name: "cluster",
      cells: cells.map((code) => ({ type: "python", code })),
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body as Notebook;
  }

  const runWait = (at: Instance, user: string, notebookId: string, cellId: string) =>
    call(at, user, "POST", `/notebooks/${notebookId}/cells/${cellId}/run?wait=60`);
  const plain = (cell: Cell | undefined) => cell?.outputs.find((o) => o.mimeType === "text/plain")?.data;

  before(async () => {
    if ("skip" in postgres) return;
    env = {
      ...clerkEnv(await key),
      DATABASE_URL: (postgres as TestPostgres).url,
      REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      DATA_DIR: dataDir,
      NOTEBOOK_SECRET_KEY: randomBytes(32).toString("hex"),
      KERNEL_POOL: "1",
    };
    [a, b] = await Promise.all([instance(), instance()]);
  });

  after(async () => {
    for (const running of started) running.kill();
    await Promise.all(started.map((running) => running.exited));
    if (!("skip" in redis)) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
    if (!("skip" in postgres)) await postgres.drop();
  });

  test("a value stored by a cell run through one instance is the same read through the other", async () => {
    const nb = await notebook(a, "user_ann", ["import random\nr = random.random()\nr", "r"]);
    const [writer, reader] = nb.cells.map((cell) => cell.id) as [string, string];
    const first = await runWait(a, "user_ann", nb.id, writer);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const written = plain((first.body as RunCompleted).cells.find((c) => c.id === writer));
    const second = await runWait(b, "user_ann", nb.id, reader);
    assert.equal(second.status, 200, JSON.stringify(second.body));
    const read = plain((second.body as RunCompleted).cells.find((c) => c.id === reader));
    assert.equal(typeof written, "string");
    assert.equal(read, written, "one kernel: the reader ran where the writer ran");
    // And the second run did not rerun the writer in another kernel.
    assert.deepEqual(
      (second.body as RunCompleted).cells.map((c) => c.id),
      [reader],
    );
  });

  test("a control set through the other instance is forwarded to the kernel's: readers re-run there", async () => {
    const nb = await notebook(a, "user_cy", [
      "import rn\nimport os\npid = os.getpid()\nn = rn.ui.slider(1, 10)",
      "(n.value * 2, pid)",
    ]);
    const [defining, reader] = nb.cells.map((cell) => cell.id) as [string, string];
    const first = await runWait(a, "user_cy", nb.id, defining);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const set = await call(b, "user_cy", "PUT", `/notebooks/${nb.id}/cells/${defining}/controls/0?wait=60`, {
      value: 4,
    });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    const cells = (set.body as RunCompleted).cells;
    assert.deepEqual(
      cells.map((c) => c.id),
      [defining, reader],
      "the live control was set where it lives: its cell did not run again",
    );
    assert.match(String(plain(cells.find((c) => c.id === reader))), /^\(8, \d+\)$/);
    const bad = await call(b, "user_cy", "PUT", `/notebooks/${nb.id}/cells/${defining}/controls/0`, {
      value: 40,
    });
    assert.equal(bad.status, 422, "the owner's refusal crosses back with its status");
    assert.match((bad.body as { error: { message: string } }).error.message, /Control 0 \(slider\)/);
  });

  test("a socket on B sees a run started on A, with every event in order", async () => {
    const nb = await notebook(a, "user_bo", ["x = 1", "y = x + 1\nprint(y)\ny", "z = y * 2\nz"]);
    const token = await clerkToken(await key, "user_bo", { expiresIn: 600 });
    const onA = await TestSocket.open(a.url, nb.id);
    const onB = await TestSocket.open(b.url, nb.id);
    await onA.auth(token);
    await onB.auth(token);
    const started = await call(a, "user_bo", "POST", `/notebooks/${nb.id}/run`);
    assert.equal(started.status, 202);
    const runId = (started.body as { runId: string }).runId;
    const finished = (socket: TestSocket) =>
      socket.until(
        () => socket.events.some((e) => e.type === "run_finished" && e.runId === runId),
        "run_finished",
        60_000,
      );
    await Promise.all([finished(onA), finished(onB)]);
    const trace = (events: ServerEvent[]) =>
      events
        .filter((e) => e.type !== "kernel_status" && e.type !== "pong")
        .map((e) => JSON.stringify({ ...e, ...(e.type === "cell_status" ? { lastRunMs: 0 } : {}) }));
    assert.deepEqual(trace(onB.events), trace(onA.events));
    assert.ok(onB.events.some((e) => e.type === "cell_stdout"));
    onA.terminate();
    onB.terminate();
  });

  test("20 cells created at once through both instances are all kept, each with its own revision", async () => {
    const nb = await notebook(a, "user_cy", []);
    const creates = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(i % 2 ? a : b, "user_cy", "POST", `/notebooks/${nb.id}/cells`, {
          type: "python",
          code: `c${i} = ${i}`,
        }),
      ),
    );
    assert.deepEqual(
      creates.map((c) => c.status),
      Array(20).fill(201),
    );
    const stored = (await call(b, "user_cy", "GET", `/notebooks/${nb.id}`)).body as Notebook;
    assert.deepEqual(
      stored.cells.map((cell) => cell.code).sort(),
      Array.from({ length: 20 }, (_, i) => `c${i} = ${i}`).sort(),
    );
    assert.equal(stored.revision, 20);
  });

  test("SIGTERM hands the owner's leases over at once", async () => {
    const leaving = await instance();
    const nb = await notebook(leaving, "user_di", ["1 + 1"]);
    assert.equal((await runWait(leaving, "user_di", nb.id, nb.cells[0]?.id as string)).status, 200);
    if ("skip" in redis) return;
    assert.ok(await redis.get(`${prefix}lease:${nb.id}`), "the instance that ran it holds its lease");
    leaving.process.kill("SIGTERM");
    assert.equal(await leaving.exited, 0);
    assert.equal(
      await redis.get(`${prefix}lease:${nb.id}`),
      null,
      "given up on the way out, not left to expire",
    );
    const again = await runWait(b, "user_di", nb.id, nb.cells[0]?.id as string);
    assert.equal(again.status, 200, JSON.stringify(again.body));
  });

  test("SIGKILL the owner: the other instance answers 503 with Retry-After, then takes over within 15 s; running cells are stale", async () => {
    const doomed = await instance();
    const nb = await notebook(doomed, "user_ed", ["import time\ntime.sleep(60)", "'after'"]);
    const [slow, quick] = nb.cells.map((cell) => cell.id) as [string, string];
    assert.equal(
      (await call(doomed, "user_ed", "POST", `/notebooks/${nb.id}/cells/${slow}/run`)).status,
      202,
    );
    for (;;) {
      const seen = (await call(b, "user_ed", "GET", `/notebooks/${nb.id}`)).body as Notebook;
      if (seen.cells[0]?.status === "running") break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    doomed.kill();
    const killedAt = Date.now();
    await doomed.exited;
    const refused = await runWait(b, "user_ed", nb.id, quick);
    assert.equal(refused.status, 503, JSON.stringify(refused.body));
    assert.equal((refused.body as { error: { code: string } }).error.code, "kernel_unavailable");
    assert.ok(Number(refused.headers.get("retry-after")) >= 1);
    let ran = refused;
    while (ran.status !== 200) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      ran = await runWait(b, "user_ed", nb.id, quick);
      assert.ok(
        Date.now() - killedAt < 15_000,
        `no takeover 15 s after the kill: ${JSON.stringify(ran.body)}`,
      );
    }
    assert.equal(plain((ran.body as RunCompleted).cells[0]), "'after'");
    const stored = (await call(a, "user_ed", "GET", `/notebooks/${nb.id}`)).body as Notebook;
    assert.equal(stored.cells[0]?.status, "stale", "the cell the dead instance was running");
    const all = await call(b, "user_ed", "POST", `/notebooks/${nb.id}/run?wait=1`);
    assert.ok(all.status === 200 || all.status === 202, "and the notebook runs again");
  });

  test("an owner paused past its lease cannot overwrite what its successor saved", async () => {
    const paused = await instance();
    const code = "import time, random\ntime.sleep(2)\nrandom.random()";
    const nb = await notebook(paused, "user_fi", [code]);
    const cellId = nb.cells[0]?.id as string;
    assert.equal(
      (await call(paused, "user_fi", "POST", `/notebooks/${nb.id}/cells/${cellId}/run`)).status,
      202,
    );
    for (;;) {
      const seen = (await call(b, "user_fi", "GET", `/notebooks/${nb.id}`)).body as Notebook;
      if (seen.cells[0]?.status === "running") break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    paused.process.kill("SIGSTOP");
    try {
      // Its kernel finishes meanwhile; the answer waits in the paused server's pipe.
      let taken = await runWait(b, "user_fi", nb.id, cellId);
      while (taken.status !== 200) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        taken = await runWait(b, "user_fi", nb.id, cellId);
      }
      const successor = plain((taken.body as RunCompleted).cells[0]);
      paused.process.kill("SIGCONT");
      // Give the woken owner time to try to save (and publish) its old result.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      const stored = (await call(b, "user_fi", "GET", `/notebooks/${nb.id}`)).body as Notebook;
      assert.equal(plain(stored.cells[0]), successor, "the successor's result stands");
      assert.equal(stored.cells[0]?.status, "success");
    } finally {
      paused.process.kill("SIGCONT");
      paused.kill();
    }
  });
});
