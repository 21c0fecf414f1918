// Specification of notebook kernels: sandboxed Pyodide processes that run cells, stream output,
// stop runaway cells at the time limit, survive crashes, and load packages through the server.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import {
  type ExecutionResult,
  type Kernel,
  KernelManager,
  type KernelManagerOptions,
  type KernelStatus,
  type KernelStreamEvent,
  KernelUnavailableError,
} from "../src/kernel/index.js";

/** Snapshots are cached here across test files and runs (keyed by Pyodide version + runtime hash). */
const SNAPSHOT_CACHE = path.join(tmpdir(), "rn-kernel-test-data");

function options(overrides: Partial<KernelManagerOptions>): KernelManagerOptions {
  return {
    dataDir: SNAPSHOT_CACHE,
    pyodideIndexUrl: "http://127.0.0.1:9/",
    cellTimeoutMs: 10_000,
    memoryMb: 512,
    maxKernels: 8,
    idleMs: 0,
    poolSize: 1,
    ...overrides,
  };
}

function pidOf(kernel: Kernel): number {
  return (kernel as unknown as { pid: number }).pid;
}

async function run(kernel: Kernel, code: string, events: KernelStreamEvent[] = []): Promise<ExecutionResult> {
  return kernel.execute("cell", code, (event) => events.push(event));
}

function plain(result: ExecutionResult): string | undefined {
  return result.outputs.find((output) => output.mimeType === "text/plain")?.data as string | undefined;
}

/** Builds a tiny pure-Python wheel with python3's zipfile. */
function buildWheel(dir: string): { fileName: string; bytes: Buffer } {
  const fileName = "rnhello-1.0-py3-none-any.whl";
  const script = `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("rnhello/__init__.py", "def greet():\\n    return 'hello from a wheel'\\n")
    z.writestr("rnhello-1.0.dist-info/METADATA", "Metadata-Version: 2.1\\nName: rnhello\\nVersion: 1.0\\n")
    z.writestr("rnhello-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n")
    z.writestr("rnhello-1.0.dist-info/RECORD", "")
`;
  const target = path.join(dir, fileName);
  execFileSync("python3", ["-c", script, target]);
  return { fileName, bytes: readFileSync(target) };
}

/** A package index on 127.0.0.1 serving pyodide-lock.json and one wheel, counting requests. */
async function serveIndex(): Promise<{ server: Server; url: string; requests: string[] }> {
  const wheel = buildWheel(mkdtempSync(path.join(tmpdir(), "rn-wheel-")));
  const lock = {
    info: { arch: "wasm32", platform: "emscripten_4_0_9", version: "0.29.5", python: "3.13.2" },
    packages: {
      rnhello: {
        name: "rnhello",
        version: "1.0",
        file_name: wheel.fileName,
        install_dir: "site",
        sha256: createHash("sha256").update(wheel.bytes).digest("hex"),
        package_type: "package",
        imports: ["rnhello"],
        depends: [],
        unvendored_tests: false,
        shared_library: false,
      },
    },
  };
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(request.url ?? "");
    if (request.url === "/pyodide-lock.json") response.end(JSON.stringify(lock));
    else if (request.url === `/${wheel.fileName}`) response.end(wheel.bytes);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, requests };
}

