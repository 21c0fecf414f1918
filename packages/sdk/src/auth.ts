/** Token providers to pass as `getToken`: a caching one for dev-mode servers and one reading a Clerk session. */
import { NotebookClient } from "./client.js";
import { UnauthorizedError } from "./errors.js";
import type { TokenProvider } from "./request.js";

/** Options of {@link devTokenProvider}. */
export interface DevTokenProviderOptions {
  /** The fetch to use; defaults to the global one. */
  fetch?: typeof globalThis.fetch;
  /** Mint a new token this long before the old one expires (default 60 000 ms). */
  refreshMarginMs?: number;
}

/**
 * A provider that mints dev-mode tokens for `userId` with `POST /api/v1/dev/token` and reuses
 * each one until shortly before its `expiresAt`. Concurrent callers share one mint.
 *
 * @example
 * ```ts
 * const client = new NotebookClient({ baseUrl, getToken: devTokenProvider(baseUrl, "alice") });
 * ```
 */
export function devTokenProvider(
  baseUrl: string,
  userId: string,
  options: DevTokenProviderOptions = {},
): () => Promise<string> {
  const client = new NotebookClient({ baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const margin = options.refreshMarginMs ?? 60_000;
  let cached: { token: string; refreshAt: number } | undefined;
  let minting: Promise<string> | undefined;
  return () => {
    if (cached && Date.now() < cached.refreshAt) return Promise.resolve(cached.token);
    minting ??= client.dev
      .token(userId)
      .then(({ token, expiresAt }) => {
        const expiry = Date.parse(expiresAt);
        // A lifetime shorter than the margin still gets used for half of it.
        const refreshAt = Math.max(expiry - margin, Date.now() + (expiry - Date.now()) / 2);
        cached = { token, refreshAt };
        return token;
      })
      .finally(() => {
        minting = undefined;
      });
    return minting;
  };
}

/** The part of a Clerk instance (`@clerk/clerk-js`'s `Clerk`, or `window.Clerk`) the provider uses. */
export interface ClerkLike {
  session?: { getToken(): Promise<string | null> } | null;
}

/**
 * A provider that returns the signed-in Clerk session's token, or throws UnauthorizedError when signed out.
 *
 * @example
 * ```ts
 * import { Clerk } from "@clerk/clerk-js";
 * const clerk = new Clerk(publishableKey);
 * await clerk.load();
 * const client = new NotebookClient({ baseUrl, getToken: clerkTokenProvider(clerk) });
 * ```
 */
export function clerkTokenProvider(clerk: ClerkLike): TokenProvider {
  return async () => {
    const token = clerk.session ? await clerk.session.getToken() : null;
    if (!token) {
      throw new UnauthorizedError({
        status: 401,
        code: "unauthorized",
        message: "Not signed in: Clerk has no active session, so there is no token to send. Sign in first.",
      });
    }
    return token;
  };
}
