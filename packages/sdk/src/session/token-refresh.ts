/** When to send the next `auth` frame: reads a JWT's `exp` (without verifying it) and picks a refresh time. */

/** The expiry of a JWT in epoch milliseconds, or undefined when the token is not a JWT or has no `exp`. */
export function tokenExpiry(token: string): number | undefined {
  const payload = token.split(".")[1];
  if (payload === undefined) return undefined;
  try {
    const base64 = payload.replace(/-/g, "+").replace(/_/g, "/");
    const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
    const claims: unknown = JSON.parse(atob(padded));
    const exp = (claims as { exp?: unknown } | null)?.exp;
    return typeof exp === "number" && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/** How refreshes are timed. */
export interface RefreshPolicy {
  /** Refresh this long before `exp` (default 60 000 ms). */
  marginMs: number;
  /** Refresh period for tokens without `exp` (default 5 minutes). */
  intervalMs: number;
  /** Never wait less than this between refreshes, so a provider handing back an old token cannot spin us. */
  minDelayMs: number;
}

/**
 * Milliseconds to wait before refreshing `token`: `marginMs` before its expiry, but at least half of its
 * remaining life (a 60-second Clerk token is refreshed after 30 s, not at once), and at least `minDelayMs`.
 */
export function refreshDelay(token: string, policy: RefreshPolicy, now = Date.now()): number {
  const expiry = tokenExpiry(token);
  if (expiry === undefined) return policy.intervalMs;
  const remaining = expiry - now;
  const delay = Math.max(policy.minDelayMs, remaining - policy.marginMs, remaining / 2);
  // Timers overflow past 2^31 - 1 ms (about 24.8 days); a later refresh is simply re-planned then.
  return Math.min(delay, MAX_TIMER_MS);
}
