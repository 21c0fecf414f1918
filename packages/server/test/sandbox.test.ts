// The sandbox escape suite: hostile Python in one notebook tries to reach the server's secrets,
// files, network, processes and another notebook. Every attempt must fail, and the server and the
// other notebook's kernel must keep working. Each attempt is blocked by a layer that applies on
// every OS (reduced jsglobals, code-generation ban, hardened worker, empty env, in-memory FS).
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { type ExecutionResult, type Kernel, KernelManager } from "../src/kernel/index.js";

const CANARY = `rn-canary-${process.pid}-${Date.now()}`;
process.env.RN_SANDBOX_CANARY = CANARY;
const SECRET_DIR = mkdtempSync(path.join(tmpdir(), "rn-secret-"));
const SECRET_FILE = path.join(SECRET_DIR, "secret.txt");
writeFileSync(SECRET_FILE, CANARY);
chmodSync(SECRET_FILE, 0o600);
const ESCAPE_FILE = path.join(SECRET_DIR, "escaped.txt");

let connections = 0;
let listener: Server;
let port = 0;
let manager: KernelManager;
let attacker: Kernel;
let victim: Kernel;

/** Runs code in the attacker's notebook and returns everything it produced as one string. */
async function attempt(code: string): Promise<{ result: ExecutionResult; seen: string }> {
  let streamed = "";
  const result = await attacker.execute("attack", code, (event) => {
    streamed += JSON.stringify(event);
  });
  return { result, seen: streamed + JSON.stringify(result) };
}

/** Hostile cells; each must fail (error result) or come back without anything it tried to get. */
const ATTEMPTS: { name: string; code: () => string; mustError?: boolean }[] = [
  {
    name: "read the server's env var through os.environ",
    code: () => "import os\nos.environ.get('RN_SANDBOX_CANARY')",
  },
  {
    name: "read the server's env through js.process",
    code: () => "import js\njs.process.env.RN_SANDBOX_CANARY",
    mustError: true,
  },
  {
    name: "reach process through runPython.constructor (Function)",
    code: () =>
      "import pyodide_js\npyodide_js.runPython.constructor('return process')().env.RN_SANDBOX_CANARY",
    mustError: true,
  },
  { name: "js.eval", code: () => "import js\njs.eval('process.env.RN_SANDBOX_CANARY')", mustError: true },
  { name: "js.Function", code: () => "import js\njs.Function('return process')()", mustError: true },
  {
    name: "pyodide.code.run_js",
    code: () => "from pyodide.code import run_js\nrun_js('process.env.RN_SANDBOX_CANARY')",
    mustError: true,
  },
  {
    name: "js.globalThis.constructor.constructor",
    code: () => "import js\njs.globalThis.constructor.constructor('return process')()",
    mustError: true,
  },
  {
    name: "Function through an exposed timer's constructor",
    code: () => "import js\njs.setTimeout.constructor('return process')()",
    mustError: true,
  },
  {
    name: "js.require('child_process')",
    code: () => "import js\njs.require('child_process')",
    mustError: true,
  },
  { name: "js.process.exit", code: () => "import js\njs.process.exit(1)", mustError: true },
  {
    name: "open a 0600 server file",
    code: () => `open(${JSON.stringify(SECRET_FILE)}).read()`,
    mustError: true,
  },
  {
    name: "mount the host file system with mountNodeFS",
    code: () =>
      `import pyodide_js\npyodide_js.mountNodeFS('/host', ${JSON.stringify(SECRET_DIR)})\nopen('/host/secret.txt').read()`,
    mustError: true,
  },
  {
    name: "list the host temp dir",
    code: () => `import os\nos.listdir(${JSON.stringify(SECRET_DIR)})`,
    mustError: true,
  },
  {
    name: "write outside the kernel's directory",
    code: () => `open(${JSON.stringify(ESCAPE_FILE)}, 'w').write('x')`,
    mustError: true,
  },
  {
    name: "TCP connection with socket",
    code: () =>
      `import socket\ns = socket.create_connection(('127.0.0.1', ${port}), timeout=1)\ns.send(b'hi')`,
    mustError: true,
  },
  {
    name: "HTTP with pyodide.http.pyfetch",
    code: () =>
      `from pyodide.http import pyfetch\nr = await pyfetch('http://127.0.0.1:${port}/')\nawait r.string()`,
    mustError: true,
  },
  {
    name: "HTTP with pyodide.http.open_url",
    code: () => `from pyodide.http import open_url\nopen_url('http://127.0.0.1:${port}/').read()`,
    mustError: true,
  },
  {
    name: "loadPackage from a URL",
    code: () =>
      `import pyodide_js\nawait pyodide_js.loadPackage('http://127.0.0.1:${port}/x-1.0-py3-none-any.whl')`,
    mustError: true,
  },
  {
    name: "run a script through Pyodide's loadScript",
    code: () => "import pyodide_js\nawait pyodide_js._api.loadScript('data:text/javascript,process.exit(3)')",
    mustError: true,
  },
  {
    name: "subprocess",
    code: () => "import subprocess\nsubprocess.run(['id'], capture_output=True).stdout",
    mustError: true,
  },
  {
    name: "os.system",
    code: () => `import os\nrc = os.system('touch ${ESCAPE_FILE}')\nassert rc == 0, rc`,
    mustError: true,
  },
  { name: "kill the server process", code: () => `import os\nos.kill(${process.pid}, 9)`, mustError: true },
  {
    name: "read another notebook's variable by name",
    code: () => "victim_secret",
    mustError: true,
  },
  {
    name: "find another notebook's variable in the heap",
    code: () =>
      "import gc\n[o for o in gc.get_objects() if isinstance(o, dict) and 'victim_secret' in o] or 1/0",
    mustError: true,
  },
];

