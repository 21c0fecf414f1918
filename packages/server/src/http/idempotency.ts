// Idempotency-Key on POST and PUT (API.md "Idempotency", after Stripe): the first request with a key runs and
// its answer is kept with the key for 24 h; the same key from the same user for the same request gets that
// answer back, with no second effect; for a different request it is 422 idempotency_mismatch; while the
// first is still being answered, 409 conflict. Answers a retry may change (5xx, 429) are not kept.
import { createHash } from "node:crypto";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { conflict, idempotencyMismatch, invalidRequest } from "./errors.js";

/** How long a key is remembered (API.md: 24 h). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** Longest accepted key (API.md: ≤ 255 characters). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
/**
 * How long a retry waits for the first request with its key to be answered (a client that timed out and
 * retried gets the first answer rather than a 409) before it is told to retry later.
 */
export const IN_PROGRESS_WAIT_MS = 10_000;

const PRINTABLE_ASCII = /^[\x20-\x7E]+$/;

/** Method, path and body: what makes a retry "the same request". */
function fingerprint(method: string, url: string, body: unknown): string {
  const digest = createHash("sha256")
    .update(JSON.stringify(body ?? null))
    .digest("base64url");
  return `${method} ${url} ${digest}`;
}

export const idempotencyPlugin = fp(
  async (app: FastifyInstance) => {
    const keys = app.store.idempotency;
    // preHandler: after authentication (the key belongs to a user) and validation (a malformed request
    // is refused without using up the key).
    app.addHook("preHandler", async (request, reply) => {
      if (request.method !== "POST" && request.method !== "PUT") return;
      const header = request.headers["idempotency-key"];
      if (header === undefined || !request.userId || request.routeOptions.config.idempotency === false)
        return;
      if (
        typeof header !== "string" ||
        header.length > MAX_IDEMPOTENCY_KEY_LENGTH ||
        !PRINTABLE_ASCII.test(header)
      ) {
        throw invalidRequest(
          `Idempotency-Key must be 1–${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters.`,
          { field: "Idempotency-Key", location: "headers" },
        );
      }
      const print = fingerprint(request.method, request.url, request.body);
      let claim = await keys.claim(request.userId, header, print, IDEMPOTENCY_TTL_MS);
      // The first request with this key is still running (its client gave up waiting and retried): wait a
      // while for its answer, asking the store (it may be running on another instance).
      for (let waited = 0, pause = 25; claim.state === "in_progress" && waited < IN_PROGRESS_WAIT_MS; ) {
        await new Promise((resolve) => setTimeout(resolve, pause));
        waited += pause;
        pause = Math.min(pause * 2, 500);
        claim = await keys.claim(request.userId, header, print, IDEMPOTENCY_TTL_MS);
      }
      switch (claim.state) {
        case "claimed":
          request.idempotencyKey = header;
          return;
        case "in_progress": {
          const busy = conflict(
            "A request with this Idempotency-Key is still being answered; retry it in a moment.",
          );
          busy.headers["retry-after"] = "1";
          throw busy;
        }
        case "mismatch":
          throw idempotencyMismatch(
            "This Idempotency-Key was used for a different request (method, path or body); use a new key.",
          );
        case "answered":
          reply.code(claim.statusCode).header("idempotent-replayed", "true");
          if (claim.body === "") return reply.send();
          return reply
            .type("application/json; charset=utf-8")
            .serializer((body: string) => body)
            .send(claim.body);
      }
    });

    app.addHook("onSend", async (request, reply, payload) => {
      const key = request.idempotencyKey;
      if (!key) return payload;
      request.idempotencyKey = undefined;
      const status = reply.statusCode;
      if (status >= 500 || status === 429) await keys.release(request.userId, key);
      else await keys.answer(request.userId, key, status, typeof payload === "string" ? payload : "");
      return payload;
    });
  },
  { name: "idempotency", dependencies: ["auth", "store"] },
);

declare module "fastify" {
  interface FastifyRequest {
    /** The Idempotency-Key this request claimed; its answer is stored when it is sent. */
    idempotencyKey?: string;
  }
  interface FastifyContextConfig {
    /** false: the route ignores Idempotency-Key (e.g. MCP, whose messages carry their own ids). */
    idempotency?: boolean;
  }
}