describe("kernel", () => {
  let manager: KernelManager;
  let index: Awaited<ReturnType<typeof serveIndex>>;

  before(async () => {
    index = await serveIndex();
    manager = new KernelManager(
      options({ pyodideIndexUrl: index.url, maxKernels: 16, cellTimeoutMs: 2500, interruptGraceMs: 1500 }),
    );
    await manager.start();
  });
  after(async () => {
    await manager.close();
    index.server.close();
  });

  test("a kernel runs a cell and shows the trailing expression", async () => {
    const kernel = await manager.kernelFor("nb-basic", "alice");
    assert.equal(kernel.status, "ready");
    const result = await run(kernel, "1 + 1");
    assert.equal(result.status, "success");
    assert.equal(plain(result), "2");
    assert.ok(result.ms >= 0);
    assert.ok(manager.has("nb-basic"));
  });

  test("stdout of a long cell arrives in several chunks while it runs", async () => {
    const kernel = await manager.kernelFor("nb-stream", "alice");
    const arrivals: number[] = [];
    const started = Date.now();
    const chunks: string[] = [];
    const result = await kernel.execute(
      "cell",
      "import time\nfor i in range(4):\n    print('tick', i)\n    time.sleep(0.4)",
      (event) => {
        if (event.type === "stdout") {
          chunks.push(event.text);
          arrivals.push(Date.now() - started);
        }
      },
    );
    assert.equal(result.status, "success");
    assert.equal(chunks.join(""), "tick 0\ntick 1\ntick 2\ntick 3\n");
    assert.ok(chunks.length > 1, `expected several chunks, got ${chunks.length}`);
    assert.ok((arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0) >= 800, `chunks arrived together: ${arrivals}`);
  });

  test("a cell that never ends is stopped at the time limit and the same kernel runs on", async () => {
    const kernel = await manager.kernelFor("nb-loop", "alice");
    await run(kernel, "kept = 41");
    const pid = pidOf(kernel);
    const result = await run(kernel, "while True: pass");
    assert.equal(result.status, "error");
    assert.equal(result.error?.name, "TimeoutError");
    assert.match(result.error?.message ?? "", /time limit/);
    assert.ok(result.ms < 2500 + 1500 + 1000, `took ${result.ms} ms`);
    assert.equal(plain(await run(kernel, "kept + 1")), "42");
    assert.equal(pidOf(kernel), pid, "the interrupt was honoured, so the process was kept");
  });

  test("a kernel that dies is reported, the running cell fails, and a fresh process replaces it", async () => {
    const kernel = await manager.kernelFor("nb-crash", "alice");
    const statuses: KernelStatus[] = [];
    const restarts: string[] = [];
    kernel.onStatus((status) => statuses.push(status));
    const restarted = new Promise<void>((resolve) =>
      kernel.onRestarted((reason) => {
        restarts.push(reason);
        resolve();
      }),
    );
    const pid = pidOf(kernel);
    const result = await run(kernel, "import os; os.abort()");
    assert.equal(result.status, "error");
    assert.equal(result.error?.name, "KernelDiedError");
    await restarted;
    assert.deepEqual(restarts, ["crash"]);
    assert.deepEqual(statuses.slice(statuses.indexOf("dead")), ["dead", "restarting", "ready"]);
    assert.equal(plain(await run(kernel, "1 + 1")), "2");
    assert.notEqual(pidOf(kernel), pid);
  });

  test("a kernel killed from outside is replaced too", async () => {
    const kernel = await manager.kernelFor("nb-killed", "alice");
    const restarted = new Promise<string>((resolve) => kernel.onRestarted(resolve));
    process.kill(pidOf(kernel), "SIGKILL");
    assert.equal(await restarted, "crash");
    assert.equal(plain(await run(kernel, "2 + 2")), "4");
  });

  test("two notebooks get two different processes", async () => {
    const first = await manager.kernelFor("nb-one", "alice");
    const second = await manager.kernelFor("nb-two", "bob");
    assert.notEqual(pidOf(first), pidOf(second));
    await run(first, "shared = 'one'");
    assert.equal((await run(second, "shared")).error?.name, "NameError");
    await assert.rejects(manager.kernelFor("nb-one", "bob"), KernelUnavailableError);
  });

  test("restart gives fresh globals and tells listeners", async () => {
    const kernel = await manager.kernelFor("nb-restart", "alice");
    await run(kernel, "value = 1");
    const reasons: string[] = [];
    kernel.onRestarted((reason) => reasons.push(reason));
    await kernel.restart();
    assert.deepEqual(reasons, ["request"]);
    assert.equal((await run(kernel, "value")).error?.name, "NameError");
  });

  test("variables can be set, read and deleted from the server", async () => {
    const kernel = await manager.kernelFor("nb-values", "alice");
    await kernel.setVariable("rows", [{ a: 1 }, { a: 2 }]);
    assert.equal(plain(await run(kernel, "n = len(rows)\nn")), "2");
    const { values, missing } = await kernel.getValues(["n", "nope"]);
    assert.deepEqual(values, { n: 2 });
    assert.deepEqual(missing, ["nope"]);
    await kernel.deleteNames(["n"]);
    assert.equal((await run(kernel, "n")).error?.name, "NameError");
  });

  test("a package is fetched by the server from the index and installed into the kernel", async () => {
    const kernel = await manager.kernelFor("nb-package", "alice");
    const events: KernelStreamEvent[] = [];
    const result = await run(kernel, "import rnhello\nrnhello.greet()", events);
    assert.equal(result.status, "success", JSON.stringify(result.error));
    assert.equal(plain(result), "'hello from a wheel'");
    assert.ok(events.some((event) => event.type === "progress" && /rnhello/.test(event.message)));
    assert.ok(index.requests.includes("/pyodide-lock.json"));
    assert.ok(index.requests.includes("/rnhello-1.0-py3-none-any.whl"));
  });

  test("analysis reports what a cell reads and writes", async () => {
    const analysis = await manager.analyze("y = x + 1", "alice");
    assert.deepEqual(analysis, { reads: ["x"], writes: ["y"], error: null });
    const broken = await manager.analyze("y = (", "alice");
    assert.equal(broken.error?.name, "SyntaxError");
  });
});

