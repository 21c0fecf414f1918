// Reads the service configuration from the environment (DESIGN.md's table), validating every value
// at start so a bad setting stops the server with one clear line naming the variable.
import os from "node:os";
import path from "node:path";

export type AuthMode = "dev" | "clerk";

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** Where the kernel and sample-database snapshots are cached (SNAPSHOT_DIR, default DATA_DIR). */
  snapshotDir: string;
  production: boolean;
  auth: {
    mode: AuthMode;
    clerkSecretKey?: string;
    clerkJwtKey?: string;
    clerkAuthorizedParties: string[];
    clerkPublishableKey?: string;
  };
  databaseUrl?: string;
  redisUrl?: string;
  /** Prefix of every Redis key and channel this service uses (several deployments may share one Redis). */
  redisKeyPrefix: string;
  /** With Redis: how long a notebook's kernel lease lives unless renewed (renewed every third of it). */
  leaseTtlMs: number;
  notebookSecretKey?: string;
  allowedOrigins: string[];
  sqlAllowedHosts: "any" | "public" | string[];
  sql: {
    /** Statement timeout of SQL cells (PostgreSQL's statement_timeout; the sample database is stopped). */
    timeoutMs: number;
    /** Rows of a result shown in the table output (rowCount stays exact). */
    maxRowsShown: number;
    /** Rows a named SQL cell may bind into Python; a bigger result is a cell error asking for a LIMIT. */
    maxRowsBound: number;
    /** Bytes one cell's result may take: what a server sends, or the sample database's kept rows. */
    maxResultBytes: number;
    /** The built-in sample database: one instance per user, `instances` at most, stopped when idle. */
    sample: { instances: number; idleMs: number; memoryMb: number };
  };
  pyodideIndexUrl: string;
  kernel: {
    cellTimeoutMs: number;
    memoryMb: number;
    max: number;
    /** Kernels one user may hold; past it their least recently used idle kernel is stopped. */
    maxPerUser: number;
    idleMs: number;
    pool: number;
    /** Most python cells of a run sent to the kernel in one message (1: each alone). */
    batchCells: number;
  };
  logLevel: string;
}

/** Thrown for an invalid environment value; `message` is the one line the operator sees. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`Invalid configuration: ${variable} ${detail}`);
    this.name = "ConfigError";
  }
}

/**
 * What one kernel is counted at when KERNEL_MAX is derived from memory: an idle kernel's resident memory
 * (issue #20's target; `npm run bench -- e2e` measures it) plus, on average, a sixth of its Python heap limit
 * in use. Kernels sit idle most of the time (their user reads or types), so counting each at its full limit
 * would leave most of the machine unused; a kernel that grows is still stopped at its own limit, and at
 * KERNEL_MAX the least recently used idle kernel makes room.
 */
export const IDLE_KERNEL_MB = 120;
/** Memory kept for the server process, the analysis kernel and the warm pool before kernels are counted. */
export const SERVICE_RESERVE_MB = 800;
/** Memory kept for each instance of the built-in sample database (SQL_SAMPLE_INSTANCES). */
export const SAMPLE_INSTANCE_MB = 350;

/** The memory this process may use: the machine's, or its container's limit (cgroup) when that is lower. */
export function availableMemoryBytes(): number {
  const total = os.totalmem();
  // Without a limit the cgroup reports "max" (a huge number) and older Node versions 0.
  const constrained = process.constrainedMemory?.() ?? 0;
  return constrained > 0 && constrained < total ? constrained : total;
}

/** KERNEL_MAX when it is not set: as many kernels as `memoryBytes` holds after the service's own reserve. */
export function defaultKernelMax(
  memoryBytes: number,
  kernelMemoryMb: number,
  sampleInstances: number,
): number {
  const usableMb = memoryBytes / (1024 * 1024) - SERVICE_RESERVE_MB - sampleInstances * SAMPLE_INSTANCE_MB;
  const perKernelMb = IDLE_KERNEL_MB + kernelMemoryMb / 6;
  return Math.min(10_000, Math.max(1, Math.floor(usableMb / perKernelMb)));
}

export const DEFAULT_PYODIDE_INDEX_URL = "https://cdn.jsdelivr.net/pyodide/v0.29.5/full/";
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

type Env = Record<string, string | undefined>;

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function list(env: Env, name: string): string[] | undefined {
  const raw = text(env, name);
  if (raw === undefined) return undefined;
  return raw
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = text(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, "is not a valid URL");
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(" or ")} (got ${parsed.protocol})`);
  }
  return raw;
}

function origins(env: Env, name: string, fallback: string[]): string[] {
  const items = list(env, name) ?? fallback;
  for (const origin of items) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.origin !== origin.replace(/\/$/, "")) {
      throw new ConfigError(name, `has "${origin}", which is not an origin like https://app.example.com`);
    }
  }
  return items.map((origin) => origin.replace(/\/$/, ""));
}

