// A `fetch` whose requests go to this app's own routes through `app.inject`: no socket and no second HTTP
// client, yet every hook runs (auth, per-user rate limit, validation, ownership, the error handler), so a
// NotebookClient built on it acts exactly as a REST caller with the same token would.
import type { FastifyInstance, HTTPMethods } from "fastify";

/** Statuses whose answer has no body (a Response refuses one). */
const BODYLESS = new Set([101, 204, 205, 304]);

export function fetchThroughApp(app: FastifyInstance): typeof globalThis.fetch {
  return async (input, init = {}) => {
    init.signal?.throwIfAborted();
    const url = new URL(input instanceof Request ? input.url : String(input));
    const body = init.body;
    if (body !== undefined && body !== null && typeof body !== "string") {
      // The SDK sends JSON text; anything else would need a stream reader this path never uses.
      throw new TypeError("fetchThroughApp: only string bodies are supported.");
    }
    const response = await app.inject({
      method: (init.method ?? "GET").toUpperCase() as HTTPMethods,
      url: `${url.pathname}${url.search}`,
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      ...(typeof body === "string" ? { payload: body } : {}),
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) headers.append(name, String(item));
    }
    const status = response.statusCode;
    return new Response(BODYLESS.has(status) ? null : response.rawPayload, { status, headers });
  };
}
