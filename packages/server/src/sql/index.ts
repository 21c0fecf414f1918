// The sql folder's only door: connection strings (validation, host policy, encryption at rest) and the
// engine that runs SQL cells on a notebook's PostgreSQL or the built-in sample database.
export { type ConnectionInfo, checkHostPolicy, parseConnectionString } from "./connection.js";
export { type SqlCellKernel, type SqlCellResult, type SqlCellRun, SqlEngine, TABLE_MIME } from "./engine.js";
export { SampleDatabase } from "./sample/sample-database.js";
export { SAMPLE_TABLES } from "./sample/seed.js";
export { SecretBox } from "./secrets.js";
export { compileSql, placeholderNames } from "./statements.js";
