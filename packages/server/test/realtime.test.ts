// The notebook WebSocket: the first frame authenticates (deadline, 4401/4403/4404), tokens are refreshed or
// the socket closes at expiry, bad frames are answered without closing, and every REST change reaches every
// socket of the notebook — without a slow socket holding up the others, and across instances via Redis.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../src/app.js";
import {
  bearer,
  clerkEnv,
  clerkKey,
  clerkToken,
  devToken,
  listen,
  TestSocket,
  testApp,
  testConfig,
} from "./helpers/index.js";

async function createNotebook(app: FastifyInstance, token: string, name = "Realtime"): Promise<string> {
  const response = await app.inject({
    method: "POST",
    url: "/api/v1/notebooks",
    headers: bearer(token),
    payload: { name },
  });
  assert.equal(response.statusCode, 201, response.body);
  return (response.json() as { id: string }).id;
}

/** A listening dev-mode app with a notebook of alice's. */
async function setup(t: Parameters<typeof testApp>[0], options: Parameters<typeof testApp>[2] = {}) {
  const app = await testApp(t, {}, options);
  const alice = await devToken(app, "alice");
  const notebookId = await createNotebook(app, alice);
  const base = await listen(app);
  return { app, alice, notebookId, base };
}

test("after a valid auth frame the server sends hello with the notebook", async (t) => {
  const { app, alice, notebookId, base } = await setup(t);
  const socket = await TestSocket.open(base, notebookId);
  const hello = await socket.auth(alice);
  assert.equal(hello.notebookId, notebookId);
  assert.equal(hello.notebook.id, notebookId);
  assert.equal(hello.notebook.name, "Realtime");
  assert.equal(hello.revision, hello.notebook.revision);
  assert.equal("ownerId" in hello.notebook, false);
  assert.equal(app.realtime.socketCount(notebookId), 1);
  socket.terminate();
});

test("no auth frame within the deadline: close 4401", async (t) => {
  const { notebookId, base } = await setup(t, { realtime: { authTimeoutMs: 150 } });
  const socket = await TestSocket.open(base, notebookId);
  socket.send({ type: "ping" });
  const refused = await socket.next("error");
  assert.equal((refused as { code: string }).code, "unauthorized");
  assert.equal((await socket.close()).code, 4401);
});

test("an invalid or expired token closes 4401; another user's notebook 4403; no notebook 4404", async (t) => {
  const key = await clerkKey();
  const app = await testApp(t, clerkEnv(key));
  const alice = await clerkToken(key, "user_alice");
  const notebookId = await createNotebook(app, alice);
  const base = await listen(app);
  const cases: [string, string, number][] = [
    ["garbage", notebookId, 4401],
    [await clerkToken(key, "user_alice", { expiresIn: -60 }), notebookId, 4401],
    [await clerkToken(key, "user_alice", { azp: "https://evil.example.net" }), notebookId, 4401],
    [await clerkToken(key, "user_bob"), notebookId, 4403],
    [alice, "00000000-0000-4000-8000-000000000000", 4404],
  ];
  for (const [token, id, code] of cases) {
    const socket = await TestSocket.open(base, id);
    socket.send({ type: "auth", token });
    assert.equal((await socket.close()).code, code, `${token.slice(0, 12)} on ${id}`);
    assert.equal(socket.events.filter((e) => e.type === "hello").length, 0);
  }
  assert.equal(app.realtime.socketCount(notebookId), 0);
});

test("a token that expires while connected closes the socket with 4401", async (t) => {
  const key = await clerkKey();
  const app = await testApp(t, clerkEnv(key));
  const notebookId = await createNotebook(app, await clerkToken(key, "user_alice"));
  const socket = await TestSocket.open(await listen(app), notebookId);
  await socket.auth(await clerkToken(key, "user_alice", { expiresIn: 1 }));
  const started = Date.now();
  const closed = await socket.close(4000);
  assert.equal(closed.code, 4401);
  assert.match(closed.reason, /expired/);
  assert.ok(Date.now() - started < 2500);
});

test("an auth frame with a fresh token keeps the socket open; another user's token closes it 4403", async (t) => {
  const key = await clerkKey();
  const app = await testApp(t, clerkEnv(key));
  const notebookId = await createNotebook(app, await clerkToken(key, "user_alice"));
  const base = await listen(app);
  const socket = await TestSocket.open(base, notebookId);
  await socket.auth(await clerkToken(key, "user_alice", { expiresIn: 1 }));
  socket.send({ type: "auth", token: await clerkToken(key, "user_alice", { expiresIn: 60 }) });
  await new Promise((resolve) => setTimeout(resolve, 2100));
  socket.send({ type: "ping" });
  await socket.next("pong");
  assert.equal(socket.closed, null);
  assert.equal(socket.events.filter((e) => e.type === "hello").length, 0, "a refresh sends no second hello");

  socket.send({ type: "auth", token: await clerkToken(key, "user_bob") });
  assert.equal((await socket.close()).code, 4403);
});

