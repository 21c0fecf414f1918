// Hardening: CORS only for the configured origins, security headers, a 1 MiB body limit, per-user rate
// limits with Retry-After, and error bodies that carry the request id and never a 5xx's internals.
import assert from "node:assert/strict";
import { test } from "node:test";
import { sitePolicy } from "@reactive-notebook/protocol";
import { bearer, clerkEnv, devToken, signingKey, testApp } from "./helpers/index.js";

const ORIGIN = "https://notebooks.example.com";

test("CORS: an allowed origin may call the API with a bearer token", async (t) => {
  const app = await testApp(t, { ALLOWED_ORIGINS: ORIGIN });
  const preflight = await app.inject({
    method: "OPTIONS",
    url: "/api/v1/notebooks",
    headers: {
      origin: ORIGIN,
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization,content-type",
    },
  });
  assert.equal(preflight.statusCode, 204);
  assert.equal(preflight.headers["access-control-allow-origin"], ORIGIN);
  assert.match(String(preflight.headers["access-control-allow-headers"]), /Authorization/);
  assert.match(String(preflight.headers["access-control-allow-methods"]), /PATCH/);
  const token = await devToken(app, "alice");
  const get = await app.inject({ url: "/api/v1/me", headers: { origin: ORIGIN, ...bearer(token) } });
  assert.equal(get.headers["access-control-allow-origin"], ORIGIN);
  assert.match(String(get.headers["access-control-expose-headers"]), /X-Request-Id/);
  assert.equal(get.headers["access-control-allow-credentials"], undefined, "no cookies: bearer tokens only");
});

test("CORS: a foreign origin gets no CORS grant", async (t) => {
  const app = await testApp(t, { ALLOWED_ORIGINS: ORIGIN });
  const preflight = await app.inject({
    method: "OPTIONS",
    url: "/api/v1/notebooks",
    headers: { origin: "https://evil.example.net", "access-control-request-method": "POST" },
  });
  assert.equal(preflight.headers["access-control-allow-origin"], undefined);
  const get = await app.inject({ url: "/health", headers: { origin: "https://evil.example.net" } });
  assert.equal(get.headers["access-control-allow-origin"], undefined);
});

test("security headers: a Content-Security-Policy for the page, nosniff, no framing by others", async (t) => {
  const app = await testApp(t);
  const page = await app.inject({ url: "/" });
  const csp = String(page.headers["content-security-policy"]);
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /script-src 'self'(;|$)/, "no inline or remote scripts without Clerk");
  assert.match(csp, /object-src 'none'/);
  assert.match(csp, /frame-ancestors 'self'/);
  assert.doesNotMatch(csp, /upgrade-insecure-requests/, "the dev server is plain http");
  assert.equal(page.headers["x-content-type-options"], "nosniff");
  assert.equal(page.headers["x-frame-options"], "SAMEORIGIN");
  assert.equal(page.headers["strict-transport-security"], undefined, "HSTS only in production");
});

/** Helmet's headers besides the Content-Security-Policy, as every answer of the service carries them. */
const SECURITY_HEADERS = {
  "cross-origin-opener-policy": "same-origin-allow-popups",
  "cross-origin-resource-policy": "cross-origin",
  "origin-agent-cluster": "?1",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "x-dns-prefetch-control": "off",
  "x-download-options": "noopen",
  "x-frame-options": "SAMEORIGIN",
  "x-permitted-cross-domain-policies": "none",
  "x-xss-protection": "0",
};

test("security headers: every answer carries the same ones — a page, an API read, a 401, a 404, a 400", async (t) => {
  const app = await testApp(t);
  const token = await devToken(app, "alice");
  const created = await app.inject({ method: "POST", url: "/api/v1/notebooks", headers: bearer(token) });
  const answers = {
    page: await app.inject({ url: "/" }),
    read: await app.inject({ url: `/api/v1/notebooks/${created.json().id}`, headers: bearer(token) }),
    unauthorized: await app.inject({ url: "/api/v1/me" }),
    missing: await app.inject({ url: "/api/v1/nothing-here", headers: bearer(token) }),
    invalid: await app.inject({ method: "POST", url: "/api/v1/dev/token", payload: { userId: "" } }),
  };
  assert.deepEqual(
    Object.values(answers).map((answer) => answer.statusCode),
    [200, 200, 401, 404, 400],
  );
  const policy = answers.page.headers["content-security-policy"];
  for (const [name, answer] of Object.entries(answers)) {
    const headers = Object.fromEntries(
      Object.keys(SECURITY_HEADERS).map((key) => [key, answer.headers[key]]),
    );
    assert.deepEqual(headers, SECURITY_HEADERS, name);
    assert.equal(answer.headers["content-security-policy"], policy, name);
    assert.equal(answer.headers["strict-transport-security"], undefined, `${name}: HSTS only in production`);
  }
});

test("security headers: in production every answer also sets HSTS for a year, subdomains included", async (t) => {
  const app = await testApp(t, {
    NODE_ENV: "production",
    NOTEBOOK_SECRET_KEY: "ab".repeat(32),
    ...clerkEnv(await signingKey()),
  });
  for (const url of ["/", "/health", "/api/v1/me"]) {
    const answer = await app.inject({ url });
    assert.equal(answer.headers["strict-transport-security"], "max-age=31536000; includeSubDomains", url);
    assert.match(String(answer.headers["content-security-policy"]), /upgrade-insecure-requests/, url);
    assert.equal(answer.headers["x-frame-options"], "SAMEORIGIN", url);
  }
});

