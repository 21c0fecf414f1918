// Specification of batched runs: the python cells a run will execute back to back reach the kernel in one
// message, and everything a client sees (statuses, streams, outputs, execution order) is what running them
// one by one shows; an edit, a new run or an interrupt arriving mid-batch stops the cells not started yet;
// and a kernel that answers a batch out of order, twice or for cells it was not sent is refused.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ServerEvent } from "@reactive-notebook/protocol";
import type { Kernel } from "../src/kernel/index.js";
import { BatchOrder, KernelMessageError } from "../src/kernel/kernel-input.js";
import { analyzeCell, type SessionCell } from "../src/notebooks/index.js";
import type { CellStatus } from "../src/reactive/index.js";
import { sessionHarness } from "./helpers/session-store.js";

const listeners = new Set<(event: ServerEvent) => void>();
const harness = sessionHarness({
  cellTimeoutMs: 20_000,
  onEvent: (event) => {
    for (const listener of listeners) listener(event);
  },
});
const { kernels, store, events, sessions } = harness;

before(() => kernels.start());
after(() => harness.close());

let counter = 0;
async function notebook(codes: string[]): Promise<{ id: string; cells: SessionCell[] }> {
  const id = `batch-${++counter}`;
  const cells: SessionCell[] = [];
  for (const [i, code] of codes.entries()) {
    const analysis = await analyzeCell({ type: "python", code }, (c) => kernels.analyze(c, "alice"));
    cells.push({
      id: `${id}-c${i}`,
      type: "python",
      code,
      name: null,
      status: "idle",
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

/** Counts the kernel's batches and lone executions of the notebook. */
async function countCalls(notebookId: string): Promise<{ batches: number[]; alone: number }> {
  const kernel = (await (await session(notebookId)).kernel()) as Kernel;
  const counts = { batches: [] as number[], alone: 0 };
  const batch = kernel.executeBatch.bind(kernel);
  const execute = kernel.execute.bind(kernel);
  kernel.executeBatch = (cells) => {
    counts.batches.push(cells.length);
    return batch(cells);
  };
  kernel.execute = (...args) => {
    counts.alone++;
    return execute(...args);
  };
  return counts;
}

function nextEvent(test: (event: ServerEvent) => boolean): Promise<ServerEvent> {
  return new Promise((resolve) => {
    const listener = (event: ServerEvent) => {
      if (!test(event)) return;
      listeners.delete(listener);
      resolve(event);
    };
    listeners.add(listener);
  });
}

const running = (cellId: string) => (event: ServerEvent) =>
  event.type === "cell_status" && event.cellId === cellId && event.status === "running";

function shown(cellId: string): unknown {
  return store.results.get(cellId)?.outputs?.find((o) => o.mimeType === "text/plain")?.data;
}

function status(cellId: string): CellStatus | undefined {
  return store.results.get(cellId)?.status;
}

/** The cell events of one notebook since `from`, as "cell:status" / "cell:stdout:text" lines. */
function trace(notebookId: string, from: number, cells: SessionCell[]): string[] {
  const name = (cellId: string) => `c${cells.findIndex((cell) => cell.id === cellId)}`;
  return events.slice(from).flatMap((event) => {
    if (!("notebookId" in event) || event.notebookId !== notebookId) return [];
    if (event.type === "cell_status") return [`${name(event.cellId)}:${event.status}`];
    if (event.type === "cell_stdout") return [`${name(event.cellId)}:stdout:${event.text.trim()}`];
    if (event.type === "cell_outputs")
      return [`${name(event.cellId)}:outputs:${event.outputs.map((o) => o.data).join(",")}`];
    return [];
  });
}

/** Long enough for an edit to arrive while it runs; short enough for a test. */
const BUSY = "for _ in range(2_000_000): pass";

describe("batched runs", () => {
  test("a chain goes to the kernel in one message and shows exactly what cell-by-cell runs show", async () => {
    const { id, cells } = await notebook([
      "a = 1\nprint('a')",
      "b = a + 1\nprint('b')\nb",
      "c = b + 1\nprint('c')\nc",
    ]);
    const calls = await countCalls(id);
    const from = events.length;
    (await session(id)).scheduler.runAll();
    await sessions.idle(id);
    assert.deepEqual(calls, { batches: [3], alone: 0 });
    assert.deepEqual(trace(id, from, cells), [
      "c0:queued",
      "c1:queued",
      "c2:queued",
      "c0:running",
      "c0:stdout:a",
      "c0:outputs:",
      "c0:success",
      "c1:running",
      "c1:stdout:b",
      "c1:outputs:2",
      "c1:success",
      "c2:running",
      "c2:stdout:c",
      "c2:outputs:3",
      "c2:success",
    ]);
    const counts = cells.map((cell) => store.results.get(cell.id)?.executionCount ?? 0);
    assert.ok(counts[0]! < counts[1]! && counts[1]! < counts[2]!, `execution order ${counts}`);
    for (const cell of cells) assert.equal(typeof store.results.get(cell.id)?.lastRunMs, "number");
  });

  test("a cell that fails stops the batch: its reader is blocked, an independent cell still runs", async () => {
    const { id, cells } = await notebook(["a = 1", "b = a / 0", "c = b + 1", "d = a + 10\nd"]);
    const [, b, c, d] = cells as [SessionCell, SessionCell, SessionCell, SessionCell];
    (await session(id)).scheduler.runAll();
    await sessions.idle(id);
    assert.equal(status(b.id), "error");
    assert.equal(store.results.get(b.id)?.error?.name, "ZeroDivisionError");
    assert.equal(status(c.id), "blocked");
    assert.equal(status(d.id), "success");
    assert.equal(shown(d.id), "11");
  });

  test("an edit arriving mid-batch: the edited queued cell runs its new code, once", async () => {
    const { id, cells } = await notebook([
      "log = []",
      `log.append('b')\n${BUSY}\nb = 1`,
      "log.append('c-old')\nc = b + 1",
      "d = c\nlog",
    ]);
    const [, b, c, d] = cells as [SessionCell, SessionCell, SessionCell, SessionCell];
    const calls = await countCalls(id);
    const scheduler = (await session(id)).scheduler;
    const bRunning = nextEvent(running(b.id));
    scheduler.runAll();
    await bRunning;
    const code = "log.append('c-new')\nc = b + 1";
    scheduler.editCell(c.id, { code, reads: ["b", "log"], writes: ["c"], analysisError: null });
    await sessions.idle(id);
    // The first batch lost its last two cells; they went again, as a batch of their own, with the new code.
    assert.deepEqual(calls, { batches: [4, 2], alone: 0 });
    assert.equal(status(c.id), "success");
    assert.equal(status(d.id), "success");
    assert.equal(shown(d.id), "['b', 'c-new']");
  });

  test("a new run arriving mid-batch takes over the queued cells; each cell runs once", async () => {
    const { id, cells } = await notebook([
      "log = []",
      `log.append('b')\n${BUSY}\nb = 1`,
      "log.append('c')\nc = b + 1",
      "d = c\nlog",
    ]);
    const [a, b, c, d] = cells as [SessionCell, SessionCell, SessionCell, SessionCell];
    const scheduler = (await session(id)).scheduler;
    const bRunning = nextEvent(running(b.id));
    const first = scheduler.runAll();
    await bRunning;
    const finished = new Map<string, string[]>();
    const done = (runId: string) =>
      nextEvent((event) => event.type === "run_finished" && event.runId === runId).then((event) => {
        if (event.type === "run_finished") finished.set(runId, event.cells);
      });
    const firstDone = done(first);
    const second = scheduler.runCell(c.id);
    await Promise.all([firstDone, done(second)]);
    await sessions.idle(id);
    assert.deepEqual(finished.get(first), [a.id, b.id]);
    assert.deepEqual(finished.get(second), [c.id, d.id]);
    assert.equal(shown(d.id), "['b', 'c']");
  });

  test("an interrupt mid-batch stops the running cell; the batch's later cells never start", async () => {
    const { id, cells } = await notebook([
      "log = []",
      "log.append('b')\nwhile True: pass",
      "log.append('c')",
      "log",
    ]);
    const [, b, c, d] = cells as [SessionCell, SessionCell, SessionCell, SessionCell];
    const calls = await countCalls(id);
    const open = await session(id);
    const bRunning = nextEvent(running(b.id));
    open.scheduler.runAll();
    await bRunning;
    open.scheduler.interrupt();
    await sessions.idle(id);
    assert.deepEqual(calls.batches, [4]);
    assert.equal(status(b.id), "error");
    assert.equal(store.results.get(b.id)?.error?.name, "KeyboardInterrupt");
    assert.equal(status(c.id), "stale");
    assert.equal(status(d.id), "stale");
    open.scheduler.runCell(d.id);
    await sessions.idle(id);
    assert.equal(shown(d.id), "['b']", "the cell after the interrupted one never ran");
  });
});

describe("a kernel's batch, straight", () => {
  test("cancel: the running cell finishes, the cells not started are answered as not run", async () => {
    const kernel = await kernels.kernelFor("batch-straight", "alice");
    const batch = kernel.executeBatch(
      ["log = []", `log.append(1)\n${BUSY}`, "log.append(2)", "log.append(3)"].map((code, i) => ({
        cellId: `s${i}`,
        code,
        onEvent: () => {},
      })),
    );
    await batch.results[0];
    batch.cancel();
    const results = await Promise.all(batch.results);
    assert.equal(results[1]?.status, "success");
    assert.deepEqual([results[2], results[3]], [null, null]);
    const check = await kernel.execute("check", "log", () => {});
    assert.equal(check.outputs[0]?.data, "[1]");
  });

  test("setting a name mid-batch spoils it: the cells not started stop, and none of it may be taken later", async () => {
    const kernel = await kernels.kernelFor("batch-spoiled", "alice");
    const batch = kernel.executeBatch(
      [`${BUSY}\nv = 1`, "v = 2", "v = 3"].map((code, i) => ({ cellId: `p${i}`, code, onEvent: () => {} })),
    );
    assert.equal(batch.spoiled, false);
    await kernel.setVariable("v", 10);
    assert.equal(batch.spoiled, true);
    const results = await Promise.all(batch.results);
    assert.equal(results[0]?.status, "success");
    assert.deepEqual([results[1], results[2]], [null, null]);
    assert.deepEqual((await kernel.getValues(["v"])).values, { v: 10 });
  });
});

describe("a kernel that forges batch answers is refused", () => {
  const refused = (act: () => void, pattern: RegExp) =>
    assert.throws(
      act,
      (error: unknown) => error instanceof KernelMessageError && pattern.test(error.message),
    );

  test("an answer for a cell not in the batch, or out of order", () => {
    const order = new BatchOrder([5, 6, 7]);
    refused(() => order.answer(9, "reply"), /out of order, twice, or not in the batch/);
    const other = new BatchOrder([5, 6, 7]);
    refused(() => other.answer(6, "reply"), /out of order/);
  });

  test("a duplicate answer", () => {
    const order = new BatchOrder([5, 6]);
    order.answer(5, "reply");
    refused(() => order.answer(5, "reply"), /twice/);
  });

  test("a skip the server did not allow, and a cell run after the batch stopped", () => {
    const order = new BatchOrder([5, 6, 7]);
    order.answer(5, "reply");
    refused(() => order.answer(6, "skipped"), /not told to skip/);
    const stopped = new BatchOrder([5, 6, 7]);
    stopped.answer(5, "reply");
    stopped.stop(); // the first cell failed
    refused(() => stopped.answer(6, "reply"), /after it stopped/);
    const skipping = new BatchOrder([5, 6, 7]);
    skipping.answer(5, "reply");
    skipping.cancel();
    skipping.answer(6, "skipped");
    refused(() => skipping.answer(7, "reply"), /after it stopped/);
    const first = new BatchOrder([5, 6]);
    first.cancel();
    refused(() => first.answer(5, "skipped"), /not told to skip/);
  });

  test("outputs for a cell that is not the one running", () => {
    const order = new BatchOrder([5, 6]);
    order.checkOutput(5);
    refused(() => order.checkOutput(6), /not running/);
    order.answer(5, "reply");
    order.checkOutput(6);
    order.answer(6, "reply");
    refused(() => order.checkOutput(6), /not running/);
  });
});
