/**
 * Live sessions (`client.connect`) against the real service, started from the workspace as a child process:
 * hello and live state, runs that resolve when settled, typed close codes, token refresh, reconnect and
 * resync, the event iterator — and the agent example, run end to end.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import {
  type Cell,
  devTokenProvider,
  ForbiddenError,
  InvalidRequestError,
  NotebookClient,
  type NotebookSession,
  NotFoundError,
  type ServerEvent,
  UnauthorizedError,
} from "../src/index.js";
import {
  type RealServer,
  recordingWebSocket,
  repoRoot,
  signDevToken,
  startRealServer,
} from "./session-server.js";

/** Generous: the first run of a notebook waits for its kernel. */
const RUN_TIMEOUT_MS = 90_000;

let server: RealServer;
let alice: NotebookClient;

before(async () => {
  server = await startRealServer();
  alice = clientFor("alice");
});
after(() => server?.dispose());

function clientFor(userId: string): NotebookClient {
  return new NotebookClient({ baseUrl: server.url, getToken: devTokenProvider(server.url, userId) });
}

/** Resolves once `check(session)` holds, re-checking after every event; fails after `ms`. */
async function until(session: NotebookSession, check: () => boolean, ms = 10_000): Promise<void> {
  if (check()) return;
  for await (const _event of session.events({ signal: AbortSignal.timeout(ms) })) {
    if (check()) return;
  }
  assert.fail(`condition not met within ${ms} ms`);
}

const text = (cell: Cell | undefined) =>
  cell?.outputs.find((output) => output.mimeType === "text/plain")?.data;

describe("config", () => {
  test("config() answers without a token: dev mode, no publishable key, the server's version", async () => {
    const anonymous = new NotebookClient({ baseUrl: server.url });

    const config = await anonymous.config();

    assert.deepEqual(config, {
      authMode: "dev",
      publishableKey: null,
      version: (await anonymous.health()).version,
    });
  });
});

describe("connect", () => {
  test("resolves after hello with the notebook as session.notebook", async (t) => {
    const notebook = await alice.notebooks.create({
      name: "Hello",
      cells: [{ type: "python", code: "a = 1" }],
    });
    const session = await alice.connect(notebook.id);
    t.after(() => session.close());

    assert.equal(session.status, "open");
    assert.equal(session.notebook.id, notebook.id);
    assert.equal(session.notebook.name, "Hello");
    assert.deepEqual(
      session.notebook.cells.map((cell) => cell.code),
      ["a = 1"],
    );
  });

  test("another user's notebook rejects with ForbiddenError, a missing one with NotFoundError", async () => {
    const notebook = await alice.notebooks.create();
    const bob = clientFor("bob");

    await assert.rejects(bob.connect(notebook.id), ForbiddenError);
    await assert.rejects(alice.connect("00000000-0000-4000-8000-000000000000"), NotFoundError);
  });

  test("a rejected token is retried once with a fresh one, then the session fails with UnauthorizedError", async () => {
    const notebook = await alice.notebooks.create();
    const expired = await signDevToken(server.dataDir, "alice", -60);
    const good = await signDevToken(server.dataDir, "alice", 600);

    const tokens = [expired, good];
    const recovering = new NotebookClient({ baseUrl: server.url, getToken: () => tokens.shift() });
    const session = await recovering.connect(notebook.id);
    session.close();
    assert.equal(tokens.length, 0, "the second token was asked for");

    let calls = 0;
    const hopeless = new NotebookClient({
      baseUrl: server.url,
      getToken: () => {
        calls += 1;
        return expired;
      },
    });
    await assert.rejects(hopeless.connect(notebook.id), UnauthorizedError);
    assert.equal(calls, 2);
  });

  test("deleting the notebook closes its session with NotFoundError", async () => {
    const notebook = await alice.notebooks.create();
    const session = await alice.connect(notebook.id);
    const closed = new Promise<unknown>((resolve) =>
      session.onStatus((status, error) => status === "closed" && resolve(error)),
    );

    await alice.notebooks.delete(notebook.id);

    assert.ok((await closed) instanceof NotFoundError);
    assert.equal(session.status, "closed");
  });
});

