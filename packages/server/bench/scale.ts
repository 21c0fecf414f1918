// Scale-out benchmark: two real instances on one fresh PostgreSQL database and Redis (loopback).
// 1. Forwarding overhead: a trivial run (POST …/run?wait) through the instance holding the notebook's kernel
//    lease vs through the other one, which forwards it over Redis — interleaved, in the same run.
// 2. Throughput: trivial runs per second across N notebooks (default 100; RN_BENCH_SCALE_NOTEBOOKS) with
//    one instance, then with two (each holding half the kernels, requests spread over both).
// Needs PostgreSQL (TEST_POSTGRES_URL) and Redis (TEST_REDIS_URL); prints why when it cannot run.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Redis } from "ioredis";
import { type Instance, startInstance } from "../test/helpers/instances.js";
import { createTestPostgres } from "../test/store-fixtures.js";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const NOTEBOOKS = Number(process.env.RN_BENCH_SCALE_NOTEBOOKS ?? 100);
const SECONDS = Number(process.env.RN_BENCH_SCALE_SECONDS ?? 15);
const SAMPLES = Number(process.env.RN_BENCH_SCALE_SAMPLES ?? 200);
/** Notebooks per user: KERNEL_MAX_PER_USER stays out of the way. */
const PER_USER = 2;

const round = (n: number) => Math.round(n * 100) / 100;
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

class Api {
  readonly #tokens = new Map<string, string>();
  constructor(readonly instances: Instance[]) {}

