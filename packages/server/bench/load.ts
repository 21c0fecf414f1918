// Load test (issue #20): many notebooks of many users, each with a live kernel, edited and run over the API of
// the built service (a child process on loopback) for a bounded time. Reports throughput, p50/p99 latency of
// an edit → `run_finished`, peak memory of the whole service (server + kernel processes), errors, and
// whether anything was lost (every notebook read back at the end must show its last acknowledged edit run).
//
//   npm run bench -- load                                   100 notebooks of 20 users, 60 s
//   BENCH_LOAD_NOTEBOOKS=10 BENCH_LOAD_SECONDS=10 npm run bench -- load    a short run
//
// Bounded: BENCH_LOAD_NOTEBOOKS (100), BENCH_LOAD_USERS (20), BENCH_LOAD_SECONDS (60), each notebook at most one
// operation per BENCH_LOAD_INTERVAL_MS (500, which keeps every user under the default rate limit). The machine
// is shared: kernels stop being added when MemAvailable falls under BENCH_LOAD_MIN_FREE_MB (3072), and the
// load stops early under half that; the report says so.
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import {
  cpuMsOf,
  type NotebookBody,
  NotebookSocket,
  percentile,
  round,
  StartedService,
  sleep,
  UnexpectedAnswer,
} from "./service.js";

const MB = 1024 * 1024;

