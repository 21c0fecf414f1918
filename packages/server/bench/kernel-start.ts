// Where a kernel's start goes and what an idle kernel holds (issue #20, items 4 and 5).
//
// Start: kernel-start-probe.ts runs the stages of a start one after the other in a process started exactly
// as a kernel is (sandbox wrappers, flags, environment, snapshot descriptor), reporting each stage's wall and
// CPU time; the spawn (wrappers included, up to node's first instruction) is timed from here. Real kernels
// (KernelProcess.start, as the manager starts them) are timed to `ready` and to their first result.
// Memory: /proc of those real kernels once idle, split into node's binary (file pages, shared by every
// kernel), anonymous memory and the malloc heap; the probe gives the V8 heap and wasm memory inside.
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { KernelProcess, SNAPSHOT_FD } from "../src/kernel/kernel-process.js";
import { KernelOsLimits } from "../src/kernel/os-limits.js";
import { detectSandboxLayers, kernelCommand } from "../src/kernel/sandbox.js";
import { loadOrBuildSnapshot, readRuntimeSources } from "../src/kernel/snapshot.js";
import { percentile, round, sleep } from "./service.js";

const PROBE = fileURLToPath(new URL("./kernel-start-probe.js", import.meta.url));
const MB = 1024 * 1024;

interface ProbeReport {
  timeOrigin: number;
  stages: { stage: string; ms: number; cpuMs: number }[];
  memory: {
    rssBytes: number;
    v8HeapBytes: number;
    v8HeapUsedBytes: number;
    wasmMemoryBytes: number;
    arrayBuffersBytes: number;
  };
}

export interface KernelStartFigures {
  /** Stage name → p50 wall and CPU ms, in order. */
  stages: { stage: string; ms: number; cpuMs: number }[];
  /** Spawn → ready of real kernels (stages overlap there), and → first result. */
  readyP50Ms: number;
  firstResultP50Ms: number;
  /** Real idle kernels, MB. */
  idleRssP50Mb: number;
  idleRssMaxMb: number;
  idle: { nodeBinaryMb: number; anonymousMb: number; mallocHeapMb: number; otherMb: number };
  /** Inside the probe (main thread only; a real kernel has a second, small isolate), MB. */
  probe: { v8HeapMb: number; wasmMemoryMb: number; arrayBuffersMb: number };
}

/** RSS of one process by kind of mapping, in MB, from /proc/<pid>/smaps. */
function rssByKind(pid: number): {
  nodeBinaryMb: number;
  anonymousMb: number;
  mallocHeapMb: number;
  otherMb: number;
} {
  const sums = { nodeBinaryMb: 0, anonymousMb: 0, mallocHeapMb: 0, otherMb: 0 };
  let kind: keyof typeof sums = "otherMb";
  for (const line of readFileSync(`/proc/${pid}/smaps`, "utf8").split("\n")) {
    const mapping = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (mapping) {
      const name = mapping[1] ?? "";
      kind =
        name === process.execPath
          ? "nodeBinaryMb"
          : name === ""
            ? "anonymousMb"
            : name === "[heap]"
              ? "mallocHeapMb"
              : "otherMb";
    } else if (line.startsWith("Rss:")) sums[kind] += Number(line.split(/\s+/)[1]) / 1024;
  }
  return sums;
}

function rssMbOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kb) / 1024;
}

async function runProbe(options: {
  layers: ReturnType<typeof detectSandboxLayers>;
  osLimits: KernelOsLimits;
  memoryMb: number;
  snapshotFile: string;
}): Promise<ProbeReport & { spawnMs: number }> {
  const group = options.osLimits.createGroup();
  const command = kernelCommand(options.layers, PROBE, options.memoryMb, options.osLimits.wrap(group), [
    `--snapshot-fd=${SNAPSHOT_FD}`,
  ]);
  const fd = openSync(options.snapshotFile, "r");
  const spawnedAt = performance.timeOrigin + performance.now();
  let child: ChildProcess;
  try {
    child = spawn(command.command, command.args, {
      cwd: command.cwd,
      env: command.env,
      stdio: ["ignore", "ignore", "pipe", "ipc", fd],
      serialization: "advanced",
    });
  } finally {
    closeSync(fd);
  }
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  try {
    const report = await new Promise<ProbeReport>((resolve, reject) => {
      child.once("message", (message) => resolve(message as ProbeReport));
      child.once("exit", (code) => reject(new Error(`the start probe exited (${code}): ${stderr.trim()}`)));
    });
    return { ...report, spawnMs: report.timeOrigin - spawnedAt };
  } finally {
    child.kill("SIGKILL");
    await new Promise((resolve) => (child.exitCode === null ? child.once("exit", resolve) : resolve(null)));
    command.cleanup();
    group?.remove();
  }
}

