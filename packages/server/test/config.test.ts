// Configuration: every variable of DESIGN.md's table is read, defaulted and validated with a clear message.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { totalmem } from "node:os";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { ConfigError, loadConfig } from "../src/config/index.js";

const GiB = 1024 ** 3;

test("the embedded defaults need no environment at all", () => {
  const config = loadConfig({}, "/srv/app", 24 * GiB);
  assert.equal(config.host, "127.0.0.1");
  assert.equal(config.port, 8080);
  assert.equal(config.dataDir, "/srv/app/data");
  assert.equal(config.snapshotDir, "/srv/app/data", "snapshots are cached in DATA_DIR by default");
  assert.equal(config.auth.mode, "dev");
  assert.equal(config.databaseUrl, undefined);
  assert.deepEqual(config.allowedOrigins, ["http://127.0.0.1:8080", "http://localhost:8080"]);
  assert.equal(config.sqlAllowedHosts, "any");
  assert.deepEqual(config.kernel, {
    cellTimeoutMs: 60000,
    memoryMb: 512,
    max: 108,
    maxPerUser: 4,
    idleMs: 900000,
    pool: 1,
    batchCells: 128,
  });
});

test("SNAPSHOT_DIR moves the snapshot cache out of DATA_DIR", () => {
  const config = loadConfig({ DATA_DIR: "/var/rn", SNAPSHOT_DIR: "cache" }, "/srv/app", 24 * GiB);
  assert.equal(config.dataDir, "/var/rn");
  assert.equal(config.snapshotDir, "/srv/app/cache");
});

test("the SQL settings: limits and the sample database's instances, from the environment or their defaults", () => {
  assert.deepEqual(loadConfig({}).sql, {
    timeoutMs: 30_000,
    maxRowsShown: 1_000,
    maxRowsBound: 100_000,
    maxResultBytes: 32 * 1024 * 1024,
    sample: { instances: 4, idleMs: 300_000, memoryMb: 1024 },
  });
  const set = loadConfig({
    SQL_MAX_RESULT_MB: "8",
    SQL_SAMPLE_INSTANCES: "12",
    SQL_SAMPLE_IDLE_MS: "60000",
    SQL_SAMPLE_MEMORY_MB: "2048",
  }).sql;
  assert.equal(set.maxResultBytes, 8 * 1024 * 1024);
  assert.deepEqual(set.sample, { instances: 12, idleMs: 60_000, memoryMb: 2048 });
});

// Each kernel is counted at 120 MB (an idle kernel) plus a sixth of KERNEL_MEMORY_MB, after 800 MB for the
// service itself and 350 MB for each sample database instance.
const kernelMax: [string, number, Record<string, string>, number][] = [
  ["a 24 GiB machine holds 100 kernels and more", 24 * GiB, {}, 108],
  ["this kind of machine (24,683,652 kB of RAM)", 24_683_652 * 1024, {}, 106],
  ["a 4 GiB container", 4 * GiB, {}, 9],
  ["bigger kernels, fewer of them", 24 * GiB, { KERNEL_MEMORY_MB: "2048" }, 48],
  ["smaller kernels, more of them", 24 * GiB, { KERNEL_MEMORY_MB: "256" }, 137],
  [
    "fewer sample database instances leave room for more kernels",
    24 * GiB,
    { SQL_SAMPLE_INSTANCES: "1" },
    114,
  ],
  ["a machine too small for the reserve still runs one kernel", 1 * GiB, {}, 1],
  ["KERNEL_MAX when set wins over memory", 24 * GiB, { KERNEL_MAX: "7" }, 7],
  ["KERNEL_MAX may be set past what memory holds", 1 * GiB, { KERNEL_MAX: "50" }, 50],
];
for (const [name, memory, env, expected] of kernelMax) {
  test(`KERNEL_MAX defaults to what memory holds: ${name}`, () => {
    assert.equal(loadConfig(env, "/srv/app", memory).kernel.max, expected);
  });
}

test("without a memory given, KERNEL_MAX is sized from this machine's (or its container's) memory", () => {
  const memory = Math.min(totalmem(), process.constrainedMemory?.() || Number.POSITIVE_INFINITY);
  assert.equal(loadConfig({}).kernel.max, loadConfig({}, "/srv/app", memory).kernel.max);
});

test("Clerk keys switch auth to clerk mode", () => {
  const config = loadConfig({
    CLERK_JWT_KEY: "-----BEGIN PUBLIC KEY-----\\nabc\\n-----END PUBLIC KEY-----",
    CLERK_AUTHORIZED_PARTIES: "https://app.example.com, https://demo.example.com/",
  });
  assert.equal(config.auth.mode, "clerk");
  assert.deepEqual(config.auth.clerkAuthorizedParties, [
    "https://app.example.com",
    "https://demo.example.com",
  ]);
  assert.match(config.auth.clerkJwtKey ?? "", /\nabc\n/);
});