test("malformed frames get an invalid_request error and the socket stays open", async (t) => {
  const { alice, notebookId, base } = await setup(t);
  const socket = await TestSocket.open(base, notebookId);
  await socket.auth(alice);
  const frames: [unknown, string][] = [
    ["not json", ""],
    [{ type: "launch_missiles" }, "/type"],
    [{ type: "run_cell" }, "/cellId"],
    [{ type: "ping", extra: 1 }, "/extra"],
    [[1, 2], ""],
  ];
  for (const [frame, field] of frames) {
    socket.send(frame);
    const error = (await socket.next("error")) as {
      code: string;
      notebookId: string;
      details?: { field: string };
    };
    assert.equal(error.code, "invalid_request");
    assert.equal(error.notebookId, notebookId);
    if (field) assert.equal(error.details?.field, field);
  }
  socket.send({ type: "ping" });
  const pong = await socket.next("pong");
  assert.deepEqual(pong, { type: "pong", notebookId, revision: 0 });
  assert.equal(socket.closed, null);
});

test("two sockets of the owner both see another client's REST edits", async (t) => {
  const { app, alice, notebookId, base } = await setup(t);
  const first = await TestSocket.open(base, notebookId);
  const second = await TestSocket.open(base, notebookId);
  await first.auth(alice);
  await second.auth(alice);
  const rename = await app.inject({
    method: "PATCH",
    url: `/api/v1/notebooks/${notebookId}`,
    headers: bearer(alice),
    payload: { name: "Renamed" },
  });
  assert.equal(rename.statusCode, 200);
  const added = await app.inject({
    method: "POST",
    url: `/api/v1/notebooks/${notebookId}/cells`,
    headers: bearer(alice),
    payload: { type: "markdown", code: "# hi" },
  });
  assert.equal(added.statusCode, 201);
  for (const socket of [first, second]) {
    const renamed = (await socket.next("notebook_updated")) as { name: string; revision: number };
    assert.equal(renamed.name, "Renamed");
    const created = (await socket.next("cell_created")) as { cell: { id: string }; revision: number };
    assert.equal(created.cell.id, added.json().id);
    assert.ok(created.revision > renamed.revision);
  }
  first.terminate();
  second.terminate();
});

test("events published by the runtime reach the notebook's sockets only", async (t) => {
  const { app, alice, notebookId, base } = await setup(t);
  const otherId = await createNotebook(app, alice, "Other");
  const mine = await TestSocket.open(base, notebookId);
  const other = await TestSocket.open(base, otherId);
  await mine.auth(alice);
  await other.auth(alice);
  app.realtime.publish(notebookId, { type: "kernel_status", notebookId, revision: 0, status: "busy" });
  assert.deepEqual(await mine.next("kernel_status"), {
    type: "kernel_status",
    notebookId,
    revision: 0,
    status: "busy",
  });
  other.send({ type: "ping" });
  await other.next("pong");
  assert.equal(other.events.length, 0);
});

test("a socket that reads too slowly is closed without delaying the others", async (t) => {
  const { app, alice, notebookId, base } = await setup(t, { realtime: { maxBufferedBytes: 1024 * 1024 } });
  const fast = await TestSocket.open(base, notebookId);
  const slow = await TestSocket.open(base, notebookId);
  await fast.auth(alice);
  await slow.auth(alice);
  // The slow client stops reading: its kernel buffers fill, then the server's send buffer.
  const raw = (slow.ws as unknown as { _socket: { pause(): void; resume?: () => void } })._socket;
  raw.pause();
  const text = "x".repeat(64 * 1024);
  const count = 400; // 25 MiB: more than the loopback socket buffers hold
  const started = Date.now();
  let publishing = 0;
  for (let i = 0; i < count; i++) {
    const before = Date.now();
    app.realtime.publish(notebookId, {
      type: "cell_stdout",
      notebookId,
      revision: 0,
      cellId: String(i),
      stream: "stdout",
      text,
    });
    publishing += Date.now() - before;
    // Output arrives over time, as a running cell prints; the fast client reads in between.
    await new Promise((resolve) => setImmediate(resolve));
  }
  await fast.until(
    () => fast.events.filter((e) => e.type === "cell_stdout").length === count || undefined,
    "every event",
    15_000,
  );
  const elapsed = Date.now() - started;
  const ids = fast.events
    .filter((e) => e.type === "cell_stdout")
    .map((e) => (e as { cellId: string }).cellId);
  assert.deepEqual(
    ids,
    Array.from({ length: count }, (_, i) => String(i)),
    "in order, none lost",
  );
  assert.equal(fast.closed, null);
  assert.equal(app.realtime.socketCount(notebookId), 1, "the slow socket was dropped");
  assert.ok(publishing < 1000, `publishing never waits on sockets (${publishing} ms in publish)`);
  assert.ok(elapsed < 10_000, `the fast socket got 25 MiB in ${elapsed} ms`);
  const closed = await slow.until(() => {
    raw.resume?.();
    return slow.closed ?? undefined;
  }, "the slow socket's close");
  assert.ok([1013, 1006].includes(closed.code), `closed ${closed.code}`);
  fast.terminate();
  slow.terminate();
});

