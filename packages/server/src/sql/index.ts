// The sql folder's only door: connection strings (validation, host policy) and their encryption at rest.
export { type ConnectionInfo, checkHostPolicy, parseConnectionString } from "./connection.js";
export { SecretBox } from "./secrets.js";
