#!/usr/bin/env node
// Builds every package in dependency order (protocol → sdk → element → demo site → server → infra → e2e).
import { spawnSync } from "node:child_process";

export const BUILD_ORDER = [
  "@reactive-notebook/protocol",
  "@reactive-notebook/sdk",
  "@reactive-notebook/element",
  "@reactive-notebook/demo-site",
  "@reactive-notebook/server",
  "@reactive-notebook/infra",
  "@reactive-notebook/e2e",
];

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
