// POST /api/v1/dev/token: the dev issuer mints a token for any user id. Registered only in dev mode, so it
// is a 404 in Clerk mode (and dev mode itself is refused in production by the config).
import {
  type DevTokenRequest,
  DevTokenRequest as DevTokenRequestSchema,
  type DevTokenResponse,
  DevTokenResponse as DevTokenResponseSchema,
  ref,
} from "@reactive-notebook/protocol";
import type { FastifyPluginAsync } from "fastify";
import { DEV_USER_ID_PATTERN } from "../auth/index.js";
import { invalidRequest } from "../http/index.js";

export const devRoutes: FastifyPluginAsync = async (app) => {
  const issue = app.auth.issueDevToken;
  if (app.auth.mode !== "dev" || !issue) return;
  app.post<{ Body: DevTokenRequest }>(
    "/api/v1/dev/token",
    {
      config: { auth: false },
      schema: {
        summary: "Mint a dev token (dev auth mode only)",
        description: "userId: 1–64 characters of A–Z, a–z, 0–9, _ . @ -. Not available in Clerk mode (404).",
        tags: ["auth"],
        body: ref(DevTokenRequestSchema),
        response: { 200: ref(DevTokenResponseSchema) },
      },
    },
    async (request): Promise<DevTokenResponse> => {
      const { userId } = request.body;
      if (!DEV_USER_ID_PATTERN.test(userId)) {
        throw invalidRequest("Invalid body: /userId must be 1–64 characters of A–Z, a–z, 0–9, _ . @ -.", {
          field: "/userId",
        });
      }
      const { token, expiresAt } = await issue(userId);
      return { token, expiresAt: expiresAt.toISOString() };
    },
  );
};
