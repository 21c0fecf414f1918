// Hardening of what clients send and see: JSON bodies checked for UTF-8 and depth, CORS for the configured origins, security headers with a Content-Security-Policy
// that the page at `/` (and Clerk's sign-in, when configured) works under, and per-user rate limits.
import cors from "@fastify/cors";
import rateLimit from "@fastify/rate-limit";
import { sitePolicyDirectives } from "@reactive-notebook/protocol";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import helmet from "helmet";
import { Redis } from "ioredis";
import type { Config } from "../config/index.js";
import { rateLimited } from "./errors.js";
import { jsonBodyPlugin } from "./json-body.js";

export interface RateLimitOptions {
  /** Requests allowed per key (the user, or the IP before authentication) in each window. */
  max: number;
  /** Length of the window in milliseconds. */
  timeWindowMs: number;
}

/** Generous: an editor typing and running cells stays far below it; a runaway script does not. */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { max: 1200, timeWindowMs: 60_000 };

export interface HardeningOptions {
  config: Config;
  rateLimit?: RateLimitOptions | false;
}

export const hardeningPlugin = fp(
  async (app: FastifyInstance, options: HardeningOptions) => {
    const { config } = options;
    await app.register(jsonBodyPlugin);
    await app.register(cors, {
      origin: config.allowedOrigins,
      methods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
      // Mcp-Protocol-Version: MCP clients in a page send it on every POST /mcp after the handshake.
      allowedHeaders: ["Authorization", "Content-Type", "Idempotency-Key", "Mcp-Protocol-Version"],
      exposedHeaders: [
        "X-Request-Id",
        "Retry-After",
        "X-RateLimit-Limit",
        "X-RateLimit-Remaining",
        "X-RateLimit-Reset",
      ],
      credentials: false, // bearer tokens, never cookies
      maxAge: 600,
    });
    // One helmet instance for the process, applied by a hook: @fastify/helmet built a new one (parsing the
    // whole policy again) on every request. It sets its headers on the raw response, as before, so a route
    // that adjusts them there (the output frame page) still can.
    const securityHeaders = helmet({
      // The site's policy, shared with the CloudFront deployment (infra) through the protocol package.
      contentSecurityPolicy: {
        useDefaults: false,
        directives: sitePolicyDirectives({
          clerkPublishableKey: config.auth.clerkPublishableKey,
          // Over plain http (the embedded dev server) upgrading would break every same-origin request.
          upgradeInsecureRequests: config.production,
        }),
      },
      // The element's bundle may be loaded by host pages on other origins.
      crossOriginResourcePolicy: { policy: "cross-origin" },
      // Clerk's sign-in may use a popup.
      crossOriginOpenerPolicy: { policy: "same-origin-allow-popups" },
      // HSTS only where the service is served over https (production, behind the load balancer).
      strictTransportSecurity: config.production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    });
    // Helmet 8 throws its errors rather than passing them on (Fastify answers a throwing hook with a 500).
    app.addHook("onRequest", (request, reply, done) => securityHeaders(request.raw, reply.raw, () => done()));
    if (options.rateLimit === false) return;
    const limits = options.rateLimit ?? DEFAULT_RATE_LIMIT;
    const redis = config.redisUrl
      ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: false })
      : null;
    if (redis) {
      redis.on("error", (error) => app.log.warn({ err: error }, "rate limit redis error"));
      app.addHook("onClose", async () => {
        redis.disconnect();
      });
    }
    await app.register(rateLimit, {
      max: limits.max,
      timeWindow: limits.timeWindowMs,
      // Route-level onRequest hooks run after the auth plugin's app-level one, so userId is known here.
      keyGenerator: (request) => (request.userId ? `user:${request.userId}` : `ip:${request.ip}`),
      allowList: (request) => request.url === "/health",
      errorResponseBuilder: (_request, context) => {
        const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
        return rateLimited(
          `Too many requests: at most ${context.max} in ${limits.timeWindowMs / 1000} s. Retry in ${seconds} s.`,
          seconds,
        );
      },
      ...(redis ? { redis, nameSpace: `${config.redisKeyPrefix}rate:`, skipOnError: true } : {}),
    });
  },
  { name: "hardening", dependencies: ["error-handler"] },
);