describe("session.notebook", () => {
  test("shows REST edits made by a second client", async (t) => {
    const notebook = await alice.notebooks.create({ cells: [{ type: "python", code: "a = 1" }] });
    const session = await alice.connect(notebook.id);
    t.after(() => session.close());
    const otherTab = clientFor("alice");
    const [first] = notebook.cells;
    assert.ok(first);

    await otherTab.cells.update(notebook.id, first.id, { code: "a = 2" });
    const added = await otherTab.cells.create(notebook.id, { type: "python", code: "b = a + 1", index: 0 });
    await otherTab.notebooks.rename(notebook.id, "Renamed elsewhere");

    await until(session, () => session.notebook.name === "Renamed elsewhere");
    assert.deepEqual(
      session.notebook.cells.map((cell) => [cell.id, cell.code]),
      [
        [added.id, "b = a + 1"],
        [first.id, "a = 2"],
      ],
    );
    assert.deepEqual(session.cell(added.id)?.reads, ["a"]);
    assert.equal(session.notebook.revision, (await alice.notebooks.get(notebook.id)).revision);
  });
});

describe("runs", () => {
  test("run resolves when the x → y → z chain has settled; updateAndRun re-runs the readers", async (t) => {
    const notebook = await alice.notebooks.create({
      cells: [
        { type: "python", code: "x = 10" },
        { type: "python", code: "y = x + 5\ny" },
        { type: "python", code: "z = y * 2\nz" },
      ],
    });
    const [x, y, z] = notebook.cells.map((cell) => cell.id);
    assert.ok(x && y && z);
    const session = await alice.connect(notebook.id);
    t.after(() => session.close());
    const statuses: string[] = [];
    session.on("cell_status", (event) => statuses.push(`${event.cellId}:${event.status}`));

    const first = await session.run(x, { signal: AbortSignal.timeout(RUN_TIMEOUT_MS) });

    assert.deepEqual(
      first.cells.map((cell) => cell.id),
      [x, y, z],
    );
    assert.deepEqual(
      first.cells.map((cell) => cell.status),
      ["success", "success", "success"],
    );
    assert.equal(text(first.cells[2]), "30");
    assert.equal(typeof first.ms, "number");
    // The live state has each run's count and time from the events, in run order, like a fresh GET.
    const counts = first.cells.map((cell) => cell.executionCount ?? 0);
    assert.ok(counts[0]! > 0 && counts[0]! < counts[1]! && counts[1]! < counts[2]!, `counts ${counts}`);
    assert.ok(first.cells.every((cell) => typeof cell.lastRunMs === "number"));
    const fetched = await alice.notebooks.get(notebook.id);
    assert.deepEqual(
      fetched.cells.map((cell) => [cell.executionCount, cell.lastRunMs]),
      first.cells.map((cell) => [cell.executionCount, cell.lastRunMs]),
    );
    assert.ok(statuses.includes(`${z}:running`));

    const second = await session.updateAndRun(x, "x = 20", { signal: AbortSignal.timeout(RUN_TIMEOUT_MS) });

    assert.equal(text(second.cells.find((cell) => cell.id === z)), "50");
    assert.equal(text(session.cell(y)), "25");
    assert.equal(text(session.cell(z)), "50");
    assert.equal(session.cell(x)?.code, "x = 20");
  });

  test("setControl resolves when the readers re-ran; the live state shows the control's new value", async (t) => {
    const notebook = await alice.notebooks.create({
      cells: [
        { type: "python", code: "import rn\nn = rn.ui.slider(1, 10, label='N')" },
        { type: "python", code: "n.value * 2" },
      ],
    });
    const [slider, doubled] = notebook.cells.map((cell) => cell.id);
    assert.ok(slider && doubled);
    const session = await alice.connect(notebook.id);
    t.after(() => session.close());
    await session.runAll({ signal: AbortSignal.timeout(RUN_TIMEOUT_MS) });
    assert.equal(text(session.cell(doubled)), "2");

    const result = await session.setControl(slider, "0", 7, { signal: AbortSignal.timeout(RUN_TIMEOUT_MS) });

    assert.deepEqual(
      result.cells.map((cell) => [cell.id, cell.status]),
      [
        [slider, "success"],
        [doubled, "success"],
      ],
    );
    assert.equal(text(session.cell(doubled)), "14");
    const control = session.cell(slider)?.outputs[0]?.data as { kind: string; value: number };
    assert.deepEqual([control.kind, control.value], ["slider", 7]);
    await assert.rejects(
      session.setControl(slider, "0", 11),
      (error: unknown) =>
        error instanceof InvalidRequestError &&
        error.status === 422 &&
        /Control 0 \(slider "N"\)/.test(error.message),
    );
  });

  test("a cell that raises resolves as error and its reader as blocked", async (t) => {
    const notebook = await alice.notebooks.create({
      cells: [
        { type: "python", code: "w = 1 / 0" },
        { type: "python", code: "v = w + 1" },
      ],
    });
    const [w, v] = notebook.cells.map((cell) => cell.id);
    const session = await alice.connect(notebook.id);
    t.after(() => session.close());

    const result = await session.runAll({ signal: AbortSignal.timeout(RUN_TIMEOUT_MS) });

    const byId = new Map(result.cells.map((cell) => [cell.id, cell]));
    assert.equal(byId.get(w ?? "")?.status, "error");
    assert.equal(byId.get(w ?? "")?.error?.name, "ZeroDivisionError");
    assert.equal(byId.get(v ?? "")?.status, "blocked");
  });

  test("printed text streams into the live cell's stdout", async (t) => {
    const notebook = await alice.notebooks.create({
      cells: [{ type: "python", code: "for i in range(3):\n    print('line', i)" }],
    });
    const session = await alice.connect(notebook.id);
    t.after(() => session.close());
    const chunks: string[] = [];
    session.on("cell_stdout", (event) => chunks.push(event.text));

    const [cell] = (
      await session.run(notebook.cells[0]?.id ?? "", { signal: AbortSignal.timeout(RUN_TIMEOUT_MS) })
    ).cells;

    assert.equal(cell?.stdout, "line 0\nline 1\nline 2\n");
    assert.equal(chunks.join(""), cell?.stdout);
  });

  test("a run's wait stops at its signal", async (t) => {
    const notebook = await alice.notebooks.create({
      cells: [{ type: "python", code: "import time\ntime.sleep(3)" }],
    });
    const session = await alice.connect(notebook.id);
    t.after(() => session.close());
    const controller = new AbortController();
    const waiting = session.run(notebook.cells[0]?.id ?? "", { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("gave up")), 200);

    await assert.rejects(waiting, /gave up/);
    await session.interrupt();
  });
});

