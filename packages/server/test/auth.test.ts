// Authentication: every /api/v1 route needs a bearer token, verified by @clerk/backend in Clerk mode (with
// locally signed Clerk-shaped tokens and CLERK_JWT_KEY, offline) or by the server's own issuer in dev mode.
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { test } from "node:test";
import { importPKCS8, SignJWT } from "jose";
import { buildApp } from "../src/app.js";
import {
  bearer,
  clerkEnv,
  clerkKey,
  clerkToken,
  devToken,
  signingKey,
  testApp,
  testConfig,
} from "./helpers/index.js";

async function clerkApp(t: Parameters<typeof testApp>[0]) {
  const key = await clerkKey();
  return { app: await testApp(t, clerkEnv(key)), key };
}

test("Clerk mode: a valid session token is accepted and its sub is the user", async (t) => {
  const { app, key } = await clerkApp(t);
  const response = await app.inject({
    url: "/api/v1/me",
    headers: bearer(await clerkToken(key, "user_alice")),
  });
  assert.equal(response.statusCode, 200, response.body);
  assert.deepEqual(response.json(), { userId: "user_alice", authMode: "clerk" });
});

test("Clerk mode: no token is a 401 with WWW-Authenticate: Bearer", async (t) => {
  const { app } = await clerkApp(t);
  const response = await app.inject({ url: "/api/v1/me" });
  assert.equal(response.statusCode, 401);
  assert.equal(response.headers["www-authenticate"], "Bearer");
  assert.equal(response.json().error.code, "unauthorized");
});

test("GET /api/v1/config needs no token and gives the auth mode and, in Clerk mode, the publishable key", async (t) => {
  const key = await clerkKey();
  const clerk = await testApp(t, {
    ...clerkEnv(key),
    CLERK_PUBLISHABLE_KEY: "pk_test_Y2xlcmsuZXhhbXBsZS5jb20k",
  });
  const clerkConfig = await clerk.inject({ url: "/api/v1/config" });
  assert.equal(clerkConfig.statusCode, 200, clerkConfig.body);
  assert.deepEqual(
    { ...(clerkConfig.json() as object), version: "x" },
    { authMode: "clerk", publishableKey: "pk_test_Y2xlcmsuZXhhbXBsZS5jb20k", version: "x" },
  );
  const dev = await testApp(t);
  const devConfig = await dev.inject({ url: "/api/v1/config" });
  assert.equal(devConfig.statusCode, 200, devConfig.body);
  assert.equal(devConfig.json().authMode, "dev");
  assert.equal(devConfig.json().publishableKey, null);
  assert.match(devConfig.json().version, /^\d+\.\d+\.\d+/);
});

const refused: [string, (key: Awaited<ReturnType<typeof clerkKey>>) => Promise<string>, RegExp][] = [
  ["a malformed token", async () => "not-a-jwt", /invalid/],
  ["an expired token", (key) => clerkToken(key, "user_alice", { expiresIn: -60 }), /expired/],
  [
    "a token not valid yet",
    (key) => clerkToken(key, "user_alice", { notBefore: 120, expiresIn: 180 }),
    /not valid yet/,
  ],
  [
    "a token for another authorized party",
    (key) => clerkToken(key, "user_alice", { azp: "https://evil.example.net" }),
    /not authorized/,
  ],
  ["a token without azp", (key) => clerkToken(key, "user_alice", { azp: null }), /not authorized/],
  ["a token signed by another key", async () => clerkToken(await signingKey(), "user_alice"), /signature/],
  ["a token without sub", (key) => clerkToken(key, "", {}), /invalid/],
];
for (const [what, make, message] of refused) {
  test(`Clerk mode refuses ${what} with 401 invalid_token`, async (t) => {
    const { app, key } = await clerkApp(t);
    const response = await app.inject({ url: "/api/v1/me", headers: bearer(await make(key)) });
    assert.equal(response.statusCode, 401, response.body);
    assert.equal(response.json().error.code, "unauthorized");
    assert.match(response.json().error.message, message);
    assert.match(String(response.headers["www-authenticate"]), /^Bearer error="invalid_token"/);
  });
}

test("an Authorization header that is not a bearer credential is a 401", async (t) => {
  const { app } = await clerkApp(t);
  for (const authorization of ["Basic YWxpY2U6cHc=", "Bearer", "Bearer a b", "token abc"]) {
    const response = await app.inject({ url: "/api/v1/me", headers: { authorization } });
    assert.equal(response.statusCode, 401, authorization);
    assert.match(String(response.headers["www-authenticate"]), /^Bearer/);
  }
});

test("Clerk mode: the dev token route does not exist (404)", async (t) => {
  const { app } = await clerkApp(t);
  const response = await app.inject({
    method: "POST",
    url: "/api/v1/dev/token",
    payload: { userId: "alice" },
  });
  assert.equal(response.statusCode, 404);
  assert.equal(response.json().error.code, "not_found");
});

