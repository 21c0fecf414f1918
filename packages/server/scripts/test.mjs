#!/usr/bin/env node
// The server's tests (built into dist/test): two files at a time, since most wait on kernels, sockets and
// timers rather than the CPU; then, alone, the files that assert time limits on kernels under a hostile
// load and would misjudge a machine busy with another file. Node's summary is printed for each part.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";

/** Files whose tests measure the kernel against its time limits: run alone. */
const ALONE = new Set(["kernel-hostile.test.js"]);

const files = readdirSync("dist/test")
  .filter((name) => name.endsWith(".test.js"))
  .sort();
const together = files.filter((name) => !ALONE.has(name)).map((name) => `dist/test/${name}`);
const alone = files.filter((name) => ALONE.has(name)).map((name) => `dist/test/${name}`);

let failed = false;
for (const [concurrency, part] of [
  [2, together],
  [1, alone],
]) {
  if (part.length === 0) continue;
  const run = spawnSync(process.execPath, ["--test", `--test-concurrency=${concurrency}`, ...part], {
    stdio: "inherit",
  });
  if (run.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
