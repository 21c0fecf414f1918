#!/usr/bin/env node
// `npm start`: builds whatever has not been built yet, then runs the server on its embedded defaults
// (or whatever the environment configures). Signals pass through to the server for a graceful stop.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BUILD_ORDER, BUILD_OUTPUTS, build } from "./build.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const missing = BUILD_ORDER.filter(
  (name) => BUILD_OUTPUTS[name] && !existsSync(path.join(root, BUILD_OUTPUTS[name])),
);
if (missing.length > 0) {
  process.stdout.write(`Building ${missing.join(", ")} (first start)…\n`);
  // Later packages depend on earlier ones: rebuild from the first missing one onwards.
  build(BUILD_ORDER.slice(BUILD_ORDER.indexOf(missing[0])).filter((name) => BUILD_OUTPUTS[name]));
}

const server = spawn(process.execPath, [path.join(root, BUILD_OUTPUTS["@reactive-notebook/server"])], {
  stdio: "inherit",
  env: process.env,
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
