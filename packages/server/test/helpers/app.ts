// Builds the real app for a test on a fresh data directory, closed when the test ends.
import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestContext } from "node:test";
import type { FastifyInstance } from "fastify";
import { type BuildAppOptions, buildApp } from "../../src/app.js";
import { type Config, loadConfig } from "../../src/config/index.js";
import { TEST_SNAPSHOT_DIR } from "./snapshots.js";

export type Env = Record<string, string | undefined>;

let devKeyPem: string | undefined;

/**
 * A config from `env` with a fresh DATA_DIR and no kernel pool. The data directory comes with a dev signing
 * key generated once per test process (RSA key generation is most of an app's start-up time); pass
 * `seedDevKey: false` to let the server create its own.
 */
export function testConfig(env: Env = {}, { seedDevKey = true } = {}): Config {
  const dataDir = mkdtempSync(path.join(tmpdir(), "rn-test-"));
  if (seedDevKey) {
    devKeyPem ??= generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    }).privateKey;
    mkdirSync(path.join(dataDir, "dev-keys"), { mode: 0o700 });
    writeFileSync(path.join(dataDir, "dev-keys", "signing-key.pem"), devKeyPem, { mode: 0o600 });
  }
  return loadConfig({ DATA_DIR: dataDir, SNAPSHOT_DIR: TEST_SNAPSHOT_DIR, KERNEL_POOL: "0", ...env });
}

/** The app for `env` (dev auth unless Clerk keys are given), quiet, closed after the test. */
export async function testApp(
  t: Pick<TestContext, "after">,
  env: Env = {},
  options: BuildAppOptions = {},
): Promise<FastifyInstance> {
  const app = await buildApp(testConfig(env), { logger: false, ...options });
  t.after(() => app.close());
  return app;
}

/** Listens on a free port; returns the base URL (http://127.0.0.1:port). */
export async function listen(app: FastifyInstance): Promise<string> {
  return app.listen({ host: "127.0.0.1", port: 0 });
}
