// End-to-end benchmark (issue #20's table): what a user of the API sees, measured through the HTTP and
// WebSocket API of the built service started as a child process, beside a Jupyter IPython kernel measured
// in the same run (Debian's python3-ipykernel, installed here when missing). Each figure is printed with
// its target and the ratio figure/target, and returned as data.
//
//   new notebook → first result: POST …/run → `run_finished` on the socket, warm pool and no pool
//   trivial cell: socket `run_cell` → `run_finished`
//   100-cell chain: PATCH the root with run: true → `run_finished` of the run that re-ran all 100
//   idle kernel RSS: /proc of the notebook kernels of the no-pool service, idle after their first run
//   authenticated GET /notebooks/:id against a bare route: the `http` benchmark's method
//   where a kernel's start goes (stage by stage) and what an idle kernel holds: kernel-start.ts
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { measureReadShare, startBenchApp } from "./http.js";
import { type KernelStartFigures, measureKernelStart, printKernelStart } from "./kernel-start.js";
import { NotebookSocket, percentile, round, StartedService, sleep, type TimedEvent } from "./service.js";

const ANCHOR = fileURLToPath(new URL("../../bench/jupyter_anchor.py", import.meta.url));
const FIRST_RESULT_SAMPLES = 7;
const TRIVIAL_WARMUP = 20;
const TRIVIAL_SAMPLES = 200;
const CHAIN_CELLS = 100;
const CHAIN_SAMPLES = 9;
const MB = 1024 * 1024;

interface Row {
  figure: string;
  value: number;
  unit: string;
  /** The target; `atMost` (times, memory) or at least (a share). */
  target: number;
  atMost: boolean;
  jupyter?: string;
}

interface JupyterAnchor {
  kernelStartP50Ms: number;
  executeToIdleP50Ms: number;
  chain100ByHandP50Ms: number;
}

const median = (values: number[]) => percentile(values, 50);

/**
 * Where a run's time went, from the events the socket received (each is published only once the saves before
 * it are durable): ms from the command to the kernel ready (when it started one), to the first cell
 * `running`, to the last cell `success`, and to `run_finished`.
 */
interface Timeline {
  kernelReady?: number;
  firstRunning: number;
  lastSuccess: number;
  finished: number;
}

function timeline(events: TimedEvent[], started: number, finishedAt: number): Timeline {
  const first = (test: (event: TimedEvent["event"]) => boolean) =>
    events.find((timed) => timed.at >= started && test(timed.event));
  const ready = first((event) => event.type === "kernel_status" && event.status === "ready");
  const running = first((event) => event.type === "cell_status" && event.status === "running");
  const successes = events.filter(
    (timed) =>
      timed.event.type === "cell_status" && timed.event.status === "success" && timed.at <= finishedAt,
  );
  const last = successes[successes.length - 1];
  return {
    ...(ready ? { kernelReady: ready.at - started } : {}),
    firstRunning: (running?.at ?? Number.NaN) - started,
    lastSuccess: (last?.at ?? Number.NaN) - started,
    finished: finishedAt - started,
  };
}

/** "kernel ready 120, first running 130, last success 150, run_finished 151" as p50s of the samples. */
function describeTimelines(timelines: Timeline[]): string {
  const p50 = (pick: (t: Timeline) => number | undefined) => {
    const values = timelines.map(pick).filter((value): value is number => value !== undefined);
    return values.length === 0 ? null : round(median(values), 1);
  };
  const parts = [
    ["kernel ready", p50((t) => t.kernelReady)],
    ["first cell running", p50((t) => t.firstRunning)],
    ["last cell success", p50((t) => t.lastSuccess)],
    ["run_finished", p50((t) => t.finished)],
  ] as const;
  return parts
    .filter(([, value]) => value !== null)
    .map(([name, value]) => `${name} ${value}`)
    .join(", ");
}

