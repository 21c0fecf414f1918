// Deployment configuration: defaults, overrides and refusals, before any stack is synthesized.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { loadDeploymentConfig } from "../src/index.js";

test("defaults describe a two-instance deployment in us-east-1", () => {
  const config = loadDeploymentConfig({});
  assert.equal(config.region, "us-east-1");
  assert.equal(config.service.desiredCount, 2);
  assert.equal(config.service.cpu, 1024);
  assert.equal(config.apiDomain, undefined);
});

test("overrides are read from the environment", () => {
  const config = loadDeploymentConfig({
    RN_INFRA_NAME: "rn-prod",
    RN_INFRA_REGION: "eu-west-1",
    RN_INFRA_API_DOMAIN: "api.example.com",
    RN_INFRA_API_CERTIFICATE_ARN:
      "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-0000-1111-2222-333344445555",
    RN_INFRA_DESIRED_COUNT: "3",
  });
  assert.equal(config.name, "rn-prod");
  assert.equal(config.region, "eu-west-1");
  assert.equal(config.service.desiredCount, 3);
  assert.equal(config.service.maxCount, 4);
});

for (const [env, message] of [
  [{ RN_INFRA_REGION: "mars-1" }, /RN_INFRA_REGION/],
  [{ RN_INFRA_CPU: "300" }, /RN_INFRA_CPU must be one of/],
  [{ RN_INFRA_NAME: "Bad Name" }, /RN_INFRA_NAME/],
  [{ RN_INFRA_DESIRED_COUNT: "5", RN_INFRA_MAX_COUNT: "2" }, /MAX_COUNT must be at least/],
  [
    { RN_INFRA_SITE_CERTIFICATE_ARN: "arn:aws:acm:us-east-1:123456789012:certificate/abc" },
    /RN_INFRA_SITE_DOMAIN is not/,
  ],
  [
    { RN_INFRA_API_DOMAIN: "a.example.com", RN_INFRA_API_CERTIFICATE_ARN: "nope" },
    /not an ACM certificate ARN/,
  ],
  [
    {
      RN_INFRA_SITE_DOMAIN: "notebooks.example.com",
      RN_INFRA_SITE_CERTIFICATE_ARN: "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-0000",
    },
    /must be a certificate in us-east-1/,
  ],
  [{ RN_INFRA_IDLE_TIMEOUT_S: "60" }, /RN_INFRA_IDLE_TIMEOUT_S/],
  [{ RN_INFRA_MIN_COUNT: "3", RN_INFRA_DESIRED_COUNT: "2" }, /MIN_COUNT must be at most/],
  [{ RN_INFRA_CLERK_SECRET_KEY: "sk_live_abc" }, /secrets go to Secrets Manager/],
  [{ RN_INFRA_CLERK_PUBLISHABLE_KEY: "sk_live_abc" }, /must start with pk_test_ or pk_live_/],
  [{ RN_INFRA_CLERK_JWT_KEY: "-----BEGIN PRIVATE KEY-----" }, /PEM public key/],
  [{ RN_INFRA_ALLOWED_ORIGINS: "https://ok.example.com,https://x.example.com/path" }, /not an origin/],
  [{ RN_INFRA_VPC_CIDR: "10.0.0.0/24" }, /RN_INFRA_VPC_CIDR/],
  [{ RN_INFRA_NAT_GATEWAYS: "3" }, /RN_INFRA_NAT_GATEWAYS/],
  [{ RN_INFRA_RUN_AS_ROOT: "yes" }, /must be true or false/],
  [{ RN_INFRA_LOG_RETENTION_DAYS: "10" }, /RN_INFRA_LOG_RETENTION_DAYS must be one of/],
  [{ RN_INFRA_DB_ENGINE_VERSION: "12" }, /PostgreSQL 14 or later/],
  [{ RN_INFRA_PYODIDE_INDEX_URL: "http://mirror.example.com/pyodide" }, /https:\/\/ URL ending in \//],
] as const) {
  test(`a bad setting is refused: ${Object.keys(env).join(", ")}`, () => {
    assert.throws(() => loadDeploymentConfig(env), message);
  });
}

test("a JSON file named by RN_INFRA_CONFIG holds the settings; the environment wins over it", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "rn-infra-"));
  try {
    const file = path.join(dir, "prod.json");
    writeFileSync(
      file,
      JSON.stringify({
        RN_INFRA_NAME: "rn-prod",
        RN_INFRA_DESIRED_COUNT: 3,
        RN_INFRA_MAX_COUNT: 8,
        RN_INFRA_RUN_AS_ROOT: true,
        RN_INFRA_SQL_EGRESS_PORTS: "5432,5433",
        RN_INFRA_CLERK_AUTHORIZED_PARTIES: "https://blog.example.org/",
      }),
    );
    const config = loadDeploymentConfig({ RN_INFRA_CONFIG: file, RN_INFRA_MAX_COUNT: "6" });
    assert.equal(config.name, "rn-prod");
    assert.equal(config.service.desiredCount, 3);
    assert.equal(config.service.minCount, 3);
    assert.equal(config.service.maxCount, 6);
    assert.equal(config.service.runAsRoot, true);
    assert.deepEqual(config.service.sqlEgressPorts, [5432, 5433]);
    assert.deepEqual(config.clerk.authorizedParties, ["https://blog.example.org"]);

    writeFileSync(file, JSON.stringify({ CLERK_SECRET_KEY: "sk_live_x" }));
    assert.throws(() => loadDeploymentConfig({ RN_INFRA_CONFIG: file }), /unknown key "CLERK_SECRET_KEY"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("defaults keep the database safe and the service small", () => {
  const config = loadDeploymentConfig({});
  assert.equal(config.database.deletionProtection, true);
  assert.equal(config.database.backupRetentionDays, 7);
  assert.equal(config.service.idleTimeoutSeconds, 300);
  assert.equal(config.service.runAsRoot, false);
  assert.deepEqual(config.service.sqlEgressPorts, [5432]);
  assert.equal(config.state, undefined);
  assert.deepEqual(loadDeploymentConfig({ RN_INFRA_SQL_EGRESS_PORTS: "none" }).service.sqlEgressPorts, []);
});
