#!/usr/bin/env node
// Builds every package in dependency order (protocol → sdk → mcp → element → demo site → server → infra → e2e).
import { spawnSync } from "node:child_process";

export const BUILD_ORDER = [
  "@reactive-notebook/protocol",
  "@reactive-notebook/sdk",
  "@reactive-notebook/mcp",
  "@reactive-notebook/element",
  "@reactive-notebook/demo-site",
  "@reactive-notebook/server",
  "@reactive-notebook/infra",
  "@reactive-notebook/e2e",
];

/** What each package's build leaves behind, as a path from the repository root (checked by start and e2e). */
export const BUILD_OUTPUTS = {
  "@reactive-notebook/protocol": "packages/protocol/dist/src/index.js",
  "@reactive-notebook/sdk": "packages/sdk/dist/browser/index.js",
  "@reactive-notebook/mcp": "packages/mcp/dist/src/bin.js",
  "@reactive-notebook/element": "packages/element/dist/bundle/reactive-notebook.js",
  "@reactive-notebook/demo-site": "examples/demo-site/dist/index.html",
  "@reactive-notebook/server": "packages/server/dist/src/main.js",
};

export function build(packages = BUILD_ORDER) {
  for (const name of packages) {
    process.stdout.write(`\n▶ build ${name}\n`);
    const run = spawnSync("npm", ["run", "build", "--silent", "-w", name], { stdio: "inherit" });
    if (run.status !== 0) {
      process.stderr.write(`build of ${name} failed\n`);
      process.exit(run.status ?? 1);
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) build();
