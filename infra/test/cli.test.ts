// `npm run synth`: the app writes plain Terraform JSON to its output folder, offline, and refuses a bad
// configuration with one line naming the variable.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const MAIN = fileURLToPath(new URL("../src/main.js", import.meta.url));

function synth(env: Record<string, string>) {
  return spawnSync(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
}

test("synth writes cdk.tf.json for the configured stack", () => {
  const out = mkdtempSync(path.join(tmpdir(), "rn-synth-"));
  try {
    const run = synth({
      RN_INFRA_OUT_DIR: out,
      RN_INFRA_NAME: "rn-staging",
      RN_INFRA_REGION: "eu-central-1",
    });
    assert.equal(run.status, 0, run.stderr);
    const file = path.join(out, "stacks", "rn-staging", "cdk.tf.json");
    assert.ok(existsSync(file));
    const json = JSON.parse(readFileSync(file, "utf8")) as { provider: { aws: { region: string }[] } };
    assert.equal(json.provider.aws[0]?.region, "eu-central-1");
    assert.ok(existsSync(path.join(out, "manifest.json")));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test("synth refuses a bad setting with one line", () => {
  const out = mkdtempSync(path.join(tmpdir(), "rn-synth-"));
  try {
    const run = synth({ RN_INFRA_OUT_DIR: out, RN_INFRA_CPU: "300" });
    assert.equal(run.status, 1);
    assert.equal(run.stderr.trim().split("\n").length, 1);
    assert.match(run.stderr, /RN_INFRA_CPU must be one of/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
