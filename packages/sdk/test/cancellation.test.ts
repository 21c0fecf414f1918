/** Calls end when the caller aborts them or when an attempt outlives the timeout. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ConnectionError, NotebookClient } from "../src/index.js";
import { errorBody, startTestServer } from "./test-server.js";

test("aborting the signal rejects the call with the signal's reason", async (t) => {
  const controller = new AbortController();
  const server = await startTestServer(() => {
    controller.abort(); // while the server holds its answer back
    return { delayMs: 5_000, body: { notebooks: [] } };
  });
  t.after(() => server.close());
  const client = new NotebookClient({ baseUrl: server.url, getToken: () => "tok" });

  const call = client.notebooks.list({ signal: controller.signal });

  await assert.rejects(call, { name: "AbortError" });
  assert.equal(server.requests.length, 1);
});

test("a signal aborted before the call sends nothing", async (t) => {
  const server = await startTestServer(() => ({ body: { notebooks: [] } }));
  t.after(() => server.close());
  const client = new NotebookClient({ baseUrl: server.url });

  await assert.rejects(client.notebooks.list({ signal: AbortSignal.abort() }), { name: "AbortError" });
  assert.equal(server.requests.length, 0);
});

test("aborting during a retry wait ends the call without another attempt", async (t) => {
  const server = await startTestServer(() => ({
    status: 429,
    headers: { "retry-after": "30" },
    body: errorBody("rate_limited", "Later."),
  }));
  t.after(() => server.close());
  const client = new NotebookClient({ baseUrl: server.url });
  const controller = new AbortController();

  const call = client.health({ signal: controller.signal });
  setTimeout(() => controller.abort(new Error("user left")), 100);

  await assert.rejects(call, { message: "user left" });
  assert.equal(server.requests.length, 1);
});

test("an attempt slower than timeoutMs fails with ConnectionError", async (t) => {
  const server = await startTestServer(() => ({ delayMs: 5_000, body: { status: "ok", version: "0.1.0" } }));
  t.after(() => server.close());
  const client = new NotebookClient({ baseUrl: server.url, timeoutMs: 100, maxRetries: 0 });

  const started = performance.now();
  const error = await client.health().catch((caught: unknown) => caught);

  assert.ok(error instanceof ConnectionError);
  assert.match(error.message, /timed out after 100 ms/);
  assert.ok(performance.now() - started < 1000);
});

test("a timed-out GET is retried like any network failure", async (t) => {
  const server = await startTestServer((_request, n) => ({
    delayMs: n === 0 ? 5_000 : 0,
    body: { status: "ok", version: "0.1.0" },
  }));
  t.after(() => server.close());
  const client = new NotebookClient({ baseUrl: server.url, timeoutMs: 100, retryBaseDelayMs: 10 });

  assert.deepEqual(await client.health(), { status: "ok", version: "0.1.0" });
  assert.equal(server.requests.length, 2);
});
