// The store folder's only door: durable notebooks and cells on SQLite or PostgreSQL.
export { SQLITE_FILE_NAME, type StoreDriver, type StoreLocation, withStatementCache } from "./database.js";
export { MIGRATION_NAMES } from "./migrations.js";
export { openStore } from "./open.js";
export { storePlugin } from "./plugin.js";
export {
  type CellEdit,
  type CellResult,
  type IdempotencyClaim,
  type IdempotencyKeys,
  type NewCellInput,
  type NewNotebookInput,
  type NotebookDatabase,
  type NotebookStore,
  RevisionConflictError,
  type StoredCell,
  type StoredNotebook,
} from "./types.js";