function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a whole number ≥ 1, got "${raw}"`);
  return value;
}

/** MemAvailable of the machine in MB (what can still be used without swapping or the OOM killer). */
function memAvailableMb(): number {
  const kb = /MemAvailable:\s+(\d+) kB/.exec(readFileSync("/proc/meminfo", "utf8"))?.[1];
  return Number(kb) / 1024;
}

/** The three cells of every notebook: an edit of `x` re-runs all three; the last prints 2x. */
const CELLS = (x: number) => [`x = ${x}`, "y = x * 2", "print(y)"];

interface LoadNotebook {
  id: string;
  user: number;
  token: string;
  cells: string[];
  socket: NotebookSocket | null;
  /** The value of x of the last edit the service acknowledged (PATCH 200). */
  acknowledged: number;
}

/** Peak memory of the service's process tree, sampled while the test runs. */
class MemoryWatch {
  peakRssMb = 0;
  peakPssMb = 0;
  peakServerRssMb = 0;
  minAvailableMb = Number.POSITIVE_INFINITY;
  samples = 0;
  #timer: NodeJS.Timeout | null = null;

  constructor(private readonly service: StartedService) {}

  start(): void {
    this.sample();
    this.#timer = setInterval(() => this.sample(), 1000);
  }

  sample(): void {
    const { server, kernels } = this.service.memory();
    const all = server ? [server, ...kernels] : kernels;
    this.peakRssMb = Math.max(this.peakRssMb, all.reduce((sum, p) => sum + p.rssBytes, 0) / MB);
    this.peakPssMb = Math.max(this.peakPssMb, all.reduce((sum, p) => sum + p.pssBytes, 0) / MB);
    this.peakServerRssMb = Math.max(this.peakServerRssMb, (server?.rssBytes ?? 0) / MB);
    this.minAvailableMb = Math.min(this.minAvailableMb, memAvailableMb());
    this.samples++;
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.sample();
  }
}

export async function runLoadBench(): Promise<Record<string, number | string>> {
  const wanted = setting("BENCH_LOAD_NOTEBOOKS", 100);
  const users = setting("BENCH_LOAD_USERS", 20);
  const seconds = setting("BENCH_LOAD_SECONDS", 60);
  const intervalMs = setting("BENCH_LOAD_INTERVAL_MS", 500);
  const minFreeMb = setting("BENCH_LOAD_MIN_FREE_MB", 3072);

  // Every notebook keeps its kernel: idle ones are not stopped, and each user may hold all of theirs.
  const perUser = Math.ceil(wanted / users);
  const service = await StartedService.start({
    KERNEL_IDLE_MS: "3600000",
    KERNEL_MAX_PER_USER: String(perUser),
  });
  const kernelMax = Number(/pool \d+, max (\d+)/.exec(service.log)?.[1]);
  const memory = new MemoryWatch(service);
  memory.start();
  const errors = new Map<string, number>();
  const fail = (kind: string, error?: unknown) => {
    errors.set(kind, (errors.get(kind) ?? 0) + 1);
    if ((errors.get(kind) ?? 0) <= 3)
      console.log(`load: error ${kind}: ${error instanceof Error ? error.message.slice(0, 300) : ""}`);
  };
  const notebooks: LoadNotebook[] = [];
  let stoppedBecause = "";
  const rampStarted = performance.now();
  try {
    await service.quiet(180_000); // snapshot built, analysis kernel and pool up
    const tokens = await Promise.all(
      Array.from({ length: users }, (_, u) => service.token(`load-user-${u}`)),
    );

    // Ramp: one notebook at a time, each run once so its kernel is live.
    for (let i = 0; i < wanted; i++) {
      const available = memAvailableMb();
      if (available < minFreeMb) {
        stoppedBecause = `MemAvailable ${Math.round(available)} MB < ${minFreeMb} MB`;
        break;
      }
      const user = i % users;
      const token = tokens[user] as string;
      try {
        const created: NotebookBody = await service.createNotebook(token, `load ${i}`, CELLS(0));
        await service.expect(200, "POST", `/api/v1/notebooks/${created.id}/run?wait=60`, token);
        notebooks.push({
          id: created.id,
          user,
          token,
          cells: created.cells.map((cell) => cell.id),
          socket: await NotebookSocket.open(service, created.id, token),
          acknowledged: 0,
        });
      } catch (error) {
        fail("ramp", error);
        stoppedBecause = `notebook ${i + 1} could not start: ${error instanceof UnexpectedAnswer ? `${error.status} ${error.body.slice(0, 200)}` : String(error)}`;
        break;
      }
      if ((i + 1) % 10 === 0)
        console.log(
          `load: ${i + 1} live kernels, service RSS ${Math.round(memory.peakRssMb)} MB, MemAvailable ${Math.round(available)} MB`,
        );
    }
    const rampSeconds = (performance.now() - rampStarted) / 1000;
    const afterRamp = service.memory();
    const kernelRss = afterRamp.kernels.map((kernel) => kernel.rssBytes / MB);

    // Load: each notebook edits x and re-runs (4 in 5 operations) or re-runs its middle cell over the socket.
    const latencies: number[] = [];
    let operations = 0;
    let abortedBecause = "";
    const deadline = performance.now() + seconds * 1000;
    const worker = async (notebook: LoadNotebook) => {
      const [a, b, c] = notebook.cells as [string, string, string];
      let k = 0;
      while (performance.now() < deadline && !abortedBecause) {
        const started = performance.now();
        k++;
        try {
          const socket = notebook.socket as NotebookSocket;
          if (k % 5 === 0) {
            socket.send({ type: "run_cell", cellId: b });
            await socket.runFinished(started, c, 60_000);
          } else {
            const finished = socket.runFinished(started, c, 60_000);
            finished.catch(() => {});
            await service.expect(
              200,
              "PATCH",
              `/api/v1/notebooks/${notebook.id}/cells/${a}`,
              notebook.token,
              {
                code: `x = ${k}`,
                run: true,
              },
            );
            notebook.acknowledged = k;
            await finished;
          }
          latencies.push(performance.now() - started);
          operations++;
        } catch (error) {
          fail(error instanceof UnexpectedAnswer ? `http ${error.status}` : "run", error);
          notebook.socket?.cancelWaits();
          await sleep(intervalMs);
        }
        const rest = intervalMs - (performance.now() - started);
        if (rest > 0) await sleep(rest);
      }
    };
    const guard = setInterval(() => {
      const available = memAvailableMb();
      if (available < minFreeMb / 2)
        abortedBecause = `MemAvailable ${Math.round(available)} MB < ${minFreeMb / 2} MB`;
    }, 1000);
    const loadStarted = performance.now();
    const cpuBefore = { server: cpuMsOf(service.pid), all: service.cpuMs() };
    await Promise.all(notebooks.map(worker));
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    const serverCpuMs = cpuMsOf(service.pid) - cpuBefore.server;
    const kernelsCpuMs = service.cpuMs() - cpuBefore.all - serverCpuMs;
    clearInterval(guard);

    // Nothing lost: every notebook shows its last acknowledged edit, run through to the printed result.
    await service.quiet(60_000);
    let lost = 0;
    for (const notebook of notebooks) {
      try {
        const stored = await service.getNotebook(notebook.token, notebook.id);
        const [a, b, c] = stored.cells;
        const x = notebook.acknowledged;
        const right =
          a?.code === `x = ${x}` &&
          [a, b, c].every((cell) => cell?.status === "success") &&
          c?.stdout === `${2 * x}\n`;
        if (!right) {
          lost++;
          if (lost <= 3)
            console.log(
              `load: notebook ${notebook.id} lost its last edit x = ${x}: ${JSON.stringify(
                stored.cells.map((cell) => [cell.code, cell.status, cell.stdout]),
              )}`,
            );
        }
      } catch (error) {
        fail("read back", error);
        lost++;
      }
    }
    memory.stop();

    const errorCount = [...errors.values()].reduce((sum, n) => sum + n, 0);
    const figures: Record<string, number | string> = {
      notebooksWanted: wanted,
      liveKernels: notebooks.length,
      users,
      kernelMax,
      rampSeconds: round(rampSeconds, 1),
      idleKernelRssMeanMb: round(kernelRss.reduce((sum, n) => sum + n, 0) / Math.max(1, kernelRss.length), 1),
      loadSeconds: round(loadSeconds, 1),
      operations,
      operationsPerSecond: round(operations / loadSeconds, 1),
      latencyP50Ms: round(percentile(latencies, 50)),
      latencyP99Ms: round(percentile(latencies, 99)),
      // CPU the service spent per operation (an edit and its 3-cell run, or a 2-cell re-run): what the
      // throughput costs, whatever share of the machine the service got.
      serverCpuMsPerOperation: round(serverCpuMs / Math.max(1, operations)),
      kernelsCpuMsPerOperation: round(kernelsCpuMs / Math.max(1, operations)),
      serviceCpuCores: round((serverCpuMs + kernelsCpuMs) / 1000 / loadSeconds),
      errors: errorCount,
      lost,
      peakServiceRssMb: Math.round(memory.peakRssMb),
      peakServicePssMb: Math.round(memory.peakPssMb),
      peakServerProcessRssMb: Math.round(memory.peakServerRssMb),
      minMemAvailableMb: Math.round(memory.minAvailableMb),
    };
    if (stoppedBecause) figures.rampStoppedBecause = stoppedBecause;
    if (abortedBecause) figures.loadStoppedBecause = abortedBecause;
    if (errorCount > 0) figures.errorKinds = JSON.stringify(Object.fromEntries(errors));

    console.log(
      `load: ${notebooks.length}/${wanted} notebooks of ${users} users with live kernels (KERNEL_MAX ${kernelMax} from memory, KERNEL_MAX_PER_USER ${perUser}), ` +
        `ramp ${figures.rampSeconds} s${stoppedBecause ? ` — stopped: ${stoppedBecause}` : ""}`,
    );
    console.log(
      `load: ${figures.loadSeconds} s of edits and runs (one per notebook every ≥ ${intervalMs} ms): ${operations} operations, ` +
        `${figures.operationsPerSecond}/s; edit → run_finished p50 ${figures.latencyP50Ms} ms, p99 ${figures.latencyP99Ms} ms; ` +
        `CPU per operation: server ${figures.serverCpuMsPerOperation} ms, kernels ${figures.kernelsCpuMsPerOperation} ms ` +
        `(the service used ${figures.serviceCpuCores} cores of ${availableParallelism()})` +
        (abortedBecause ? ` — stopped early: ${abortedBecause}` : ""),
    );
    console.log(
      `load: errors ${errorCount}${errorCount ? ` ${figures.errorKinds}` : ""} (target 0); lost ${lost} (target 0)`,
    );
    console.log(
      `load: peak memory of the service (server + ${notebooks.length + 2} kernel processes): RSS ${figures.peakServiceRssMb} MB ` +
        `(PSS ${figures.peakServicePssMb} MB; server process ${figures.peakServerProcessRssMb} MB; idle kernel ${figures.idleKernelRssMeanMb} MB mean); ` +
        `machine MemAvailable min ${figures.minMemAvailableMb} MB`,
    );
    return figures;
  } finally {
    memory.stop();
    for (const notebook of notebooks) notebook.socket?.close();
    await service.stop();
  }
}
