#!/usr/bin/env node
// `npm run bench`: builds the server, then runs its benchmarks (packages/server/bench/index.ts), each printing
// figures and ratios against a baseline or target measured in the same run. `npm run bench -- e2e` runs one;
// `npm run bench -- load` (the load test) runs only when named.
import { spawnSync } from "node:child_process";
import { build } from "./build.mjs";

build(["@reactive-notebook/protocol", "@reactive-notebook/server"]);
const run = spawnSync(process.execPath, ["packages/server/dist/bench/index.js", ...process.argv.slice(2)], {
  stdio: "inherit",
});
process.exit(run.status ?? 1);
