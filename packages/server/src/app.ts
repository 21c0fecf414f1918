// Builds the Fastify application from a Config. Tests call buildApp and use app.inject; main.ts only listens.
import { schemas } from "@reactive-notebook/protocol";
import Fastify, { type FastifyInstance } from "fastify";
import { authPlugin } from "./auth/index.js";
import type { Config } from "./config/index.js";
import { idempotencyPlugin } from "./http/idempotency.js";
import { errorHandlerPlugin, hardeningPlugin, type RateLimitOptions } from "./http/index.js";
import { type KernelManager, kernelsPlugin } from "./kernel/index.js";
import { mcpRoutes } from "./mcp/index.js";
import { notebooksPlugin } from "./notebooks/index.js";
import { realtimePlugin } from "./realtime/index.js";
import { notebookApiRoutes } from "./routes/api.js";
import { devRoutes } from "./routes/dev.js";
import { healthRoutes } from "./routes/health.js";
import { meRoutes } from "./routes/me.js";
import { openApiPlugin } from "./routes/openapi.js";
import { siteRoutes } from "./routes/site.js";
import { type SocketOptions, socketRoutes } from "./routes/socket.js";
import { storePlugin } from "./store/index.js";

export interface BuildAppOptions {
  /** Pino options or false; tests pass false to keep output quiet. */
  logger?: boolean | object;
  /** Per-user request limit; false turns it off. Default DEFAULT_RATE_LIMIT (1,200 a minute). */
  rateLimit?: RateLimitOptions | false;
  /** WebSocket timings and limits (tests shorten the 5 s auth deadline). */
  realtime?: SocketOptions;
  /** Lifetime of dev tokens in seconds (dev auth mode); default 3600. */
  devTokenTtlSeconds?: number;
  /** A kernel manager shared across apps (tests); by default the app starts and closes its own. */
  kernels?: KernelManager;
}

/** Log paths that may carry credentials; pino replaces them with "[redacted]". */
export const REDACTED_LOG_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["sec-websocket-protocol"]',
  "res.headers['set-cookie']",
  "token",
  "*.token",
  "connectionString",
  "*.connectionString",
];

export async function buildApp(config: Config, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const logger =
    options.logger === false
      ? false
      : {
          level: config.logLevel,
          redact: { paths: REDACTED_LOG_PATHS, censor: "[redacted]" },
          ...(typeof options.logger === "object" ? options.logger : {}),
        };
  const app = Fastify({
    logger,
    bodyLimit: 1024 * 1024,
    trustProxy: config.production,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    // Unknown fields are a 400 (not silently dropped) and "0" is not the number 0: the protocol is strict on input.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  });
  app.decorate("config", config);
  // Every protocol schema is registered by $id, so route schemas and OpenAPI refer to one definition.
  for (const schema of schemas) app.addSchema(schema);
  // Order matters: errors, hardening and auth hooks, then OpenAPI (it collects routes registered after it).
  await app.register(errorHandlerPlugin);
  await app.register(hardeningPlugin, { config, rateLimit: options.rateLimit });
  await app.register(authPlugin, { config, devTokenTtlSeconds: options.devTokenTtlSeconds });
  await app.register(storePlugin);
  await app.register(idempotencyPlugin);
  await app.register(kernelsPlugin, { kernels: options.kernels });
  await app.register(realtimePlugin);
  await app.register(notebooksPlugin);
  await app.register(openApiPlugin);
  await app.register(socketRoutes, { ...options.realtime });
  await app.register(meRoutes);
  await app.register(notebookApiRoutes);
  await app.register(mcpRoutes);
  await app.register(devRoutes);
  await app.register(healthRoutes);
  await app.register(siteRoutes);
  return app;
}

declare module "fastify" {
  interface FastifyInstance {
    config: Config;
  }
}