  async token(user: string): Promise<string> {
    let token = this.#tokens.get(user);
    if (!token) {
      const response = await fetch(`${this.instances[0]?.url}/api/v1/dev/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ userId: user }),
      });
      token = ((await response.json()) as { token: string }).token;
      this.#tokens.set(user, token);
    }
    return token;
  }

  async call(at: Instance, user: string, method: string, url: string, body?: unknown) {
    const response = await fetch(`${at.url}/api/v1${url}`, {
      method,
      headers: {
        authorization: `Bearer ${await this.token(user)}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    if (response.status >= 300)
      throw new Error(`${method} ${url}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  }
}

interface Target {
  user: string;
  notebookId: string;
  cellId: string;
}

async function makeNotebooks(api: Api, count: number, owners: Instance[], tag: string): Promise<Target[]> {
  const targets: Target[] = [];
  for (let i = 0; i < count; i++) {
    const user = `${tag}-user-${Math.floor(i / PER_USER)}`;
    const owner = owners[i % owners.length] as Instance;
    const notebook = (await api.call(owner, user, "POST", "/notebooks", {
      cells: [{ type: "python", code: "1 + 1" }],
    })) as { id: string; cells: { id: string }[] };
    const target = { user, notebookId: notebook.id, cellId: notebook.cells[0]?.id as string };
    // The first run takes the notebook's lease on `owner` and starts its kernel there.
    await api.call(owner, user, "POST", `/notebooks/${target.notebookId}/cells/${target.cellId}/run?wait=60`);
    targets.push(target);
  }
  return targets;
}

const runOnce = (api: Api, at: Instance, target: Target) =>
  api.call(at, target.user, "POST", `/notebooks/${target.notebookId}/cells/${target.cellId}/run?wait=30`);

/** Every target runs in a loop (one run in flight each) for `seconds`; answers completed runs per second. */
async function throughput(api: Api, targets: Target[], through: Instance[], seconds: number) {
  const until = performance.now() + seconds * 1000;
  let completed = 0;
  let errors = 0;
  await Promise.all(
    targets.map(async (target, i) => {
      let n = i;
      while (performance.now() < until) {
        try {
          const answer = await runOnce(api, through[n++ % through.length] as Instance, target);
          if ("cells" in answer) completed++;
          else errors++;
        } catch {
          errors++;
        }
      }
    }),
  );
  return { runsPerSecond: round(completed / seconds), errors };
}

export async function runScaleBench(): Promise<Record<string, number> | null> {
  const postgres = await createTestPostgres();
  if ("skip" in postgres) {
    console.log(`scale: skipped — ${postgres.skip}`);
    return null;
  }
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0 });
  redis.on("error", () => {});
  try {
    await redis.connect();
  } catch (error) {
    console.log(`scale: skipped — Redis at ${REDIS_URL} is unavailable: ${(error as Error).message}`);
    await postgres.drop();
    return null;
  }
  const prefix = `rn-bench-${randomBytes(4).toString("hex")}:`;
  const dataDir = mkdtempSync(path.join(tmpdir(), "rn-bench-scale-"));
  const env = {
    DATABASE_URL: postgres.url,
    REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    DATA_DIR: dataDir,
    NOTEBOOK_SECRET_KEY: randomBytes(32).toString("hex"),
    KERNEL_POOL: "1",
    KERNEL_MAX: String(NOTEBOOKS + 4),
  };
  const instances: Instance[] = [];
  try {
    const a = await startInstance(env);
    instances.push(a);
    const api = new Api([a]);

    // 1 · one instance, N notebooks
    const alone = await makeNotebooks(api, NOTEBOOKS, [a], "alone");
    const one = await throughput(api, alone, [a], SECONDS);
    for (const target of alone) await api.call(a, target.user, "DELETE", `/notebooks/${target.notebookId}`);

    // 2 · two instances: forwarding overhead, then throughput with the kernels split between them
    const b = await startInstance(env);
    instances.push(b);
    const [probe] = await makeNotebooks(api, 1, [a], "probe");
    const target = probe as Target;
    const owner: number[] = [];
    const forwarded: number[] = [];
    for (let i = 0; i < 20; i++) await runOnce(api, i % 2 ? a : b, target); // warm both paths
    for (let i = 0; i < SAMPLES; i++) {
      for (const [at, into] of [
        [a, owner],
        [b, forwarded],
      ] as const) {
        const started = performance.now();
        await runOnce(api, at, target);
        into.push(performance.now() - started);
      }
    }
    const split = await makeNotebooks(api, NOTEBOOKS, [a, b], "split");
    const two = await throughput(api, split, [a, b], SECONDS);

    const figures = {
      ownerRunMsP50: round(percentile(owner, 50)),
      ownerRunMsP99: round(percentile(owner, 99)),
      forwardedRunMsP50: round(percentile(forwarded, 50)),
      forwardedRunMsP99: round(percentile(forwarded, 99)),
      forwardingOverheadMsP50: round(percentile(forwarded, 50) - percentile(owner, 50)),
      oneInstanceRunsPerSecond: one.runsPerSecond,
      twoInstancesRunsPerSecond: two.runsPerSecond,
      twoOverOneRatio: round(two.runsPerSecond / one.runsPerSecond),
      errors: one.errors + two.errors,
    };
    console.log(
      `scale: a trivial run with ?wait through the lease holder ${figures.ownerRunMsP50} ms p50 / ${figures.ownerRunMsP99} ms p99; ` +
        `through the other instance (forwarded over Redis) ${figures.forwardedRunMsP50} / ${figures.forwardedRunMsP99} ms; ` +
        `overhead ${figures.forwardingOverheadMsP50} ms p50 (target ≤ 3 ms)`,
    );
    console.log(
      `scale: ${NOTEBOOKS} notebooks with live kernels, trivial runs for ${SECONDS} s: one instance ${figures.oneInstanceRunsPerSecond} runs/s, ` +
        `two instances ${figures.twoInstancesRunsPerSecond} runs/s (ratio ${figures.twoOverOneRatio}; both on this machine's ` +
        `2 cores, so kernels — one process each — share the same CPUs); errors ${figures.errors}`,
    );
    return figures;
  } finally {
    for (const instance of instances) instance.kill();
    await Promise.all(instances.map((instance) => instance.exited));
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await postgres.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runScaleBench();
