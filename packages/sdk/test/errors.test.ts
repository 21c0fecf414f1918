/** Failed calls reject with the ApiError subclass of their code, carrying status, code, details and request id. */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ApiError,
  ConflictError,
  ForbiddenError,
  InvalidConnectionError,
  InvalidRequestError,
  KernelUnavailableError,
  NotebookClient,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  UnauthorizedError,
} from "../src/index.js";
import { errorBody, startTestServer } from "./test-server.js";

const cases = [
  { status: 400, code: "invalid_request", ErrorClass: InvalidRequestError },
  { status: 401, code: "unauthorized", ErrorClass: UnauthorizedError },
  { status: 403, code: "forbidden", ErrorClass: ForbiddenError },
  { status: 404, code: "not_found", ErrorClass: NotFoundError },
  { status: 409, code: "conflict", ErrorClass: ConflictError },
  { status: 413, code: "payload_too_large", ErrorClass: PayloadTooLargeError },
  { status: 422, code: "invalid_connection", ErrorClass: InvalidConnectionError },
  { status: 429, code: "rate_limited", ErrorClass: RateLimitedError },
  { status: 503, code: "kernel_unavailable", ErrorClass: KernelUnavailableError },
] as const;

for (const { status, code, ErrorClass } of cases) {
  test(`${status} ${code} rejects with ${ErrorClass.name}`, async (t) => {
    const server = await startTestServer(() => ({
      status,
      headers: { "x-request-id": `req-${code}`, "retry-after": "7" },
      body: errorBody(code, `the ${code} message`, { field: "/name" }),
    }));
    t.after(() => server.close());
    const client = new NotebookClient({ baseUrl: server.url, getToken: () => "tok", maxRetries: 0 });

    const error = await client.notebooks.get("nb1").catch((caught: unknown) => caught);

    assert.ok(error instanceof ErrorClass);
    assert.ok(error instanceof ApiError);
    assert.equal(error.name, ErrorClass.name);
    assert.equal(error.status, status);
    assert.equal(error.code, code);
    assert.equal(error.message, `the ${code} message`);
    assert.deepEqual(error.details, { field: "/name" });
    assert.equal(error.requestId, `req-${code}`);
    if (error instanceof RateLimitedError) assert.equal(error.retryAfter, 7);
  });
}

test("an unknown code keeps its code on a plain ApiError", async (t) => {
  const server = await startTestServer(() => ({
    status: 500,
    body: errorBody("internal", "Something broke."),
  }));
  t.after(() => server.close());
  const client = new NotebookClient({ baseUrl: server.url, maxRetries: 0 });

  const error = await client.me().catch((caught: unknown) => caught);

  assert.ok(error instanceof ApiError);
  assert.equal(error.constructor, ApiError);
  assert.equal(error.code, "internal");
  assert.equal(error.status, 500);
  assert.equal(error.requestId, undefined);
});

test("a body that is not an error object (a proxy page) still maps by status", async (t) => {
  const server = await startTestServer(() => ({ status: 404, headers: { "content-type": "text/html" } }));
  t.after(() => server.close());
  const client = new NotebookClient({ baseUrl: server.url, maxRetries: 0 });

  const error = await client.me().catch((caught: unknown) => caught);

  assert.ok(error instanceof NotFoundError);
  assert.equal(error.code, "not_found");
  assert.match(error.message, /HTTP 404/);
});

test("a thrown error's stack points at the code that made the call", async (t) => {
  const server = await startTestServer(() => ({
    status: 404,
    body: errorBody("not_found", "No such notebook."),
  }));
  t.after(() => server.close());
  const client = new NotebookClient({ baseUrl: server.url, maxRetries: 0 });

  async function openTheMissingNotebook() {
    return client.notebooks.get("missing");
  }
  const error = await openTheMissingNotebook().catch((caught: unknown) => caught);

  assert.ok(error instanceof NotFoundError);
  assert.match(String(error.stack), /^NotFoundError: No such notebook\.\n/);
  assert.match(String(error.stack), /openTheMissingNotebook/);
});