describe("events()", () => {
  test("yields every event in order and ends when its signal aborts", async (t) => {
    const notebook = await alice.notebooks.create({ cells: [{ type: "python", code: "a = 1" }] });
    const session = await alice.connect(notebook.id);
    t.after(() => session.close());
    const controller = new AbortController();
    const seen: ServerEvent["type"][] = [];

    const reading = (async () => {
      for await (const event of session.events({ signal: controller.signal })) {
        seen.push(event.type);
        if (event.type === "notebook_updated") controller.abort();
      }
    })();
    await alice.cells.create(notebook.id, { type: "markdown", code: "# hi" });
    await alice.notebooks.rename(notebook.id, "Seen");
    await alice.notebooks.rename(notebook.id, "Not seen: the iterator stopped");

    await reading;
    assert.deepEqual(seen, ["cell_created", "notebook_updated"]);
  });

  test("ends when the session closes", async () => {
    const notebook = await alice.notebooks.create();
    const session = await alice.connect(notebook.id);
    const events = session.events();
    setTimeout(() => session.close(), 50);

    assert.deepEqual(await events.next(), { value: undefined, done: true });
  });
});

describe("token refresh", () => {
  test("sends a new auth frame before a short-lived token expires, so the socket outlives it", async (t) => {
    const notebook = await alice.notebooks.create();
    let minted = 0;
    const shortLived = new NotebookClient({
      baseUrl: server.url,
      getToken: () => {
        minted += 1;
        return signDevToken(server.dataDir, "alice", 3);
      },
    });
    const socket = recordingWebSocket();
    const session = await shortLived.connect(notebook.id, { WebSocket: socket.WebSocket });
    t.after(() => session.close());
    const statuses: string[] = [];
    session.onStatus((status) => statuses.push(status));

    // The first token expires at 3 s (its exp is whole seconds, so 2–3 s from now); wait past that.
    await new Promise((resolve) => setTimeout(resolve, 4500));
    await alice.notebooks.rename(notebook.id, "Still listening");
    await until(session, () => session.notebook.name === "Still listening", 5000);

    const authFrames = socket.sent.filter((frame) => frame.type === "auth");
    assert.ok(authFrames.length >= 3, `expected refreshes, got ${authFrames.length} auth frames`);
    assert.ok(minted >= 3);
    assert.deepEqual(statuses, [], "the socket never dropped");
  });
});