/**
 * Builds a validated Config from `env` (defaults to process.env); `memoryBytes` (this machine's, by default)
 * sizes KERNEL_MAX when it is not set. Throws ConfigError on the first bad value.
 */
export function loadConfig(
  env: Env = process.env,
  cwd = process.cwd(),
  memoryBytes = availableMemoryBytes(),
): Config {
  const production = env.NODE_ENV === "production";
  const host = text(env, "HOST") ?? "127.0.0.1";
  const port = integer(env, "PORT", 8080, 0, 65535);
  const dataDir = path.resolve(cwd, text(env, "DATA_DIR") ?? "./data");
  const snapshotDir = path.resolve(cwd, text(env, "SNAPSHOT_DIR") ?? dataDir);

  const clerkSecretKey = text(env, "CLERK_SECRET_KEY");
  const clerkJwtKey = text(env, "CLERK_JWT_KEY")?.replace(/\\n/g, "\n");
  const clerkPublishableKey = text(env, "CLERK_PUBLISHABLE_KEY");
  if (clerkSecretKey && !/^sk_(test|live)_/.test(clerkSecretKey)) {
    throw new ConfigError("CLERK_SECRET_KEY", "must start with sk_test_ or sk_live_");
  }
  if (clerkPublishableKey && !/^pk_(test|live)_/.test(clerkPublishableKey)) {
    throw new ConfigError("CLERK_PUBLISHABLE_KEY", "must start with pk_test_ or pk_live_");
  }
  if (clerkJwtKey && !clerkJwtKey.includes("-----BEGIN PUBLIC KEY-----")) {
    throw new ConfigError("CLERK_JWT_KEY", "must be a PEM public key (-----BEGIN PUBLIC KEY-----)");
  }
  const rawMode = text(env, "AUTH_MODE");
  if (rawMode !== undefined && rawMode !== "dev" && rawMode !== "clerk") {
    throw new ConfigError("AUTH_MODE", `must be "dev" or "clerk", got "${rawMode}"`);
  }
  const mode: AuthMode = rawMode ?? (clerkSecretKey || clerkJwtKey ? "clerk" : "dev");
  if (mode === "dev" && production) {
    throw new ConfigError(
      "AUTH_MODE",
      "is dev (the default without Clerk keys), which is refused when NODE_ENV=production; set CLERK_SECRET_KEY or CLERK_JWT_KEY",
    );
  }
  if (mode === "clerk" && !clerkSecretKey && !clerkJwtKey) {
    throw new ConfigError("AUTH_MODE", "is clerk but neither CLERK_SECRET_KEY nor CLERK_JWT_KEY is set");
  }
  const clerkAuthorizedParties = origins(env, "CLERK_AUTHORIZED_PARTIES", []);
  if (mode === "clerk" && clerkAuthorizedParties.length === 0) {
    throw new ConfigError(
      "CLERK_AUTHORIZED_PARTIES",
      "must list the origins allowed to use Clerk tokens (checked against azp)",
    );
  }

  const notebookSecretKey = text(env, "NOTEBOOK_SECRET_KEY");
  if (notebookSecretKey !== undefined && !/^[0-9a-fA-F]{64}$/.test(notebookSecretKey)) {
    throw new ConfigError("NOTEBOOK_SECRET_KEY", "must be 64 hex characters (a 256-bit key)");
  }
  if (production && notebookSecretKey === undefined) {
    throw new ConfigError("NOTEBOOK_SECRET_KEY", "is required when NODE_ENV=production");
  }

  const sqlHosts = list(env, "SQL_ALLOWED_HOSTS");
  const sqlAllowedHosts: Config["sqlAllowedHosts"] =
    sqlHosts === undefined
      ? production
        ? "public"
        : "any"
      : sqlHosts.length === 1 && sqlHosts[0] === "public"
        ? "public"
        : sqlHosts.length === 1 && sqlHosts[0] === "*"
          ? "any"
          : sqlHosts;

  const logLevel = text(env, "LOG_LEVEL") ?? "info";
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError("LOG_LEVEL", `must be one of ${LOG_LEVELS.join(", ")}`);
  }

  const sampleInstances = integer(env, "SQL_SAMPLE_INSTANCES", 4, 1, 256);
  const kernelMemoryMb = integer(env, "KERNEL_MEMORY_MB", 512, 64, 65_536);
  return {
    host,
    port,
    dataDir,
    snapshotDir,
    production,
    auth: { mode, clerkSecretKey, clerkJwtKey, clerkAuthorizedParties, clerkPublishableKey },
    databaseUrl: url(env, "DATABASE_URL", ["postgres:", "postgresql:"]),
    redisUrl: url(env, "REDIS_URL", ["redis:", "rediss:"]),
    redisKeyPrefix: redisKeyPrefix(env),
    leaseTtlMs: integer(env, "KERNEL_LEASE_TTL_MS", 6_000, 1_000, 10_000),
    notebookSecretKey,
    allowedOrigins: origins(env, "ALLOWED_ORIGINS", [`http://127.0.0.1:${port}`, `http://localhost:${port}`]),
    sqlAllowedHosts,
    sql: {
      timeoutMs: integer(env, "SQL_TIMEOUT_MS", 30_000, 100, 24 * 3600_000),
      maxRowsShown: integer(env, "SQL_MAX_ROWS_SHOWN", 1_000, 1, 100_000),
      maxRowsBound: integer(env, "SQL_MAX_ROWS_BOUND", 100_000, 1, 10_000_000),
      maxResultBytes: integer(env, "SQL_MAX_RESULT_MB", 32, 1, 1024) * 1024 * 1024,
      sample: {
        instances: sampleInstances,
        idleMs: integer(env, "SQL_SAMPLE_IDLE_MS", 300_000, 1_000, 7 * 24 * 3600_000),
        memoryMb: integer(env, "SQL_SAMPLE_MEMORY_MB", 1024, 512, 65_536),
      },
    },
    pyodideIndexUrl: url(env, "PYODIDE_INDEX_URL", ["http:", "https:"]) ?? DEFAULT_PYODIDE_INDEX_URL,
    kernel: {
      cellTimeoutMs: integer(env, "KERNEL_CELL_TIMEOUT_MS", 60_000, 100, 24 * 3600_000),
      memoryMb: kernelMemoryMb,
      max: integer(
        env,
        "KERNEL_MAX",
        defaultKernelMax(memoryBytes, kernelMemoryMb, sampleInstances),
        1,
        10_000,
      ),
      maxPerUser: integer(env, "KERNEL_MAX_PER_USER", 4, 1, 10_000),
      idleMs: integer(env, "KERNEL_IDLE_MS", 900_000, 1_000, 7 * 24 * 3600_000),
      pool: integer(env, "KERNEL_POOL", 1, 0, 64),
      batchCells: integer(env, "KERNEL_BATCH_CELLS", 128, 1, 1000),
    },
    logLevel,
  };
}

