// Builds the Fastify application from a Config. Tests call buildApp and use app.inject; main.ts only listens.
import { schemas } from "@reactive-notebook/protocol";
import Fastify, { type FastifyInstance } from "fastify";
import type { Config } from "./config/index.js";
import { healthRoutes } from "./routes/health.js";
import { siteRoutes } from "./routes/site.js";

export interface BuildAppOptions {
  /** Pino options or false; tests pass false to keep output quiet. */
  logger?: boolean | object;
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
  await app.register(healthRoutes);
  await app.register(siteRoutes);
  return app;
}

declare module "fastify" {
  interface FastifyInstance {
    config: Config;
  }
}
