/**
 * The real notebook service for the session tests: built from the workspace, started as a child process on
 * a fresh DATA_DIR (dev auth unless `env` says otherwise, one warm kernel), restartable on the same port and data, plus helpers that
 * mint dev tokens with any lifetime and record the frames a session sends.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createPrivateKey, createSign } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import WebSocket from "ws";
import type { WebSocketConstructor } from "../src/index.js";

/** The repository root, from packages/sdk/dist/test. */
export const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const mainJs = path.join(repoRoot, "packages/server/dist/src/main.js");

export interface RealServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  dataDir: string;
  /** Stops the process (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port and DATA_DIR. */
  start(): Promise<void>;
  /** Stops it and removes its DATA_DIR. */
  dispose(): Promise<void>;
}

/** Builds protocol and server (incremental, so cheap when up to date) and starts the service with `env` added. */
export async function startRealServer(env: Record<string, string> = {}): Promise<RealServer> {
  await promisify(execFile)(
    "npm",
    ["run", "build", "--silent", "-w", "@reactive-notebook/protocol", "-w", "@reactive-notebook/server"],
    { cwd: repoRoot },
  );
  const dataDir = await mkdtemp(path.join(tmpdir(), "rn-sdk-session-"));
  let port = 0;
  let child: ChildProcess | undefined;
  const start = async () => {
    const started = await spawnServer(dataDir, port, env);
    child = started.child;
    port = Number(new URL(started.url).port);
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGTERM");
    await exited;
  };
  await start();
  return {
    url: `http://127.0.0.1:${port}`,
    dataDir,
    start,
    stop,
    async dispose() {
      await stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function spawnServer(
  dataDir: string,
  port: number,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [mainJs], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      // Shared by every test service of the run and kept across runs: snapshots are built once, not per server.
      SNAPSHOT_DIR: process.env.SNAPSHOT_DIR ?? path.join(tmpdir(), "rn-test-snapshots"),
      KERNEL_POOL: "1",
      LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        child.stdout?.off("data", onData);
        resolve(match[1]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk;
    });
    child.once("exit", (code) =>
      reject(new Error(`the server exited (${code}) before listening:\n${output}`)),
    );
  });
  child.stdout?.resume();
  return { child, url };
}

/** A dev-mode token for `userId` living `ttlSeconds`, signed with the server's own dev key (as POST /dev/token does). */
export async function signDevToken(dataDir: string, userId: string, ttlSeconds: number): Promise<string> {
  const key = createPrivateKey(await readFile(path.join(dataDir, "dev-keys", "signing-key.pem"), "utf8"));
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${encode({ alg: "RS256", typ: "JWT" })}.${encode({
    iss: "reactive-notebook-dev",
    sub: userId,
    iat: now,
    nbf: now,
    exp: now + ttlSeconds,
  })}`;
  const signature = createSign("RSA-SHA256").update(unsigned).sign(key).toString("base64url");
  return `${unsigned}.${signature}`;
}

/**
 * A `ws` WebSocket class that records every frame its sockets send and every socket it made (`sockets`, so a
 * test can `pause()` one: it stays open but hears nothing, like a dead network path), and that can refuse
 * to connect while `gate.closed`.
 */
export function recordingWebSocket(): {
  WebSocket: WebSocketConstructor;
  sent: { type: string; [key: string]: unknown }[];
  sockets: WebSocket[];
  gate: { closed: boolean };
} {
  const sent: { type: string; [key: string]: unknown }[] = [];
  const sockets: WebSocket[] = [];
  const gate = { closed: false };
  class RecordingWebSocket extends WebSocket {
    constructor(url: string) {
      // A closed gate points the socket at a port nobody listens on: the attempt fails like a down server.
      super(gate.closed ? "ws://127.0.0.1:9/" : url);
      sockets.push(this);
    }
    override send(data: unknown, ...rest: unknown[]): void {
      sent.push(JSON.parse(String(data)));
      (super.send as (...args: unknown[]) => void)(data, ...rest);
    }
  }
  return { WebSocket: RecordingWebSocket, sent, sockets, gate };
}