describe("kernel limits", () => {
  let manager: KernelManager;
  let silent: Server;

  before(async () => {
    // An index that accepts connections and never answers: the fetch must time out, not hang.
    silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
    manager = new KernelManager(
      options({ pyodideIndexUrl: url, maxKernels: 2, poolSize: 0, idleMs: 1500, packageFetchTimeoutMs: 800 }),
    );
    await manager.start();
  });
  after(async () => {
    await manager.close();
    silent.closeAllConnections();
    silent.close();
  });

  test("importing a package from an unreachable index fails fast, naming the package and the index", async () => {
    const kernel = await manager.kernelFor("nb-offline", "alice");
    const started = Date.now();
    const result = await run(kernel, "import numpy");
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
    assert.equal(result.error?.name, "ModuleNotFoundError");
    assert.match(result.error?.message ?? "", /numpy/);
    assert.match(result.error?.message ?? "", /127\.0\.0\.1/);
  });

  test("an idle kernel stops by itself and its notebook's globals are gone", async () => {
    const kernel = await manager.kernelFor("nb-idle", "alice");
    const stopped = new Promise<string>((resolve) => kernel.onRestarted(resolve));
    assert.equal(await stopped, "idle");
    assert.equal(kernel.status, "dead");
    assert.equal(manager.has("nb-idle"), false);
  });
});

describe("kernel slots", () => {
  let manager: KernelManager;
  before(async () => {
    manager = new KernelManager(options({ maxKernels: 2, poolSize: 0, idleMs: 0 }));
    await manager.start();
  });
  after(() => manager.close());

  test("past KERNEL_MAX the least recently used idle kernel is stopped; when all are busy, none is", async () => {
    const first = await manager.kernelFor("nb-first", "alice");
    const second = await manager.kernelFor("nb-second", "bob");
    await run(second, "1"); // the first is now the least recently used
    const stopped = new Promise<string>((resolve) => first.onRestarted(resolve));
    const third = await manager.kernelFor("nb-third", "carol");
    assert.equal(await stopped, "idle");
    assert.equal(manager.has("nb-first"), false);
    assert.equal(manager.has("nb-second"), true);
    const busy = [run(second, "import time\ntime.sleep(2)"), run(third, "import time\ntime.sleep(2)")];
    await new Promise((resolve) => setTimeout(resolve, 300));
    await assert.rejects(manager.kernelFor("nb-fourth", "dave"), /all 2 kernels of this server are busy/);
    await Promise.all(busy);
  });
});
