// No orphans: when the server dies — killed, no chance to clean up — its sample database processes die
// too, even while PostgreSQL is spinning on a statement: by the parent-death signal where the machine
// allows (setpriv), and by the instance's watchdog thread everywhere.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const SERVER = fileURLToPath(new URL("./helpers/sample-server.js", import.meta.url));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function orphanCheck(layers: "os" | "none"): Promise<void> {
  const server = spawn(process.execPath, [SERVER, layers], { stdio: ["ignore", "pipe", "inherit"] });
  const pid = await new Promise<number>((resolve, reject) => {
    let out = "";
    server.stdout.setEncoding("utf8");
    server.stdout.on("data", (chunk: string) => {
      out += chunk;
      const line = /^(\d+)\n/.exec(out)?.[1];
      if (line) resolve(Number(line));
    });
    server.on("exit", (code) => reject(new Error(`the stand-in server exited (${code}) before starting`)));
  });
  assert.ok(alive(pid), "the instance runs");
  // Let the instance pick up its statement, so it is spinning when the server dies.
  await new Promise((resolve) => setTimeout(resolve, 500));
  server.kill("SIGKILL");
  const deadline = Date.now() + 60_000;
  while (alive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, "SIGKILL");
      assert.fail(`sample database process ${pid} outlived its server`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test("a sample database process dies with its killed server (parent-death signal and watchdog)", async (t) => {
  if (process.platform !== "linux" || process.getuid?.() !== 0) return t.skip("setpriv needs Linux and root");
  await orphanCheck("os");
});

test("a sample database process dies with its killed server (its watchdog thread alone)", async () => {
  await orphanCheck("none");
});
