// GET /health: liveness for load balancers and humans; no auth, no I/O.
import type { FastifyPluginAsync } from "fastify";
import { VERSION } from "../version.js";

export const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    "/health",
    {
      schema: {
        response: {
          200: {
            type: "object",
            properties: { status: { type: "string", enum: ["ok"] }, version: { type: "string" } },
            required: ["status", "version"],
          },
        },
      },
    },
    async () => ({ status: "ok" as const, version: VERSION }),
  );
};