test("Clerk mode refuses a token from a dev issuer", async (t) => {
  const dev = await testApp(t); // its key is the shared test dev key, which the Clerk app does not trust
  const { app } = await clerkApp(t);
  const response = await app.inject({
    url: "/api/v1/me",
    headers: bearer(await devToken(dev, "user_alice")),
  });
  assert.equal(response.statusCode, 401);
});

test("dev mode: POST /dev/token mints an hour-long token that /me accepts", async (t) => {
  const app = await testApp(t);
  const issued = await app.inject({
    method: "POST",
    url: "/api/v1/dev/token",
    payload: { userId: "alice@example.com" },
  });
  assert.equal(issued.statusCode, 200);
  const { token, expiresAt } = issued.json() as { token: string; expiresAt: string };
  const lifetime = Date.parse(expiresAt) - Date.now();
  assert.ok(lifetime > 3590_000 && lifetime <= 3600_000, `lifetime ${lifetime}`);
  const me = await app.inject({ url: "/api/v1/me", headers: bearer(token) });
  assert.deepEqual(me.json(), { userId: "alice@example.com", authMode: "dev" });
});

test("dev mode: a user id must be 1–64 characters of letters, digits and _ . @ -", async (t) => {
  const app = await testApp(t);
  for (const userId of ["", "a b", "x".repeat(65), "ünïcode", "a/b"]) {
    const response = await app.inject({ method: "POST", url: "/api/v1/dev/token", payload: { userId } });
    assert.equal(response.statusCode, 400, userId);
    assert.equal(response.json().error.details.field, "/userId");
  }
  const ok = await app.inject({ method: "POST", url: "/api/v1/dev/token", payload: { userId: "A-z_0.9@x" } });
  assert.equal(ok.statusCode, 200);
});

test("dev mode: the signing key is kept in DATA_DIR/dev-keys, owner-only, and survives a restart", async (t) => {
  const config = testConfig({}, { seedDevKey: false });
  const first = await buildApp(config, { logger: false });
  const token = await devToken(first, "alice");
  await first.close();
  const file = path.join(config.dataDir, "dev-keys", "signing-key.pem");
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const second = await buildApp(config, { logger: false });
  t.after(() => second.close());
  const me = await second.inject({ url: "/api/v1/me", headers: bearer(token) });
  assert.equal(me.statusCode, 200);
});

test("dev mode refuses an expired dev token, a foreign token and a Clerk token", async (t) => {
  const config = testConfig({}, { seedDevKey: false });
  const app = await buildApp(config, { logger: false });
  t.after(() => app.close());
  await devToken(app, "alice"); // creates the key
  const key = await importPKCS8(
    readFileSync(path.join(config.dataDir, "dev-keys", "signing-key.pem"), "utf8"),
    "RS256",
  );
  const now = Math.floor(Date.now() / 1000);
  const expired = await new SignJWT({})
    .setProtectedHeader({ alg: "RS256" })
    .setIssuer("reactive-notebook-dev")
    .setSubject("alice")
    .setIssuedAt(now - 7200)
    .setExpirationTime(now - 3600)
    .sign(key);
  const wrongIssuer = await new SignJWT({})
    .setProtectedHeader({ alg: "RS256" })
    .setIssuer("someone-else")
    .setSubject("alice")
    .setExpirationTime(now + 600)
    .sign(key);
  const other = await buildApp(testConfig({}, { seedDevKey: false }), { logger: false });
  t.after(() => other.close());
  for (const [token, message] of [
    [expired, /expired/],
    [wrongIssuer, /invalid/],
    [await devToken(other, "alice"), /invalid/],
    [await clerkToken(await clerkKey(), "alice"), /invalid/],
  ] as const) {
    const response = await app.inject({ url: "/api/v1/me", headers: bearer(token) });
    assert.equal(response.statusCode, 401);
    assert.match(response.json().error.message, message);
  }
});

test("the health route, the OpenAPI document and the dev token route need no token", async (t) => {
  const app = await testApp(t);
  assert.equal((await app.inject({ url: "/health" })).statusCode, 200);
  assert.equal((await app.inject({ url: "/api/v1/openapi.json" })).statusCode, 200);
  assert.equal((await app.inject({ url: "/api/v1/me" })).statusCode, 401);
  assert.equal((await app.inject({ url: "/api/v1/notebooks" })).statusCode, 401);
});

test("tokens never reach the logs, issued or presented", async (t) => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const app = await buildApp(testConfig(), { logger: { level: "trace", stream } });
  t.after(() => app.close());
  const token = await devToken(app, "alice");
  await app.inject({ url: "/api/v1/me", headers: bearer(token) });
  await app.inject({ url: "/api/v1/me", headers: bearer(`${token}x`) });
  const signature = token.split(".")[2] ?? "";
  assert.ok(lines.length > 0);
  assert.ok(!lines.join("").includes(signature), "a token reached the log");
});