export async function measureKernelStart(samples = 5, memoryMb = 512): Promise<KernelStartFigures> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "rn-kernel-start-"));
  const layers = detectSandboxLayers();
  const osLimits = new KernelOsLimits(memoryMb);
  try {
    const sources = readRuntimeSources();
    const snapshot = await loadOrBuildSnapshot({ dataDir, layers, memoryMb, sources });

    const reports: (ProbeReport & { spawnMs: number })[] = [];
    for (let i = 0; i < samples; i++)
      reports.push(await runProbe({ layers, osLimits, memoryMb, snapshotFile: snapshot.file }));
    const first = reports[0] as ProbeReport;
    const stages = [
      {
        stage: "spawn (sandbox wrappers, exec of node)",
        ms: percentile(
          reports.map((r) => r.spawnMs),
          50,
        ),
        cpuMs: Number.NaN,
      },
      ...first.stages.map((stage, index) => ({
        stage: stage.stage,
        ms: percentile(
          reports.map((r) => r.stages[index]?.ms ?? Number.NaN),
          50,
        ),
        cpuMs: percentile(
          reports.map((r) => r.stages[index]?.cpuMs ?? Number.NaN),
          50,
        ),
      })),
    ];

    const ready: number[] = [];
    const firstResult: number[] = [];
    const kernels: KernelProcess[] = [];
    try {
      for (let i = 0; i < samples; i++) {
        const started = performance.now();
        const kernel = await KernelProcess.start({
          layers,
          memoryMb,
          snapshot: snapshot.bytes,
          snapshotFile: snapshot.file,
          sources,
          osLimits,
        });
        kernels.push(kernel);
        ready.push(performance.now() - started);
        await kernel.call(
          "run_cell",
          ["c", "1 + 1"],
          (raw) => raw,
          () => {},
        );
        firstResult.push(performance.now() - started);
        await sleep(300);
      }
      await sleep(2000); // idle: start-up garbage collected, nothing running
      const rss = kernels.map((kernel) => rssMbOf(kernel.pid));
      const kinds = kernels.map((kernel) => rssByKind(kernel.pid));
      const p50 = (pick: (k: (typeof kinds)[number]) => number) => round(percentile(kinds.map(pick), 50), 1);
      return {
        stages: stages.map((stage) => ({ ...stage, ms: round(stage.ms, 1), cpuMs: round(stage.cpuMs, 1) })),
        readyP50Ms: round(percentile(ready, 50), 1),
        firstResultP50Ms: round(percentile(firstResult, 50), 1),
        idleRssP50Mb: round(percentile(rss, 50), 1),
        idleRssMaxMb: round(Math.max(...rss), 1),
        idle: {
          nodeBinaryMb: p50((k) => k.nodeBinaryMb),
          anonymousMb: p50((k) => k.anonymousMb),
          mallocHeapMb: p50((k) => k.mallocHeapMb),
          otherMb: p50((k) => k.otherMb),
        },
        probe: {
          v8HeapMb: round(
            percentile(
              reports.map((r) => r.memory.v8HeapBytes / MB),
              50,
            ),
            1,
          ),
          wasmMemoryMb: round(
            percentile(
              reports.map((r) => r.memory.wasmMemoryBytes / MB),
              50,
            ),
            1,
          ),
          arrayBuffersMb: round(
            percentile(
              reports.map((r) => r.memory.arrayBuffersBytes / MB),
              50,
            ),
            1,
          ),
        },
      };
    } finally {
      for (const kernel of kernels) kernel.kill("measured");
    }
  } finally {
    await sleep(200);
    osLimits.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Prints the breakdown: one line per stage, then the real kernels' figures against the targets. */
export function printKernelStart(figures: KernelStartFigures, prefix = "kernel start"): void {
  const width = Math.max(...figures.stages.map((stage) => stage.stage.length));
  let wall = 0;
  let cpu = 0;
  for (const stage of figures.stages) {
    wall += stage.ms;
    if (!Number.isNaN(stage.cpuMs)) cpu += stage.cpuMs;
    const cpuText = Number.isNaN(stage.cpuMs) ? "" : `, CPU ${stage.cpuMs} ms`;
    console.log(`${prefix}: ${stage.stage.padEnd(width)}  ${stage.ms} ms${cpuText}`);
  }
  console.log(
    `${prefix}: stages one after the other ${round(wall, 1)} ms (CPU ${round(cpu, 1)} ms); a real kernel overlaps ` +
      `them: spawn → ready ${figures.readyP50Ms} ms, → first result ${figures.firstResultP50Ms} ms (p50)`,
  );
  const idle = figures.idle;
  console.log(
    `${prefix}: idle kernel RSS p50 ${figures.idleRssP50Mb} MB, max ${figures.idleRssMaxMb} MB (target ≤ 120 MB) = ` +
      `node's binary ${idle.nodeBinaryMb} (file pages shared by all kernels) + anonymous ${idle.anonymousMb} + ` +
      `malloc heap ${idle.mallocHeapMb} + other ${idle.otherMb}; inside (probe, main thread): V8 heap ` +
      `${figures.probe.v8HeapMb}, wasm memory ${figures.probe.wasmMemoryMb}, array buffers (wasm memory included) ` +
      `${figures.probe.arrayBuffersMb}`,
  );
}

export async function runKernelStartBench(): Promise<KernelStartFigures> {
  const figures = await measureKernelStart();
  printKernelStart(figures);
  return figures;
}
