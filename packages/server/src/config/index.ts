// The configuration folder's only door.
export {
  type AuthMode,
  type Config,
  ConfigError,
  DEFAULT_PYODIDE_INDEX_URL,
  describeModes,
  loadConfig,
  redactUrl,
} from "./config.js";
