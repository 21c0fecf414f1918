// Ownership matrix: every route, the notebook socket and the MCP endpoint, against every kind of credential —
// none, malformed, expired, wrong authorized party, wrong signing key, another user, the owner — in Clerk
// mode and in dev mode. No request reaches another user's notebook.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { importPKCS8, SignJWT } from "jose";
import { buildApp } from "../src/app.js";
import {
  bearer,
  clerkEnv,
  clerkKey,
  clerkToken,
  listen,
  mcpRequest,
  signingKey,
  TestSocket,
  testConfig,
  toolResult,
} from "./helpers/index.js";

interface Ids {
  notebookId: string;
  cellId: string;
}

interface Route {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** The Fastify route path, to check it exists. */
  route: string;
  url: (ids: Ids) => string;
  body?: unknown;
  /** Statuses the owner may get (runs answer 503 when no kernel can start here). */
  owner: number[];
  /** Whether the route addresses one notebook (`:id`): then another user gets 403 and a missing id 404. */
  scoped: boolean;
  /** The owner's request destroys its target: give it a fresh one. */
  destroys?: "notebook" | "cell";
}

const nb = ({ notebookId }: Ids) => `/api/v1/notebooks/${notebookId}`;
const cell = (ids: Ids) => `${nb(ids)}/cells/${ids.cellId}`;
const IPYNB = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] };

const ROUTES: Route[] = [
  { method: "GET", route: "/api/v1/me", url: () => "/api/v1/me", owner: [200], scoped: false },
  { method: "GET", route: "/api/v1/notebooks", url: () => "/api/v1/notebooks", owner: [200], scoped: false },
  {
    method: "POST",
    route: "/api/v1/notebooks",
    url: () => "/api/v1/notebooks",
    body: { name: "New" },
    owner: [201],
    scoped: false,
  },
  {
    method: "POST",
    route: "/api/v1/notebooks/import",
    url: () => "/api/v1/notebooks/import",
    body: IPYNB,
    owner: [201],
    scoped: false,
  },
  { method: "GET", route: "/api/v1/notebooks/:id", url: nb, owner: [200], scoped: true },
  {
    method: "PATCH",
    route: "/api/v1/notebooks/:id",
    url: nb,
    body: { name: "Renamed" },
    owner: [200],
    scoped: true,
  },
  {
    method: "DELETE",
    route: "/api/v1/notebooks/:id",
    url: nb,
    owner: [204],
    scoped: true,
    destroys: "notebook",
  },
  {
    method: "PUT",
    route: "/api/v1/notebooks/:id/database",
    url: (ids) => `${nb(ids)}/database`,
    body: { connectionString: null },
    owner: [200],
    scoped: true,
  },
  {
    method: "POST",
    route: "/api/v1/notebooks/:id/cells",
    url: (ids) => `${nb(ids)}/cells`,
    body: { type: "markdown", code: "# new" },
    owner: [201],
    scoped: true,
  },
  {
    method: "PATCH",
    route: "/api/v1/notebooks/:id/cells/:cellId",
    url: cell,
    body: { code: "# edited" },
    owner: [200],
    scoped: true,
  },
  {
    method: "DELETE",
    route: "/api/v1/notebooks/:id/cells/:cellId",
    url: cell,
    owner: [204],
    scoped: true,
    destroys: "cell",
  },
  {
    method: "POST",
    route: "/api/v1/notebooks/:id/cells/:cellId/move",
    url: (ids) => `${cell(ids)}/move`,
    body: { index: 0 },
    owner: [200],
    scoped: true,
  },
  {
    method: "POST",
    route: "/api/v1/notebooks/:id/cells/:cellId/run",
    url: (ids) => `${cell(ids)}/run`,
    owner: [202, 503],
    scoped: true,
  },
  {
    method: "PUT",
    route: "/api/v1/notebooks/:id/cells/:cellId/controls/:controlId",
    url: (ids) => `${cell(ids)}/controls/0`,
    body: { value: 1 },
    // The owner gets past ownership to the control check: this cell shows no control (404), or no kernel (503).
    owner: [202, 404, 503],
    scoped: true,
  },
  {
    method: "POST",
    route: "/api/v1/notebooks/:id/run",
    url: (ids) => `${nb(ids)}/run`,
    owner: [202, 503],
    scoped: true,
  },
  {
    method: "POST",
    route: "/api/v1/notebooks/:id/interrupt",
    url: (ids) => `${nb(ids)}/interrupt`,
    owner: [202, 503],
    scoped: true,
  },
  {
    method: "POST",
    route: "/api/v1/notebooks/:id/kernel/restart",
    url: (ids) => `${nb(ids)}/kernel/restart`,
    owner: [202, 503],
    scoped: true,
  },
  {
    method: "GET",
    route: "/api/v1/notebooks/:id/export",
    url: (ids) => `${nb(ids)}/export?format=ipynb`,
    owner: [200],
    scoped: true,
  },
];