/** Debian's interpreter (where apt installs python3-ipykernel), not whichever python3 comes first on PATH. */
const PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

function python(args: string[]) {
  return spawnSync(PYTHON, args, { encoding: "utf8", timeout: 600_000 });
}

/** Makes sure python3-ipykernel is importable (installing it with apt when missing); else why not. */
function ensureIpykernel(): string | null {
  const probe = ["-c", "import ipykernel, jupyter_client"];
  if (python(probe).status === 0) return null;
  if (process.getuid?.() !== 0) return "python3-ipykernel is not installed and installing it needs root";
  console.log("e2e: installing python3-ipykernel with apt for the Jupyter anchor…");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update"], ["install", "-y", "--no-install-recommends", "python3-ipykernel"]]) {
    const step = spawnSync("apt-get", args, { encoding: "utf8", env, timeout: 600_000 });
    if (step.status !== 0) {
      const why = (step.stderr || step.error?.message || "").trim().split("\n").pop();
      return `apt-get ${args[0]} failed (${why})`;
    }
  }
  return python(probe).status === 0 ? null : "python3-ipykernel installed but not importable";
}

function measureJupyter(): JupyterAnchor | string {
  const missing = ensureIpykernel();
  if (missing) return missing;
  const run = python([ANCHOR, "3", String(TRIVIAL_SAMPLES), "5"]);
  if (run.status !== 0) return `the anchor failed: ${(run.stderr || run.error?.message || "").slice(-400)}`;
  return JSON.parse(run.stdout.trim().split("\n").pop() as string) as JupyterAnchor;
}

/**
 * p50 of writing 4 KiB and fsyncing it in the temporary directory (where the services' DATA_DIR lives): the
 * floor under every result acknowledged as durable (SQLite commits with synchronous=FULL).
 */
function fsyncP50Ms(): number {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "rn-bench-fsync-")), "probe");
  const fd = openSync(file, "w");
  const block = Buffer.alloc(4096, 1);
  const samples: number[] = [];
  try {
    for (let i = 0; i < 50; i++) {
      const started = performance.now();
      writeSync(fd, block);
      fsyncSync(fd);
      samples.push(performance.now() - started);
    }
  } finally {
    closeSync(fd);
    rmSync(path.dirname(file), { recursive: true, force: true });
  }
  return median(samples);
}

/**
 * POST …/run on a new notebook, once its kernel pool (if any) is refilled: ms until `run_finished`. Each
 * notebook belongs to its own user (`user`-0, -1…), so kept kernels stay under KERNEL_MAX_PER_USER.
 */
async function firstResults(
  service: StartedService,
  user: string,
  keep: boolean,
): Promise<{ samples: number[]; timelines: Timeline[] }> {
  const samples: number[] = [];
  const timelines: Timeline[] = [];
  for (let i = 0; i < FIRST_RESULT_SAMPLES; i++) {
    const token = await service.token(`${user}-${i}`);
    const notebook = await service.createNotebook(token, `first result ${i}`, ["1 + 1"]);
    const cellId = notebook.cells[0]?.id as string;
    const socket = await NotebookSocket.open(service, notebook.id, token);
    await service.quiet();
    socket.recording = [];
    const started = performance.now();
    await service.expect(202, "POST", `/api/v1/notebooks/${notebook.id}/run`, token);
    const finished = await socket.runFinished(started, cellId);
    samples.push(finished.at - started);
    timelines.push(timeline(socket.recording, started, finished.at));
    socket.close();
    const cell = (await service.getNotebook(token, notebook.id)).cells[0];
    if (cell?.status !== "success" || cell.outputs[0]?.data !== "2")
      throw new Error(`the first result was wrong: ${JSON.stringify(cell)}`);
    if (!keep) await service.expect(204, "DELETE", `/api/v1/notebooks/${notebook.id}`, token);
  }
  return { samples, timelines };
}