test("with REDIS_URL, events cross instances and each socket gets each event once", async (t) => {
  const config = testConfig({ REDIS_URL: "redis://127.0.0.1:6379" });
  const one = await buildApp(config, { logger: false });
  const two = await buildApp(config, { logger: false }); // same data dir: one shared store, like two instances
  t.after(async () => {
    await one.close();
    await two.close();
  });
  const alice = await devToken(one, "alice");
  const notebookId = await createNotebook(one, alice);
  const onOne = await TestSocket.open(await listen(one), notebookId);
  const onTwo = await TestSocket.open(await listen(two), notebookId);
  await onOne.auth(alice);
  await onTwo.auth(alice);
  const rename = await one.inject({
    method: "PATCH",
    url: `/api/v1/notebooks/${notebookId}`,
    headers: bearer(alice),
    payload: { name: "From one" },
  });
  assert.equal(rename.statusCode, 200);
  two.realtime.publish(notebookId, { type: "kernel_status", notebookId, revision: 1, status: "ready" });
  for (const socket of [onOne, onTwo]) {
    assert.equal(((await socket.next("notebook_updated")) as { name: string }).name, "From one");
    await socket.next("kernel_status");
  }
  // Anything duplicated would have arrived by the time a ping round trip through Redis completes.
  await new Promise((resolve) => setTimeout(resolve, 200));
  for (const socket of [onOne, onTwo]) {
    socket.send({ type: "ping" });
    await socket.next("pong");
    assert.deepEqual(socket.events, [], "no event twice");
  }
  onOne.terminate();
  onTwo.terminate();
});

test("socket frames count against the user's request limit, shared with HTTP; past it a frame is refused, not run", async (t) => {
  const { app, alice, notebookId, base } = await setup(t, { rateLimit: { max: 6, timeWindowMs: 60_000 } });
  const socket = await TestSocket.open(base, notebookId);
  await socket.auth(alice);
  for (let i = 0; i < 8; i++) socket.send({ type: "ping" });
  const refused = (await socket.next("error")) as {
    code: string;
    message: string;
    details?: { retryAfterSeconds?: number };
  };
  assert.equal(refused.code, "rate_limited");
  assert.match(refused.message, /Too many requests/);
  assert.ok((refused.details?.retryAfterSeconds ?? 0) >= 1);
  const pongs = socket.events.filter((event) => event.type === "pong").length;
  assert.ok(pongs < 8, `${pongs} pongs: some frames were refused`);
  const http = await app.inject({ url: `/api/v1/notebooks/${notebookId}`, headers: bearer(alice) });
  assert.equal(http.statusCode, 429, "the same budget: HTTP is refused too");
  socket.terminate();
});

test("an address may hold only a few unauthenticated sockets; authenticating frees its place", async (t) => {
  const { alice, notebookId, base } = await setup(t, { realtime: { maxAnonymousPerAddress: 2 } });
  const first = await TestSocket.open(base, notebookId);
  const second = await TestSocket.open(base, notebookId);
  await assert.rejects(TestSocket.open(base, notebookId), /Unexpected server response: 429/);
  await first.auth(alice);
  const third = await TestSocket.open(base, notebookId);
  for (const socket of [first, second, third]) socket.terminate();
});

test("a socket that sends a stream of frames without authenticating is closed 4401", async (t) => {
  const { notebookId, base } = await setup(t);
  const socket = await TestSocket.open(base, notebookId);
  for (let i = 0; i < 20; i++) socket.send({ type: "run_all" });
  assert.equal((await socket.close()).code, 4401);
});
