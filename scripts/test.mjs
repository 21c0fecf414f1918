#!/usr/bin/env node
// `npm test`: runs every package's tests in order, streams their output, and ends with one summary line
// ("tests: N passed, N failed, N skipped"). Exits non-zero if any package fails.
import { spawn } from "node:child_process";

const PACKAGES = [
  "@reactive-notebook/protocol",
  "@reactive-notebook/sdk",
  "@reactive-notebook/element",
  "@reactive-notebook/server",
  // After the server: its tests start the built service and drive it over stdio and HTTP.
  "@reactive-notebook/mcp",
  "@reactive-notebook/demo-site",
  "@reactive-notebook/infra",
  // Last: drives the built site, element and server together in Chromium.
  "@reactive-notebook/e2e",
];
const only = process.argv.slice(2);

function count(output, pattern) {
  let total = 0;
  for (const match of output.matchAll(pattern)) total += Number(match[1]);
  return total;
}

function lastBrowserSummary(output) {
  const matches = [
    ...output.matchAll(/(?:test files \| |browser tests: )(\d+) passed, (\d+) failed(?:, (\d+) skipped)?/g),
  ];
  const last = matches.at(-1);
  return { passed: Number(last?.[1] ?? 0), failed: Number(last?.[2] ?? 0), skipped: Number(last?.[3] ?? 0) };
}

function runPackage(name) {
  return new Promise((resolve) => {
    const child = spawn("npm", ["test", "--silent", "-w", name], {
      stdio: ["ignore", "pipe", "pipe"],
      env: process.env,
    });
    let output = "";
    const forward = (stream) => (chunk) => {
      output += chunk;
      stream.write(chunk);
    };
    child.stdout.on("data", forward(process.stdout));
    child.stderr.on("data", forward(process.stderr));
    child.on("close", (code) => {
      const clean = output.replace(/\x1b\[[0-9;]*m/g, "");
      // node's test runner (tap: "# pass 3"; spec: "ℹ pass 3"), summed over its runs; web-test-runner
      // ("12/12 test files | 63 passed, 0 failed"), whose progress line repeats as it goes: its last one.
      const browser = lastBrowserSummary(clean);
      const passed = count(clean, /^(?:#|ℹ) pass (\d+)$/gm) + browser.passed;
      const failed = count(clean, /^(?:#|ℹ) fail (\d+)$/gm) + browser.failed;
      const skipped = count(clean, /^(?:#|ℹ) skipped (\d+)$/gm) + browser.skipped;
      resolve({ name, code, passed, failed, skipped });
    });
  });
}

const results = [];
for (const name of PACKAGES.filter((name) => only.length === 0 || only.some((o) => name.endsWith(o)))) {
  process.stdout.write(`\n▶ test ${name}\n`);
  results.push(await runPackage(name));
}
process.stdout.write("\n");
for (const r of results) {
  process.stdout.write(
    `  ${r.code === 0 ? "✔" : "✘"} ${r.name}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped\n`,
  );
}
const total = (key) => results.reduce((sum, r) => sum + r[key], 0);
const broken = results.filter((r) => r.code !== 0 && r.failed === 0);
const failed = total("failed") + broken.length;
process.stdout.write(`tests: ${total("passed")} passed, ${failed} failed, ${total("skipped")} skipped\n`);
process.exit(results.every((r) => r.code === 0) ? 0 : 1);