/** Socket `run_cell` of "1 + 1" in a notebook whose kernel is up: ms until `run_finished`. */
async function trivialCell(
  service: StartedService,
  token: string,
): Promise<{ samples: number[]; timelines: Timeline[] }> {
  const notebook = await service.createNotebook(token, "trivial", ["1 + 1"]);
  const cellId = notebook.cells[0]?.id as string;
  await service.expect(200, "POST", `/api/v1/notebooks/${notebook.id}/run?wait=60`, token);
  const socket = await NotebookSocket.open(service, notebook.id, token);
  await service.quiet();
  const samples: number[] = [];
  const timelines: Timeline[] = [];
  for (let i = 0; i < TRIVIAL_WARMUP + TRIVIAL_SAMPLES; i++) {
    socket.recording = [];
    const started = performance.now();
    socket.send({ type: "run_cell", cellId });
    const finished = await socket.runFinished(started, cellId);
    if (i < TRIVIAL_WARMUP) continue;
    samples.push(finished.at - started);
    timelines.push(timeline(socket.recording, started, finished.at));
  }
  socket.close();
  return { samples, timelines };
}

/** PATCH of the root of a 100-cell chain with run: true: ms until the `run_finished` that re-ran all 100. */
async function chainRerun(
  service: StartedService,
  token: string,
): Promise<{ samples: number[]; timelines: Timeline[] }> {
  const codes = Array.from({ length: CHAIN_CELLS }, (_, i) => (i === 0 ? "c0 = 0" : `c${i} = c${i - 1} + 1`));
  const notebook = await service.createNotebook(token, "chain", codes);
  const root = notebook.cells[0]?.id as string;
  const last = notebook.cells[CHAIN_CELLS - 1]?.id as string;
  await service.expect(200, "POST", `/api/v1/notebooks/${notebook.id}/run?wait=60`, token);
  const socket = await NotebookSocket.open(service, notebook.id, token);
  await service.quiet();
  const samples: number[] = [];
  const timelines: Timeline[] = [];
  for (let i = 1; i <= CHAIN_SAMPLES + 1; i++) {
    socket.recording = [];
    const started = performance.now();
    await service.expect(200, "PATCH", `/api/v1/notebooks/${notebook.id}/cells/${root}`, token, {
      code: `c0 = ${i}`,
      run: true,
    });
    const finished = await socket.runFinished(started, last);
    const ran = (finished.event as { cells: string[] }).cells.length;
    if (ran !== CHAIN_CELLS) throw new Error(`the chain re-ran ${ran} cells, not ${CHAIN_CELLS}`);
    if (i === 1) continue;
    samples.push(finished.at - started);
    timelines.push(timeline(socket.recording, started, finished.at));
  }
  socket.close();
  const stored = await service.getNotebook(token, notebook.id);
  const unsettled = stored.cells.filter((cell) => cell.status !== "success");
  if (unsettled.length > 0) throw new Error(`${unsettled.length} chain cells did not end in success`);
  return { samples, timelines };
}

function printRows(rows: Row[]): void {
  const width = Math.max(...rows.map((row) => row.figure.length));
  for (const row of rows) {
    const ratio = row.value / row.target;
    const met = row.atMost ? row.value <= row.target : row.value >= row.target;
    const target = `${row.atMost ? "≤" : "≥"} ${row.target} ${row.unit}`.trim();
    const anchor = row.jupyter ? `; Jupyter, same run: ${row.jupyter}` : "";
    console.log(
      `${row.figure.padEnd(width)}  ${row.value} ${row.unit}`.trimEnd() +
        `  (target ${target}; ratio ${round(ratio)} ${met ? "met" : "MISSED"}${anchor})`,
    );
  }
}

/**
 * Only the chain row (`npm run bench -- e2e-chain`), on a service with `env` (e.g. a knob and its baseline
 * in one run): p50 ms and the timeline of the samples.
 */
