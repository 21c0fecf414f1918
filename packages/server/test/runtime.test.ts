// Specification of reactive runs through a real sandboxed kernel: editing x re-runs the cells that read x,
// errors block their readers, and every status, output and error is published and saved.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { analyzeCell, type SessionCell } from "../src/notebooks/index.js";
import type { CellStatus, CellType } from "../src/reactive/index.js";
import { sessionHarness } from "./helpers/session-store.js";

const harness = sessionHarness({ cellTimeoutMs: 10_000 });
const { kernels, store, events, sessions } = harness;
const analyze = (cell: { type: CellType; code: string; name?: string | null }) =>
  analyzeCell(cell, (code) => kernels.analyze(code, "alice"));

before(() => kernels.start());
after(() => harness.close());

let counter = 0;
/** A cell: python code, or `{ type: "sql", code, name }`. */
type CellSpec = string | { type: CellType; code: string; name?: string | null };

async function notebook(specs: CellSpec[]): Promise<{ id: string; cells: SessionCell[] }> {
  const id = `nb-${++counter}`;
  const cells: SessionCell[] = [];
  for (const [i, spec] of specs.entries()) {
    const {
      type,
      code,
      name = null,
    } = typeof spec === "string" ? { type: "python" as const, code: spec } : spec;
    const analysis = await analyze({ type, code, name });
    cells.push({
      id: `${id}-c${i}`,
      type,
      code,
      name,
      status: analysis.error ? "error" : "idle",
      reads: analysis.reads,
      writes: analysis.writes,
      analysisError: analysis.error,
    });
  }
  store.notebooks.set(id, { id, ownerId: "alice", revision: 1, cells });
  return { id, cells };
}

async function session(notebookId: string) {
  const open = await sessions.session(notebookId);
  assert.ok(open, `no session for ${notebookId}`);
  return open;
}

const runtime = {
  runCell: async (notebookId: string, cellId: string) =>
    (await session(notebookId)).scheduler.runCell(cellId),
  runAll: async (notebookId: string) => (await session(notebookId)).scheduler.runAll(),
  restartKernel: async (notebookId: string) => (await session(notebookId)).restartKernel(),
  idle: (notebookId: string) => sessions.idle(notebookId),
  session,
};

async function edit(notebookId: string, cell: SessionCell, code: string): Promise<void> {
  const analysis = await analyze({ type: cell.type, code });
  Object.assign(cell, {
    code,
    reads: analysis.reads,
    writes: analysis.writes,
    analysisError: analysis.error,
  });
  const { reads, writes, analysisError } = cell;
  (await session(notebookId)).scheduler.editCell(cell.id, { code, reads, writes, analysisError });
}

function shown(cellId: string): unknown {
  const output = store.results.get(cellId)?.outputs?.find((o) => o.mimeType === "text/plain");
  return output?.data;
}

function status(cellId: string): CellStatus | undefined {
  return store.results.get(cellId)?.status;
}

