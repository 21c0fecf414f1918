// What every auth mode provides: turning a bearer token into the user it belongs to and the time it stops
// being valid. A small cache spares the signature check for a token seen again before it expires.

/** A token that passed verification. */
export interface VerifiedToken {
  /** The user: Clerk's `sub` claim, or the dev issuer's user id. */
  userId: string;
  /** When the token stops being accepted; sockets close at this time unless refreshed. */
  expiresAt: Date;
}

/** Verifies tokens of one auth mode; rejects with an ApiError (401) when a token is not acceptable. */
export interface TokenVerifier {
  verify(token: string): Promise<VerifiedToken>;
}

/**
 * Remembers verified tokens until they expire, so a client reusing its token for many requests pays the
 * RS256 check once. Tokens cannot be revoked early in either mode (Clerk session tokens are verified
 * networklessly too), so the cache changes no answer. Bounded: the oldest entry leaves first.
 */
export function cachedVerifier(inner: TokenVerifier, maxEntries = 10_000): TokenVerifier {
  const cache = new Map<string, VerifiedToken>();
  return {
    async verify(token) {
      const hit = cache.get(token);
      if (hit) {
        if (hit.expiresAt.getTime() > Date.now()) return hit;
        cache.delete(token);
      }
      const verified = await inner.verify(token);
      cache.set(token, verified);
      if (cache.size > maxEntries) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      return verified;
    },
  };
}