export async function measureChainRerun(
  env: Record<string, string> = {},
): Promise<{ p50: number; timeline: string }> {
  const service = await StartedService.start({ KERNEL_POOL: "1", KERNEL_IDLE_MS: "3600000", ...env });
  try {
    await service.quiet(180_000);
    const chain = await chainRerun(service, await service.token("e2e-chain"));
    return { p50: round(median(chain.samples)), timeline: describeTimelines(chain.timelines) };
  } finally {
    await service.stop();
  }
}

/** `npm run bench -- e2e-chain`: the chain row with batches (the default) and without, in one run. */
export async function runChainE2eBench(): Promise<Record<string, number>> {
  const alone = await measureChainRerun({ KERNEL_BATCH_CELLS: "1" });
  const batched = await measureChainRerun();
  console.log(
    `e2e-chain, each cell sent alone (KERNEL_BATCH_CELLS=1): ${alone.p50} ms p50; ${alone.timeline}`,
  );
  console.log(
    `e2e-chain, batched (default): ${batched.p50} ms p50 (target ≤ 60 ms; ratio to alone ${round(batched.p50 / alone.p50)}); ${batched.timeline}`,
  );
  return { chain100RerunAloneP50Ms: alone.p50, chain100RerunBatchedP50Ms: batched.p50 };
}

