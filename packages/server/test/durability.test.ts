// A write is durable before its HTTP answer (DESIGN.md): the real server takes a few hundred edits, is
// killed with SIGKILL mid-stream, and restarted on the same data dir shows every edit that got a 2xx.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import type { Notebook } from "@reactive-notebook/protocol";
import { TEST_SNAPSHOT_DIR } from "./helpers/snapshots.js";
import { tempDataDir } from "./store-fixtures.js";

const MAIN = fileURLToPath(new URL("../src/main.js", import.meta.url));

async function startServer(dataDir: string): Promise<{ child: ChildProcess; address: string }> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH,
      PORT: "0",
      DATA_DIR: dataDir,
      SNAPSHOT_DIR: TEST_SNAPSHOT_DIR,
      KERNEL_POOL: "0",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner: ${out}`)), 30_000);
    const onData = (chunk: Buffer) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("exit", (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
  return { child, address };
}

/** One API call; the answer body is typed loosely, as the test only reads ids from it. */
async function call(
  address: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: { id: string } & Record<string, unknown> }> {
  const response = await fetch(`${address}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = response.status === 204 ? {} : await response.json();
  return { status: response.status, body: json as { id: string } & Record<string, unknown> };
}

test("every edit acknowledged with a 2xx survives kill -9 and a restart", async (t) => {
  const data = tempDataDir("rn-durability-");
  t.after(() => data.remove());
  const first = await startServer(data.dir);
  t.after(() => first.child.kill("SIGKILL"));
  const tokenResponse = await fetch(`${first.address}/api/v1/dev/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ userId: "durable" }),
  });
  const { token } = (await tokenResponse.json()) as { token: string };
  const notebook = (await call(first.address, token, "POST", "/notebooks", { name: "durable", cells: [] }))
    .body as unknown as Notebook;

  // Four writers, each with its own cell: it creates cells and rewrites its cell's code with a rising version.
  const started = Date.now();
  const STREAMS = 4;
  const KILL_AFTER = 300;
  let acknowledged = 0;
  const createdCells = new Set<string>();
  const lastVersion = new Map<string, number>();
  let killed = false;
  const writer = async (stream: number) => {
    const own = await call(first.address, token, "POST", `/notebooks/${notebook.id}/cells`, {
      type: "python",
      code: `v_${stream} = 0`,
    });
    assert.equal(own.status, 201);
    createdCells.add(own.body.id);
    lastVersion.set(own.body.id, 0);
    acknowledged += 1;
    for (let version = 1; !killed; version += 1) {
      try {
        const edit =
          version % 3 === 0
            ? await call(first.address, token, "POST", `/notebooks/${notebook.id}/cells`, {
                type: "markdown",
                code: `note ${stream}.${version}`,
              })
            : await call(first.address, token, "PATCH", `/notebooks/${notebook.id}/cells/${own.body.id}`, {
                code: `v_${stream} = ${version}`,
              });
        if (edit.status === 201) createdCells.add(edit.body.id);
        else if (edit.status === 200) lastVersion.set(own.body.id, version);
        else assert.fail(`unexpected ${edit.status}: ${JSON.stringify(edit.body)}`);
        acknowledged += 1;
        if (acknowledged >= KILL_AFTER && !killed) {
          killed = true;
          first.child.kill("SIGKILL");
        }
      } catch (error) {
        if (!killed) throw error;
        return; // the connection died with the server: this edit was never acknowledged
      }
    }
  };
  await Promise.all(Array.from({ length: STREAMS }, (_, stream) => writer(stream)));
  await new Promise((resolve) =>
    first.child.exitCode !== null || first.child.signalCode
      ? resolve(null)
      : first.child.once("exit", resolve),
  );
  assert.ok(acknowledged >= KILL_AFTER);

  t.diagnostic(`edits acknowledged: ${acknowledged} in ${Date.now() - started} ms`);
  const second = await startServer(data.dir);
  t.after(() => second.child.kill("SIGKILL"));
  const reopened = await call(second.address, token, "GET", `/notebooks/${notebook.id}`);
  assert.equal(reopened.status, 200);
  const cells = new Map((reopened.body as unknown as Notebook).cells.map((cell) => [cell.id, cell]));
  for (const id of createdCells) assert.ok(cells.has(id), `acknowledged cell ${id} is missing`);
  for (const [id, version] of lastVersion) {
    const stored = Number(/= (\d+)$/.exec(cells.get(id)?.code ?? "")?.[1]);
    assert.ok(stored >= version, `cell ${id}: acknowledged version ${version}, found ${stored}`);
  }
  assert.ok(
    (reopened.body as unknown as Notebook).revision >= acknowledged,
    "every acknowledged edit moved the revision",
  );
  const exit = new Promise((resolve) => second.child.once("exit", resolve));
  second.child.kill("SIGTERM");
  await exit;
});
