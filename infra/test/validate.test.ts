// `terraform validate` over the synthesized JSON, when a Terraform binary and a local copy of the AWS
// provider are at hand (no registry access needed). It checks every resource's arguments against the
// provider's schema. The provider copy may be another major version than the one cdktf pins: the pin is
// rewritten to the local version, so this checks names and types, not version-specific details.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { CERTIFICATE, synthesize } from "./synth.js";

/** A filesystem mirror holding registry.terraform.io/hashicorp/aws/<version>/. */
const MIRROR = process.env.RN_INFRA_TF_PLUGIN_DIR ?? "/opt/tf-plugins";
const AWS_DIR = path.join(MIRROR, "registry.terraform.io/hashicorp/aws");
const terraform = spawnSync("terraform", ["version"], { encoding: "utf8" });
const version = existsSync(AWS_DIR) ? readdirSync(AWS_DIR).sort().at(-1) : undefined;
const skip =
  terraform.status !== 0
    ? "no terraform binary on PATH"
    : version === undefined
      ? `no AWS provider under ${AWS_DIR} (set RN_INFRA_TF_PLUGIN_DIR)`
      : false;

function validate(env: Record<string, string>): string {
  const json = synthesize(env).json as unknown as { terraform: Record<string, unknown> };
  const providers = json.terraform.required_providers as { aws: { version: string } };
  providers.aws.version = version as string;
  delete json.terraform.backend;
  const dir = mkdtempSync(path.join(tmpdir(), "rn-validate-"));
  try {
    writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify(json));
    writeFileSync(
      path.join(dir, "cli.tfrc"),
      `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(MIRROR)}\n  }\n}\n`,
    );
    const run = (...args: string[]) =>
      spawnSync("terraform", [`-chdir=${dir}`, ...args], {
        encoding: "utf8",
        timeout: 120_000,
        env: {
          ...process.env,
          TF_CLI_CONFIG_FILE: path.join(dir, "cli.tfrc"),
          TF_IN_AUTOMATION: "1",
          NO_COLOR: "1",
        },
      });
    const init = run("init", "-backend=false", "-input=false", "-no-color");
    assert.equal(init.status, 0, init.stderr + init.stdout);
    const result = run("validate", "-no-color");
    assert.equal(result.status, 0, result.stderr + result.stdout);
    return result.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("terraform accepts the default stack", { skip, timeout: 180_000 }, () => {
  assert.match(validate({}), /The configuration is valid/);
});

test("terraform accepts the stack with custom domains, certificates and replicas", {
  skip,
  timeout: 180_000,
}, () => {
  const output = validate({
    RN_INFRA_API_DOMAIN: "api.notebooks.example.com",
    RN_INFRA_API_CERTIFICATE_ARN: CERTIFICATE,
    RN_INFRA_SITE_DOMAIN: "notebooks.example.com",
    RN_INFRA_SITE_CERTIFICATE_ARN: CERTIFICATE,
    RN_INFRA_NAT_GATEWAYS: "2",
    RN_INFRA_REDIS_NODES: "2",
    RN_INFRA_RUN_AS_ROOT: "true",
    RN_INFRA_SQL_EGRESS_PORTS: "none",
  });
  assert.match(output, /The configuration is valid/);
});
