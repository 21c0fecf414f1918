// Runs as a client without a socket sees them, through the real service and a real kernel: a GET during a
// run shows its cells queued and running; `?wait=S` answers the run's cells in their final state; analysis
// errors behave the same whatever their name, in the store and in an open notebook; a retried POST with the
// same Idempotency-Key has one effect, on SQLite and on PostgreSQL.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { Cell, Notebook, RunCompleted } from "@reactive-notebook/protocol";
import { TEST_SNAPSHOT_DIR } from "./helpers/snapshots.js";
import { type ApiClient, freshUsers, openApi } from "./notebooks-fixtures.js";
import { createTestPostgres } from "./store-fixtures.js";

const NOTEBOOKS = "/api/v1/notebooks";

let api: ApiClient;
before(async () => {
  api = await openApi();
});
after(() => api?.close());

async function create(user: string, cells: { type?: Cell["type"]; code: string }[]): Promise<Notebook> {
  const response = await api.request(user, "POST", NOTEBOOKS, {
    name: "runs",
    cells: cells.map((cell) => ({ type: cell.type ?? "python", code: cell.code })),
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json() as Notebook;
}

async function get(user: string, notebookId: string): Promise<Notebook> {
  const response = await api.request(user, "GET", `${NOTEBOOKS}/${notebookId}`);
  assert.equal(response.statusCode, 200, response.body);
  return response.json() as Notebook;
}

/** Polls GET until `done(notebook)` holds; every snapshot seen is kept. */
async function watch(user: string, notebookId: string, done: (notebook: Notebook) => boolean) {
  const seen: Notebook[] = [];
  const deadline = Date.now() + 60_000;
  for (;;) {
    const notebook = await get(user, notebookId);
    seen.push(notebook);
    if (done(notebook)) return seen;
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${JSON.stringify(notebook.cells)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("a run seen over REST only", () => {
  test("between the 202 and the end, GET shows the run's cells queued, then running, then settled", async () => {
    const { alice } = freshUsers();
    const notebook = await create(alice, [
      { code: "import time\ntime.sleep(1.5)\nx = 1" },
      { code: "y = x + 1\ny" },
    ]);
    const [slow, reader] = notebook.cells.map((cell) => cell.id) as [string, string];
    const started = await api.request(alice, "POST", `${NOTEBOOKS}/${notebook.id}/run`);
    assert.equal(started.statusCode, 202);
    const seen = await watch(alice, notebook.id, (n) => n.cells.every((cell) => cell.status === "success"));
    const statusesOf = (id: string) => [
      ...new Set(seen.map((n) => n.cells.find((c) => c.id === id)?.status)),
    ];
    assert.ok(statusesOf(slow).includes("running"), `the slow cell was seen ${statusesOf(slow)}`);
    assert.ok(statusesOf(reader).includes("queued"), `its reader was seen ${statusesOf(reader)}`);
    assert.deepEqual(statusesOf(reader).at(-1), "success");
    const final = seen.at(-1) as Notebook;
    assert.deepEqual(final.cells[1]?.outputs, [{ mimeType: "text/plain", data: "2" }]);
  });

  test("?wait=S answers 200 with every cell the run touched, in its final state and run order", async () => {
    const { alice } = freshUsers();
    const notebook = await create(alice, [
      { code: "x = 10" },
      { code: "y = x + 5\ny" },
      { code: "z = y * 2\nz" },
      { code: "unrelated = 1" },
    ]);
    const [x, y, z] = notebook.cells.map((cell) => cell.id) as [string, string, string];
    const ran = await api.request(alice, "POST", `${NOTEBOOKS}/${notebook.id}/cells/${x}/run?wait=60`);
    assert.equal(ran.statusCode, 200, ran.body);
    const body = ran.json() as RunCompleted;
    assert.deepEqual(
      body.cells.map((cell) => [cell.id, cell.status]),
      [
        [x, "success"],
        [y, "success"],
        [z, "success"],
      ],
      "the run's cells, not the unrelated one",
    );
    assert.deepEqual(body.cells[2]?.outputs, [{ mimeType: "text/plain", data: "30" }]);
    assert.equal(typeof body.runId, "string");
    assert.ok(body.ms >= 0);
    // What the run answered is what the notebook now holds.
    const stored = await get(alice, notebook.id);
    assert.deepEqual(stored.cells.slice(0, 3), body.cells);

    const edited = await api.request(alice, "PATCH", `${NOTEBOOKS}/${notebook.id}/cells/${x}`, {
      code: "x = 20",
    });
    assert.equal(edited.statusCode, 200);
    const again = (
      await api.request(alice, "POST", `${NOTEBOOKS}/${notebook.id}/cells/${x}/run?wait=30`)
    ).json() as RunCompleted;
    assert.deepEqual(again.cells[2]?.outputs, [{ mimeType: "text/plain", data: "50" }]);

    const all = await api.request(alice, "POST", `${NOTEBOOKS}/${notebook.id}/run?wait=30`);
    assert.equal(all.statusCode, 200);
    assert.equal((all.json() as RunCompleted).cells.length, 4);
  });

  test("the kernel snapshot is cached in SNAPSHOT_DIR, not in DATA_DIR", () => {
    // The tests above started a kernel of this service, from its snapshot.
    assert.ok(existsSync(path.join(TEST_SNAPSHOT_DIR, "kernel-snapshots")), "cached in SNAPSHOT_DIR");
    assert.ok(!existsSync(path.join(api.dataDir, "kernel-snapshots")), "nothing cached in DATA_DIR");
  });

  test("a run longer than ?wait= answers 202 with its id, and goes on", async () => {
    const { alice } = freshUsers();
    const notebook = await create(alice, [{ code: "import time\ntime.sleep(2)\n'done'" }]);
    const cellId = notebook.cells[0]?.id as string;
    const ran = await api.request(alice, "POST", `${NOTEBOOKS}/${notebook.id}/cells/${cellId}/run?wait=0.2`);
    assert.equal(ran.statusCode, 202, ran.body);
    assert.equal(typeof (ran.json() as { runId: string }).runId, "string");
    const seen = await watch(alice, notebook.id, (n) => n.cells[0]?.status === "success");
    assert.deepEqual(seen.at(-1)?.cells[0]?.outputs, [{ mimeType: "text/plain", data: "'done'" }]);
  });

  for (const wait of ["61", "-1", "abc", "1e3", ""]) {
    test(`?wait=${wait} is a 400 naming /wait, and nothing runs`, async () => {
      const { alice } = freshUsers();
      const notebook = await create(alice, [{ code: "ran = True" }]);
      const response = await api.request(alice, "POST", `${NOTEBOOKS}/${notebook.id}/run?wait=${wait}`);
      assert.equal(response.statusCode, 400, response.body);
      assert.equal(response.json().error.details.field, "/wait");
      assert.equal((await get(alice, notebook.id)).cells[0]?.status, "idle");
    });
  }

  test("a blocked cell names its blocker in GET, after the run and after the notebook is reopened", async () => {
    const { alice } = freshUsers();
    const notebook = await create(alice, [{ code: "x = 1 / 0" }, { code: "y = x" }]);
    const [broken, reader] = notebook.cells.map((cell) => cell.id) as [string, string];
    const ran = (
      await api.request(alice, "POST", `${NOTEBOOKS}/${notebook.id}/run?wait=30`)
    ).json() as RunCompleted;
    assert.deepEqual(
      ran.cells.map((cell) => [cell.status, cell.blockedBy]),
      [
        ["error", null],
        ["blocked", broken],
      ],
    );
    assert.equal((await get(alice, notebook.id)).cells.find((c) => c.id === reader)?.blockedBy, broken);
  });
});

describe("analysis errors are data: every kind behaves the same, stored or open", () => {
  const broken: [string, string][] = [
    ["SyntaxError", "x = ("],
    ["IndentationError", "x = 1\n  y = 2"],
    ["ImportStarError", "from os import *"],
  ];
  for (const [name, code] of broken) {
    test(`a new cell with a ${name} is in error in the store and in the open notebook, and cannot run`, async () => {
      const { alice } = freshUsers();
      const notebook = await create(alice, [{ code: "a = 1" }]);
      // Open the notebook (a run loads it), then add the broken cell to the open notebook.
      await api.request(alice, "POST", `${NOTEBOOKS}/${notebook.id}/run?wait=30`);
      const created = await api.request(alice, "POST", `${NOTEBOOKS}/${notebook.id}/cells`, {
        type: "python",
        code,
      });
      assert.equal(created.statusCode, 201);
      const cell = created.json() as Cell;
      assert.equal(cell.status, "error");
      assert.equal(cell.error?.name, name);
      const ran = (
        await api.request(alice, "POST", `${NOTEBOOKS}/${notebook.id}/cells/${cell.id}/run?wait=30`)
      ).json() as RunCompleted;
      assert.deepEqual(
        ran.cells.map((c) => [c.status, c.error?.name]),
        [],
        "the run does not execute a cell whose source is wrong",
      );
      const stored = (await get(alice, notebook.id)).cells.find((c) => c.id === cell.id);
      assert.equal(stored?.status, "error");
      assert.equal(stored?.error?.name, name);
    });

    test(`fixing a ${name} clears it, in the store and in the open notebook`, async () => {
      const { alice } = freshUsers();
      const notebook = await create(alice, [{ code }, { code: "b = 2" }]);
      const cellId = notebook.cells[0]?.id as string;
      assert.equal(notebook.cells[0]?.error?.name, name);
      await api.request(
        alice,
        "POST",
        `${NOTEBOOKS}/${notebook.id}/cells/${notebook.cells[1]?.id}/run?wait=30`,
      );
      const fixed = (
        await api.request(alice, "PATCH", `${NOTEBOOKS}/${notebook.id}/cells/${cellId}`, { code: "a = 1" })
      ).json() as Cell;
      assert.equal(fixed.error, null);
      assert.notEqual(fixed.status, "error");
      const ran = (
        await api.request(alice, "POST", `${NOTEBOOKS}/${notebook.id}/cells/${cellId}/run?wait=30`)
      ).json() as RunCompleted;
      assert.deepEqual(
        ran.cells.map((c) => [c.status, c.error]),
        [["success", null]],
      );
    });
  }
});

/** The idempotency specification, run against an app on `driver`. */
function idempotencySuite(
  driver: string,
  open: () => Promise<{ api: ApiClient; cleanup: () => Promise<void> }>,
) {
  describe(`Idempotency-Key on ${driver}`, () => {
    let app: ApiClient;
    let cleanup: () => Promise<void>;
    before(async () => {
      ({ api: app, cleanup } = await open());
    });
    after(() => cleanup?.());

    const count = async (user: string) =>
      ((await app.request(user, "GET", NOTEBOOKS)).json() as { notebooks: unknown[] }).notebooks.length;

    test("the same key twice creates one notebook and answers the first response again", async () => {
      const { alice } = freshUsers();
      const key = { "idempotency-key": "create-1" };
      const first = await app.request(alice, "POST", NOTEBOOKS, { name: "once" }, key);
      const second = await app.request(alice, "POST", NOTEBOOKS, { name: "once" }, key);
      assert.equal(first.statusCode, 201);
      assert.equal(second.statusCode, 201);
      assert.deepEqual(second.json(), first.json());
      assert.equal(second.headers["idempotent-replayed"], "true");
      assert.equal(await count(alice), 1);
    });

    test("the same key with another body is 422 idempotency_mismatch, and nothing is created", async () => {
      const { alice } = freshUsers();
      const key = { "idempotency-key": "create-2" };
      await app.request(alice, "POST", NOTEBOOKS, { name: "first" }, key);
      const other = await app.request(alice, "POST", NOTEBOOKS, { name: "second" }, key);
      assert.equal(other.statusCode, 422);
      assert.equal(other.json().error.code, "idempotency_mismatch");
      assert.equal(await count(alice), 1);
    });

    test("keys are per user: another user's same key is a new request", async () => {
      const { alice, bob } = freshUsers();
      const key = { "idempotency-key": "shared-key" };
      await app.request(alice, "POST", NOTEBOOKS, { name: "alice's" }, key);
      const theirs = await app.request(bob, "POST", NOTEBOOKS, { name: "alice's" }, key);
      assert.equal(theirs.statusCode, 201);
      assert.equal(theirs.headers["idempotent-replayed"], undefined);
      assert.equal(await count(bob), 1);
    });

    test("a run retried with its key runs once", async () => {
      const { alice } = freshUsers();
      const notebook = (
        await app.request(alice, "POST", NOTEBOOKS, { cells: [{ type: "markdown", code: "# a" }] })
      ).json() as Notebook;
      const url = `${NOTEBOOKS}/${notebook.id}/run`;
      const first = await app.request(alice, "POST", url, undefined, { "idempotency-key": "run-1" });
      const second = await app.request(alice, "POST", url, undefined, { "idempotency-key": "run-1" });
      assert.equal(first.statusCode, 202);
      assert.deepEqual(second.json(), first.json(), "the same run id: no second run");
    });

    test("a retry that arrives while the first request still runs waits for its answer: one run", async () => {
      const { alice } = freshUsers();
      const notebook = (
        await app.request(alice, "POST", NOTEBOOKS, {
          cells: [{ type: "python", code: "import time\ntime.sleep(1)\n'slow'" }],
        })
      ).json() as Notebook;
      const url = `${NOTEBOOKS}/${notebook.id}/run?wait=30`;
      await app.request(alice, "POST", url); // starts the notebook's kernel, so the race below is about the run
      const key = { "idempotency-key": "slow-run-1" };
      const [first, retry] = await Promise.all([
        app.request(alice, "POST", url, undefined, key),
        new Promise((resolve) => setTimeout(resolve, 200)).then(() =>
          app.request(alice, "POST", url, undefined, key),
        ),
      ]);
      assert.equal(first.statusCode, 200, first.body);
      assert.equal(retry.statusCode, 200, retry.body);
      assert.deepEqual(retry.json(), first.json());
      assert.equal(retry.headers["idempotent-replayed"], "true");
      const stored = (await app.request(alice, "GET", `${NOTEBOOKS}/${notebook.id}`)).json() as Notebook;
      assert.equal(stored.cells[0]?.executionCount, 2, "the cell ran once more, not twice");
    });

    test("a malformed key is a 400 naming the header, before anything happens", async () => {
      const { alice } = freshUsers();
      for (const bad of ["x".repeat(256), "tab\there", "ünïcode"]) {
        const response = await app.request(
          alice,
          "POST",
          NOTEBOOKS,
          { name: "n" },
          { "idempotency-key": bad },
        );
        assert.equal(response.statusCode, 400, bad);
        assert.equal(response.json().error.details.field, "Idempotency-Key");
      }
      assert.equal(await count(alice), 0);
    });

    test("a refused request keeps its answer too: the same key gets the same 404", async () => {
      const { alice } = freshUsers();
      const url = `${NOTEBOOKS}/00000000-0000-4000-8000-000000000000/run`;
      const key = { "idempotency-key": "missing-1" };
      const first = await app.request(alice, "POST", url, undefined, key);
      const second = await app.request(alice, "POST", url, undefined, key);
      assert.equal(first.statusCode, 404);
      assert.equal(second.statusCode, 404);
      assert.equal(second.headers["idempotent-replayed"], "true");
    });
  });
}

idempotencySuite("SQLite", async () => ({ api, cleanup: async () => {} }));
const postgres = await createTestPostgres();
if ("skip" in postgres) {
  test("Idempotency-Key on PostgreSQL", { skip: postgres.skip }, () => {});
} else {
  idempotencySuite("PostgreSQL", async () => {
    const pgApi = await openApi({ DATABASE_URL: postgres.url });
    return {
      api: pgApi,
      cleanup: async () => {
        await pgApi.close();
        await postgres.drop();
      },
    };
  });
}

test("keys survive a restart of the service", async () => {
  const { alice } = freshUsers();
  const first = await openApi();
  const key = { "idempotency-key": "durable-1" };
  const created = await first.request(alice, "POST", NOTEBOOKS, { name: "before restart" }, key);
  await first.app.close();
  const second = await openApi({ DATA_DIR: first.dataDir });
  try {
    const again = await second.request(alice, "POST", NOTEBOOKS, { name: "before restart" }, key);
    assert.equal(again.headers["idempotent-replayed"], "true");
    assert.deepEqual(again.json(), created.json());
  } finally {
    await second.close();
  }
});

describe("after a cell is stopped at its time limit", () => {
  let limited: ApiClient;
  before(async () => {
    limited = await openApi({ KERNEL_CELL_TIMEOUT_MS: "1500" });
  });
  after(() => limited?.close());

  test("a cell queued behind one that ignored the interrupt (its kernel was replaced) still runs", async () => {
    const { alice } = freshUsers();
    const stubborn =
      "while True:\n    try:\n        while True: pass\n    except KeyboardInterrupt:\n        pass";
    const created = await limited.request(alice, "POST", NOTEBOOKS, {
      cells: [
        { type: "python", code: "base = 40" },
        { type: "python", code: stubborn },
        { type: "python", code: "base + 2" },
      ],
    });
    const notebook = created.json() as Notebook;
    const [, loop, after] = notebook.cells.map((cell) => cell.id) as [string, string, string];
    const ran = await limited.request(alice, "POST", `${NOTEBOOKS}/${notebook.id}/run?wait=60`);
    assert.equal(ran.statusCode, 200, ran.body);
    const cells = (ran.json() as RunCompleted).cells;
    const byId = new Map(cells.map((cell) => [cell.id, cell]));
    assert.equal(byId.get(loop)?.error?.name, "TimeoutError");
    assert.equal(byId.get(after)?.status, "success", JSON.stringify(byId.get(after)));
    assert.deepEqual(
      byId.get(after)?.outputs,
      [{ mimeType: "text/plain", data: "42" }],
      "its ancestor ran again",
    );
  });
});
