// Tokens for tests: Clerk-shaped session JWTs signed with a local RS256 key (whose PEM public key is given
// to the server as CLERK_JWT_KEY, so @clerk/backend verifies them for real, offline), and dev tokens.
import assert from "node:assert/strict";
import type { FastifyInstance } from "fastify";
import { exportSPKI, generateKeyPair, type JWTPayload, SignJWT } from "jose";
import type { Env } from "./app.js";

export interface SigningKey {
  privateKey: Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];
  publicPem: string;
}

/** A fresh RS256 key pair. */
export async function signingKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  return { privateKey, publicPem: await exportSPKI(publicKey) };
}

let shared: Promise<SigningKey> | undefined;
/** One key pair per test process, standing for "the Clerk instance". */
export function clerkKey(): Promise<SigningKey> {
  shared ??= signingKey();
  return shared;
}

export const CLERK_ORIGIN = "https://app.example.com";
export const CLERK_ISSUER = "https://clerk.app.example.com";

/** The environment of a server in Clerk mode trusting `key`, with CLERK_ORIGIN as authorized party. */
export function clerkEnv(key: SigningKey): Env {
  return { CLERK_JWT_KEY: key.publicPem, CLERK_AUTHORIZED_PARTIES: CLERK_ORIGIN };
}

export interface ClerkTokenOptions {
  /** Seconds from now; negative for a token already expired. Default 60 (Clerk's lifetime). */
  expiresIn?: number;
  /** Seconds from now for nbf (and iat). Default -5. */
  notBefore?: number;
  azp?: string | null;
  /** Extra or overriding claims. */
  claims?: JWTPayload;
}

/** A Clerk-shaped session token for `userId` signed with `key`. */
export async function clerkToken(
  key: SigningKey,
  userId: string,
  options: ClerkTokenOptions = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const notBefore = now + (options.notBefore ?? -5);
  const azp = options.azp === undefined ? CLERK_ORIGIN : options.azp;
  return new SignJWT({
    sid: `sess_${userId}`,
    ...(azp === null ? {} : { azp }),
    ...options.claims,
  })
    .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: "ins_test" })
    .setIssuer(CLERK_ISSUER)
    .setSubject(userId)
    .setIssuedAt(notBefore)
    .setNotBefore(notBefore)
    .setExpirationTime(now + (options.expiresIn ?? 60))
    .sign(key.privateKey);
}

/** A dev token for `userId` from the app's own issuer (dev mode). */
export async function devToken(app: FastifyInstance, userId: string): Promise<string> {
  const response = await app.inject({ method: "POST", url: "/api/v1/dev/token", payload: { userId } });
  assert.equal(response.statusCode, 200, response.body);
  return (response.json() as { token: string }).token;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
