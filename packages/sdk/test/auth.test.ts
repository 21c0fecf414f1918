/** Token providers: dev tokens are minted once and reused until near expiry; Clerk tokens come from the session. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { clerkTokenProvider, devTokenProvider, NotebookClient, UnauthorizedError } from "../src/index.js";
import { startTestServer } from "./test-server.js";

function devTokenServer(lifetimeMs: number) {
  let minted = 0;
  return startTestServer((request) => {
    if (request.url === "/api/v1/dev/token") {
      minted++;
      const { userId } = request.body as { userId: string };
      return {
        body: { token: `${userId}-${minted}`, expiresAt: new Date(Date.now() + lifetimeMs).toISOString() },
      };
    }
    return { body: { userId: "alice", authMode: "dev" } };
  });
}

test("devTokenProvider mints one token and reuses it while it is fresh", async (t) => {
  const server = await devTokenServer(3_600_000);
  t.after(() => server.close());
  const client = new NotebookClient({ baseUrl: server.url, getToken: devTokenProvider(server.url, "alice") });

  await Promise.all([client.me(), client.me()]);
  await client.me();

  const mints = server.requests.filter((request) => request.url === "/api/v1/dev/token");
  assert.equal(mints.length, 1);
  const bearers = server.requests.filter((r) => r.url === "/api/v1/me").map((r) => r.headers.authorization);
  assert.deepEqual(bearers, ["Bearer alice-1", "Bearer alice-1", "Bearer alice-1"]);
});

test("devTokenProvider mints a new token once the old one is about to expire", async (t) => {
  const server = await devTokenServer(200);
  t.after(() => server.close());
  const getToken = devTokenProvider(server.url, "bob", { refreshMarginMs: 150 });

  assert.equal(await getToken(), "bob-1");
  assert.equal(await getToken(), "bob-1");
  await new Promise((resolve) => setTimeout(resolve, 120));
  assert.equal(await getToken(), "bob-2");
});

test("clerkTokenProvider returns the session's token", async () => {
  const getToken = clerkTokenProvider({ session: { getToken: async () => "clerk-jwt" } });

  assert.equal(await getToken(), "clerk-jwt");
});

test("clerkTokenProvider throws UnauthorizedError when nobody is signed in, before any request", async (t) => {
  const server = await startTestServer(() => ({ body: {} }));
  t.after(() => server.close());
  const client = new NotebookClient({ baseUrl: server.url, getToken: clerkTokenProvider({ session: null }) });

  await assert.rejects(client.notebooks.list(), (error: unknown) => {
    assert.ok(error instanceof UnauthorizedError);
    assert.match(error.message, /Not signed in/);
    return true;
  });
  assert.equal(server.requests.length, 0);
});
