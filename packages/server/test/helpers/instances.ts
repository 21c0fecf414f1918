// Real service instances for the multi-instance tests: each is the built server (dist/src/main.js) as its
// own process on a free loopback port, so a test can SIGKILL, SIGSTOP or SIGTERM one like an operator would.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { TEST_SNAPSHOT_DIR } from "./snapshots.js";

const MAIN = fileURLToPath(new URL("../../src/main.js", import.meta.url));

export interface Instance {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  process: ChildProcess;
  /** What the process printed (stdout and stderr), for failure messages. */
  output(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<number | string>;
  /** SIGKILL unless it already ended. */
  kill(): void;
}

/**
 * Starts an instance with `env` (on top of a minimal environment) and resolves once it listens. `nodeArgs`
 * go to Node before the script (a benchmark profiling the server passes `--cpu-prof`).
 */
export async function startInstance(env: Record<string, string>, nodeArgs: string[] = []): Promise<Instance> {
  const child = spawn(process.execPath, [...nodeArgs, MAIN], {
    env: {
      PATH: process.env.PATH,
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      SNAPSHOT_DIR: TEST_SNAPSHOT_DIR,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk;
  });
  const exited = new Promise<number | string>((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown")),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the instance did not listen within 60 s:\n${output}`)),
      60_000,
    );
    const check = () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        child.stdout?.off("data", check);
        resolve(match[1]);
      }
    };
    child.stdout?.on("data", check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the instance exited (${code}) before listening:\n${output}`));
    });
  });
  return {
    url,
    process: child,
    output: () => output,
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}
