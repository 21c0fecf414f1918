// Public entry of the server package: build the app from a config.
export { type BuildAppOptions, buildApp } from "./app.js";
export { type Config, ConfigError, describeModes, loadConfig } from "./config/index.js";
export { VERSION } from "./version.js";
