// Benchmarks of the reactive core: scheduling overhead of a re-run, and building the graph of a large notebook.
import { pathToFileURL } from "node:url";
import {
  type CellRunner,
  DependencyGraph,
  NotebookScheduler,
  planRun,
  type SchedulerCell,
  topologicalSort,
} from "../src/reactive/index.js";

export interface ReactiveBenchResult {
  rerunChain100: { medianMs: number; p95Ms: number; perCellUs: number };
  rebuild1000: { medianMs: number; p95Ms: number };
  editAndPlan1000: { medianMs: number };
}

const noopRunner: CellRunner = {
  run: async () => ({ status: "success", outputs: [], error: null }),
  forget: async () => {},
  setControl: async () => true,
  interrupt: () => {},
};

function chainCell(i: number): SchedulerCell {
  return {
    id: `c${i}`,
    type: "python",
    code: `v${i} = ${i === 0 ? "0" : `v${i - 1} + 1`}`,
    reads: i === 0 ? [] : [`v${i - 1}`],
    writes: [`v${i}`],
    analysisError: null,
  };
}

/** A notebook shaped like real ones: each cell defines one name and reads up to three earlier names. */
function notebookCell(i: number): SchedulerCell {
  const reads = i === 0 ? [] : [...new Set([i - 1, (i * 7) % i, (i * 13) % i])].map((j) => `v${j}`);
  return { id: `n${i}`, type: "python", code: `v${i} = 1`, reads, writes: [`v${i}`], analysisError: null };
}

function stats(samples: number[]): { medianMs: number; p95Ms: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { medianMs: round(at(0.5)), p95Ms: round(at(0.95)) };
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

async function rerunChain(cells: number, iterations: number): Promise<number[]> {
  let finished: (() => void) | null = null;
  const scheduler = new NotebookScheduler({
    runner: noopRunner,
    onEvent: (e) => {
      if (e.type === "run_finished") finished?.();
    },
  });
  scheduler.load(Array.from({ length: cells }, (_, i) => chainCell(i)));
  scheduler.runAll();
  await scheduler.idle();
  const samples: number[] = [];
  for (let k = 0; k < iterations; k++) {
    scheduler.editCell("c0", { code: `v0 = ${k}` });
    const done = new Promise<void>((resolve) => {
      finished = resolve;
    });
    const start = performance.now();
    scheduler.runCell("c0");
    await done;
    samples.push(performance.now() - start);
  }
  return samples;
}

export async function runReactiveBench(): Promise<ReactiveBenchResult> {
  await rerunChain(100, 20); // warm up
  const chain = stats(await rerunChain(100, 100));

  const cells = Array.from({ length: 1000 }, (_, i) => notebookCell(i));
  const rebuilds: number[] = [];
  for (let k = 0; k < 60; k++) {
    const start = performance.now();
    const graph = new DependencyGraph(cells);
    graph.errors();
    topologicalSort(graph, graph.ids());
    if (k >= 10) rebuilds.push(performance.now() - start);
  }

  const graph = new DependencyGraph(cells);
  const edits: number[] = [];
  for (let k = 0; k < 60; k++) {
    const start = performance.now();
    graph.update("n500", { code: `v500 = ${k}` });
    graph.errors();
    planRun(graph, ["n500"], () => true);
    if (k >= 10) edits.push(performance.now() - start);
  }

  const result: ReactiveBenchResult = {
    rerunChain100: { ...chain, perCellUs: round((chain.medianMs * 1000) / 100) },
    rebuild1000: stats(rebuilds),
    editAndPlan1000: { medianMs: stats(edits).medianMs },
  };
  console.log(
    `reactive: re-run of a 100-cell chain after editing its root (no-op runner), time to last result: ` +
      `median ${result.rerunChain100.medianMs} ms, p95 ${result.rerunChain100.p95Ms} ms ` +
      `(${result.rerunChain100.perCellUs} µs of scheduling per cell)`,
  );
  console.log(
    `reactive: graph rebuild for 1,000 cells (indexes, graph errors, topological sort): ` +
      `median ${result.rebuild1000.medianMs} ms, p95 ${result.rebuild1000.p95Ms} ms`,
  );
  console.log(
    `reactive: edit one cell of 1,000 and plan its run: median ${result.editAndPlan1000.medianMs} ms`,
  );
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runReactiveBench();