describe("sandbox", () => {
  before(async () => {
    listener = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
    port = (listener.address() as AddressInfo).port;
    manager = new KernelManager({
      dataDir: path.join(tmpdir(), "rn-kernel-test-data"),
      pyodideIndexUrl: "http://127.0.0.1:9/",
      cellTimeoutMs: 5000,
      memoryMb: 256,
      maxKernels: 4,
      idleMs: 0,
      poolSize: 1,
    });
    await manager.start();
    attacker = await manager.kernelFor("nb-attacker", "mallory");
    victim = await manager.kernelFor("nb-victim", "alice");
    const planted = await victim.execute("plant", `victim_secret = ${JSON.stringify(CANARY)}`, () => {});
    assert.equal(planted.status, "success");
  });

  after(async () => {
    await manager.close();
    listener.close();
  });

  for (const { name, code, mustError } of ATTEMPTS) {
    test(`blocked: ${name}`, async () => {
      const { result, seen } = await attempt(code());
      if (process.env.RN_SANDBOX_VERBOSE)
        console.log(name, "->", result.error?.name, result.error?.message.slice(0, 160));
      assert.ok(!seen.includes(CANARY), `the canary leaked: ${seen.slice(0, 300)}`);
      if (mustError) assert.equal(result.status, "error", `the attempt succeeded: ${seen.slice(0, 300)}`);
      assert.equal(connections, 0, "a connection reached the test's listener");
      assert.equal(existsSync(ESCAPE_FILE), false, "a file was written outside the kernel");
      const check = await victim.execute("check", "victim_secret", () => {});
      assert.equal(check.outputs[0]?.data, JSON.stringify(CANARY).replace(/"/g, "'"));
    });
  }

  test("blocked: os._exit only takes down its own kernel", async () => {
    const restarted = new Promise<string>((resolve) => attacker.onRestarted(resolve));
    const result = await attacker.execute("exit", "import os\nos._exit(0)", () => {});
    assert.equal(result.status, "error");
    assert.equal(await restarted, "crash");
    const check = await victim.execute("check", `victim_secret == ${JSON.stringify(CANARY)}`, () => {});
    assert.equal(check.outputs[0]?.data, "True");
  });

  test("blocked: allocating memory without bound fails inside the kernel", async () => {
    const result = await attacker.execute(
      "hog",
      "chunks = []\nwhile True:\n    chunks.append(bytearray(32 * 1024 * 1024))",
      () => {},
    );
    assert.equal(result.status, "error");
    assert.match(result.error?.name ?? "", /MemoryError|KernelDiedError/);
    const check = await victim.execute("check", "1 + 1", () => {});
    assert.equal(check.outputs[0]?.data, "2");
    const after = await attacker.execute("after", "del chunks\n2 + 2", () => {});
    assert.equal(after.status === "success" || after.error?.name === "NameError", true);
  });

  test("the server process still has its secret and keeps working", () => {
    assert.equal(process.env.RN_SANDBOX_CANARY, CANARY);
    assert.ok(manager.has("nb-victim"));
  });
});
