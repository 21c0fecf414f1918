// How a kernel process starts: the snapshot arrives through a read-only descriptor of its cache file (not
// IPC) and the descriptor is closed once read; the process's environment holds nothing of the server's;
// a pool refill runs at a low CPU priority until it is taken.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { type Kernel, KernelManager } from "../src/kernel/index.js";
import { KernelProcess } from "../src/kernel/kernel-process.js";
import { detectSandboxLayers } from "../src/kernel/sandbox.js";
import { loadOrBuildSnapshot, readRuntimeSources } from "../src/kernel/snapshot.js";

/** Snapshots are cached here across test files and runs (keyed by Pyodide version + runtime hash). */
const SNAPSHOT_CACHE = path.join(tmpdir(), "rn-kernel-test-data");
const SERVER_SECRET = "RN_KERNEL_START_SECRET";
process.env[SERVER_SECRET] = "must-not-reach-a-kernel";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Nice value of every thread of a process (field 19 of /proc/<pid>/task/<tid>/stat). */
function niceValues(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
  });
}

function openFiles(pid: number): string[] {
  return readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
    try {
      return [readlinkSync(`/proc/${pid}/fd/${fd}`)];
    } catch {
      return [];
    }
  });
}

describe("kernel start", { skip: process.platform !== "linux" && "reads /proc" }, () => {
  const layers = detectSandboxLayers();
  const sources = readRuntimeSources();
  let snapshot: Awaited<ReturnType<typeof loadOrBuildSnapshot>>;

  before(async () => {
    snapshot = await loadOrBuildSnapshot({ dataDir: SNAPSHOT_CACHE, layers, memoryMb: 512, sources });
  });

  test("the snapshot comes from a descriptor of its file, closed once read; nothing of the server's environment", async () => {
    // A snapshot passed in memory that is not the file's: the kernel restores the file's (the one it reads).
    const kernel = await KernelProcess.start({
      layers,
      memoryMb: 512,
      snapshot: new Uint8Array(8),
      snapshotFile: snapshot.file,
      sources,
    });
    try {
      const result = JSON.parse(
        await kernel.call(
          "run_cell",
          ["c", "6 * 7"],
          (raw) => raw ?? "",
          () => {},
        ),
      ) as { status: string; outputs: { data: unknown }[] };
      assert.equal(result.status, "success");
      assert.equal(result.outputs[0]?.data, "42");
      assert.ok(
        !openFiles(kernel.pid).includes(snapshot.file),
        "the kernel keeps no descriptor of the snapshot file",
      );
      const environment = readFileSync(`/proc/${kernel.pid}/environ`, "utf8").split("\0").filter(Boolean);
      const names = environment.map((entry) => entry.slice(0, entry.indexOf("=")));
      assert.ok(!names.includes(SERVER_SECRET));
      assert.deepEqual(
        names.filter((name) => !name.startsWith("NODE_CHANNEL_") && name !== "PWD"),
        ["GLIBC_TUNABLES"],
        "the kernel's environment is the server's choice only (and PWD, from the shell that joins the cgroup)",
      );
    } finally {
      kernel.kill("test over");
    }
  });

  test("without the file, the snapshot goes over IPC as before", async () => {
    const kernel = await KernelProcess.start({
      layers,
      memoryMb: 512,
      snapshot: snapshot.bytes,
      snapshotFile: path.join(SNAPSHOT_CACHE, "no-such-snapshot.bin"),
      sources,
    });
    try {
      const raw = await kernel.call(
        "run_cell",
        ["c", "1 + 1"],
        (value) => value ?? "",
        () => {},
      );
      assert.equal((JSON.parse(raw) as { status: string }).status, "success");
    } finally {
      kernel.kill("test over");
    }
  });

  describe("pool refill priority", {
    skip: process.getuid?.() !== 0 && "needs root to raise it again",
  }, () => {
    let manager: KernelManager;
    after(async () => manager?.close());

    test("a pooled kernel starts at nice 10 and gets the normal priority when a notebook takes it", async () => {
      manager = new KernelManager({
        dataDir: SNAPSHOT_CACHE,
        pyodideIndexUrl: "http://127.0.0.1:9/",
        cellTimeoutMs: 10_000,
        memoryMb: 512,
        maxKernels: 4,
        idleMs: 0,
        poolSize: 1,
        analysisProcesses: 1,
      });
      await manager.start();
      const pool = (manager as unknown as { pool: KernelProcess[] }).pool;
      const deadline = Date.now() + 120_000;
      while (pool.length === 0 && Date.now() < deadline) await sleep(100);
      const pooled = pool[0] as KernelProcess;
      assert.ok(pooled, "the pool filled");
      assert.ok(
        niceValues(pooled.pid).every((nice) => nice === 10),
        `pooled: ${niceValues(pooled.pid)}`,
      );

      const kernel: Kernel = await manager.kernelFor("nb-priority", "user-a");
      assert.equal(
        (kernel as unknown as { pid: number }).pid,
        pooled.pid,
        "the notebook got the pooled process",
      );
      assert.ok(
        niceValues(pooled.pid).every((nice) => nice === 0),
        `taken: ${niceValues(pooled.pid)}`,
      );
      const result = await kernel.execute("c", "1 + 1", () => {});
      assert.equal(result.status, "success");
    });
  });
});
