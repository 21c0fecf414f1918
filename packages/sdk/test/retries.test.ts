/** Retries: 429 (after Retry-After), 5xx gateway/unavailable and network errors are retried on retry-safe calls only. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { ConnectionError, KernelUnavailableError, NotebookClient, RateLimitedError } from "../src/index.js";
import { errorBody, startTestServer } from "./test-server.js";

const fast = { retryBaseDelayMs: 10, retryMaxDelayMs: 20 };
const health = { status: "ok", version: "0.1.0" };

test("a 429 is retried after the Retry-After the server asked for", async (t) => {
  const server = await startTestServer((_request, n) =>
    n === 0
      ? { status: 429, headers: { "retry-after": "1" }, body: errorBody("rate_limited", "Slow down.") }
      : { body: health },
  );
  t.after(() => server.close());
  const client = new NotebookClient({ baseUrl: server.url, ...fast });

  const started = performance.now();
  assert.deepEqual(await client.health(), health);
  const waited = performance.now() - started;

  assert.equal(server.requests.length, 2);
  assert.ok(waited >= 950, `waited ${waited} ms, expected about 1000 ms`);
});

test("a GET answered 503 is retried until it succeeds", async (t) => {
  const server = await startTestServer((_request, n) =>
    n < 2 ? { status: 503, body: errorBody("kernel_unavailable", "Starting.") } : { body: health },
  );
  t.after(() => server.close());
  const client = new NotebookClient({ baseUrl: server.url, maxRetries: 2, ...fast });

  assert.deepEqual(await client.health(), health);
  assert.equal(server.requests.length, 3);
});

test("retries stop after maxRetries and the last error is thrown", async (t) => {
  const server = await startTestServer(() => ({
    status: 503,
    body: errorBody("kernel_unavailable", "Out of kernels."),
  }));
  t.after(() => server.close());
  const client = new NotebookClient({ baseUrl: server.url, maxRetries: 3, ...fast });

  await assert.rejects(client.notebooks.get("nb1"), KernelUnavailableError);
  assert.equal(server.requests.length, 4);
});

test("a per-call maxRetries overrides the client's", async (t) => {
  const server = await startTestServer(() => ({ status: 429, body: errorBody("rate_limited", "No.") }));
  t.after(() => server.close());
  const client = new NotebookClient({ baseUrl: server.url, maxRetries: 5, ...fast });

  await assert.rejects(client.notebooks.list({ maxRetries: 0 }), RateLimitedError);
  assert.equal(server.requests.length, 1);
});

test("a POST is retried with the same Idempotency-Key, so the server can run it once", async (t) => {
  const server = await startTestServer((_request, n) =>
    n === 0
      ? { status: 503, body: errorBody("kernel_unavailable", "Busy.") }
      : { status: 202, body: { runId: "r" } },
  );
  t.after(() => server.close());
  const client = new NotebookClient({ baseUrl: server.url, getToken: () => "tok", ...fast });

  assert.deepEqual(await client.cells.run("nb1", "c1"), { runId: "r" });
  const [first, second] = server.requests.map((request) => request.headers["idempotency-key"]);
  assert.equal(server.requests.length, 2);
  assert.ok(first);
  assert.equal(second, first);
});

test("a POST answered 409 with Retry-After (its first attempt still being answered) is retried with the same key", async (t) => {
  const busy = errorBody("conflict", "A request with this Idempotency-Key is still being answered.");
  const server = await startTestServer((_request, n) =>
    n === 0
      ? { status: 409, headers: { "retry-after": "0" }, body: busy }
      : { status: 201, body: { id: "nb1", name: "once" } },
  );
  t.after(() => server.close());
  const client = new NotebookClient({ baseUrl: server.url, getToken: () => "tok", ...fast });

  assert.equal((await client.notebooks.create({ name: "once" })).id, "nb1");
  const [first, second] = server.requests.map((request) => request.headers["idempotency-key"]);
  assert.equal(server.requests.length, 2);
  assert.equal(second, first);
});

test("a 409 without Retry-After (a stale ifRevision) is thrown at once", async (t) => {
  const server = await startTestServer(() => ({
    status: 409,
    body: errorBody("conflict", "The notebook changed."),
  }));
  t.after(() => server.close());
  const client = new NotebookClient({ baseUrl: server.url, getToken: () => "tok", maxRetries: 3, ...fast });

  await assert.rejects(client.notebooks.create({ name: "n" }), { code: "conflict" });
  assert.equal(server.requests.length, 1);
});

test("a PATCH (not idempotent, no key) is never retried", async (t) => {
  const server = await startTestServer(() => ({
    status: 503,
    body: errorBody("kernel_unavailable", "Busy."),
  }));
  t.after(() => server.close());
  const client = new NotebookClient({ baseUrl: server.url, getToken: () => "tok", maxRetries: 3, ...fast });

  await assert.rejects(
    client.cells.update("nb1", "c1", { code: "x = 1", run: true }),
    KernelUnavailableError,
  );
  assert.equal(server.requests.length, 1);
});

test("errors that will not change on retry (4xx) are thrown at once", async (t) => {
  const server = await startTestServer(() => ({ status: 404, body: errorBody("not_found", "Nope.") }));
  t.after(() => server.close());
  const client = new NotebookClient({ baseUrl: server.url, maxRetries: 3, ...fast });

  await assert.rejects(client.notebooks.get("nb1"), { code: "not_found" });
  assert.equal(server.requests.length, 1);
});

test("a connection the server drops is retried, then fails with ConnectionError", async (t) => {
  const server = await startTestServer(() => ({ hangUp: true }));
  t.after(() => server.close());
  const client = new NotebookClient({ baseUrl: server.url, maxRetries: 2, ...fast });

  const error = await client.health().catch((caught: unknown) => caught);

  assert.ok(error instanceof ConnectionError);
  assert.equal(error.status, 0);
  assert.equal(server.requests.length, 3);
});

test("a closed port fails with ConnectionError after the retries", async (t) => {
  // Listen, note the port, close: nothing listens there any more.
  const server = await startTestServer(() => ({ body: health }));
  await server.close();
  const client = new NotebookClient({ baseUrl: server.url, maxRetries: 2, ...fast });

  const started = performance.now();
  const error = await client.health().catch((caught: unknown) => caught);

  assert.ok(error instanceof ConnectionError);
  assert.match(error.message, /Could not reach the notebook service at http:\/\/127\.0\.0\.1:\d+\/health/);
  assert.ok(error.cause instanceof Error);
  assert.ok(performance.now() - started < 2000);
  t.diagnostic(`failed after ${Math.round(performance.now() - started)} ms`);
});
