// The auth folder's only door: the auth plugin (bearer tokens on every /api/v1 route, `request.userId`,
// `app.auth`), Clerk and dev verification, and the dev issuer's rules.

export { DEFAULT_DEV_TOKEN_TTL_SECONDS, DEV_ISSUER, DEV_USER_ID_PATTERN, DevIssuer } from "./dev-issuer.js";
export { type Auth, type AuthOptions, authPlugin } from "./plugin.js";
export type { TokenVerifier, VerifiedToken } from "./verifier.js";
