/**
 * The `reactive-notebook-mcp` bin's settings: a missing or bad setting — including a token the service
 * refuses or a service that is not there — is one clear line on stderr and exit code 2, before any MCP.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { after, before, test } from "node:test";
import { binJs, type Service, startService } from "./helpers.js";

let dev: Service;
let clerk: Service;
before(async () => {
  dev = await startService({ KERNEL_POOL: "0" });
  const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  clerk = await startService({
    KERNEL_POOL: "0",
    AUTH_MODE: "clerk",
    CLERK_JWT_KEY: publicKey.export({ type: "spki", format: "pem" }).toString(),
    CLERK_AUTHORIZED_PARTIES: "http://127.0.0.1:9",
  });
});
after(async () => {
  await dev?.stop();
  await clerk?.stop();
});

/** Runs the bin with only `env` (and PATH) set, its stdin closed; resolves with its exit code and output. */
function runBin(
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binJs], {
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stderr, stdout }));
  });
}

const cases: { name: string; env: () => Record<string, string>; message: RegExp }[] = [
  {
    name: "no token and no dev user",
    env: () => ({}),
    message:
      /Set REACTIVE_NOTEBOOK_TOKEN \(a bearer token for the service\) or, against a dev-mode service, REACTIVE_NOTEBOOK_DEV_USER/,
  },
  {
    name: "both a token and a dev user",
    env: () => ({ REACTIVE_NOTEBOOK_TOKEN: "t", REACTIVE_NOTEBOOK_DEV_USER: "alice" }),
    message: /Set REACTIVE_NOTEBOOK_TOKEN or REACTIVE_NOTEBOOK_DEV_USER, not both\./,
  },
  {
    name: "a URL that is not one",
    env: () => ({ REACTIVE_NOTEBOOK_URL: "notebooks here", REACTIVE_NOTEBOOK_DEV_USER: "alice" }),
    message: /REACTIVE_NOTEBOOK_URL is not a URL: "notebooks here"/,
  },
  {
    name: "a URL of another scheme",
    env: () => ({ REACTIVE_NOTEBOOK_URL: "ftp://127.0.0.1/", REACTIVE_NOTEBOOK_DEV_USER: "alice" }),
    message: /REACTIVE_NOTEBOOK_URL must be an http:\/\/ or https:\/\/ URL, not ftp:\/\//,
  },
  {
    name: "a service that is not there",
    env: () => ({ REACTIVE_NOTEBOOK_URL: "http://127.0.0.1:9", REACTIVE_NOTEBOOK_DEV_USER: "alice" }),
    message:
      /Cannot reach the notebook service \(REACTIVE_NOTEBOOK_URL\): Could not reach the notebook service at http:\/\/127\.0\.0\.1:9/,
  },
  {
    name: "a token the service refuses",
    env: () => ({ REACTIVE_NOTEBOOK_URL: dev.url, REACTIVE_NOTEBOOK_TOKEN: "not.a.jwt" }),
    message: /REACTIVE_NOTEBOOK_TOKEN was refused by http:\/\/127\.0\.0\.1:\d+: /,
  },
  {
    name: "a dev user id the service refuses",
    env: () => ({ REACTIVE_NOTEBOOK_URL: dev.url, REACTIVE_NOTEBOOK_DEV_USER: "no spaces allowed" }),
    message: /REACTIVE_NOTEBOOK_DEV_USER was refused by http:\/\/127\.0\.0\.1:\d+: Invalid body: \/userId/,
  },
  {
    name: "a dev user against a service in Clerk mode",
    env: () => ({ REACTIVE_NOTEBOOK_URL: clerk.url, REACTIVE_NOTEBOOK_DEV_USER: "alice" }),
    message:
      /does not run in dev auth mode, so REACTIVE_NOTEBOOK_DEV_USER cannot get a token there; set REACTIVE_NOTEBOOK_TOKEN instead\./,
  },
];

for (const { name, env, message } of cases) {
  test(`settings: ${name} is one line on stderr and exit code 2`, async () => {
    const { code, stderr, stdout } = await runBin(env());
    assert.equal(code, 2, stderr);
    assert.equal(stdout, "", "nothing reaches stdout, which belongs to MCP");
    assert.match(stderr, /^reactive-notebook-mcp: [^\n]+\n$/);
    assert.match(stderr, message);
  });
}
