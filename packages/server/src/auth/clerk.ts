// Clerk mode: session JWTs verified by @clerk/backend, networkless with CLERK_JWT_KEY (a PEM public key) or
// against the JWKS that the library fetches and caches with CLERK_SECRET_KEY. The `azp` claim is always
// checked against CLERK_AUTHORIZED_PARTIES; the user id is `sub`.
import type { Config } from "../config/index.js";
import { unauthorized } from "../http/index.js";
import type { TokenVerifier } from "./verifier.js";

/** Clerk's reasons (TokenVerificationErrorReason) → the sentence a client sees. Nothing of the token is echoed. */
const REASONS: Record<string, string> = {
  "token-expired": "The token has expired.",
  "token-not-active-yet": "The token is not valid yet.",
  "token-iat-in-the-future": "The token is not valid yet.",
  "token-invalid-authorized-parties": "The token was issued to an origin that is not authorized.",
  "token-invalid-signature": "The token's signature is invalid.",
};

/** Reasons that mean Clerk itself could not be reached: a server problem, not a bad token. */
const UNREACHABLE = new Set(["jwk-remote-failed-to-load"]);

export async function clerkVerifier(auth: Config["auth"]): Promise<TokenVerifier> {
  // Clerk's telemetry would phone home; it must be off before the library is loaded.
  process.env.CLERK_TELEMETRY_DISABLED = "1";
  const { verifyToken } = await import("@clerk/backend");
  const options = {
    ...(auth.clerkJwtKey ? { jwtKey: auth.clerkJwtKey } : {}),
    ...(auth.clerkSecretKey ? { secretKey: auth.clerkSecretKey } : {}),
    authorizedParties: auth.clerkAuthorizedParties,
  };
  if (options.authorizedParties.length === 0) throw new Error("Clerk mode needs CLERK_AUTHORIZED_PARTIES");
  return {
    async verify(token) {
      let payload: Awaited<ReturnType<typeof verifyToken>>;
      try {
        payload = await verifyToken(token, options);
      } catch (error) {
        const reason = (error as { reason?: unknown }).reason;
        if (typeof reason === "string" && UNREACHABLE.has(reason)) throw error; // a 500, logged
        throw unauthorized((typeof reason === "string" && REASONS[reason]) || "The token is invalid.");
      }
      if (typeof payload.sub !== "string" || payload.sub === "" || typeof payload.exp !== "number") {
        throw unauthorized("The token is invalid.");
      }
      return { userId: payload.sub, expiresAt: new Date(payload.exp * 1000) };
    },
  };
}
