// Deployment configuration: defaults, overrides and refusals, before any stack is synthesized.
import assert from "node:assert/strict";
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
] as const) {
  test(`a bad setting is refused: ${Object.keys(env).join(", ")}`, () => {
    assert.throws(() => loadDeploymentConfig(env), message);
  });
}