describe("reactive runs in a real kernel", () => {
  test("x → y → z: running x computes z = 30; editing x to 20 re-runs y and z", async () => {
    const { id, cells } = await notebook(["x = 10", "y = x + 5\ny", "z = y * 2\nz"]);
    const [x, y, z] = cells as [SessionCell, SessionCell, SessionCell];
    await runtime.runCell(id, x.id);
    await runtime.idle(id);
    assert.equal(shown(y.id), "15");
    assert.equal(shown(z.id), "30");
    assert.deepEqual([status(x.id), status(y.id), status(z.id)], ["success", "success", "success"]);

    await edit(id, x, "x = 20");
    await runtime.idle(id);
    assert.equal(status(y.id), "stale");
    await runtime.runCell(id, x.id);
    await runtime.idle(id);
    assert.equal(shown(y.id), "25");
    assert.equal(shown(z.id), "50");
    const executions = [x, y, z].map((cell) => store.results.get(cell.id)?.executionCount ?? 0);
    assert.ok(
      executions[0]! < executions[1]! && executions[1]! < executions[2]!,
      `execution order ${executions}`,
    );
    // The settling cell_status carries what was saved, so clients need not refetch for the count and time.
    const settled = events.findLast(
      (e) => e.type === "cell_status" && e.cellId === z.id && e.status === "success",
    );
    assert.ok(settled?.type === "cell_status");
    assert.equal(settled.executionCount, executions[2]);
    assert.equal(settled.lastRunMs, store.results.get(z.id)?.lastRunMs);
    assert.equal(typeof settled.lastRunMs, "number");
  });

  test("an error in y blocks z; fixing y unblocks it", async () => {
    const { id, cells } = await notebook(["x = 1", "y = x / 0", "z = y + 1\nz"]);
    const [, y, z] = cells as [SessionCell, SessionCell, SessionCell];
    await runtime.runAll(id);
    await runtime.idle(id);
    assert.equal(status(y.id), "error");
    assert.equal(store.results.get(y.id)?.error?.name, "ZeroDivisionError");
    assert.equal(status(z.id), "blocked");
    const blocked = events.find(
      (e) => e.type === "cell_status" && e.cellId === z.id && e.status === "blocked",
    );
    assert.equal(blocked && "blockedBy" in blocked ? blocked.blockedBy : undefined, y.id);

    await edit(id, y, "y = x * 3");
    await runtime.runCell(id, y.id);
    await runtime.idle(id);
    assert.equal(status(y.id), "success");
    assert.equal(shown(z.id), "4");
  });

  test("stdout streams as cell_stdout events and is saved with the cell", async () => {
    const { id, cells } = await notebook([
      "import time\nfor i in range(3):\n    print('tick', i)\n    time.sleep(0.15)",
    ]);
    await runtime.runCell(id, cells[0]!.id);
    await runtime.idle(id);
    const chunks = events.filter((e) => e.type === "cell_stdout" && e.cellId === cells[0]!.id);
    assert.ok(chunks.length >= 2, `expected several chunks, got ${chunks.length}`);
    assert.equal(store.results.get(cells[0]!.id)?.stdout, "tick 0\ntick 1\ntick 2\n");
    assert.ok(events.every((e) => e.notebookId !== id || (e.revision ?? 0) >= 1));
  });

  test("two cells defining the same name are both errors until fixed", async () => {
    const { id, cells } = await notebook(["a = 1", "a = 2", "b = a"]);
    const [first, second, reader] = cells as [SessionCell, SessionCell, SessionCell];
    await runtime.session(id);
    await runtime.runAll(id);
    await runtime.idle(id);
    assert.equal(status(first.id), "error");
    assert.equal(status(second.id), "error");
    assert.match(store.results.get(first.id)?.error?.message ?? "", /a/);
    assert.equal(status(reader.id), "blocked");
    await edit(id, second, "c = 2");
    await runtime.runAll(id);
    await runtime.idle(id);
    assert.deepEqual(
      [status(first.id), status(second.id), status(reader.id)],
      ["success", "success", "success"],
    );
  });

  test("a kernel restart makes every cell stale and kernel_status events are published", async () => {
    const { id, cells } = await notebook(["q = 5", "q * 2"]);
    await runtime.runAll(id);
    await runtime.idle(id);
    assert.equal(shown(cells[1]!.id), "10");
    await runtime.restartKernel(id);
    await runtime.idle(id);
    assert.deepEqual(
      cells.map((cell) => status(cell.id)),
      ["stale", "stale"],
    );
    const kernelStatuses = events
      .filter((e) => e.type === "kernel_status" && e.notebookId === id)
      .map((e) => (e as { status: string }).status);
    assert.ok(kernelStatuses.includes("ready"), kernelStatuses.join(","));
    await runtime.runCell(id, cells[1]!.id);
    await runtime.idle(id);
    assert.equal(shown(cells[1]!.id), "10", "the stale ancestor ran first in the new kernel");
  });

  test("SQL: changing threshold re-runs the SQL cell that reads it, then the Python cell that reads its result", async () => {
    const { id, cells } = await notebook([
      "threshold = 300",
      {
        type: "sql",
        code: "SELECT name, price FROM products WHERE price > {threshold} ORDER BY price",
        name: "df",
      },
      "len(df)",
    ]);
    const [threshold, query, count] = cells as [SessionCell, SessionCell, SessionCell];
    assert.deepEqual([query.reads, query.writes, count.reads], [["threshold"], ["df"], ["df"]]);
    await runtime.runCell(id, threshold.id);
    await runtime.idle(id);
    assert.deepEqual(
      [status(threshold.id), status(query.id), status(count.id)],
      ["success", "success", "success"],
    );
    assert.equal(shown(count.id), "4");
    const table = store.results.get(query.id)?.outputs?.[0] as {
      mimeType: string;
      data: { rowCount: number };
    };
    assert.equal(table.mimeType, "application/vnd.reactive-notebook.table+json");
    assert.equal(table.data.rowCount, 4);

    await edit(id, threshold, "threshold = 500");
    await runtime.runCell(id, threshold.id);
    await runtime.idle(id);
    assert.equal(shown(count.id), "2");
    const order = [threshold, query, count].map((cell) => store.results.get(cell.id)?.executionCount ?? 0);
    assert.ok(order[0]! < order[1]! && order[1]! < order[2]!, `execution order ${order}`);
  });

  test("SQL: an SQL error blocks the Python cells that read its result", async () => {
    const { id, cells } = await notebook([
      { type: "sql", code: "SELECT nope FROM products", name: "broken" },
      "len(broken)",
    ]);
    await runtime.runAll(id);
    await runtime.idle(id);
    assert.equal(status(cells[0]!.id), "error");
    assert.equal(store.results.get(cells[0]!.id)?.error?.name, "PostgresError");
    assert.equal(status(cells[1]!.id), "blocked");
  });
});