/** Credentials that must be refused (401 / close 4401), by name. */
type Refused = Record<string, string | undefined>;

interface Mode {
  name: string;
  app: FastifyInstance;
  base: string;
  owner: string;
  other: string;
  refused: Refused;
}

async function makeClerkMode(): Promise<Mode> {
  const key = await clerkKey();
  const app = await buildApp(testConfig(clerkEnv(key)), {
    logger: false,
    rateLimit: false,
    realtime: { authTimeoutMs: 300 },
  });
  return {
    name: "Clerk mode",
    app,
    base: await listen(app),
    owner: await clerkToken(key, "user_alice"),
    other: await clerkToken(key, "user_bob"),
    refused: {
      "no token": undefined,
      "a malformed token": "not.a.jwt",
      "an expired token": await clerkToken(key, "user_alice", { expiresIn: -60 }),
      "a token for another authorized party": await clerkToken(key, "user_alice", {
        azp: "https://evil.example.net",
      }),
      "a token signed by another key": await clerkToken(await signingKey(), "user_alice"),
    },
  };
}

async function makeDevMode(): Promise<Mode> {
  const config = testConfig();
  const app = await buildApp(config, { logger: false, rateLimit: false, realtime: { authTimeoutMs: 300 } });
  const mint = async (userId: string) =>
    (await app.inject({ method: "POST", url: "/api/v1/dev/token", payload: { userId } })).json()
      .token as string;
  const devKey = await importPKCS8(
    readFileSync(path.join(config.dataDir, "dev-keys", "signing-key.pem"), "utf8"),
    "RS256",
  );
  const now = Math.floor(Date.now() / 1000);
  const sign = (key: Parameters<SignJWT["sign"]>[0], exp: number) =>
    new SignJWT({})
      .setProtectedHeader({ alg: "RS256" })
      .setIssuer("reactive-notebook-dev")
      .setSubject("alice")
      .setExpirationTime(exp)
      .sign(key);
  return {
    name: "dev mode",
    app,
    base: await listen(app),
    owner: await mint("alice"),
    other: await mint("bob"),
    refused: {
      "no token": undefined,
      "a malformed token": "not.a.jwt",
      "an expired token": await sign(devKey, now - 60),
      "a token signed by another key": await sign((await signingKey()).privateKey, now + 600),
    },
  };
}

