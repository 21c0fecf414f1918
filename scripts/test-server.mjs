// Starts the real, built notebook service (packages/server/dist/src/main.js) for browser and end-to-end
// tests: dev auth, a fresh temporary DATA_DIR, a free port, and the given CORS origins. Resolves once
// /health answers. Used by the web-test-runner configs and the Playwright end-to-end tests.
//
//   const server = await startTestServer({ allowedOrigins: ["http://127.0.0.1:8765"] });
//   server.url  // "http://127.0.0.1:41234"
//   await server.stop();
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const main = path.join(root, "packages/server/dist/src/main.js");

/** Debian's Chromium, never a downloaded browser; `CHROMIUM_PATH` overrides. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** How every browser test launches it: headless, and nothing that talks to the network by itself. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
/** The launch options of both launchers in use (web-test-runner's chromeLauncher and playwright-core). */
export const CHROMIUM_LAUNCH = { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS };

/**
 * A web-test-runner plugin that starts the service when the dev server starts (allowing the test page's
 * origin), stops it after the run, and answers `/test-config.json` with `{ apiUrl }` for the tests.
 * @param {{ hostname: string, port: number }} page where web-test-runner serves the test page
 */
export function notebookServicePlugin({ hostname, port }) {
  let server;
  return {
    name: "notebook-service",
    async serverStart() {
      server = await startTestServer({
        allowedOrigins: [`http://${hostname}:${port}`, `http://localhost:${port}`],
      });
    },
    async serverStop() {
      await server?.stop();
    },
    serve(context) {
      if (context.path !== "/test-config.json") return undefined;
      return { body: JSON.stringify({ apiUrl: server.url }), type: "json" };
    },
  };
}

/** A free TCP port on 127.0.0.1 (the OS picks it; it is released before the server binds it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * @param {{ allowedOrigins?: string[], env?: Record<string, string>, port?: number, startTimeoutMs?: number }} [options]
 * @returns {Promise<{ url: string, port: number, dataDir: string, output: () => string, stop: () => Promise<void> }>}
 */
export async function startTestServer(options = {}) {
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first.`);
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), "rn-test-server-"));
  const origins = [url, `http://localhost:${port}`, ...(options.allowedOrigins ?? [])];
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      NODE_ENV: "test",
      HOST: "127.0.0.1",
      PORT: String(port),
      DATA_DIR: dataDir,
      // Shared by every test service of the run and kept across runs: snapshots are built once, not per server.
      SNAPSHOT_DIR: process.env.SNAPSHOT_DIR ?? path.join(tmpdir(), "rn-test-snapshots"),
      AUTH_MODE: "dev",
      ALLOWED_ORIGINS: origins.join(","),
      LOG_LEVEL: process.env.TEST_SERVER_LOG_LEVEL ?? "warn",
      KERNEL_POOL: "1",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout.on("data", (chunk) => {
    log += chunk;
  });
  child.stderr.on("data", (chunk) => {
    log += chunk;
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`The test server exited with code ${child.exitCode} before answering:\n${log}`);
    }
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The test server did not answer /health in time:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, port, dataDir, output: () => log, stop };
}
