// GET /api/v1/me: who the bearer token belongs to, and which auth mode the server runs in.
import { type Me, Me as MeSchema, ref } from "@reactive-notebook/protocol";
import type { FastifyPluginAsync } from "fastify";

export const meRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    "/api/v1/me",
    { schema: { summary: "The signed-in user", tags: ["auth"], response: { 200: ref(MeSchema) } } },
    async (request): Promise<Me> => ({ userId: request.userId, authMode: app.auth.mode }),
  );
};
