// The notebook scheduler driven through a scripted in-memory runner: what runs, in which order, with which statuses.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Output } from "@reactive-notebook/protocol";
import {
  type CellRunner,
  type CellStatus,
  NotebookScheduler,
  type RunnerEvent,
  type RunResult,
  type SchedulerCell,
  type SchedulerEvent,
} from "../src/reactive/index.js";
import { cell, text } from "./helpers/cells.js";

/** Edits a cell to a new spec (the code changes too, as a user edit would). */
function edit(scheduler: NotebookScheduler, spec: string): void {
  const { id, code, reads, writes, analysisError } = cell(spec);
  scheduler.editCell(id, { code: `${code} # edited ${Math.random()}`, reads, writes, analysisError });
}

type Script = Partial<RunResult> & {
  throws?: Error;
  stdout?: string[];
  display?: Output[];
  progress?: string[];
};

/**
 * A runner that records every call, fails the test if two cells of its notebook ever execute at once, returns
 * scripted outcomes (default: success with one text output) and can hold a cell until the test releases it.
 */
class ScriptedRunner implements CellRunner {
  readonly calls: string[] = [];
  readonly log: string[] = [];
  readonly scripts = new Map<string, Script>();
  interrupts = 0;
  #executing: string | null = null;
  #holds = new Map<string, { wait: Promise<void>; release: () => void }>();
  #interruptCurrent: (() => void) | null = null;

  constructor(private readonly shared?: { log: string[] }) {}

  /** The next run of `id` waits until `release()` is called (or the cell is interrupted). */
  hold(id: string): () => void {
    let release!: () => void;
    const wait = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.#holds.set(id, { wait, release });
    return release;
  }