test("security headers: with a Clerk publishable key the CSP allows Clerk's Frontend API", async (t) => {
  const frontendApi = Buffer.from("clerk.example.com$").toString("base64");
  const app = await testApp(t, { CLERK_PUBLISHABLE_KEY: `pk_test_${frontendApi}` });
  const csp = String((await app.inject({ url: "/" })).headers["content-security-policy"]);
  assert.match(csp, /script-src 'self' https:\/\/clerk\.example\.com/);
  assert.match(csp, /connect-src 'self' https:\/\/clerk\.example\.com/);
});

test("security headers: the page's policy is exactly the shared site policy the CloudFront deployment sends", async (t) => {
  const parse = (header: string) =>
    Object.fromEntries(
      header
        .split(/;\s*/)
        .filter(Boolean)
        .map((directive) => {
          const [name = "", ...sources] = directive.trim().split(/\s+/);
          return [name, sources];
        }),
    );
  const frontendApi = Buffer.from("clerk.example.com$").toString("base64");
  for (const env of [{}, { CLERK_PUBLISHABLE_KEY: `pk_test_${frontendApi}` }]) {
    const app = await testApp(t, env);
    const served = parse(String((await app.inject({ url: "/" })).headers["content-security-policy"]));
    const shared = parse(
      sitePolicy({ clerkPublishableKey: env.CLERK_PUBLISHABLE_KEY, upgradeInsecureRequests: false }),
    );
    assert.deepEqual(served, shared);
  }
});

test("a body over 1 MiB is a 413 payload_too_large", async (t) => {
  const app = await testApp(t);
  const response = await app.inject({
    method: "POST",
    url: "/api/v1/dev/token",
    headers: { "content-type": "application/json" },
    payload: JSON.stringify({ userId: "x".repeat(1024 * 1024) }),
  });
  assert.equal(response.statusCode, 413);
  assert.equal(response.json().error.code, "payload_too_large");
});

test("rate limits: a user over the limit gets 429 rate_limited with Retry-After; other users do not", async (t) => {
  const app = await testApp(t, {}, { rateLimit: { max: 3, timeWindowMs: 60_000 } });
  const alice = await devToken(app, "alice");
  const bob = await devToken(app, "bob");
  for (let i = 0; i < 3; i++) {
    assert.equal((await app.inject({ url: "/api/v1/me", headers: bearer(alice) })).statusCode, 200);
  }
  const limited = await app.inject({ url: "/api/v1/me", headers: bearer(alice) });
  assert.equal(limited.statusCode, 429);
  assert.equal(limited.json().error.code, "rate_limited");
  const retryAfter = Number(limited.headers["retry-after"]);
  assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${limited.headers["retry-after"]}`);
  assert.equal(limited.json().error.details.retryAfterSeconds, retryAfter);
  assert.equal((await app.inject({ url: "/api/v1/me", headers: bearer(bob) })).statusCode, 200);
  assert.equal((await app.inject({ url: "/health" })).statusCode, 200, "health checks are never limited");
});

test("every response has an x-request-id, and error bodies repeat it", async (t) => {
  const app = await testApp(t);
  const ok = await app.inject({ url: "/health", headers: { "x-request-id": "chosen-by-client" } });
  assert.match(String(ok.headers["x-request-id"]), /^[0-9a-f-]{36}$/, "clients cannot choose the id");
  const missing = await app.inject({ url: "/api/v1/nope" });
  assert.equal(missing.statusCode, 404);
  assert.deepEqual(Object.keys(missing.json().error).sort(), ["code", "message", "requestId"]);
  assert.equal(missing.json().error.code, "not_found");
  assert.equal(missing.json().error.requestId, missing.headers["x-request-id"]);
  assert.notEqual(missing.headers["x-request-id"], ok.headers["x-request-id"]);
});

test("a schema violation is a 400 naming the field; bad JSON is a 400", async (t) => {
  const app = await testApp(t);
  const token = await devToken(app, "alice");
  const wrongType = await app.inject({
    method: "POST",
    url: "/api/v1/notebooks",
    headers: bearer(token),
    payload: { name: 5 },
  });
  assert.equal(wrongType.statusCode, 400);
  assert.equal(wrongType.json().error.code, "invalid_request");
  assert.equal(wrongType.json().error.details.field, "/name");
  const unknown = await app.inject({
    method: "POST",
    url: "/api/v1/dev/token",
    payload: { userId: "a", admin: true },
  });
  assert.equal(unknown.json().error.details.field, "/admin");
  const badJson = await app.inject({
    method: "POST",
    url: "/api/v1/dev/token",
    headers: { "content-type": "application/json" },
    payload: '{"userId": ',
  });
  assert.equal(badJson.statusCode, 400);
  assert.equal(badJson.json().error.code, "invalid_request");
  assert.match(badJson.json().error.message, /not valid JSON/);
});

test("an unexpected failure is a 500 that hides its cause and gives the request id", async (t) => {
  const app = await testApp(t);
  app.get("/boom", async () => {
    throw new Error("database password is hunter2");
  });
  const response = await app.inject({ url: "/boom" });
  assert.equal(response.statusCode, 500);
  const { error } = response.json();
  assert.equal(error.code, "internal_error");
  assert.doesNotMatch(response.body, /hunter2/);
  assert.equal(error.requestId, response.headers["x-request-id"]);
  assert.match(error.message, new RegExp(error.requestId));
});
