// Shared test helpers: build the real app, mint Clerk-shaped and dev tokens, and drive notebook WebSockets.
export { type Env, listen, testApp, testConfig } from "./app.js";
export { mcpRequest, toolResult } from "./mcp.js";
export { type Closed, TestSocket } from "./sockets.js";
export {
  bearer,
  CLERK_ISSUER,
  CLERK_ORIGIN,
  type ClerkTokenOptions,
  clerkEnv,
  clerkKey,
  clerkToken,
  devToken,
  type SigningKey,
  signingKey,
} from "./tokens.js";
