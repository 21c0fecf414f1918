// A real app (SQLite in a temp dir, dev auth) and a tiny client that speaks to it with real dev tokens,
// shared by the notebook, cell and ipynb route tests. Not a test file itself.
import type { TestContext } from "node:test";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { buildApp } from "../src/app.js";
import { loadConfig } from "../src/config/index.js";
import { TEST_SNAPSHOT_DIR } from "./helpers/snapshots.js";
import { tempDataDir } from "./store-fixtures.js";

export interface ApiClient {
  app: FastifyInstance;
  dataDir: string;
  /** Closes the app and removes its temp data dir. */
  close(): Promise<void>;
  /** A bearer token for `userId`, minted by the dev issuer over HTTP. */
  token(userId: string): Promise<string>;
  /** A request as `userId` (null: without a token). Objects are sent as JSON; strings as they are. */
  request(
    userId: string | null,
    method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE",
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
}

/** A fresh app closed (and its data dir removed) when test `t` ends. */
export async function startApi(t: TestContext, env: Record<string, string> = {}): Promise<ApiClient> {
  const api = await openApi(env);
  t.after(() => api.close());
  return api;
}

let people = 0;
/** User ids no other test uses, so tests can share one app (the first dev token of an app costs ~0.5 s). */
export function freshUsers() {
  people += 1;
  return { alice: `alice-${people}`, bob: `bob-${people}`, carol: `carol-${people}` };
}

/** A fresh app; the caller closes it (test files share one: `after(() => api.close())`). */
export async function openApi(env: Record<string, string> = {}): Promise<ApiClient> {
  const data = tempDataDir("rn-routes-");
  const dataDir = env.DATA_DIR ?? data.dir;
  const app = await buildApp(
    loadConfig({ DATA_DIR: dataDir, SNAPSHOT_DIR: TEST_SNAPSHOT_DIR, KERNEL_POOL: "0", ...env }),
    {
      logger: false,
      rateLimit: false,
    },
  );
  const tokens = new Map<string, string>();
  const token = async (userId: string) => {
    let known = tokens.get(userId);
    if (!known) {
      const response = await app.inject({ method: "POST", url: "/api/v1/dev/token", payload: { userId } });
      if (response.statusCode !== 200) throw new Error(`dev token: ${response.statusCode} ${response.body}`);
      known = (response.json() as { token: string }).token;
      tokens.set(userId, known);
    }
    return known;
  };
  return {
    app,
    dataDir,
    async close() {
      await app.close();
      data.remove();
    },
    token,
    async request(userId, method, url, body, headers = {}) {
      const auth: Record<string, string> =
        userId === null ? {} : { authorization: `Bearer ${await token(userId)}` };
      const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
      const contentType: Record<string, string> =
        body === undefined ? {} : { "content-type": "application/json" };
      return app.inject({
        method,
        url,
        headers: { ...auth, ...contentType, ...headers },
        ...(payload === undefined ? {} : { payload }),
      });
    },
  };
}
