// The service survives whatever a kernel sends it: hostile Python in the real sandboxed kernels forges
// messages from the runtime's own output channel, replaces the runtime's functions, floods, schedules
// timers, hides code in finalisers, allocates gigabytes, floods the analysis pool and takes kernel slots.
// Throughout, a poller checks that the server's /health answers within 1 s, another user's notebook keeps
// working, and the offending notebook gets a clear error.
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { MAX_CELL_OUTPUTS } from "@reactive-notebook/protocol";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../src/app.js";
import {
  type ExecutionResult,
  type Kernel,
  KernelManager,
  type KernelStreamEvent,
  KernelUnavailableError,
} from "../src/kernel/index.js";
import { testConfig } from "./helpers/index.js";

const SNAPSHOT_CACHE = path.join(tmpdir(), "rn-kernel-test-data");
const INVALID = /the kernel sent an invalid message and was stopped/;

/** Polls GET /health every 100 ms; a poll that fails or takes over 1 s is a miss. */
class HealthPoller {
  readonly misses: string[] = [];
  polls = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly url: string) {}

  start(): void {
    const poll = async () => {
      const started = performance.now();
      try {
        const response = await fetch(this.url, { signal: AbortSignal.timeout(1000) });
        if (response.status !== 200) this.misses.push(`status ${response.status}`);
        await response.text();
      } catch (error) {
        this.misses.push(`${(error as Error).name} after ${Math.round(performance.now() - started)} ms`);
      }
      this.polls++;
      if (this.timer) this.timer = setTimeout(poll, 100);
    };
    this.timer = setTimeout(poll, 0);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

let manager: KernelManager;
let app: FastifyInstance;
let health: HealthPoller;
let victim: Kernel;

async function run(kernel: Kernel, code: string, events: KernelStreamEvent[] = []): Promise<ExecutionResult> {
  return kernel.execute("cell", code, (event) => events.push(event));
}

function plain(result: ExecutionResult): unknown {
  return result.outputs.find((output) => output.mimeType === "text/plain")?.data;
}

/** The server is up and the other user's notebook still works. */
async function othersUnharmed(): Promise<void> {
  const result = await run(victim, "kept + 1");
  assert.equal(plain(result), "42", JSON.stringify(result.error));
  assert.deepEqual(health.misses, [], `/health missed: ${health.misses.join(", ")}`);
  assert.ok(health.polls > 0);
}

before(async () => {
  manager = new KernelManager({
    dataDir: SNAPSHOT_CACHE,
    pyodideIndexUrl: "http://127.0.0.1:9/",
    // Long enough for 9 MB of output on a loaded machine; the endless cells below wait it out.
    cellTimeoutMs: 8000,
    interruptGraceMs: 1500,
    memoryMb: 512,
    maxKernels: 12,
    maxKernelsPerUser: 2,
    idleMs: 0,
    poolSize: 1,
  });
  await manager.start();
  app = await buildApp(testConfig(), { logger: false, kernels: manager });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  health = new HealthPoller(`${url}/health`);
  health.start();
  victim = await manager.kernelFor("victim", "bob");
  await run(victim, "kept = 41");
});

after(async () => {
  health.stop();
  await app.close();
  await manager.close();
});

describe("forged output messages (Python calls the runtime's output channel itself)", () => {
  const grab = "import rn_execute\nemit = rn_execute._current.emit\n";
  const FORGED: { name: string; code: string }[] = [
    { name: "a display nested 200,000 levels deep", code: "emit('display', '[' * 200000 + ']' * 200000)" },
    {
      name: "a stdout chunk nested deep",
      code: "emit('stdout', '{\"text\": ' + '[' * 5000 + ']' * 5000 + '}')",
    },
    {
      name: "a display with a MIME type that is not allowed",
      code: 'emit(\'display\', \'{"mimeType": "application/x-evil", "data": "x"}\')',
    },
    {
      name: "a display whose text is an object",
      code: 'emit(\'display\', \'{"mimeType": "text/html", "data": {"a": 1}}\')',
    },
    { name: "a stderr chunk that is not JSON", code: "emit('stderr', 'not json')" },
    { name: "a stream chunk whose text is a number", code: "emit('stdout', '{\"text\": 5}')" },
    {
      name: "a message of an unknown kind (a forged result)",
      code: 'emit(\'result\', \'{"status": "success", "outputs": [], "error": null}\')',
    },
    {
      name: "a display of 6 MB",
      code: "emit('display', '{\"mimeType\": \"text/plain\", \"data\": \"' + 'x' * 6_000_000 + '\"}')",
    },
  ];
  for (const { name, code } of FORGED) {
    test(`${name}: the kernel is stopped, the cell says why, everyone else carries on`, async () => {
      const kernel = await manager.kernelFor(`forged-${name}`, "mallory");
      const restarted = new Promise<string>((resolve) => kernel.onRestarted(resolve));
      const result = await run(kernel, grab + code);
      assert.equal(result.status, "error");
      assert.equal(result.error?.name, "InvalidKernelMessage");
      assert.match(result.error?.message ?? "", INVALID);
      assert.equal(await restarted, "crash");
      assert.equal(plain(await run(kernel, "1 + 1")), "2", "the notebook gets a fresh kernel");
      await othersUnharmed();
      await manager.stop(`forged-${name}`);
    });
  }

  test("an output channel kept from an earlier cell is closed: nothing reaches a later cell", async () => {
    const kernel = await manager.kernelFor("stashed-emit", "mallory");
    await run(kernel, "import rn_execute\nstash = rn_execute._current.emit");
    const events: KernelStreamEvent[] = [];
    const result = await run(
      kernel,
      'stash(\'display\', \'{"mimeType": "text/plain", "data": "forged"}\')',
      events,
    );
    assert.equal(result.status, "error");
    assert.match(result.error?.message ?? "", /output channel is closed/);
    assert.deepEqual(events, []);
    assert.deepEqual(result.outputs, []);
    await othersUnharmed();
  });

  test("a forged display that is well formed is only what display() could show", async () => {
    const kernel = await manager.kernelFor("forged-valid", "mallory");
    const result = await run(kernel, `${grab}emit('display', '{"mimeType": "text/plain", "data": "hello"}')`);
    assert.equal(result.status, "success");
    assert.deepEqual(result.outputs, [{ mimeType: "text/plain", data: "hello" }]);
  });
});

describe("a kernel that replaces its own runtime", () => {
  test("replacing rn_kernel's functions changes nothing: the worker holds its own references", async () => {
    const kernel = await manager.kernelFor("replace-entry", "mallory");
    const forged = `
import rn_kernel
async def fake_run(cell_id, code, emit):
    return '{"status": "success", "outputs": [{"mimeType": "text/plain", "data": "forged"}], "error": null}'
rn_kernel.run_cell = fake_run
rn_kernel.analyze = lambda code: '[' * 100000
rn_kernel.get_values = lambda names: '[' * 100000
`;
    assert.equal((await run(kernel, forged)).status, "success");
    const result = await run(kernel, "1 / 0");
    assert.equal(result.error?.name, "ZeroDivisionError");
    assert.deepEqual((await kernel.getValues(["kept"])).missing, ["kept"]);
  });

  test("a forged result from deeper in the runtime is refused and stops the kernel", async () => {
    const kernel = await manager.kernelFor("replace-inner", "mallory");
    // The cell that replaces _result is the first to answer through it.
    const result = await run(
      kernel,
      "import rn_execute\nrn_execute._result = lambda outputs, error: '[' * 300000 + ']' * 300000",
    );
    assert.equal(result.error?.name, "InvalidKernelMessage");
    assert.match(result.error?.message ?? "", INVALID);
    await othersUnharmed();
  });

  test("a forged 'success' cannot add outputs the cell never displayed", async () => {
    const kernel = await manager.kernelFor("forged-success", "mallory");
    await run(
      kernel,
      `import rn_execute
rn_execute._result = lambda outputs, error: '{"status": "success", "outputs": [{"mimeType": "text/html", "data": "<b>forged</b>"}], "error": null}'`,
    );
    const result = await run(kernel, "x = 1");
    assert.deepEqual(result.outputs, []);
  });

  test("a forged answer to get_values is refused", async () => {
    const kernel = await manager.kernelFor("forged-values", "mallory");
    await run(
      kernel,
      "import rn_values, json\nrn_values.get_values = lambda names: json.dumps({'values': 1, 'missing': []})",
    );
    await assert.rejects(kernel.getValues(["x"]), INVALID);
    assert.equal(plain(await run(kernel, "2 + 2")), "4");
    await othersUnharmed();
  });
});

describe("floods", () => {
  test(`a cell that displays 20,000 times keeps ${MAX_CELL_OUTPUTS} outputs and one truncation note`, async () => {
    const kernel = await manager.kernelFor("flood-display", "mallory");
    const events: KernelStreamEvent[] = [];
    const result = await run(kernel, "for i in range(20000): display(i)", events);
    assert.equal(result.status, "success");
    assert.equal(result.outputs.length, MAX_CELL_OUTPUTS + 1);
    const notes = result.outputs.filter((output) => /output truncated/.test(String(output.data)));
    assert.equal(notes.length, 1);
    assert.equal(events.filter((event) => event.type === "display").length, MAX_CELL_OUTPUTS + 1);
    await othersUnharmed();
  });

  test("a cell that prints without end is cut at the stream limit and stopped at the time limit", async () => {
    const kernel = await manager.kernelFor("flood-print", "mallory");
    const events: KernelStreamEvent[] = [];
    const result = await run(kernel, "while True: print('x' * 1000)", events);
    assert.equal(result.error?.name, "TimeoutError");
    const text = events.map((event) => (event.type === "stdout" ? event.text : "")).join("");
    assert.ok(text.length <= 1024 * 1024 + 100, `streamed ${text.length} characters`);
    assert.match(text, /\[truncated\] more than 1 MiB was printed; the rest is not shown\n$/);
    await othersUnharmed();
  });

  test("a cell that emits huge displays in a loop stays within the byte budget", async () => {
    const kernel = await manager.kernelFor("flood-bytes", "mallory");
    const result = await run(kernel, "s = 'x' * 3_000_000\nfor i in range(4): display(s)");
    assert.equal(result.status, "success", JSON.stringify(result.error));
    assert.equal(result.outputs.length, 3, "two 3 MB outputs and the note");
    const chars = result.outputs.reduce((sum, output) => sum + JSON.stringify(output).length, 0);
    assert.ok(chars <= 8 * 1024 * 1024 + 1000, `kept ${chars} characters`);
    assert.equal(result.outputs.filter((output) => /output truncated/.test(String(output.data))).length, 1);
    await othersUnharmed();
  });
});

describe("timers and finalisers", () => {
  test("JavaScript timers are not reachable from Python", async () => {
    const kernel = await manager.kernelFor("timers-js", "mallory");
    const result = await run(kernel, "import js\njs.setTimeout");
    assert.equal(result.status, "error");
  });

  test("a callback scheduled on the event loop never runs after its cell ended", async () => {
    const kernel = await manager.kernelFor("timers-loop", "mallory");
    const scheduled = await run(
      kernel,
      "import asyncio\nasyncio.get_event_loop().call_later(0.3, lambda: globals().__setitem__('fired', True))\n'scheduled'",
    );
    assert.equal(scheduled.status, "success");
    await new Promise((resolve) => setTimeout(resolve, 1200));
    assert.equal(plain(await run(kernel, "'fired' in globals()")), "False");
  });

  test("a callback that would spin forever after its cell never starts", async () => {
    const kernel = await manager.kernelFor("timers-spin", "mallory");
    const pid = (kernel as unknown as { pid: number }).pid;
    await run(
      kernel,
      "import asyncio\nasyncio.get_event_loop().call_later(0.2, lambda: [0 for _ in iter(int, 1)])",
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(plain(await run(kernel, "3 * 3")), "9");
    assert.equal((kernel as unknown as { pid: number }).pid, pid, "the same process, never busy");
  });

  test("a finaliser that never ends, run by delete_names, runs under the time limit", async () => {
    const kernel = await manager.kernelFor("del-delete", "mallory");
    await run(kernel, "class Trap:\n    def __del__(self):\n        while True: pass\ntrap = Trap()");
    // Python swallows the KeyboardInterrupt raised inside __del__, so the call may even succeed: what
    // matters is that it ends, and the notebook and everyone else carry on.
    await kernel.deleteNames(["trap"]).catch(() => {});
    assert.equal(plain(await run(kernel, "5 + 5")), "10");
    await othersUnharmed();
  });

  test("user code that never ends inside get_values is stopped at the time limit", async () => {
    const kernel = await manager.kernelFor("del-values", "mallory");
    await run(
      kernel,
      "import rn_values\ndef _spin(value, depth=0):\n    while True: pass\nrn_values._encode = _spin\nspin = 1",
    );
    await assert.rejects(kernel.getValues(["spin"]), /time limit/);
    assert.equal(plain(await run(kernel, "6 + 6")), "12");
    await othersUnharmed();
  });
});

describe("allocation spikes", () => {
  test("a 1.9 GB Python allocation (the most a 32-bit interpreter can ask for) fails inside the kernel", async () => {
    const kernel = await manager.kernelFor("alloc-python", "mallory");
    const result = await run(kernel, "b = bytearray(1900 * 1024 ** 2)");
    assert.equal(result.error?.name, "MemoryError");
    assert.equal(plain(await run(kernel, "7 + 7")), "14");
    await othersUnharmed();
  });

  test("a synchronous 3 GiB JavaScript buffer never gets far past the kernel's limit", async () => {
    const kernel = await manager.kernelFor("alloc-js", "mallory");
    const result = await run(
      kernel,
      "import pyodide.ffi\nu = pyodide.ffi.to_js(b'x')\nbig = u.constructor.new(3 * 1024 ** 3)\nbig.fill(1)\nlen(big)",
    );
    assert.equal(result.status, "error", "the allocation did not succeed");
    assert.match(
      `${result.error?.name}: ${result.error?.message}`,
      /RangeError|allocation failed|memory limit/i,
    );
    const rss = (kernel as unknown as { process: { rssBytes(): number | null } }).process.rssBytes() ?? 0;
    assert.ok(rss < (512 + 400) * 1024 * 1024, `kernel RSS ${Math.round(rss / 1e6)} MB`);
    assert.equal(plain(await run(kernel, "8 + 8")), "16");
    await othersUnharmed();
  });
});

describe("fair shares", () => {
  test("one user's flood of heavy analyses delays another user's edit by at most one analysis", async () => {
    const line = (i: number) => `x${i} = f"{a}{b}{c}{d}{e} {a!r:>10} {b + c}"\n`;
    let heavy = "";
    for (let i = 0; heavy.length < 120 * 1024; i++) heavy += line(i);
    const finished: string[] = [];
    const floods = Array.from({ length: 6 }, (_, i) =>
      manager.analyze(`${heavy}z${i} = 1\n`, "mallory").then(() => finished.push(`mallory-${i}`)),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const edit = await manager.analyze("y = x + 1", "bob");
    finished.push("bob");
    assert.deepEqual(edit, { reads: ["x"], writes: ["y"], error: null });
    const before = finished.indexOf("bob");
    assert.ok(
      before <= 1,
      `bob's edit waited for ${before} of mallory's analyses (order ${finished.join(", ")})`,
    );
    await Promise.all(floods);
    await othersUnharmed();
  });

  test("at the per-user limit the user's least recently used idle kernel is stopped, never another user's", async () => {
    const first = await manager.kernelFor("slots-1", "trudy");
    const second = await manager.kernelFor("slots-2", "trudy");
    await run(second, "1"); // first is now trudy's least recently used
    const stopped = new Promise<string>((resolve) => first.onRestarted(resolve));
    await manager.kernelFor("slots-3", "trudy");
    assert.equal(await stopped, "idle");
    assert.equal(manager.has("slots-1"), false);
    assert.equal(manager.has("victim"), true);
    await othersUnharmed();
  });

  test("a user whose every kernel is busy gets a clear kernel_unavailable error", async () => {
    const a = await manager.kernelFor("busy-1", "oscar");
    const b = await manager.kernelFor("busy-2", "oscar");
    const running = [run(a, "import time\ntime.sleep(2.5)"), run(b, "import time\ntime.sleep(2.5)")];
    await new Promise((resolve) => setTimeout(resolve, 300));
    await assert.rejects(manager.kernelFor("busy-3", "oscar"), (error: Error) => {
      assert.ok(error instanceof KernelUnavailableError);
      assert.match(error.message, /all 2 of your kernels are busy/);
      return true;
    });
    await Promise.all(running);
    assert.equal(manager.has("victim"), true);
    await othersUnharmed();
  });
});

describe("after a time limit", () => {
  test("a kernel stopped at its time limit is replaced before the cell's result returns", async () => {
    const kernel = await manager.kernelFor("timeout-order", "mallory");
    const order: string[] = [];
    kernel.onRestarted((reason) => order.push(`restarted:${reason}`));
    const stubborn =
      "while True:\n    try:\n        while True: pass\n    except KeyboardInterrupt:\n        pass";
    const result = await run(kernel, stubborn);
    order.push(`result:${result.error?.name}`);
    assert.deepEqual(order, ["restarted:timeout", "result:TimeoutError"]);
    assert.equal(plain(await run(kernel, "9 + 9")), "18", "the next cell runs in the fresh kernel");
    await othersUnharmed();
  });
});
