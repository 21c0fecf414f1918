// SQL cell benchmark. The sample database: building the seeded snapshot (once per data directory), a
// user's cold first query (sandboxed process start + restore from the snapshot + the query) and each
// instance's resident memory, against an in-process PGlite restored from the same snapshot and a bare Node
// process (baselines); and a warm cell's latency through the engine (process hop, IPC, gate, rollback,
// session reset) against the same query on the in-process PGlite. The notebook's own PostgreSQL: a cell
// through the engine (our parser, one DNS answer, the guarded socket, table output) against a bare `pg`
// client query. Every baseline is measured in the same run.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { KernelManager } from "../src/kernel/index.js";
import { SampleDatabase, SecretBox, SqlEngine } from "../src/sql/index.js";

const QUERY = `SELECT p.category, round(sum(oi.quantity * oi.unit_price)) AS revenue
FROM order_items oi JOIN products p ON p.id = oi.product_id JOIN orders o ON o.id = oi.order_id
WHERE o.status <> 'cancelled' GROUP BY p.category ORDER BY revenue DESC`;
const ROUNDS = 30;
const COLD_USERS = 4;

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

function rssMb(pid: number | null | undefined): number {
  if (!pid) return 0;
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
}

/** Resident memory of a Node process that does nothing (the floor any process-per-instance design pays). */
async function bareNodeRssMb(): Promise<number> {
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const mb = rssMb(child.pid);
  child.kill("SIGKILL");
  return mb;
}

export async function runSqlBench(): Promise<Record<string, number>> {
  const layers = new KernelManager({
    dataDir: path.join(tmpdir(), "rn-kernel-test-data"),
    pyodideIndexUrl: "http://127.0.0.1:9/",
    cellTimeoutMs: 60_000,
    memoryMb: 512,
    maxKernels: 1,
    idleMs: 600_000,
    poolSize: 0,
  }).sandbox;
  const cacheDir = mkdtempSync(path.join(tmpdir(), "rn-bench-sample-"));
  const sample = new SampleDatabase(layers, { cacheDir, instances: COLD_USERS + 1 });
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
        sample: { instances: COLD_USERS + 1, idleMs: 300_000, memoryMb: 1024 },
      },
    },
    sample,
    secrets,
    databaseSecret: async (id) => connections.get(id) ?? null,
  });
  const noKernel = async () => {
    throw new Error("this benchmark's cells read no Python variables");
  };
  const cellAs = (userId: string, code: string) =>
    engine.runCell({ notebookId: `${userId}-nb`, userId, code, name: null, kernel: noKernel });
  const figures: Record<string, number> = {};
  try {
    let started = performance.now();
    await sample.start("builder");
    figures.sampleSnapshotBuildAndFirstStartMs = Math.round(performance.now() - started);

    const cold: number[] = [];
    for (let i = 0; i < COLD_USERS; i++) {
      started = performance.now();
      const result = await cellAs(`user-${i}`, QUERY);
      if (result.status !== "success") throw new Error(JSON.stringify(result.error));
      cold.push(performance.now() - started);
    }
    figures.sampleColdFirstQueryMsP50 = Math.round(median(cold));
    figures.sampleColdFirstQueryMsMax = Math.round(Math.max(...cold));
    const rss = sample.instances().map((i) => rssMb(i.pid));
    figures.sampleInstanceRssMbP50 = median(rss);
    figures.sampleInstanceRssMbMax = Math.max(...rss);
    figures.bareNodeRssMb = await bareNodeRssMb();

    const snapshotFile = readdirSync(cacheDir).find((name) => name.endsWith(".tar.gz"));
    const snapshot = readFileSync(path.join(cacheDir, snapshotFile ?? ""));
    started = performance.now();
    const local = await PGlite.create({ loadDataDir: new Blob([snapshot]) });
    await local.query(QUERY);
    figures.inProcessRestoreAndQueryMs = Math.round(performance.now() - started);
    figures.snapshotKb = Math.round(snapshot.length / 1024);

    figures.sampleCellMsP50 = round(await timed(ROUNDS, () => cellAs("user-0", QUERY)));
    figures.inProcessPgliteMsP50 = round(await timed(ROUNDS, () => local.query(QUERY)));
    await local.close();
    figures.sampleRatio = round(figures.sampleCellMsP50 / figures.inProcessPgliteMsP50);
    console.log(
      `sql/sample: snapshot ${figures.snapshotKb} KB, built + first instance in ${figures.sampleSnapshotBuildAndFirstStartMs} ms (once per data directory)`,
    );
    console.log(
      `sql/sample: a user's cold first query ${figures.sampleColdFirstQueryMsP50} ms p50, ${figures.sampleColdFirstQueryMsMax} ms max over ${COLD_USERS} users ` +
        `(sandboxed process + restore + query) vs ${figures.inProcessRestoreAndQueryMs} ms for an in-process PGlite restored from the same snapshot`,
    );
    console.log(
      `sql/sample: instance RSS ${figures.sampleInstanceRssMbP50} MB p50, ${figures.sampleInstanceRssMbMax} MB max (a bare Node process: ${figures.bareNodeRssMb} MB)`,
    );
    console.log(
      `sql/sample: a warm cell (join + aggregate over ~7k rows) ${figures.sampleCellMsP50} ms p50 vs ${figures.inProcessPgliteMsP50} ms in process; ` +
        `ratio ${figures.sampleRatio}× (process hop, IPC, grammar gate, role switch, rollback, session reset)`,
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
      const plain = new URL(url);
      plain.searchParams.set("sslmode", "disable"); // the bare client does not use TLS either
      connections.set("p-nb", secrets.seal(plain.toString()));
      figures.postgresCellMsP50 = round(
        await timed(ROUNDS, () =>
          engine.runCell({ notebookId: "p-nb", userId: "p", code: select, name: null, kernel: noKernel }),
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
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runSqlBench();