export async function runE2eBench(): Promise<Record<string, number | string>> {
  // 1. The default service (one warm kernel in the pool).
  const pooled = await StartedService.start({ KERNEL_POOL: "1", KERNEL_IDLE_MS: "3600000" });
  type Measured = { samples: number[]; timelines: Timeline[] };
  let warm: Measured;
  let trivial: Measured;
  let chain: Measured;
  try {
    await pooled.quiet(180_000); // the snapshot is built and the pool filled
    warm = await firstResults(pooled, "e2e-warm", false);
    trivial = await trivialCell(pooled, await pooled.token("e2e-trivial"));
    chain = await chainRerun(pooled, await pooled.token("e2e-chain"));
  } finally {
    await pooled.stop();
  }

  // 2. No pool: every first result restores the snapshot; those kernels then sit idle for the RSS figure.
  const unpooled = await StartedService.start({ KERNEL_POOL: "0", KERNEL_IDLE_MS: "3600000" });
  let cold: Measured;
  const idle: { rss: number; pss: number }[] = [];
  let serverRssMb: number;
  try {
    await unpooled.quiet(180_000);
    const before = new Set(unpooled.kernelPids()); // the analysis kernel
    cold = await firstResults(unpooled, "e2e-cold", true);
    await unpooled.quiet();
    await sleep(2000);
    const memory = unpooled.memory();
    for (const kernel of memory.kernels) {
      if (!before.has(kernel.pid)) idle.push({ rss: kernel.rssBytes / MB, pss: kernel.pssBytes / MB });
    }
    serverRssMb = (memory.server?.rssBytes ?? Number.NaN) / MB;
  } finally {
    await unpooled.stop();
  }

  // 3. The authenticated read, as `npm run bench -- http` measures it (in-process, rate limits off).
  const bench = await startBenchApp();
  const read = await measureReadShare(bench.base, bench.headers, bench.notebookId);
  await bench.app.close();

  // 4. Where a kernel's start goes and what an idle kernel holds, outside the service.
  const start: KernelStartFigures = await measureKernelStart();

  // 5. The Jupyter anchor, after the service has stopped.
  const jupyter = measureJupyter();
  const anchor = typeof jupyter === "string" ? null : jupyter;
  if (!anchor) console.log(`e2e: no Jupyter anchor: ${jupyter}`);

  const rss = idle.map((kernel) => kernel.rss);
  const measured = {
    firstResultWarmPoolP50Ms: round(median(warm.samples)),
    firstResultNoPoolP50Ms: round(median(cold.samples)),
    trivialCellP50Ms: round(median(trivial.samples)),
    trivialCellP99Ms: round(percentile(trivial.samples, 99)),
    chain100RerunP50Ms: round(median(chain.samples)),
    idleKernelRssMinMb: round(Math.min(...rss)),
    idleKernelRssMaxMb: round(Math.max(...rss)),
    idleKernelPssMedianMb: round(median(idle.map((kernel) => kernel.pss))),
    idleKernels: idle.length,
    serverRssMb: round(serverRssMb),
    fsyncP50Ms: round(fsyncP50Ms()),
    ...read,
  };
  const figures: Record<string, number | string> = {
    ...measured,
    kernelReadyP50Ms: start.readyP50Ms,
    kernelIdleRssP50Mb: start.idleRssP50Mb,
  };
  if (anchor) {
    figures.jupyterKernelStartP50Ms = round(anchor.kernelStartP50Ms);
    figures.jupyterExecuteToIdleP50Ms = round(anchor.executeToIdleP50Ms);
    figures.jupyterChain100ByHandP50Ms = round(anchor.chain100ByHandP50Ms);
  } else figures.jupyterSkipped = jupyter as string;

  const jupyterMs = (value: number | undefined, what: string) =>
    value === undefined ? undefined : `${what} ${round(value)} ms`;
  printRows([
    {
      figure: "new notebook → first result, warm pool (POST run → run_finished) p50",
      value: measured.firstResultWarmPoolP50Ms,
      unit: "ms",
      target: 100,
      atMost: true,
      jupyter: jupyterMs(anchor?.kernelStartP50Ms, "kernel start"),
    },
    {
      figure: "new notebook → first result, no pool (snapshot restore) p50",
      value: measured.firstResultNoPoolP50Ms,
      unit: "ms",
      target: 400,
      atMost: true,
      jupyter: jupyterMs(anchor?.kernelStartP50Ms, "kernel start"),
    },
    {
      figure: "trivial cell, socket run_cell → run_finished p50",
      value: measured.trivialCellP50Ms,
      unit: "ms",
      target: 2,
      atMost: true,
      jupyter: jupyterMs(anchor?.executeToIdleP50Ms, "execute→idle"),
    },
    {
      figure: `re-run of a ${CHAIN_CELLS}-cell chain after editing its root (PATCH run → run_finished) p50`,
      value: measured.chain100RerunP50Ms,
      unit: "ms",
      target: 60,
      atMost: true,
      jupyter: jupyterMs(anchor?.chain100ByHandP50Ms, "by hand"),
    },
    {
      figure: `idle kernel process RSS (max of ${idle.length}; min ${measured.idleKernelRssMinMb} MB, PSS p50 ${measured.idleKernelPssMedianMb} MB)`,
      value: measured.idleKernelRssMaxMb,
      unit: "MB",
      target: 120,
      atMost: true,
    },
    {
      figure: `authenticated GET /notebooks/:id vs a bare route (${read.apiRequestsPerSecond} / ${read.bareRequestsPerSecond} req/s)`,
      value: measured.apiShareOfBare,
      unit: "",
      target: 0.4,
      atMost: false,
    },
  ]);
  // Where the time goes (ms from the command, p50): each event is published once the saves before it are durable.
  console.log(`e2e: first result, warm pool: ${describeTimelines(warm.timelines)}`);
  console.log(`e2e: first result, no pool: ${describeTimelines(cold.timelines)}`);
  console.log(
    `e2e: trivial cell: ${describeTimelines(trivial.timelines)} (one fsync of this disk: ${measured.fsyncP50Ms} ms p50)`,
  );
  console.log(`e2e: chain: ${describeTimelines(chain.timelines)}`);
  printKernelStart(start, "e2e: kernel start");
  console.log(
    `e2e: trivial cell p99 ${measured.trivialCellP99Ms} ms; server process RSS ${measured.serverRssMb} MB with ${idle.length} idle kernels`,
  );
  return figures;
}
