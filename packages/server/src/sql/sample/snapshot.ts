// The seeded snapshot every sample database instance starts from: PostgreSQL's data directory after
// initdb, the seed and the cell role's privileges (a gzipped tar, about 5 MB). Building it takes PGlite's
// initdb (10+ s), so it is built once, in a sandboxed process, kept in memory, and cached in the data
// directory under a name that changes with PGlite's version and the seed, so a restart reuses it.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { SandboxLayers } from "../../kernel/index.js";
import { sampleCommand } from "./command.js";
import { CELL_ROLE_SQL, SAMPLE_SEED_SQL } from "./seed.js";

const BUILD_TIMEOUT_MS = 300_000;
const MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024;

function pgliteVersion(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve("@electric-sql/pglite");
  const manifest = JSON.parse(readFileSync(path.join(path.dirname(entry), "..", "package.json"), "utf8"));
  return String(manifest.version);
}

const SNAPSHOT_NAME = `sample-db-${createHash("sha256")
  .update(`${pgliteVersion()}\u0000${SAMPLE_SEED_SQL}\u0000${CELL_ROLE_SQL}`)
  .digest("hex")
  .slice(0, 16)}.tar.gz`;

const loaded = new Map<string, Promise<Buffer>>();

/** The snapshot (built at most once per process and cache directory at a time). */
export function sampleSnapshot(layers: SandboxLayers, cacheDir: string | null): Promise<Buffer> {
  const key = cacheDir ?? "";
  let snapshot = loaded.get(key);
  if (!snapshot) {
    snapshot = load(layers, cacheDir);
    loaded.set(key, snapshot);
    snapshot.catch(() => loaded.delete(key));
  }
  return snapshot;
}

/** Drops a snapshot an instance could not start from, so the next start builds a new one. */
export function discardSnapshot(cacheDir: string | null): void {
  loaded.delete(cacheDir ?? "");
  if (cacheDir) rmSync(path.join(cacheDir, SNAPSHOT_NAME), { force: true });
}

async function load(layers: SandboxLayers, cacheDir: string | null): Promise<Buffer> {
  const file = cacheDir ? path.join(cacheDir, SNAPSHOT_NAME) : null;
  if (file) {
    try {
      return readFileSync(file);
    } catch {
      // not cached yet
    }
  }
  const snapshot = await build(layers);
  if (cacheDir && file) {
    mkdirSync(cacheDir, { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, snapshot, { mode: 0o600 });
    renameSync(partial, file);
  }
  return snapshot;
}

function build(layers: SandboxLayers): Promise<Buffer> {
  const command = sampleCommand(layers, "build", 512);
  const child = spawn(command.command, command.args, {
    cwd: command.cwd,
    env: {},
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), BUILD_TIMEOUT_MS);
    timer.unref();
    child.stdout.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_SNAPSHOT_BYTES) child.kill("SIGKILL");
      else chunks.push(chunk);
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-2000);
    });
    child.on("error", (error) => reject(error));
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      command.cleanup();
      const snapshot = Buffer.concat(chunks);
      // A gzip stream starts with 1f 8b.
      if (code === 0 && snapshot[0] === 0x1f && snapshot[1] === 0x8b) return resolve(snapshot);
      reject(
        new Error(
          `the sample database could not be built (${signal ?? `exit code ${code}`}) ${stderr.trim()}`.trim(),
        ),
      );
    });
  });
}