  async run(c: SchedulerCell, ctx: { runId: string; emit: (e: RunnerEvent) => void }): Promise<RunResult> {
    assert.equal(this.#executing, null, `${c.id} started while ${this.#executing} was executing`);
    this.#executing = c.id;
    this.calls.push(c.id);
    this.log.push(`run ${c.id}`);
    this.shared?.log.push(`start ${c.id}`);
    try {
      let interrupted = false;
      const hold = this.#holds.get(c.id);
      if (hold) {
        this.#holds.delete(c.id);
        await new Promise<void>((resolve) => {
          this.#interruptCurrent = () => {
            interrupted = true;
            resolve();
          };
          void hold.wait.then(resolve);
        });
      } else {
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (interrupted) {
        return { status: "error", outputs: [], error: { name: "KeyboardInterrupt", message: "interrupted" } };
      }
      const script = this.scripts.get(c.id) ?? {};
      for (const text of script.stdout ?? []) ctx.emit({ type: "stdout", stream: "stdout", text });
      for (const message of script.progress ?? [])
        ctx.emit({ type: "progress", kind: "packages", message, done: message.startsWith("Loaded") });
      for (const output of script.display ?? []) ctx.emit({ type: "display", output });
      if (script.throws) throw script.throws;
      return {
        status: script.status ?? "success",
        outputs: script.outputs ?? [{ mimeType: "text/plain", data: `${c.id} ok` }],
        error: script.error ?? null,
      };
    } finally {
      this.shared?.log.push(`end ${c.id}`);
      this.#executing = null;
      this.#interruptCurrent = null;
    }
  }

  async forget(names: string[]): Promise<void> {
    this.log.push(`forget ${names.join(",")}`);
  }

  /** Cells whose live controls this runner holds (those it ran); a control set elsewhere answers false. */
  async setControl(cellId: string, controlId: string, value: unknown): Promise<boolean> {
    assert.equal(this.#executing, null, `a control was set while ${this.#executing} was executing`);
    this.log.push(`control ${cellId}/${controlId}=${JSON.stringify(value)}`);
    await new Promise((resolve) => setImmediate(resolve));
    return this.calls.includes(cellId);
  }

  interrupt(): void {
    this.interrupts++;
    this.#interruptCurrent?.();
  }
}

function setup(specs: string[], statuses?: Record<string, CellStatus>, shared?: { log: string[] }) {
  const runner = new ScriptedRunner(shared);
  const events: SchedulerEvent[] = [];
  let runs = 0;
  let clock = 0;
  const scheduler = new NotebookScheduler({
    runner,
    onEvent: (e) => events.push(e),
    newRunId: () => `run${++runs}`,
    now: () => (clock += 5),
  });
  scheduler.load(specs.map(cell), statuses);
  const statusOf = (...ids: string[]) => ids.map((id) => scheduler.status(id));
  const ofType = <T extends SchedulerEvent["type"]>(type: T) =>
    events.filter((e): e is Extract<SchedulerEvent, { type: T }> => e.type === type);
  return { scheduler, runner, events, statusOf, ofType };
}

const chain = ["x: -> x", "y: x -> y", "z: y -> z"];

/** Lets queued microtasks and immediates run, for tests that look between steps. */
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("NotebookScheduler runs", () => {
  test("running x runs x → y → z in order, each once", async () => {
    const { scheduler, runner, statusOf, ofType } = setup(chain);
    const runId = scheduler.runCell("x");
    assert.equal(runId, "run1");
    assert.deepEqual(statusOf("x", "y", "z"), ["queued", "queued", "queued"]);
    assert.deepEqual(runner.calls, [], "nothing runs before runCell returns");
    await scheduler.idle();
    assert.deepEqual(runner.calls, ["x", "y", "z"]);
    assert.deepEqual(statusOf("x", "y", "z"), ["success", "success", "success"]);
    const finished = ofType("run_finished");
    assert.equal(finished.length, 1);
    assert.deepEqual(finished[0]!.cells, ["x", "y", "z"]);
    assert.equal(finished[0]!.runId, "run1");
    assert.ok(finished[0]!.ms > 0);
  });

  test("status events carry the run id: queued, running, then success", async () => {
    const { scheduler, ofType } = setup(["x: -> x"]);
    scheduler.runCell("x");
    await scheduler.idle();
    assert.deepEqual(
      ofType("cell_status").map((e) => [e.cellId, e.status, e.runId]),
      [
        ["x", "queued", "run1"],
        ["x", "running", "run1"],
        ["x", "success", "run1"],
      ],
    );
  });

  test("running a leaf first runs the ancestors that never ran in this kernel", async () => {
    const { scheduler, runner } = setup(chain);
    scheduler.runCell("z");
    await scheduler.idle();
    assert.deepEqual(runner.calls, ["x", "y", "z"]);
  });

  test("a fresh ancestor is not re-run; a stale one is", async () => {
    const { scheduler, runner, statusOf } = setup(chain);
    scheduler.runAll();
    await scheduler.idle();
    edit(scheduler, "y: x -> y");
    assert.deepEqual(statusOf("x", "y", "z"), ["success", "stale", "stale"]);
    runner.calls.length = 0;
    scheduler.runCell("z");
    await scheduler.idle();
    assert.deepEqual(runner.calls, ["y", "z"]);
  });

  test("editing x without running marks x and its descendants stale, not unrelated cells", async () => {
    const { scheduler, statusOf } = setup([...chain, "u: -> u"]);
    scheduler.runAll();
    await scheduler.idle();
    edit(scheduler, "x: -> x");
    assert.deepEqual(statusOf("x", "y", "z", "u"), ["stale", "stale", "stale", "success"]);
  });

  test("editing x then running x re-runs y and z", async () => {
    const { scheduler, runner } = setup(chain);
    scheduler.runAll();
    await scheduler.idle();
    edit(scheduler, "x: -> x");
    runner.calls.length = 0;
    scheduler.runCell("x");
    await scheduler.idle();
    assert.deepEqual(runner.calls, ["x", "y", "z"]);
  });

  test("an edit that changes nothing leaves statuses alone", async () => {
    const { scheduler, statusOf } = setup(chain);
    scheduler.runAll();
    await scheduler.idle();
    scheduler.editCell("x", { code: "x: -> x", reads: [], writes: ["x"] });
    assert.deepEqual(statusOf("x", "y", "z"), ["success", "success", "success"]);
  });

  test("runAll runs every cell in topological order, ties by notebook order", async () => {
    const { scheduler, runner } = setup(["c: y -> z", "u: -> u", "b: x -> y", "a: -> x"]);
    scheduler.runAll();
    await scheduler.idle();
    assert.deepEqual(runner.calls, ["u", "a", "b", "c"]);
  });

  test("runAll on an empty notebook finishes at once", async () => {
    const { scheduler, ofType } = setup([]);
    const runId = scheduler.runAll();
    await scheduler.idle();
    assert.deepEqual(
      ofType("run_finished").map((e) => [e.runId, e.cells]),
      [[runId, []]],
    );
  });

  test("stdout and displays stream as they happen, one output at a time; the final outputs are authoritative", async () => {
    const { scheduler, runner, ofType } = setup(["x: -> x"]);
    runner.scripts.set("x", {
      stdout: ["hello\n", "world\n"],
      display: [text("first"), text("second")],
      outputs: [text("first"), text("last")],
    });
    scheduler.runCell("x");
    await scheduler.idle();
    assert.deepEqual(
      ofType("cell_stdout").map((e) => e.text),
      ["hello\n", "world\n"],
    );
    assert.deepEqual(
      ofType("cell_output_added").map((e) => [e.index, e.output.data]),
      [
        [0, "first"],
        [1, "second"],
      ],
    );
    assert.deepEqual(
      ofType("cell_outputs").map((e) => e.outputs),
      [[text("first"), text("last")]],
    );
  });

  test("every run ends with the cell's final outputs, even when display() streamed them all or there are none", async () => {
    const { scheduler, runner, ofType } = setup(["x: -> x", "y: -> y"]);
    runner.scripts.set("x", {
      display: [text("chart"), text("table")],
      outputs: [text("chart"), text("table")],
    });
    runner.scripts.set("y", { outputs: [] });
    scheduler.runCell("x");
    scheduler.runCell("y");
    await scheduler.idle();
    const outputsOf = (cellId: string) =>
      ofType("cell_outputs")
        .filter((e) => e.cellId === cellId)
        .map((e) => e.outputs);
    assert.deepEqual(outputsOf("x"), [[text("chart"), text("table")]]);
    assert.deepEqual(outputsOf("y"), [[]], "a cell with nothing to show still replaces what it showed");
  });

  test("progress of slow work before a cell's code runs is passed on for that cell", async () => {
    const { scheduler, runner, ofType } = setup(["x: -> x"]);
    runner.scripts.set("x", { progress: ["Downloading tiny 1.0", "Loaded tiny"] });
    scheduler.runCell("x");
    await scheduler.idle();
    assert.deepEqual(
      ofType("cell_progress").map((e) => [e.cellId, e.kind, e.message, e.done]),
      [
        ["x", "packages", "Downloading tiny 1.0", false],
        ["x", "packages", "Loaded tiny", true],
      ],
    );
  });
});

describe("NotebookScheduler errors and blocking", () => {
  test("an error in y blocks z (blocked by y) and z never runs", async () => {
    const { scheduler, runner, statusOf, ofType } = setup(chain);
    runner.scripts.set("y", {
      status: "error",
      outputs: [],
      error: { name: "ZeroDivisionError", message: "division by zero" },
    });
    scheduler.runCell("x");
    await scheduler.idle();
    assert.deepEqual(runner.calls, ["x", "y"]);
    assert.deepEqual(statusOf("x", "y", "z"), ["success", "error", "blocked"]);
    assert.equal(scheduler.blockedBy("z"), "y");
    assert.deepEqual(
      ofType("cell_error").map((e) => [e.cellId, e.error.name]),
      [["y", "ZeroDivisionError"]],
    );
    const blocked = ofType("cell_status").find((e) => e.cellId === "z" && e.status === "blocked");
    assert.equal(blocked?.blockedBy, "y");
    assert.deepEqual(ofType("run_finished")[0]!.cells, ["x", "y", "z"]);
  });

  test("a blocked cell names the cell that failed, not the blocked cell between", async () => {
    const { scheduler, runner } = setup([...chain, "w: z -> w"]);
    runner.scripts.set("y", { status: "error", error: { name: "ValueError", message: "bad" } });
    scheduler.runAll();
    await scheduler.idle();
    assert.equal(scheduler.blockedBy("w"), "y");
  });

  test("fixing y and running it unblocks z", async () => {
    const { scheduler, runner, statusOf } = setup(chain);
    runner.scripts.set("y", {
      status: "error",
      error: { name: "NameError", message: "name 'q' is not defined" },
    });
    scheduler.runAll();
    await scheduler.idle();
    runner.scripts.delete("y");
    edit(scheduler, "y: x -> y");
    assert.deepEqual(statusOf("y", "z"), ["stale", "stale"]);
    runner.calls.length = 0;
    scheduler.runCell("y");
    await scheduler.idle();
    assert.deepEqual(runner.calls, ["y", "z"]);
    assert.deepEqual(statusOf("x", "y", "z"), ["success", "success", "success"]);
    assert.equal(scheduler.blockedBy("z"), null);
  });

  test("running a cell below an errored ancestor re-runs that ancestor first", async () => {
    const { scheduler, runner } = setup(chain);
    runner.scripts.set("x", { status: "error", error: { name: "ConnectionError", message: "flaky" } });
    scheduler.runAll();
    await scheduler.idle();
    runner.scripts.delete("x");
    runner.calls.length = 0;
    scheduler.runCell("z");
    await scheduler.idle();
    assert.deepEqual(runner.calls, ["x", "y", "z"]);
  });

  test("a runner that throws leaves the cell in error with the thrown message", async () => {
    const { scheduler, runner, statusOf, ofType } = setup(chain);
    runner.scripts.set("x", { throws: new TypeError("kernel exploded") });
    scheduler.runAll();
    await scheduler.idle();
    assert.deepEqual(statusOf("x", "y", "z"), ["error", "blocked", "blocked"]);
    assert.deepEqual(ofType("cell_error")[0]!.error, { name: "TypeError", message: "kernel exploded" });
  });

  test("two cells defining a name are both in error, their reader is blocked, and a fix makes them stale", async () => {
    const { scheduler, runner, statusOf, ofType } = setup(["a: -> x", "b: -> y", "c: x ->"]);
    scheduler.runAll();
    await scheduler.idle();
    edit(scheduler, "b: -> x");
    assert.deepEqual(statusOf("a", "b", "c"), ["error", "error", "blocked"]);
    assert.equal(scheduler.blockedBy("c"), "a");
    const errors = ofType("cell_error");
    assert.deepEqual(
      errors.map((e) => [e.cellId, e.error.name]),
      [
        ["a", "MultipleDefinitionError"],
        ["b", "MultipleDefinitionError"],
      ],
    );
    assert.match(errors[0]!.error.message, /'x'.*cell b/);
    assert.deepEqual([...scheduler.graphErrors().keys()], ["a", "b"]);

    runner.calls.length = 0;
    scheduler.runAll();
    await scheduler.idle();
    assert.deepEqual(runner.calls, [], "cells in a graph error and what reads them never run");
    assert.deepEqual(statusOf("a", "b", "c"), ["error", "error", "blocked"]);

    edit(scheduler, "b: -> y");
    assert.deepEqual(statusOf("a", "b", "c"), ["stale", "stale", "stale"]);
    assert.equal(scheduler.graphErrors().size, 0);
    scheduler.runCell("c");
    await scheduler.idle();
    assert.deepEqual(runner.calls, ["a", "c"]);
  });

  test("a cycle puts its cells in error and blocks what reads from it; breaking it makes them stale", async () => {
    const { scheduler, runner, statusOf, ofType } = setup(["a: -> x", "b: x -> y", "c: y ->"]);
    edit(scheduler, "a: y -> x");
    assert.deepEqual(statusOf("a", "b", "c"), ["error", "error", "blocked"]);
    assert.deepEqual(
      ofType("cell_error").map((e) => e.error.message),
      ["cells a → b → a form a cycle through names x, y", "cells b → a → b form a cycle through names x, y"],
    );
    scheduler.runCell("c");
    await scheduler.idle();
    assert.deepEqual(runner.calls, []);
    assert.equal(scheduler.status("c"), "blocked");
    edit(scheduler, "a: -> x");
    assert.deepEqual(statusOf("a", "b", "c"), ["stale", "stale", "stale"]);
  });

  test("a cell whose analysis failed is in error with that error; its former readers become stale", async () => {
    const { scheduler, runner, statusOf, ofType } = setup(chain);
    scheduler.runAll();
    await scheduler.idle();
    edit(scheduler, "x: !SyntaxError");
    assert.deepEqual(ofType("cell_error").at(-1), {
      type: "cell_error",
      cellId: "x",
      error: { name: "SyntaxError", message: "invalid syntax (line 1)" },
    });
    // With x unable to define anything, y no longer reads from it: y is just stale.
    assert.deepEqual(statusOf("x", "y", "z"), ["error", "stale", "stale"]);
    runner.calls.length = 0;
    scheduler.runCell("x");
    await scheduler.idle();
    assert.deepEqual(runner.calls, [], "a syntax error never reaches the kernel");
  });

  test("a cell whose analysis failed but keeps its last names blocks its readers", () => {
    const { scheduler, statusOf } = setup(chain);
    scheduler.editCell("x", {
      code: "x = (",
      analysisError: { name: "SyntaxError", message: "'(' was never closed" },
    });
    assert.deepEqual(statusOf("x", "y", "z"), ["error", "blocked", "blocked"]);
    assert.equal(scheduler.blockedBy("z"), "x");
    scheduler.editCell("x", { code: "x = 1", analysisError: null });
    assert.deepEqual(statusOf("x", "y", "z"), ["stale", "stale", "stale"]);
  });

  test("graph errors present at load are announced and block their readers", () => {
    const { statusOf, ofType } = setup(["a: -> x", "b: -> x", "c: x ->", "d: -> d"], {
      a: "success",
      b: "success",
      c: "success",
      d: "success",
    });
    assert.deepEqual(statusOf("a", "b", "c", "d"), ["error", "error", "blocked", "success"]);
    assert.equal(ofType("cell_error").length, 2);
  });
});

describe("NotebookScheduler superseding and serialising", () => {
  test("a second run takes over the first run's queued cells: no cell runs twice", async () => {
    const { scheduler, runner, ofType } = setup(chain);
    const release = runner.hold("x");
    const first = scheduler.runCell("x");
    await tick();
    assert.equal(scheduler.status("x"), "running");
    const second = scheduler.runCell("y");
    assert.deepEqual(
      ofType("cell_status")
        .filter((e) => e.status === "queued" && e.runId === second)
        .map((e) => e.cellId),
      ["y", "z"],
    );
    release();
    await scheduler.idle();
    assert.deepEqual(runner.calls, ["x", "y", "z"]);
    assert.deepEqual(
      ofType("run_finished").map((e) => [e.runId, e.cells]),
      [
        [first, ["x"]],
        [second, ["y", "z"]],
      ],
    );
  });

  test("running the same cell again while it executes runs it once more, and its descendants once", async () => {
    const { scheduler, runner, ofType } = setup(chain);
    const release = runner.hold("x");
    scheduler.runCell("x");
    await tick();
    const again = scheduler.runCell("x");
    assert.equal(scheduler.status("x"), "running", "still running until it ends");
    release();
    await scheduler.idle();
    assert.deepEqual(runner.calls, ["x", "x", "y", "z"]);
    assert.deepEqual(
      ofType("cell_status")
        .filter((e) => e.cellId === "x")
        .map((e) => [e.status, e.runId]),
      [
        ["queued", "run1"],
        ["running", "run1"],
        ["queued", again],
        ["running", again],
        ["success", again],
      ],
    );
  });

  test("a run whose queued cells were all taken over finishes at once", async () => {
    const { scheduler, runner, ofType } = setup(["a: -> a", ...chain]);
    const release = runner.hold("a");
    scheduler.runCell("a");
    await tick();
    const older = scheduler.runCell("y"); // queues x (never ran), y, z
    const newer = scheduler.runCell("x"); // takes over x, y, z
    assert.deepEqual(
      ofType("run_finished").map((e) => [e.runId, e.cells]),
      [[older, []]],
    );
    release();
    await scheduler.idle();
    assert.deepEqual(runner.calls, ["a", "x", "y", "z"]);
    assert.deepEqual(ofType("run_finished").at(-1)?.cells, ["x", "y", "z"]);
    assert.equal(ofType("run_finished").at(-1)?.runId, newer);
  });

  test("only one cell executes at a time under overlapping runs (the runner asserts no overlap)", async () => {
    const { scheduler, runner } = setup(["a: -> a", "b: a -> b", "c: -> c", "d: c, b -> d"]);
    scheduler.runAll();
    scheduler.runCell("c");
    scheduler.runCell("b");
    await tick();
    scheduler.runAll();
    await scheduler.idle();
    assert.ok(runner.calls.length >= 4);
    for (const id of ["a", "b", "c", "d"]) assert.equal(scheduler.status(id), "success");
  });

  test("two notebooks run at the same time", async () => {
    const shared = { log: [] as string[] };
    const one = setup(["a: -> a"], undefined, shared);
    const two = setup(["b: -> b", "c: b -> c"], undefined, shared);
    const release = one.runner.hold("a");
    one.scheduler.runCell("a");
    two.scheduler.runAll();
    await two.scheduler.idle();
    assert.deepEqual(shared.log, ["start a", "start b", "end b", "start c", "end c"]);
    release();
    await one.scheduler.idle();
    assert.equal(shared.log.at(-1), "end a");
  });

  test("idle() resolves at once when nothing is queued", async () => {
    const { scheduler } = setup(chain);
    await scheduler.idle();
  });
});

describe("NotebookScheduler edits, deletes and moves", () => {
  test("deleting a cell forgets its names, then re-runs its former dependents", async () => {
    const { scheduler, runner, statusOf } = setup(chain);
    scheduler.runAll();
    await scheduler.idle();
    runner.log.length = 0;
    runner.scripts.set("y", {
      status: "error",
      error: { name: "NameError", message: "name 'x' is not defined" },
    });
    const runId = scheduler.deleteCell("x");
    assert.equal(typeof runId, "string");
    await scheduler.idle();
    assert.deepEqual(runner.log, ["forget x", "run y"]);
    assert.deepEqual(statusOf("y", "z"), ["error", "blocked"]);
    assert.throws(() => scheduler.status("x"), /no cell x/);
  });

  test("deleting a cell nothing reads only forgets its names", async () => {
    const { scheduler, runner } = setup(chain);
    scheduler.runAll();
    await scheduler.idle();
    runner.log.length = 0;
    assert.equal(scheduler.deleteCell("z"), null);
    await scheduler.idle();
    assert.deepEqual(runner.log, ["forget z"]);
  });

  test("deleting one of two definers fixes the other, which re-runs before the readers", async () => {
    const { scheduler, runner, statusOf } = setup(["a: -> x", "b: -> x", "c: x ->"]);
    assert.deepEqual(statusOf("a", "b", "c"), ["error", "error", "blocked"]);
    scheduler.deleteCell("b");
    await scheduler.idle();
    assert.deepEqual(runner.log, ["forget x", "run a", "run c"]);
    assert.deepEqual(statusOf("a", "c"), ["success", "success"]);
  });

  test("deleting a queued cell takes it out of its run", async () => {
    const { scheduler, runner, ofType } = setup(["a: -> a", "b: -> b"]);
    const release = runner.hold("a");
    scheduler.runAll();
    await tick();
    scheduler.deleteCell("b");
    release();
    await scheduler.idle();
    assert.deepEqual(runner.calls, ["a"]);
    assert.deepEqual(ofType("run_finished")[0]!.cells, ["a"]);
  });

  test("deleting the executing cell drops its result", async () => {
    const { scheduler, runner, ofType } = setup(["a: -> a"]);
    const release = runner.hold("a");
    scheduler.runAll();
    await tick();
    const before = ofType("cell_status").length;
    scheduler.deleteCell("a");
    release();
    await scheduler.idle();
    assert.equal(ofType("cell_status").length, before);
    assert.deepEqual(ofType("run_finished")[0]!.cells, []);
  });

  test("inserting a cell that defines a name read below makes the reader stale", async () => {
    const { scheduler, runner, statusOf } = setup(["b: x -> y", "c: y ->"]);
    scheduler.runAll();
    await scheduler.idle();
    scheduler.insertCell(cell("a: -> x"), 0);
    assert.deepEqual(statusOf("a", "b", "c"), ["idle", "stale", "stale"]);
    runner.calls.length = 0;
    scheduler.runCell("c");
    await scheduler.idle();
    assert.deepEqual(runner.calls, ["a", "b", "c"]);
  });

  test("inserting a second definer of a name puts both in error", () => {
    const { scheduler, statusOf } = setup(["a: -> x", "c: x ->"]);
    scheduler.insertCell(cell("b: -> x"), 1);
    assert.deepEqual(statusOf("a", "b", "c"), ["error", "error", "blocked"]);
  });

  test("moving a cell changes only the tie-break order of later runs", async () => {
    const { scheduler, runner, statusOf } = setup(["a: -> a", "b: -> b"]);
    scheduler.runAll();
    await scheduler.idle();
    scheduler.moveCell("b", 0);
    assert.deepEqual(statusOf("a", "b"), ["success", "success"]);
    scheduler.runAll();
    await scheduler.idle();
    assert.deepEqual(runner.calls, ["a", "b", "b", "a"]);
  });

  test("editing a cell while it executes leaves it stale when done, and its queued readers stale", async () => {
    const { scheduler, runner, statusOf } = setup(chain);
    const release = runner.hold("x");
    scheduler.runCell("x");
    await tick();
    edit(scheduler, "x: -> x");
    assert.deepEqual(statusOf("x", "y", "z"), ["running", "queued", "queued"]);
    release();
    await scheduler.idle();
    assert.deepEqual(runner.calls, ["x"]);
    assert.deepEqual(statusOf("x", "y", "z"), ["stale", "stale", "stale"]);
  });

  test("editing a queued cell runs its new code", async () => {
    const { scheduler, runner } = setup(chain);
    const seen: string[] = [];
    const run = runner.run.bind(runner);
    runner.run = (c, ctx) => {
      seen.push(c.code);
      return run(c, ctx);
    };
    const release = runner.hold("x");
    scheduler.runCell("x");
    await tick();
    scheduler.editCell("y", { code: "y = x * 2" });
    release();
    await scheduler.idle();
    assert.equal(seen[1], "y = x * 2");
    assert.equal(scheduler.status("y"), "success");
  });
});

describe("NotebookScheduler interrupts, restarts and markdown", () => {
  test("interrupt stops the executing cell and drops queued cells, which become stale", async () => {
    const { scheduler, runner, statusOf, ofType } = setup(chain);
    runner.hold("x");
    const runId = scheduler.runCell("x");
    await tick();
    scheduler.interrupt();
    await scheduler.idle();
    assert.equal(runner.interrupts, 1);
    assert.deepEqual(runner.calls, ["x"]);
    assert.deepEqual(statusOf("x", "y", "z"), ["error", "stale", "stale"]);
    assert.equal(ofType("cell_error")[0]!.error.name, "KeyboardInterrupt");
    assert.deepEqual(
      ofType("run_finished").map((e) => [e.runId, e.cells]),
      [[runId, ["x"]]],
    );
  });

  test("interrupt with nothing executing does not bother the runner", async () => {
    const { scheduler, runner } = setup(chain);
    scheduler.interrupt();
    assert.equal(runner.interrupts, 0);
    await scheduler.idle();
  });

  test("kernelRestarted marks every cell stale and forgets what ran", async () => {
    const { scheduler, runner, statusOf } = setup([...chain, "m: md"]);
    scheduler.runAll();
    await scheduler.idle();
    scheduler.kernelRestarted();
    assert.deepEqual(statusOf("x", "y", "z", "m"), ["stale", "stale", "stale", "success"]);
    runner.calls.length = 0;
    scheduler.runCell("z");
    await scheduler.idle();
    assert.deepEqual(runner.calls, ["x", "y", "z"]);
  });

  test("a success from before a restart does not count as fresh", async () => {
    const { scheduler, runner, statusOf } = setup(chain);
    const release = runner.hold("x");
    scheduler.runCell("x");
    await tick();
    scheduler.kernelRestarted();
    release();
    await scheduler.idle();
    assert.deepEqual(runner.calls, ["x"]);
    assert.deepEqual(statusOf("x", "y", "z"), ["stale", "stale", "stale"]);
  });

  test("a kernel replaced under a run (a time limit, a crash) keeps the run's queued cells, after the ancestors they now need", async () => {
    const { scheduler, runner, statusOf } = setup(["p: -> p", "t: -> t", "q: p -> q"]);
    scheduler.runAll();
    await scheduler.idle();
    runner.calls.length = 0;
    const release = runner.hold("t");
    runner.scripts.set("t", { status: "error", error: { name: "TimeoutError", message: "time limit" } });
    scheduler.runCell("t");
    await tick();
    scheduler.runCell("q"); // queued behind t; p is fresh, so the plan is just q
    scheduler.kernelRestarted({ keepQueued: true });
    assert.deepEqual(statusOf("p", "q"), ["queued", "queued"], "p is stale in the new kernel: it runs first");
    release();
    await scheduler.idle();
    assert.deepEqual(runner.calls, ["t", "p", "q"]);
    assert.deepEqual(statusOf("t", "p", "q"), ["error", "success", "success"]);
  });

  test("a kept run's cells that read the cell that broke the kernel are blocked by it", async () => {
    const { scheduler, runner, statusOf } = setup(chain);
    const release = runner.hold("x");
    runner.scripts.set("x", { status: "error", error: { name: "KernelDiedError", message: "crashed" } });
    scheduler.runCell("x");
    await tick();
    scheduler.kernelRestarted({ keepQueued: true });
    release();
    await scheduler.idle();
    assert.deepEqual(runner.calls, ["x"]);
    assert.deepEqual(statusOf("x", "y", "z"), ["error", "blocked", "blocked"]);
    assert.equal(scheduler.blockedBy("z"), "x");
  });

  test("markdown cells never reach the runner; a run marks them success", async () => {
    const { scheduler, runner, statusOf } = setup(["m: md", "x: -> x"]);
    scheduler.runAll();
    await scheduler.idle();
    assert.deepEqual(runner.calls, ["x"]);
    assert.deepEqual(statusOf("m", "x"), ["success", "success"]);
    scheduler.runCell("m");
    await scheduler.idle();
    assert.deepEqual(runner.calls, ["x"]);
  });

  test("stored statuses load as they were, but nothing counts as run in the new kernel", async () => {
    const { scheduler, runner, statusOf } = setup(chain, { x: "success", y: "running", z: "queued" });
    assert.deepEqual(statusOf("x", "y", "z"), ["success", "stale", "stale"]);
    scheduler.runCell("z");
    await scheduler.idle();
    assert.deepEqual(runner.calls, ["x", "y", "z"]);
  });

  test("a stored blocked cell is blocked by its errored parent", () => {
    const { scheduler, statusOf } = setup(chain, { x: "success", y: "error", z: "blocked" });
    assert.deepEqual(statusOf("x", "y", "z"), ["success", "error", "blocked"]);
    assert.equal(scheduler.blockedBy("z"), "y");
  });
});

describe("NotebookScheduler controls", () => {
  test("setting a control of a cell that ran sets it live, then re-runs its readers, not the cell", async () => {
    const { scheduler, runner, statusOf, ofType } = setup(chain);
    scheduler.runCell("x");
    await scheduler.idle();
    runner.calls.length = 0;
    runner.log.length = 0;
    const runId = scheduler.setControl("x", "0", 7);
    assert.deepEqual(statusOf("x", "y", "z"), ["success", "queued", "queued"]);
    await scheduler.idle();
    assert.deepEqual(runner.log, ["control x/0=7", "run y", "run z"]);
    assert.deepEqual(statusOf("x", "y", "z"), ["success", "success", "success"]);
    assert.deepEqual(ofType("control_value"), [
      { type: "control_value", cellId: "x", controlId: "0", value: 7 },
    ]);
    const finished = ofType("run_finished").at(-1);
    assert.equal(finished?.runId, runId);
    assert.deepEqual(finished?.cells, ["x", "y", "z"]);
  });

  test("a control of a cell that never ran in this kernel: the value is announced at once, the cell runs first", async () => {
    const { scheduler, runner, statusOf, ofType } = setup(chain, { x: "stale", y: "stale", z: "stale" });
    scheduler.setControl("x", "1", "b");
    assert.deepEqual(ofType("control_value"), [
      { type: "control_value", cellId: "x", controlId: "1", value: "b" },
    ]);
    assert.deepEqual(statusOf("x", "y", "z"), ["queued", "queued", "queued"]);
    await scheduler.idle();
    assert.deepEqual(
      runner.log,
      ["run x", "run y", "run z"],
      "no live control to set: the cell runs with it",
    );
  });

  test("a control of a cell nobody reads: the value is set and the run ends at once", async () => {
    const { scheduler, runner, ofType } = setup(["a: -> a"]);
    scheduler.runCell("a");
    await scheduler.idle();
    scheduler.setControl("a", "0", true);
    await scheduler.idle();
    assert.deepEqual(runner.log.at(-1), "control a/0=true");
    assert.deepEqual(ofType("run_finished").at(-1)?.cells, ["a"]);
  });

  test("a control set while its cell runs takes effect after the cell, before its readers", async () => {
    const { scheduler, runner } = setup(chain);
    scheduler.runCell("x");
    await scheduler.idle();
    runner.log.length = 0;
    const release = runner.hold("x");
    scheduler.runCell("x");
    await tick();
    scheduler.setControl("x", "0", 3);
    release();
    await scheduler.idle();
    assert.deepEqual(runner.log, ["run x", "control x/0=3", "run y", "run z"]);
  });

  test("a newer value of the same control supersedes one still waiting; its readers run once", async () => {
    const { scheduler, runner, ofType } = setup(chain);
    scheduler.runCell("x");
    await scheduler.idle();
    runner.log.length = 0;
    const release = runner.hold("y");
    scheduler.runCell("y");
    await tick();
    scheduler.setControl("x", "0", 1);
    scheduler.setControl("x", "0", 2);
    release();
    await scheduler.idle();
    assert.deepEqual(runner.log, ["run y", "control x/0=2", "run y", "run z"]);
    assert.deepEqual(
      ofType("control_value").map((e) => e.value),
      [2],
    );
  });

  test("an interrupt drops the queued readers but keeps the value", async () => {
    const { scheduler, runner, ofType } = setup(chain);
    scheduler.runCell("x");
    await scheduler.idle();
    runner.log.length = 0;
    const release = runner.hold("y");
    scheduler.runCell("y");
    await tick();
    scheduler.setControl("x", "0", 5);
    scheduler.interrupt();
    release();
    await scheduler.idle();
    assert.ok(runner.log.includes("control x/0=5"));
    assert.ok(!runner.log.slice(1).includes("run z"));
    assert.deepEqual(ofType("control_value").at(-1)?.value, 5);
  });
});
