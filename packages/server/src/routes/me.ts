// GET /api/v1/me: who the bearer token belongs to, and which auth mode the server runs in.
// GET /api/v1/config (no auth): what a client needs before it can sign in — the auth mode and, in Clerk mode,
// the publishable key — so an element given only `api-url` knows which sign-in to show.
import {
  type ClientConfig,
  ClientConfig as ClientConfigSchema,
  type Me,
  Me as MeSchema,
  ref,
} from "@reactive-notebook/protocol";
import type { FastifyPluginAsync } from "fastify";
import { VERSION } from "../version.js";

export const meRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    "/api/v1/me",
    { schema: { summary: "The signed-in user", tags: ["auth"], response: { 200: ref(MeSchema) } } },
    async (request): Promise<Me> => ({ userId: request.userId, authMode: app.auth.mode }),
  );

  const clientConfig: ClientConfig = {
    authMode: app.auth.mode,
    publishableKey: app.auth.mode === "clerk" ? (app.config.auth.clerkPublishableKey ?? null) : null,
    version: VERSION,
  };
  app.get(
    "/api/v1/config",
    {
      config: { auth: false },
      schema: {
        summary: "What a client needs before signing in (no auth)",
        tags: ["auth"],
        response: { 200: ref(ClientConfigSchema) },
      },
    },
    async (): Promise<ClientConfig> => clientConfig,
  );
};
