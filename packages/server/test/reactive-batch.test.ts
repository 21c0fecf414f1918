// Which cells the scheduler offers a runner to send with the one it runs (`upcoming`), and when it tells the
// runner those may no longer run next (`supersede`): through a scripted in-memory runner.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  type CellRunner,
  NotebookScheduler,
  type RunContext,
  type RunResult,
  type SchedulerCell,
} from "../src/reactive/index.js";
import { cell } from "./helpers/cells.js";

/** Records what `upcoming` offered at each run; fails the cells listed in `failing`; counts supersedes. */
class OfferRecorder implements CellRunner {
  readonly offered = new Map<string, string[]>();
  supersedes = 0;
  #held: { id: string; release: () => void; wait: Promise<void> } | null = null;

  constructor(private readonly failing: string[] = []) {}

  hold(id: string): () => void {
    let release!: () => void;
    const wait = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.#held = { id, release, wait };
    return release;
  }

  async run(c: SchedulerCell, ctx: RunContext): Promise<RunResult> {
    this.offered.set(
      c.id,
      (ctx.upcoming?.(10) ?? []).map((next) => next.id),
    );
    if (this.#held?.id === c.id) await this.#held.wait;
    else await new Promise((resolve) => setImmediate(resolve));
    if (this.failing.includes(c.id))
      return { status: "error", outputs: [], error: { name: "ValueError", message: "no" } };
    return { status: "success", outputs: [], error: null };
  }

  async forget(): Promise<void> {}
  async setControl(): Promise<boolean> {
    return true;
  }
  interrupt(): void {}
  supersede(): void {
    this.supersedes++;
  }
}

const sql = (id: string, reads: string[], writes: string[]): SchedulerCell => ({
  id,
  type: "sql",
  code: "select 1",
  name: writes[0] ?? null,
  reads,
  writes,
  analysisError: null,
});

function notebook(cells: SchedulerCell[], failing: string[] = []) {
  const runner = new OfferRecorder(failing);
  const scheduler = new NotebookScheduler({ runner, onEvent: () => {} });
  scheduler.load(cells);
  return { runner, scheduler };
}

const CASES: { name: string; cells: SchedulerCell[]; offered: Record<string, string[]> }[] = [
  {
    name: "a chain: the first cell is offered the rest of it",
    cells: ["a: -> x", "b: x -> y", "c: y -> z"].map(cell),
    offered: { a: ["b", "c"] },
  },
  {
    name: "independent cells run back to back are offered too",
    cells: ["a: -> x", "b: -> y", "c: x, y -> z"].map(cell),
    offered: { a: ["b", "c"] },
  },
  {
    name: "a markdown cell ends the offer; the cells after it are offered to the next python cell",
    cells: [cell("a: -> x"), cell("m: md"), cell("b: x -> y"), cell("c: y -> z")],
    offered: { a: [], b: ["c"] },
  },
  {
    name: "a SQL cell ends the offer (it runs in the server)",
    cells: [cell("a: -> x"), sql("q", ["x"], ["t"]), cell("b: t -> y")],
    offered: { a: [], b: [] },
  },
  {
    name: "a cell in a graph error is never queued, so never offered; the cells around it are",
    cells: ["a: -> x", "s: !SyntaxError", "b: x -> y"].map(cell),
    offered: { a: ["b"] },
  },
];

describe("what the scheduler offers a runner to send along", () => {
  for (const { name, cells, offered } of CASES) {
    test(name, async () => {
      const { runner, scheduler } = notebook(cells);
      scheduler.runAll();
      await scheduler.idle();
      for (const [id, ids] of Object.entries(offered)) assert.deepEqual(runner.offered.get(id), ids, id);
    });
  }

  test("a cell whose parent failed outside the run is not offered (it will be blocked)", async () => {
    const { runner, scheduler } = notebook(["p: -> x", "a: -> y", "b: y -> w", "c: x, w -> z"].map(cell), [
      "p",
    ]);
    scheduler.runAll();
    await scheduler.idle();
    assert.equal(scheduler.status("p"), "error");
    assert.equal(scheduler.status("c"), "blocked");
    scheduler.runCell("a");
    await scheduler.idle();
    assert.deepEqual(runner.offered.get("a"), ["b"]);
  });
});

describe("changes while a cell runs tell the runner its offer may be stale", () => {
  const CHANGES: { name: string; change: (scheduler: NotebookScheduler) => void }[] = [
    { name: "an edit", change: (s) => s.editCell("c", { code: "changed" }) },
    { name: "a new run", change: (s) => s.runCell("c") },
    { name: "an interrupt", change: (s) => s.interrupt() },
    { name: "a delete", change: (s) => s.deleteCell("c") },
    { name: "an inserted cell", change: (s) => s.insertCell(cell("d: -> q"), 0) },
    { name: "a move", change: (s) => s.moveCell("c", 0) },
    { name: "a kernel restart", change: (s) => s.kernelRestarted({ keepQueued: true }) },
  ];
  for (const { name, change } of CHANGES) {
    test(name, async () => {
      const { runner, scheduler } = notebook(["a: -> x", "b: x -> y", "c: y -> z"].map(cell));
      const release = runner.hold("b");
      scheduler.runAll();
      while (scheduler.status("b") !== "running") await new Promise((resolve) => setImmediate(resolve));
      const before = runner.supersedes;
      change(scheduler);
      assert.ok(runner.supersedes > before, `${name} did not supersede`);
      release();
      await scheduler.idle();
    });
  }
});