const rejected: [string, Record<string, string>, RegExp][] = [
  ["PORT=abc", { PORT: "abc" }, /^Invalid configuration: PORT must be a whole number, got "abc"$/],
  ["PORT out of range", { PORT: "70000" }, /PORT must be between 0 and 65535/],
  [
    "dev auth in production",
    { AUTH_MODE: "dev", NODE_ENV: "production", NOTEBOOK_SECRET_KEY: "a".repeat(64) },
    /AUTH_MODE .*refused when NODE_ENV=production/,
  ],
  ["default dev auth in production", { NODE_ENV: "production" }, /AUTH_MODE/],
  ["unknown auth mode", { AUTH_MODE: "magic" }, /AUTH_MODE must be "dev" or "clerk"/],
  ["clerk without keys", { AUTH_MODE: "clerk" }, /neither CLERK_SECRET_KEY nor CLERK_JWT_KEY/],
  [
    "clerk without authorized parties",
    { CLERK_SECRET_KEY: "sk_test_abc" },
    /CLERK_AUTHORIZED_PARTIES must list/,
  ],
  ["malformed secret key", { CLERK_SECRET_KEY: "abc" }, /CLERK_SECRET_KEY must start with sk_/],
  ["JWT key that is not PEM", { CLERK_JWT_KEY: "abc" }, /CLERK_JWT_KEY must be a PEM public key/],
  [
    "DATABASE_URL not postgres",
    { DATABASE_URL: "mysql://x/y" },
    /DATABASE_URL must use postgres: or postgresql:/,
  ],
  ["REDIS_URL not a URL", { REDIS_URL: "::" }, /REDIS_URL is not a valid URL/],
  [
    "no sample database instance",
    { SQL_SAMPLE_INSTANCES: "0" },
    /SQL_SAMPLE_INSTANCES must be between 1 and 256/,
  ],
  [
    "a sample memory limit below its resting size",
    { SQL_SAMPLE_MEMORY_MB: "256" },
    /SQL_SAMPLE_MEMORY_MB must be between 512/,
  ],
  [
    "a result limit that is not a number",
    { SQL_MAX_RESULT_MB: "lots" },
    /SQL_MAX_RESULT_MB must be a whole number/,
  ],
  [
    "bad origin",
    { ALLOWED_ORIGINS: "https://ok.example.com,not-an-origin" },
    /ALLOWED_ORIGINS has "not-an-origin"/,
  ],
  ["origin with a path", { ALLOWED_ORIGINS: "https://ok.example.com/app" }, /ALLOWED_ORIGINS has/],
  ["short secret key", { NOTEBOOK_SECRET_KEY: "abcd" }, /NOTEBOOK_SECRET_KEY must be 64 hex/],
  [
    "kernel timeout not a number",
    { KERNEL_CELL_TIMEOUT_MS: "10s" },
    /KERNEL_CELL_TIMEOUT_MS must be a whole number/,
  ],
  ["kernel pool negative", { KERNEL_POOL: "-1" }, /KERNEL_POOL must be a whole number/],
  ["kernel batch of no cells", { KERNEL_BATCH_CELLS: "0" }, /KERNEL_BATCH_CELLS must be between 1/],
  ["kernel max zero", { KERNEL_MAX: "0" }, /KERNEL_MAX must be between 1/],
  ["kernels per user zero", { KERNEL_MAX_PER_USER: "0" }, /KERNEL_MAX_PER_USER must be between 1/],
  ["log level", { LOG_LEVEL: "loud" }, /LOG_LEVEL must be one of/],
];
for (const [name, env, message] of rejected) {
  test(`a bad value is refused with a message naming the variable: ${name}`, () => {
    assert.throws(
      () => loadConfig(env),
      (error: unknown) => error instanceof ConfigError && message.test(error.message),
    );
  });
}

test("production defaults refuse private SQL hosts", () => {
  const config = loadConfig({
    NODE_ENV: "production",
    CLERK_SECRET_KEY: "sk_live_x",
    CLERK_AUTHORIZED_PARTIES: "https://a.example.com",
    NOTEBOOK_SECRET_KEY: "0".repeat(64),
  });
  assert.equal(config.sqlAllowedHosts, "public");
});

const main = fileURLToPath(new URL("../src/main.js", import.meta.url));
for (const [env, variable] of [
  [{ PORT: "abc" }, "PORT"],
  [{ AUTH_MODE: "dev", NODE_ENV: "production" }, "AUTH_MODE"],
] as const) {
  test(`the server refuses to start with one clear line when ${variable} is bad`, () => {
    const run = spawnSync(process.execPath, [main], {
      env: { PATH: process.env.PATH, ...env },
      encoding: "utf8",
      timeout: 20_000,
    });
    assert.equal(run.status, 78);
    const lines = run.stderr.trim().split("\n");
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0] ?? "", new RegExp(`^Invalid configuration: ${variable} `));
  });
}