function redisKeyPrefix(env: Env): string {
  const prefix = text(env, "REDIS_KEY_PREFIX") ?? "rn:";
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(prefix)) {
    throw new ConfigError("REDIS_KEY_PREFIX", "must be 1–64 characters of A–Z, a–z, 0–9, _ . : -");
  }
  return prefix;
}

/** One line per part saying which mode it runs in; printed by main.ts at start. */
export function describeModes(config: Config): string[] {
  return [
    `auth:     ${config.auth.mode === "clerk" ? `clerk (authorized parties: ${config.auth.clerkAuthorizedParties.join(", ")})` : "dev (local RS256 issuer; POST /api/v1/dev/token)"}`,
    `storage:  ${config.databaseUrl ? `postgresql (${redactUrl(config.databaseUrl)})` : `sqlite (${path.join(config.dataDir, "notebooks.sqlite")})`}`,
    `events:   ${config.redisUrl ? `redis pub/sub (${redactUrl(config.redisUrl)}, keys ${config.redisKeyPrefix}*); kernel leases of ${config.leaseTtlMs} ms` : "in-process (single instance)"}`,
    `sql:      connection strings accepted (hosts: ${Array.isArray(config.sqlAllowedHosts) ? config.sqlAllowedHosts.join(", ") : config.sqlAllowedHosts}); no connection: built-in sample database (PGlite, one instance per user, at most ${config.sql.sample.instances}, ${config.sql.sample.memoryMb} MB each, stopped after ${Math.round(config.sql.sample.idleMs / 1000)} s idle); statement timeout ${config.sql.timeoutMs} ms`,
    `kernels:  pyodide in sandboxed processes (pool ${config.kernel.pool}, max ${config.kernel.max}, ${config.kernel.maxPerUser} per user, cell limit ${config.kernel.cellTimeoutMs} ms, ${config.kernel.memoryMb} MB); packages from ${config.pyodideIndexUrl}`,
  ];
}

/** A URL with its password replaced, safe for logs. */
export function redactUrl(value: string): string {
  try {
    const parsed = new URL(value);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}
