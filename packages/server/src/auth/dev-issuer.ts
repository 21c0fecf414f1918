// Dev mode: the server's own RS256 token issuer, so `npm start` needs no accounts. Its key pair is generated
// once into DATA_DIR/dev-keys/ (readable by the owner only) and reused across restarts, so tokens survive them.
import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { chmodSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { exportPKCS8, generateKeyPair, errors as joseErrors, jwtVerify, SignJWT } from "jose";
import { unauthorized } from "../http/index.js";
import type { TokenVerifier, VerifiedToken } from "./verifier.js";

export const DEV_ISSUER = "reactive-notebook-dev";
export const DEFAULT_DEV_TOKEN_TTL_SECONDS = 3600;
/** What a dev user id may be: short, and safe in logs and URLs. */
export const DEV_USER_ID_PATTERN = /^[A-Za-z0-9_.@-]{1,64}$/;

const KEY_FILE = "signing-key.pem";

/** Reads the dev signing key, creating it on first use; concurrent starts agree on one key. */
async function loadOrCreateKey(dataDir: string): Promise<KeyObject> {
  const dir = path.join(dataDir, "dev-keys");
  const file = path.join(dir, KEY_FILE);
  try {
    return createPrivateKey(readFileSync(file, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey } = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temporary, await exportPKCS8(privateKey), { mode: 0o600 });
  chmodSync(temporary, 0o600);
  try {
    linkSync(temporary, file); // fails if another process won the race; then its key is the key
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    unlinkSync(temporary);
  }
  return createPrivateKey(readFileSync(file, "utf8"));
}

export class DevIssuer implements TokenVerifier {
  private constructor(
    private readonly privateKey: KeyObject,
    private readonly publicKey: KeyObject,
    private readonly ttlSeconds: number,
  ) {}

  static async open(dataDir: string, ttlSeconds = DEFAULT_DEV_TOKEN_TTL_SECONDS): Promise<DevIssuer> {
    const privateKey = await loadOrCreateKey(dataDir);
    return new DevIssuer(privateKey, createPublicKey(privateKey), ttlSeconds);
  }

  /** A token for `userId` (already validated against DEV_USER_ID_PATTERN by the caller). */
  async issue(userId: string): Promise<{ token: string; expiresAt: Date }> {
    const now = Math.floor(Date.now() / 1000);
    const expiresAt = new Date((now + this.ttlSeconds) * 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "RS256", typ: "JWT" })
      .setIssuer(DEV_ISSUER)
      .setSubject(userId)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + this.ttlSeconds)
      .sign(this.privateKey);
    return { token, expiresAt };
  }

  async verify(token: string): Promise<VerifiedToken> {
    try {
      const { payload } = await jwtVerify(token, this.publicKey, {
        issuer: DEV_ISSUER,
        algorithms: ["RS256"],
        requiredClaims: ["sub", "exp"],
      });
      if (typeof payload.sub !== "string" || !DEV_USER_ID_PATTERN.test(payload.sub)) {
        throw unauthorized("The token is invalid.");
      }
      return { userId: payload.sub, expiresAt: new Date((payload.exp as number) * 1000) };
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw unauthorized("The token has expired.");
      if (error instanceof joseErrors.JOSEError) throw unauthorized("The token is invalid.");
      throw error;
    }
  }
}
