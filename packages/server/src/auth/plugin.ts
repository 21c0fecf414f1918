// The auth plugin: every /api/v1 route needs `Authorization: Bearer <token>` unless it opts out with
// `config: { auth: false }` (the dev token route, the OpenAPI document, the WebSocket, which authenticates
// by its first frame); a route outside /api/v1 opts in with `config: { auth: true }` (POST /mcp). It sets
// `request.userId` and decorates `app.auth` for the WebSocket and the dev route.
import { API_PREFIX } from "@reactive-notebook/protocol";
import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import type { AuthMode, Config } from "../config/index.js";
import { unauthorized } from "../http/index.js";
import { clerkVerifier } from "./clerk.js";
import { DevIssuer } from "./dev-issuer.js";
import { cachedVerifier, type TokenVerifier, type VerifiedToken } from "./verifier.js";

export interface AuthOptions {
  config: Config;
  /** Lifetime of dev tokens in seconds (dev mode only); default one hour. */
  devTokenTtlSeconds?: number;
}

/** `app.auth`: the auth mode and token verification, shared by HTTP routes and the WebSocket. */
export interface Auth {
  mode: AuthMode;
  /** Resolves the token's user and expiry; rejects with a 401 ApiError when the token is not acceptable. */
  verifyToken(token: string): Promise<VerifiedToken>;
  /** Dev mode only: mints a token for a user id (validated by the caller). */
  issueDevToken?: (userId: string) => Promise<{ token: string; expiresAt: Date }>;
}

const BEARER = /^Bearer[ \t]+([A-Za-z0-9\-._~+/]+=*)[ \t]*$/i;

function invalidToken(message: string) {
  const error = unauthorized(message);
  error.headers["www-authenticate"] = `Bearer error="invalid_token", error_description="${message}"`;
  return error;
}

/** The bearer token of a request; a 401 when there is none or the header is not a bearer credential. */
function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (header === undefined || header === "") {
    throw unauthorized("Missing bearer token: send Authorization: Bearer <token>.");
  }
  const token = BEARER.exec(header)?.[1];
  if (!token) throw invalidToken("The Authorization header is not a bearer token.");
  return token;
}

export const authPlugin = fp(
  async (app: FastifyInstance, options: AuthOptions) => {
    const { auth: authConfig, dataDir } = options.config;
    let verifier: TokenVerifier;
    let issueDevToken: Auth["issueDevToken"];
    if (authConfig.mode === "clerk") {
      verifier = await clerkVerifier(authConfig);
    } else {
      const issuer = await DevIssuer.open(dataDir, options.devTokenTtlSeconds);
      verifier = issuer;
      issueDevToken = (userId) => issuer.issue(userId);
    }
    const cached = cachedVerifier(verifier);
    const auth: Auth = {
      mode: authConfig.mode,
      async verifyToken(token) {
        try {
          return await cached.verify(token);
        } catch (error) {
          // Re-dress 401s with RFC 6750's invalid_token so clients know to fetch a new token.
          if ((error as { status?: number }).status === 401) throw invalidToken((error as Error).message);
          throw error;
        }
      },
      ...(issueDevToken ? { issueDevToken } : {}),
    };
    app.decorate("auth", auth);
    app.decorateRequest("userId", "");

    app.addHook("onRequest", async (request) => {
      const url = request.routeOptions.url;
      const { auth: wanted } = request.routeOptions.config;
      const api = url?.startsWith(`${API_PREFIX}/`) ?? false;
      if (api ? wanted === false : wanted !== true) return;
      request.userId = (await auth.verifyToken(bearerToken(request))).userId;
    });
  },
  { name: "auth", dependencies: ["error-handler"] },
);

declare module "fastify" {
  interface FastifyInstance {
    auth: Auth;
  }
  interface FastifyRequest {
    /** The authenticated user; "" on routes that do not require a token. */
    userId: string;
  }
  interface FastifyContextConfig {
    /** false: this /api/v1 route needs no bearer token; true: this route outside /api/v1 needs one. */
    auth?: boolean;
  }
}
