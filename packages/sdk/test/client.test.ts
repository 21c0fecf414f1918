/** NotebookClient speaks API.md: the right method, path, JSON body and bearer token for each resource method. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { NotebookClient } from "../src/index.js";
import { startTestServer } from "./test-server.js";

const notebook = {
  id: "nb 1",
  name: "Sales",
  createdAt: "2025-01-01T00:00:00.000Z",
  updatedAt: "2025-01-01T00:00:00.000Z",
  cellCount: 0,
  revision: 0,
  cells: [],
  database: { configured: false },
};

test("every request carries a fresh bearer token from getToken", async (t) => {
  const server = await startTestServer(() => ({ body: { userId: "alice", authMode: "dev" } }));
  t.after(() => server.close());
  let issued = 0;
  const client = new NotebookClient({ baseUrl: server.url, getToken: async () => `token-${++issued}` });

  await client.me();
  await client.me();

  assert.deepEqual(
    server.requests.map((request) => request.headers.authorization),
    ["Bearer token-1", "Bearer token-2"],
  );
});

test("health and dev.token are public: no token is asked for or sent", async (t) => {
  const server = await startTestServer((request) =>
    request.url === "/health"
      ? { body: { status: "ok", version: "0.1.0" } }
      : { body: { token: "t", expiresAt: "2030-01-01T00:00:00.000Z" } },
  );
  t.after(() => server.close());
  const client = new NotebookClient({
    baseUrl: `${server.url}/`,
    getToken: () => assert.fail("getToken must not be called for public routes"),
  });

  assert.deepEqual(await client.health(), { status: "ok", version: "0.1.0" });
  assert.deepEqual(await client.dev.token("alice"), { token: "t", expiresAt: "2030-01-01T00:00:00.000Z" });
  assert.equal(server.requests[0]?.headers.authorization, undefined);
  assert.deepEqual(server.requests[1]?.body, { userId: "alice" });
  assert.equal(server.requests[1]?.url, "/api/v1/dev/token");
});

test("a base URL with a path prefix keeps it", async (t) => {
  const server = await startTestServer(() => ({ body: { status: "ok", version: "1.2.3" } }));
  t.after(() => server.close());
  const client = new NotebookClient({ baseUrl: `${server.url}/notebook-service/` });

  await client.health();

  assert.equal(server.requests[0]?.url, "/notebook-service/health");
});

test("notebook methods send the method, path and JSON body of API.md and return the parsed answer", async (t) => {
  const server = await startTestServer((request) => {
    if (request.method === "DELETE") return { status: 204 };
    if (request.url.endsWith("/interrupt")) return { status: 202 };
    if (request.url.endsWith("/run")) return { status: 202, body: { runId: "run-1" } };
    if (request.url.endsWith("/database")) return { body: { configured: true, host: "db", user: "u" } };
    if (request.url === "/api/v1/notebooks" && request.method === "GET") return { body: { notebooks: [] } };
    if (request.url.includes("/export")) return { body: { nbformat: 4 } };
    return { status: request.method === "POST" ? 201 : 200, body: notebook };
  });
  t.after(() => server.close());
  const client = new NotebookClient({ baseUrl: server.url, getToken: () => "tok" });

  assert.deepEqual(await client.notebooks.list(), []);
  assert.deepEqual(await client.notebooks.create({ name: "Sales" }), notebook);
  assert.deepEqual(await client.notebooks.get("nb 1"), notebook);
  await client.notebooks.rename("nb 1", "Q3");
  assert.equal(await client.notebooks.delete("nb 1"), undefined);
  assert.deepEqual(await client.notebooks.setDatabase("nb 1", "postgres://u:p@db/x"), {
    configured: true,
    host: "db",
    user: "u",
  });
  assert.deepEqual(await client.notebooks.run("nb 1"), { runId: "run-1" });
  assert.equal(await client.notebooks.interrupt("nb 1"), undefined);
  await client.notebooks.restartKernel("nb 1");
  await client.notebooks.exportIpynb("nb 1");

  assert.deepEqual(
    server.requests.map(({ method, url, body }) => [method, url, body]),
    [
      ["GET", "/api/v1/notebooks", undefined],
      ["POST", "/api/v1/notebooks", { name: "Sales" }],
      ["GET", "/api/v1/notebooks/nb%201", undefined],
      ["PATCH", "/api/v1/notebooks/nb%201", { name: "Q3" }],
      ["DELETE", "/api/v1/notebooks/nb%201", undefined],
      ["PUT", "/api/v1/notebooks/nb%201/database", { connectionString: "postgres://u:p@db/x" }],
      ["POST", "/api/v1/notebooks/nb%201/run", undefined],
      ["POST", "/api/v1/notebooks/nb%201/interrupt", undefined],
      ["POST", "/api/v1/notebooks/nb%201/kernel/restart", undefined],
      ["GET", "/api/v1/notebooks/nb%201/export?format=ipynb", undefined],
    ],
  );
  assert.equal(server.requests[1]?.headers["content-type"], "application/json");
});

test("cell methods address the cell inside its notebook", async (t) => {
  const server = await startTestServer((request) => {
    if (request.method === "DELETE") return { status: 204 };
    if (request.url.endsWith("/move")) return { body: { order: ["c2", "c1"] } };
    if (request.url.endsWith("/run")) return { status: 202, body: { runId: "r" } };
    return { status: 200, body: { id: "c1" } };
  });
  t.after(() => server.close());
  const client = new NotebookClient({ baseUrl: server.url, getToken: () => "tok" });

  await client.cells.create("nb1", { type: "python", code: "x = 1", index: 0 });
  await client.cells.update("nb1", "c1", { code: "x = 2", run: true, ifRevision: 3 });
  assert.deepEqual(await client.cells.move("nb1", "c1", 1), { order: ["c2", "c1"] });
  assert.deepEqual(await client.cells.run("nb1", "c1"), { runId: "r" });
  await client.cells.delete("nb1", "c1");
  await client.notebooks.importIpynb({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] });

  assert.deepEqual(
    server.requests.map(({ method, url, body }) => [method, url, body]),
    [
      ["POST", "/api/v1/notebooks/nb1/cells", { type: "python", code: "x = 1", index: 0 }],
      ["PATCH", "/api/v1/notebooks/nb1/cells/c1", { code: "x = 2", run: true, ifRevision: 3 }],
      ["POST", "/api/v1/notebooks/nb1/cells/c1/move", { index: 1 }],
      ["POST", "/api/v1/notebooks/nb1/cells/c1/run", undefined],
      ["DELETE", "/api/v1/notebooks/nb1/cells/c1", undefined],
      ["POST", "/api/v1/notebooks/import", { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] }],
    ],
  );
});

test("POSTs carry an Idempotency-Key, a fresh one per call unless the caller gives one", async (t) => {
  const server = await startTestServer(() => ({ status: 202, body: { runId: "r" } }));
  t.after(() => server.close());
  const client = new NotebookClient({ baseUrl: server.url, getToken: () => "tok" });

  await client.notebooks.run("nb1");
  await client.notebooks.run("nb1");
  await client.notebooks.run("nb1", { idempotencyKey: "mine" });
  await client.notebooks.get("nb1");

  const keys = server.requests.map((request) => request.headers["idempotency-key"]);
  assert.match(String(keys[0]), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(keys[0], keys[1]);
  assert.equal(keys[2], "mine");
  assert.equal(keys[3], undefined);
});
