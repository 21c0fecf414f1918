// The app skeleton: health, the page at /, and logs that never print tokens.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { buildApp } from "../src/app.js";
import { loadConfig } from "../src/config/index.js";
import { VERSION } from "../src/version.js";

function testConfig() {
  return loadConfig({ DATA_DIR: mkdtempSync(path.join(tmpdir(), "rn-app-")), KERNEL_POOL: "0" });
}

test("GET /health answers ok with the version, without auth", async (t) => {
  const app = await buildApp(testConfig(), { logger: false });
  t.after(() => app.close());
  const response = await app.inject({ method: "GET", url: "/health" });
  assert.equal(response.statusCode, 200);
  assert.deepEqual(response.json(), { status: "ok", version: VERSION });
  assert.match(VERSION, /^\d+\.\d+\.\d+/);
});

test("GET / serves an HTML page", async (t) => {
  const app = await buildApp(testConfig(), { logger: false });
  t.after(() => app.close());
  const response = await app.inject({ method: "GET", url: "/" });
  assert.equal(response.statusCode, 200);
  assert.match(String(response.headers["content-type"]), /^text\/html/);
  assert.match(response.body, /Reactive Notebook/);
});

test("request logs redact the Authorization header", async (t) => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const app = await buildApp(testConfig(), { logger: { level: "info", stream } });
  t.after(() => app.close());
  const secret = "eyJhbGciOiJSUzI1NiJ9.secret-token-value.signature";
  await app.inject({ method: "GET", url: "/health", headers: { authorization: `Bearer ${secret}` } });
  await app.inject({
    method: "GET",
    url: "/health",
    headers: { authorization: `Bearer ${secret}`, "x-log-me": "1" },
  });
  const log = lines.join("");
  assert.ok(lines.length > 0, "expected request logs");
  assert.ok(!log.includes("secret-token-value"), "a token reached the log");
});

test("main.js starts on the given port, prints its modes, and exits cleanly on SIGTERM", async () => {
  const main = fileURLToPath(new URL("../src/main.js", import.meta.url));
  const dataDir = mkdtempSync(path.join(tmpdir(), "rn-main-"));
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH, PORT: "0", DATA_DIR: dataDir, KERNEL_POOL: "0", LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (chunk) => {
    out += chunk;
  });
  child.stderr.on("data", (chunk) => {
    out += chunk;
  });
  const address = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner: ${out}`)), 60_000);
    child.stdout.on("data", () => {
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1] && /kernels:/.test(out)) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
  for (const part of ["auth:", "storage:", "sql:", "kernels:"]) assert.match(out, new RegExp(part));
  const health = await fetch(`${address}/health`);
  assert.equal(health.status, 200);
  const exit = new Promise<number | null>((resolve) => child.on("exit", resolve));
  child.kill("SIGTERM");
  assert.equal(await exit, 0);
});
