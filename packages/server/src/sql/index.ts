// The sql folder's only door: connection strings (parsed by us, held to the host policy, encrypted at
// rest) and the engine that runs SQL cells on a notebook's PostgreSQL or on the user's own instance of the
// built-in sample database.

export { nonPublicReason } from "./addresses.js";
export { checkConnectionString } from "./connection.js";
export { type ConnectionInfo, parseConnectionString } from "./connection-string.js";
export {
  type SqlCellKernel,
  type SqlCellResult,
  type SqlCellRun,
  SqlEngine,
  type SqlEngineOptions,
  TABLE_MIME,
} from "./engine.js";
export { type ResolveHost, resolveAllowedHost } from "./host-policy.js";
export type { SqlProgress } from "./result.js";
export { SampleDatabase, type SampleDatabaseOptions } from "./sample/sample-database.js";
export { SAMPLE_TABLES } from "./sample/seed.js";
export { SecretBox } from "./secrets.js";
export { compileSql, placeholderNames } from "./statements.js";