for (const makeMode of [makeClerkMode, makeDevMode]) {
  describe(makeMode === makeClerkMode ? "Clerk mode" : "dev mode", () => {
    let mode: Mode;
    let shared: Ids;

    const request = (route: Route, ids: Ids, token: string | undefined) =>
      mode.app.inject({
        method: route.method,
        url: route.url(ids),
        headers: token === undefined ? {} : bearer(token),
        ...(route.body === undefined ? {} : { payload: route.body as object }),
      });

    async function freshIds(): Promise<Ids> {
      const created = await mode.app.inject({
        method: "POST",
        url: "/api/v1/notebooks",
        headers: bearer(mode.owner),
        payload: {
          name: "Alice's",
          cells: [
            { type: "markdown", code: "# one" },
            { type: "markdown", code: "# two" },
          ],
        },
      });
      assert.equal(created.statusCode, 201, created.body);
      const notebook = created.json() as { id: string; cells: { id: string }[] };
      return { notebookId: notebook.id, cellId: notebook.cells[0]?.id as string };
    }

    before(async () => {
      mode = await makeMode();
      shared = await freshIds();
    });
    after(() => mode.app.close());

    for (const route of ROUTES) {
      test(`${route.method} ${route.route}: refused without a valid token, closed to other users, open to the owner`, async () => {
        assert.ok(
          mode.app.hasRoute({ method: route.method, url: route.route }),
          `${route.method} ${route.route} is in the matrix but the app has no such route`,
        );
        for (const [what, token] of Object.entries(mode.refused)) {
          const response = await request(route, shared, token);
          assert.equal(response.statusCode, 401, `${what}: ${response.body}`);
          assert.match(String(response.headers["www-authenticate"]), /^Bearer/);
        }
        const foreign = await request(route, shared, mode.other);
        if (route.scoped) {
          assert.equal(foreign.statusCode, 403, `another user: ${foreign.body}`);
          assert.equal(foreign.json().error.code, "forbidden");
          const missing = await request(
            route,
            { ...shared, notebookId: "00000000-0000-4000-8000-000000000000" },
            mode.owner,
          );
          assert.equal(missing.statusCode, 404, `missing notebook: ${missing.body}`);
        } else {
          assert.ok(foreign.statusCode < 300, `another user acts on their own account: ${foreign.body}`);
        }
        const target = route.destroys ? await freshIds() : shared;
        const own = await request(route, target, mode.owner);
        assert.ok(route.owner.includes(own.statusCode), `owner got ${own.statusCode}: ${own.body}`);
        // Whatever was refused left the notebook as it was for its owner.
        const still = await mode.app.inject({
          url: `/api/v1/notebooks/${shared.notebookId}`,
          headers: bearer(mode.owner),
        });
        assert.equal(still.statusCode, 200);
      });
    }

    test("every route of the API is in the matrix (read from the app's own OpenAPI document)", async () => {
      const document = (await mode.app.inject({ url: "/api/v1/openapi.json" })).json() as {
        paths: Record<string, Record<string, unknown>>;
      };
      const inMatrix = new Set(ROUTES.map((route) => `${route.method} ${route.route}`));
      // Public by design: the token route (dev mode only), this document, the client config, and the socket,
      // whose ownership the socket test below covers.
      const publicRoutes = new Set([
        "POST /api/v1/dev/token",
        "GET /api/v1/openapi.json",
        "GET /api/v1/config",
        "GET /api/v1/notebooks/:id/ws",
      ]);
      const served = Object.entries(document.paths).flatMap(([path, operations]) =>
        Object.keys(operations).map(
          (method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`,
        ),
      );
      const api = served.filter((route) => route.includes(" /api/v1/"));
      assert.ok(api.length >= ROUTES.length, `the document lists only ${api.length} API routes`);
      const missing = api.filter((route) => !inMatrix.has(route) && !publicRoutes.has(route));
      assert.deepEqual(missing, [], "API routes missing from the ownership matrix");
    });

    test("another user's notebook list never shows the owner's notebooks", async () => {
      const list = await mode.app.inject({ url: "/api/v1/notebooks", headers: bearer(mode.other) });
      const ids = (list.json() as { notebooks: { id: string }[] }).notebooks.map((n) => n.id);
      assert.ok(!ids.includes(shared.notebookId));
    });

    test("POST /mcp: 401 for every refused token; another user's tool calls are forbidden; the owner's work", async () => {
      for (const [what, token] of Object.entries(mode.refused)) {
        const response = await mcpRequest(mode.app, token, "tools/list");
        assert.equal(response.statusCode, 401, `${what}: ${response.body}`);
        assert.match(String(response.headers["www-authenticate"]), /^Bearer/);
      }
      const read = { name: "get_notebook", arguments: { notebookId: shared.notebookId } };
      const foreign = toolResult(await mcpRequest(mode.app, mode.other, "tools/call", read));
      assert.equal(foreign.isError, true);
      assert.match(foreign.text, /^forbidden: /);
      const rename = { name: "rename_notebook", arguments: { notebookId: shared.notebookId, name: "Taken" } };
      assert.match(
        toolResult(await mcpRequest(mode.app, mode.other, "tools/call", rename)).text,
        /^forbidden: /,
      );
      const resource = await mcpRequest(mode.app, mode.other, "resources/read", {
        uri: `notebook://${shared.notebookId}`,
      });
      assert.match(resource.json().error.message, /forbidden/);
      const missing = toolResult(
        await mcpRequest(mode.app, mode.owner, "tools/call", {
          name: "get_notebook",
          arguments: { notebookId: "00000000-0000-4000-8000-000000000000" },
        }),
      );
      assert.match(missing.text, /^not_found: /);
      const own = toolResult(await mcpRequest(mode.app, mode.owner, "tools/call", read));
      assert.equal(own.isError, false, own.text);
      assert.equal((own.structured as { id: string; name: string }).id, shared.notebookId);
      assert.notEqual((own.structured as { name: string }).name, "Taken");
    });

    test("the notebook socket: 4401 for every refused token, 4403 for another user, hello for the owner", async () => {
      for (const [what, token] of Object.entries(mode.refused)) {
        const socket = await TestSocket.open(mode.base, shared.notebookId);
        if (token !== undefined) socket.send({ type: "auth", token });
        const closed = await socket.close();
        assert.equal(closed.code, 4401, what);
        assert.equal(
          socket.events.some((e) => e.type === "hello"),
          false,
          what,
        );
      }
      const foreign = await TestSocket.open(mode.base, shared.notebookId);
      foreign.send({ type: "auth", token: mode.other });
      assert.equal((await foreign.close()).code, 4403);
      const missing = await TestSocket.open(mode.base, "00000000-0000-4000-8000-000000000000");
      missing.send({ type: "auth", token: mode.owner });
      assert.equal((await missing.close()).code, 4404);
      const own = await TestSocket.open(mode.base, shared.notebookId);
      const hello = await own.auth(mode.owner);
      assert.equal(hello.notebook.id, shared.notebookId);
      own.terminate();
    });
  });
}
