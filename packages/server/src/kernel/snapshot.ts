// The Pyodide memory snapshot every kernel starts from: taken once in a sandboxed kernel process
// after importing the runtime, cached in DATA_DIR by Pyodide version and a hash of the runtime's
// sources, so later server starts restore kernels in a fraction of a cold start.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { KernelProcess } from "./kernel-process.js";
import type { SandboxLayers } from "./types.js";

const RUNTIME_DIR = fileURLToPath(new URL("./python/", import.meta.url));
const CODE_FILES = ["child/worker.js", "child/harden.js", "child/host.js"];

/** The Python runtime's .py files by name (the kernel writes them under /rn). */
export function readRuntimeSources(): Record<string, string> {
  const sources: Record<string, string> = {};
  for (const name of readdirSync(RUNTIME_DIR).sort())
    if (name.endsWith(".py")) sources[name] = readFileSync(path.join(RUNTIME_DIR, name), "utf8");
  if (!sources["rn_kernel.py"])
    throw new Error(
      `the kernel runtime is missing: no rn_kernel.py in ${RUNTIME_DIR} (run the build's copy-assets step)`,
    );
  return sources;
}

function pyodideVersion(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve("pyodide/package.json");
  return (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
}

/** Cache key: Pyodide version + hash of the runtime sources and the worker code that restores it. */
export function snapshotKey(sources: Record<string, string>, memoryMb: number): string {
  const hash = createHash("sha256");
  for (const [name, text] of Object.entries(sources))
    hash.update(name).update("\0").update(text).update("\0");
  for (const file of CODE_FILES)
    hash.update(readFileSync(fileURLToPath(new URL(`./${file}`, import.meta.url))));
  hash.update(String(memoryMb));
  return `pyodide-${pyodideVersion()}-${hash.digest("hex").slice(0, 16)}`;
}

/** Loads the cached snapshot or builds (and caches) a new one. */
export async function loadOrBuildSnapshot(options: {
  dataDir: string;
  layers: SandboxLayers;
  memoryMb: number;
  sources: Record<string, string>;
}): Promise<{ bytes: Uint8Array; cached: boolean; file: string }> {
  const dir = path.join(options.dataDir, "kernel-snapshots");
  const file = path.join(dir, `${snapshotKey(options.sources, options.memoryMb)}.bin`);
  try {
    return { bytes: new Uint8Array(await readFile(file)), cached: true, file };
  } catch {
    // not built yet
  }
  const bytes = await KernelProcess.snapshot({
    layers: options.layers,
    memoryMb: options.memoryMb,
    sources: options.sources,
  });
  await mkdir(dir, { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, bytes);
  await rename(temporary, file);
  return { bytes, cached: false, file };
}
