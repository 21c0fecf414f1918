// SQL cell benchmark. The sample database: cold start and memory of its sandboxed PGlite process, and a
// cell's latency through the engine (process hop, IPC, per-cell transaction) against the same query on an
// in-process PGlite (baseline). The notebook's own PostgreSQL: a cell through the engine (pool, policy,
// parsing, table output) against a bare `pg` client query (baseline), both in this run.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { KernelManager } from "../src/kernel/index.js";
import { SampleDatabase, SecretBox, SqlEngine } from "../src/sql/index.js";
import { SAMPLE_SEED_SQL } from "../src/sql/sample/seed.js";

const QUERY = `SELECT p.category, round(sum(oi.quantity * oi.unit_price)) AS revenue
FROM order_items oi JOIN products p ON p.id = oi.product_id JOIN orders o ON o.id = oi.order_id
WHERE o.status <> 'cancelled' GROUP BY p.category ORDER BY revenue DESC`;
const ROUNDS = 30;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const round = (n: number) => Math.round(n * 100) / 100;

async function timed(rounds: number, fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
}

export async function runSqlBench(): Promise<Record<string, number>> {
  const kernels = new KernelManager({
    dataDir: path.join(tmpdir(), "rn-kernel-test-data"),
    pyodideIndexUrl: "http://127.0.0.1:9/",
    cellTimeoutMs: 60_000,
    memoryMb: 512,
    maxKernels: 2,
    idleMs: 600_000,
    poolSize: 0,
  });
  const sample = new SampleDatabase(kernels.sandbox);
  const connections = new Map<string, string>();
  const secrets = new SecretBox(randomBytes(32));
  const engine = new SqlEngine({
    config: {
      sqlAllowedHosts: "any",
      sql: {
        timeoutMs: 30_000,
        maxRowsShown: 1_000,
        maxRowsBound: 100_000,
        maxResultBytes: 32 * 1024 * 1024,
        sample: { instances: 4, idleMs: 300_000, memoryMb: 1024 },
      },
    },
    sample,
    secrets,
    databaseSecret: async (id) => connections.get(id) ?? null,
  });
  const noKernel = async () => {
    throw new Error("this benchmark's cells read no Python variables");
  };
  const figures: Record<string, number> = {};
  try {
    const coldStarted = performance.now();
    await sample.start("bench");
    figures.sampleColdStartMs = Math.round(performance.now() - coldStarted);
    figures.sampleCellMsP50 = round(
      await timed(ROUNDS, () =>
        engine.runCell({ notebookId: "s", userId: "bench", code: QUERY, name: null, kernel: noKernel }),
      ),
    );
    figures.sampleRssMb = rssMb(sample.instances()[0]?.pid ?? undefined);

    const local = await PGlite.create();
    await local.exec(SAMPLE_SEED_SQL);
    figures.inProcessPgliteMsP50 = round(await timed(ROUNDS, () => local.query(QUERY)));
    await local.close();
    figures.sampleRatio = round(figures.sampleCellMsP50 / figures.inProcessPgliteMsP50);
    console.log(
      `sql/sample: cold start ${figures.sampleColdStartMs} ms, RSS ${figures.sampleRssMb} MB; a cell (join + aggregate over ~7k rows) ${figures.sampleCellMsP50} ms p50 ` +
        `vs the same query on an in-process PGlite ${figures.inProcessPgliteMsP50} ms; ratio ${figures.sampleRatio}× (sandboxed process, IPC, per-cell rollback)`,
    );

    const url = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
    const bare = new pg.Client({ connectionString: url });
    try {
      await bare.connect();
    } catch (error) {
      console.log(`sql/postgres: skipped, PostgreSQL not reachable at ${url}: ${(error as Error).message}`);
      return figures;
    }
    const table = `rn_bench_${randomBytes(4).toString("hex")}`;
    await bare.query(
      `CREATE TABLE ${table} AS SELECT g AS id, md5(g::text) AS s FROM generate_series(1, 1000) g`,
    );
    try {
      const select = `SELECT id, s FROM ${table} WHERE id % 10 = 0`;
      connections.set("p", secrets.seal(url));
      figures.postgresCellMsP50 = round(
        await timed(ROUNDS, () =>
          engine.runCell({ notebookId: "p", userId: "bench", code: select, name: null, kernel: noKernel }),
        ),
      );
      figures.bareClientMsP50 = round(
        await timed(ROUNDS, () => bare.query({ text: select, rowMode: "array" })),
      );
      figures.postgresRatio = round(figures.postgresCellMsP50 / figures.bareClientMsP50);
      console.log(
        `sql/postgres: a cell returning 100 rows ${figures.postgresCellMsP50} ms p50 vs a bare pg client ${figures.bareClientMsP50} ms; ratio ${figures.postgresRatio}×`,
      );
    } finally {
      await bare.query(`DROP TABLE ${table}`);
      await bare.end();
    }
    return figures;
  } finally {
    await engine.close();
    await kernels.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runSqlBench();
