/** The run methods' `wait` option: `?wait=S` on the request, the completed run or just its id back, and an attempt that outlasts S. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Cell, RunCompleted } from "../src/index.js";
import { NotebookClient } from "../src/index.js";
import { startTestServer } from "./test-server.js";

const cell: Cell = {
  id: "c1",
  type: "python",
  code: "x = 1",
  status: "success",
  stdout: "",
  stderr: "",
  outputs: [],
  error: null,
  reads: [],
  writes: ["x"],
  executionCount: 1,
  lastRunMs: 3,
};
const completed: RunCompleted = { runId: "r1", cells: [cell], ms: 12 };

test("run with wait asks the service to hold its answer and returns the run's cells when it ended in time", async (t) => {
  const server = await startTestServer(() => ({ status: 200, body: completed }));
  t.after(() => server.close());
  const client = new NotebookClient({ baseUrl: server.url, getToken: () => "tok" });

  const one = await client.cells.run("nb 1", "c1", { wait: 30 });
  const all = await client.notebooks.run("nb 1", { wait: 60 });

  assert.deepEqual(one, completed);
  assert.deepEqual(all, completed);
  assert.ok("cells" in one && one.cells[0]?.status === "success");
  assert.deepEqual(
    server.requests.map(({ method, url }) => [method, url]),
    [
      ["POST", "/api/v1/notebooks/nb%201/cells/c1/run?wait=30"],
      ["POST", "/api/v1/notebooks/nb%201/run?wait=60"],
    ],
  );
});

test("a run still going when the wait ran out answers with just its id", async (t) => {
  const server = await startTestServer(() => ({ status: 202, body: { runId: "r2" } }));
  t.after(() => server.close());
  const client = new NotebookClient({ baseUrl: server.url, getToken: () => "tok" });

  const result = await client.notebooks.run("nb1", { wait: 1 });

  assert.deepEqual(result, { runId: "r2" });
  assert.equal("cells" in result, false);
});

test("without wait the run methods send no query and answer with the run id", async (t) => {
  const server = await startTestServer(() => ({ status: 202, body: { runId: "r3" } }));
  t.after(() => server.close());
  const client = new NotebookClient({ baseUrl: server.url, getToken: () => "tok" });

  assert.deepEqual(await client.cells.run("nb1", "c1"), { runId: "r3" });
  assert.deepEqual(await client.notebooks.run("nb1", {}), { runId: "r3" });
  assert.deepEqual(
    server.requests.map(({ url }) => url),
    ["/api/v1/notebooks/nb1/cells/c1/run", "/api/v1/notebooks/nb1/run"],
  );
});

test("a waiting run is not cut off by the client's shorter per-attempt timeout", async (t) => {
  // The service holds the answer longer than the client's 50 ms timeout but within the 1 s wait.
  const server = await startTestServer(() => ({ status: 200, body: completed, delayMs: 400 }));
  t.after(() => server.close());
  const client = new NotebookClient({ baseUrl: server.url, getToken: () => "tok", timeoutMs: 50 });

  assert.deepEqual(await client.cells.run("nb1", "c1", { wait: 1 }), completed);
  await assert.rejects(client.me(), { name: "ConnectionError", message: /timed out after 50 ms/ });
});
