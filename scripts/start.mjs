#!/usr/bin/env node
// `npm start`: builds whatever has not been built yet, then runs the server on its embedded defaults
// (or whatever the environment configures). Signals pass through to the server for a graceful stop.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BUILD_ORDER, build } from "./build.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outputs = {
  "@reactive-notebook/protocol": "packages/protocol/dist/src/index.js",
  "@reactive-notebook/sdk": "packages/sdk/dist/browser/index.js",
  "@reactive-notebook/element": "packages/element/dist/bundle/reactive-notebook.js",
  "@reactive-notebook/demo-site": "examples/demo-site/dist/index.html",
  "@reactive-notebook/server": "packages/server/dist/src/main.js",
};
const missing = BUILD_ORDER.filter((name) => outputs[name] && !existsSync(path.join(root, outputs[name])));
if (missing.length > 0) {
  process.stdout.write(`Building ${missing.join(", ")} (first start)…\n`);
  // Later packages depend on earlier ones: rebuild from the first missing one onwards.
  build(BUILD_ORDER.slice(BUILD_ORDER.indexOf(missing[0])).filter((name) => outputs[name]));
}

const server = spawn(process.execPath, [path.join(root, outputs["@reactive-notebook/server"])], {
  stdio: "inherit",
  env: process.env,
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