describe("listeners", () => {
  test("a throwing listener neither breaks the session nor starves the other listeners", async (t) => {
    const notebook = await alice.notebooks.create();
    const reported: unknown[] = [];
    const session = await alice.connect(notebook.id, { onListenerError: (error) => reported.push(error) });
    t.after(() => session.close());
    session.on("notebook_updated", () => {
      throw new Error("a bug in the caller's listener");
    });
    const names: string[] = [];
    session.on("*", (event) => {
      if (event.type === "notebook_updated") names.push(event.name);
    });

    await alice.notebooks.rename(notebook.id, "One");
    await until(session, () => session.notebook.name === "One");
    await alice.notebooks.rename(notebook.id, "Two");
    await until(session, () => session.notebook.name === "Two");

    assert.deepEqual(names, ["One", "Two"]);
    assert.equal(reported.length, 2);
    assert.match(String(reported[0]), /a bug in the caller's listener/);
    assert.equal(session.status, "open");
  });
});

describe("keepalive", () => {
  test("pings the server, and replaces a socket that went silent with a fresh one", async (t) => {
    const notebook = await alice.notebooks.create();
    const socket = recordingWebSocket();
    const session = await alice.connect(notebook.id, {
      WebSocket: socket.WebSocket,
      pingIntervalMs: 150,
      pongTimeoutMs: 300,
      reconnectBaseDelayMs: 20,
    });
    t.after(() => session.close());
    let pongs = 0;
    session.on("pong", () => {
      pongs += 1;
    });
    let hellos = 0;
    session.on("hello", () => {
      hellos += 1;
    });
    const statuses: string[] = [];
    session.onStatus((status) => statuses.push(status));

    await until(session, () => pongs >= 2, 5000);
    assert.ok(socket.sent.filter((frame) => frame.type === "ping").length >= 2);
    assert.deepEqual(statuses, [], "answered pings keep the socket");

    // The socket stays open but hears nothing more, like a connection a NAT or proxy silently dropped.
    socket.sockets[0]?.pause();
    await until(session, () => hellos === 1 && session.status === "open", 5000);

    assert.deepEqual(statuses, ["reconnecting", "open"]);
    assert.equal(socket.sockets.length, 2);
    await alice.notebooks.rename(notebook.id, "Heard on the new socket");
    await until(session, () => session.notebook.name === "Heard on the new socket");
  });
});

describe("reconnect", () => {
  test("after the server restarts, the session resyncs from hello and later events still arrive", async (t) => {
    const notebook = await alice.notebooks.create({ cells: [{ type: "python", code: "a = 1" }] });
    const [first] = notebook.cells;
    assert.ok(first);
    const socket = recordingWebSocket();
    const session = await alice.connect(notebook.id, {
      WebSocket: socket.WebSocket,
      reconnectBaseDelayMs: 20,
      reconnectMaxDelayMs: 200,
      maxReconnectAttempts: 1000,
    });
    t.after(() => session.close());
    const statuses: string[] = [];
    session.onStatus((status) => statuses.push(status));
    let hellos = 0;
    session.on("hello", () => {
      hellos += 1;
    });

    // Hold reconnects off until the edits below are made, so only the resync can bring them in.
    socket.gate.closed = true;
    await server.stop();
    await server.start();
    await alice.cells.update(notebook.id, first.id, { code: "a = 2" });
    const added = await alice.cells.create(notebook.id, { type: "python", code: "b = a * 3" });
    socket.gate.closed = false;
    await until(session, () => hellos === 1 && session.status === "open", 15_000);

    assert.deepEqual(statuses.slice(0, 1), ["reconnecting"]);
    assert.equal(statuses.at(-1), "open");
    assert.deepEqual(session.notebook, await alice.notebooks.get(notebook.id));
    assert.equal(session.cell(first.id)?.code, "a = 2");
    assert.equal(session.cell(added.id)?.code, "b = a * 3");

    await alice.notebooks.rename(notebook.id, "After the restart");
    await until(session, () => session.notebook.name === "After the restart");
  });
});

describe("examples/sdk-node/agent.mjs", () => {
  test("runs against the service and shows the reactive re-run", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(repoRoot, "examples/sdk-node/agent.mjs")],
      { cwd: repoRoot, env: { ...process.env, REACTIVE_NOTEBOOK_URL: server.url }, timeout: RUN_TIMEOUT_MS },
    );

    assert.match(stdout, /^z = y \* 2 +→ success +30$/m);
    assert.match(stdout, /^z = y \* 2 +→ success +50$/m);
    assert.match(stdout, /^ {2}live: y = x \+ 5 ⇒ 25$/m, "y's new value printed as it arrived");
    assert.match(stdout, /^ {2}live: z = y \* 2 ⇒ 50$/m, "z's new value printed as it arrived");
    assert.match(stdout, /^deleted notebook /m);
  });
});
