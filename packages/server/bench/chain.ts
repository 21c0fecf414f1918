// Reactive chain benchmark: a 100-cell chain (c0 = 0; c1 = c0 + 1; …) in a real sandboxed kernel. Edit the
// root and run it; time until the last cell's result is published. Baseline: the same 100 cells sent to the
// kernel back to back with no scheduler, in the same run, so the ratio is the reactive layer's overhead.

import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { KernelManager } from "../src/kernel/index.js";
import { NotebookSessions, type SessionCell, type SessionStore } from "../src/notebooks/index.js";
import { SampleDatabase, SecretBox, SqlEngine } from "../src/sql/index.js";

const CELLS = 100;

export async function runChainBench(): Promise<Record<string, number>> {
  const kernels = new KernelManager({
    dataDir: path.join(tmpdir(), "rn-kernel-test-data"),
    pyodideIndexUrl: "http://127.0.0.1:9/",
    cellTimeoutMs: 60_000,
    memoryMb: 512,
    maxKernels: 4,
    idleMs: 600_000,
    poolSize: 1,
  });
  await kernels.start();
  const cells: SessionCell[] = Array.from({ length: CELLS }, (_, i) => ({
    id: `c${i}`,
    type: "python",
    code: i === 0 ? "c0 = 0" : `c${i} = c${i - 1} + 1`,
    status: "idle",
    reads: i === 0 ? [] : [`c${i - 1}`],
    writes: [`c${i}`],
    analysisError: null,
  }));
  const store: SessionStore = {
    loadNotebook: async () => ({ id: "chain", ownerId: "bench", revision: 1, cells: structuredClone(cells) }),
    saveCellResult: async () => {},
    commitResults: () => {},
    updateCellOutputs: async () => {},
  };
  const sql = {
    engine: new SqlEngine({
      config: {
        sqlAllowedHosts: "any",
        sql: {
          timeoutMs: 30_000,
          maxRowsShown: 1_000,
          maxRowsBound: 100_000,
          maxResultBytes: 32 * 1024 * 1024,
          sample: { instances: 1, idleMs: 60_000, memoryMb: 1024 },
        },
      },
      sample: new SampleDatabase(kernels.sandbox),
      secrets: new SecretBox(randomBytes(32)),
      databaseSecret: async () => null,
    }),
  };
  let lastDone: () => void = () => {};
  const sessions = new NotebookSessions({
    kernels,
    store,
    publish: (_id, event) => {
      if (event.type === "cell_status" && event.cellId === `c${CELLS - 1}` && event.status === "success")
        lastDone();
    },
    sql: sql.engine,
    log: { error: () => {}, warn: () => {} },
  });
  const session = await sessions.session("chain");
  if (!session) throw new Error("the chain notebook did not load");
  const round = (n: number) => Math.round(n * 100) / 100;
  try {
    session.scheduler.runAll();
    await session.idle();
    const samples: number[] = [];
    for (let i = 1; i <= 5; i++) {
      const root = { ...cells[0]!, code: `c0 = ${i}` };
      const done = new Promise<void>((resolve) => {
        lastDone = resolve;
      });
      const started = performance.now();
      session.scheduler.editCell("c0", { code: root.code, reads: [], writes: ["c0"], analysisError: null });
      session.scheduler.runCell("c0");
      await done;
      samples.push(performance.now() - started);
      await session.idle();
    }
    const kernel = await kernels.kernelFor("baseline", "bench");
    const baseline: number[] = [];
    for (let round = 0; round < 5; round++) {
      const started = performance.now();
      for (const cell of cells) await kernel.execute(cell.id, cell.code, () => {});
      baseline.push(performance.now() - started);
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const figures = {
      chain100RerunMsP50: round(median(samples)),
      chain100BareKernelMsP50: round(median(baseline)),
      chain100Ratio: round(median(samples) / median(baseline)),
    };
    console.log(
      `chain: re-run of a ${CELLS}-cell chain after editing its root: ${figures.chain100RerunMsP50} ms p50 to the last result ` +
        `(target ≤ 60 ms); the same cells sent straight to the kernel: ${figures.chain100BareKernelMsP50} ms; ratio ${figures.chain100Ratio}×`,
    );
    return figures;
  } finally {
    await sessions.close();
    await sql.engine.close();
    await kernels.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runChainBench();
