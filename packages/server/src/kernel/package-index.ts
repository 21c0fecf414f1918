// Fetches Python packages for kernels from the Pyodide package index (PYODIDE_INDEX_URL). Kernels
// have no network: the server resolves an import to lock-file entries, downloads the files with a
// short timeout (caching them in DATA_DIR by sha256) and hands the bytes to the kernel.
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { WheelFile } from "./messages.js";

export interface LockPackage {
  name: string;
  version: string;
  file_name: string;
  sha256: string;
  imports?: string[];
  depends?: string[];
  package_type?: string;
}

interface Lockfile {
  packages: Record<string, LockPackage>;
}

/** The index could not be reached or served something unusable. */
export class PackageIndexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PackageIndexError";
  }
}

export interface PackageIndexOptions {
  indexUrl: string;
  cacheDir: string;
  timeoutMs: number;
}

export class PackageIndex {
  private lock: Promise<Lockfile> | null = null;
  private readonly baseUrl: string;

  constructor(private readonly options: PackageIndexOptions) {
    this.baseUrl = options.indexUrl.endsWith("/") ? options.indexUrl : `${options.indexUrl}/`;
  }

  get indexUrl(): string {
    return this.baseUrl;
  }

  /**
   * The packages (dependencies first) that provide these top-level modules; modules no package
   * provides are returned in `unknown` so Python can raise its own ModuleNotFoundError.
   */
  async resolve(modules: string[]): Promise<{ packages: LockPackage[]; unknown: string[] }> {
    const lock = await this.lockfile();
    const byImport = new Map<string, LockPackage>();
    for (const entry of Object.values(lock.packages))
      for (const name of entry.imports ?? []) byImport.set(name, entry);
    const ordered: LockPackage[] = [];
    const seen = new Set<string>();
    const visit = (entry: LockPackage) => {
      if (seen.has(entry.name)) return;
      seen.add(entry.name);
      for (const dependency of entry.depends ?? []) {
        const found = lock.packages[dependency] ?? lock.packages[dependency.toLowerCase()];
        if (found) visit(found);
      }
      ordered.push(entry);
    };
    const unknown: string[] = [];
    for (const module of modules) {
      const entry = byImport.get(module) ?? lock.packages[module];
      if (entry) visit(entry);
      else unknown.push(module);
    }
    return { packages: ordered, unknown };
  }

  /** The package's file, from the cache or the index (checked against the lock file's sha256). */
  async download(entry: LockPackage): Promise<WheelFile> {
    const fileName = path.basename(entry.file_name);
    const cached = path.join(this.options.cacheDir, `${entry.sha256}-${fileName}`);
    try {
      return { fileName, bytes: new Uint8Array(await readFile(cached)) };
    } catch {
      // not cached yet
    }
    const bytes = await this.fetchBytes(new URL(entry.file_name, this.baseUrl).href);
    const digest = createHash("sha256").update(bytes).digest("hex");
    if (entry.sha256 && digest !== entry.sha256)
      throw new PackageIndexError(
        `${fileName} from ${this.baseUrl} does not match its sha256 in the lock file`,
      );
    await mkdir(this.options.cacheDir, { recursive: true });
    const temporary = `${cached}.${process.pid}.tmp`;
    await writeFile(temporary, bytes);
    await rename(temporary, cached);
    return { fileName, bytes };
  }

  private lockfile(): Promise<Lockfile> {
    if (!this.lock) {
      this.lock = this.fetchBytes(new URL("pyodide-lock.json", this.baseUrl).href).then((bytes) => {
        const parsed = JSON.parse(Buffer.from(bytes).toString("utf8")) as Lockfile;
        if (!parsed || typeof parsed.packages !== "object")
          throw new PackageIndexError(`${this.baseUrl}pyodide-lock.json is not a Pyodide lock file`);
        return parsed;
      });
      // A failed fetch is retried by the next cell, not remembered.
      this.lock.catch(() => {
        this.lock = null;
      });
    }
    return this.lock;
  }

  private async fetchBytes(url: string): Promise<Uint8Array> {
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(this.options.timeoutMs) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why =
        (error as Error).name === "TimeoutError"
          ? `no answer within ${this.options.timeoutMs} ms`
          : (cause?.code ?? cause?.message ?? (error as Error).message);
      throw new PackageIndexError(`the package index ${this.baseUrl} could not be reached (${why})`);
    }
    if (!response.ok) throw new PackageIndexError(`the package index answered ${response.status} for ${url}`);
    return new Uint8Array(await response.arrayBuffer());
  }
}
