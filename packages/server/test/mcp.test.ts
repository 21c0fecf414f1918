// POST /mcp: the notebook tools over Streamable HTTP, under the REST API's auth, ownership and rate limit.
import assert from "node:assert/strict";
import { test } from "node:test";
import { bearer, devToken, mcpRequest, testApp, toolResult } from "./helpers/index.js";

test("a tool call acts as the token's user through the REST routes", async (t) => {
  const app = await testApp(t, {}, { rateLimit: false });
  const alice = await devToken(app, "alice");
  const created = await mcpRequest(app, alice, "tools/call", {
    name: "create_notebook",
    arguments: { name: "From MCP", cells: [{ type: "python", code: "x = 1" }] },
  });
  assert.equal(created.statusCode, 200, created.body);
  const result = toolResult(created);
  assert.equal(result.isError, false, result.text);
  const { id } = result.structured as { id: string };
  const listed = await app.inject({ url: "/api/v1/notebooks", headers: bearer(alice) });
  assert.deepEqual(
    (listed.json() as { notebooks: { id: string; name: string }[] }).notebooks.map((n) => [n.id, n.name]),
    [[id, "From MCP"]],
  );
  assert.match(String(created.headers["x-request-id"]), /^[0-9a-f-]{36}$/, "hooks' headers reach the answer");
});

test("rate limits: /mcp and the REST calls its tools make count against the caller's limit; other users go on", async (t) => {
  // 5 a minute: a list_notebooks call costs two (POST /mcp, then GET /api/v1/notebooks inside).
  const app = await testApp(t, {}, { rateLimit: { max: 5, timeWindowMs: 60_000 } });
  const alice = await devToken(app, "alice");
  const bob = await devToken(app, "bob");
  const list = (token: string) =>
    mcpRequest(app, token, "tools/call", { name: "list_notebooks", arguments: {} });

  for (let i = 0; i < 2; i++) assert.equal(toolResult(await list(alice)).isError, false, `call ${i + 1}`);
  // The fifth request is the third POST /mcp; the tool's own request is the sixth, over the limit: a tool error.
  const inner = toolResult(await list(alice));
  assert.equal(inner.isError, true);
  assert.match(inner.text, /^rate_limited: Too many requests: at most 5 in 60 s\. Retry in \d+ s\.$/);
  // Over the limit, /mcp itself is refused like any REST route.
  const outer = await list(alice);
  assert.equal(outer.statusCode, 429);
  assert.equal(outer.json().error.code, "rate_limited");
  assert.ok(Number(outer.headers["retry-after"]) >= 1);
  assert.equal(toolResult(await list(bob)).isError, false, "another user is not limited");
});

test("GET and DELETE /mcp answer 405 (no sessions, no event stream); without a token, 401", async (t) => {
  const app = await testApp(t, {}, { rateLimit: false });
  const alice = await devToken(app, "alice");
  for (const method of ["GET", "DELETE"] as const) {
    const response = await app.inject({ method, url: "/mcp", headers: bearer(alice) });
    assert.equal(response.statusCode, 405, method);
    assert.equal(response.headers.allow, "POST");
    assert.equal(response.json().error.code, -32000);
    const anonymous = await app.inject({ method, url: "/mcp" });
    assert.equal(anonymous.statusCode, 401, method);
  }
});

test("a body that is not JSON-RPC gets the transport's JSON-RPC error, and the app goes on", async (t) => {
  const app = await testApp(t, {}, { rateLimit: false });
  const alice = await devToken(app, "alice");
  const response = await app.inject({
    method: "POST",
    url: "/mcp",
    headers: {
      ...bearer(alice),
      accept: "application/json, text/event-stream",
      "content-type": "application/json",
    },
    payload: { hello: "world" },
  });
  assert.equal(response.statusCode, 400, response.body);
  assert.equal(response.json().jsonrpc, "2.0");
  const after = await mcpRequest(app, alice, "tools/list");
  assert.equal(after.statusCode, 200);
  assert.ok((after.json().result.tools as unknown[]).length > 10);
});

test("CORS: a page on an allowed origin may post to /mcp with the MCP protocol header", async (t) => {
  const origin = "https://agents.example.com";
  const app = await testApp(t, { ALLOWED_ORIGINS: origin }, { rateLimit: false });
  const preflight = await app.inject({
    method: "OPTIONS",
    url: "/mcp",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization,content-type,mcp-protocol-version",
    },
  });
  assert.equal(preflight.statusCode, 204);
  assert.equal(preflight.headers["access-control-allow-origin"], origin);
  assert.match(String(preflight.headers["access-control-allow-headers"]), /Mcp-Protocol-Version/);
  const alice = await devToken(app, "alice");
  const answer = await app.inject({
    method: "POST",
    url: "/mcp",
    headers: {
      origin,
      authorization: `Bearer ${alice}`,
      accept: "application/json, text/event-stream",
      "content-type": "application/json",
      "mcp-protocol-version": "2025-06-18",
    },
    payload: { jsonrpc: "2.0", id: 1, method: "tools/list", params: {} },
  });
  assert.equal(answer.statusCode, 200, answer.body);
  assert.equal(
    answer.headers["access-control-allow-origin"],
    origin,
    "the hijacked answer keeps CORS headers",
  );
});
