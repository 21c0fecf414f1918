// HTTP and realtime benchmarks: requests/s of an authenticated GET /api/v1/notebooks/:id (auth, hardening,
// ownership, store read) against a bare Fastify route in the same run, and the latency of fanning one
// notebook's events out to 1,000 WebSockets (clients in this same process, so it includes their parsing).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Fastify from "fastify";
import WebSocket from "ws";
import { buildApp } from "../src/app.js";
import { loadConfig } from "../src/config/index.js";

interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
}) => Promise<AutocannonResult>;

const SECONDS = 4;
const SOCKETS = 1000;
const EVENTS = 50;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function load(url: string, headers: Record<string, string> = {}): Promise<AutocannonResult> {
  // autocannon ships no types; it is a dev-only tool here.
  const autocannon = (await import("autocannon" as string)).default as Autocannon;
  return autocannon({ url, connections: 20, duration: SECONDS, headers });
}

/** The authenticated read against a bare route, both loaded the same way in this run. */
export interface ReadShare {
  bareRequestsPerSecond: number;
  apiRequestsPerSecond: number;
  apiShareOfBare: number;
  apiLatencyP99Ms: number;
  apiNon2xx: number;
}

/** The service built in this process (rate limits off), listening on loopback, with one user and notebook. */
export async function startBenchApp() {
  const config = loadConfig({
    DATA_DIR: mkdtempSync(path.join(tmpdir(), "rn-bench-http-")),
    KERNEL_POOL: "0",
    LOG_LEVEL: "silent",
  });
  // Rate limits off: one user at full speed would be throttled, which is the limit working, not a figure.
  const app = await buildApp(config, { logger: false, rateLimit: false });
  const base = await app.listen({ host: "127.0.0.1", port: 0 });
  const token = (
    await app.inject({ method: "POST", url: "/api/v1/dev/token", payload: { userId: "bench" } })
  ).json().token as string;
  const headers = { authorization: `Bearer ${token}` };
  const created = await app.inject({
    method: "POST",
    url: "/api/v1/notebooks",
    headers,
    payload: { name: "Bench" },
  });
  return { app, base, token, headers, notebookId: created.json().id as string };
}

/** Requests/s of GET /api/v1/notebooks/:id (auth, hardening, ownership, store read) and of a bare route. */
export async function measureReadShare(
  base: string,
  headers: Record<string, string>,
  notebookId: string,
): Promise<ReadShare> {
  const bare = Fastify({ logger: false });
  bare.get("/bare", async () => ({ ok: true }));
  const bareBase = await bare.listen({ host: "127.0.0.1", port: 0 });
  const baseline = await load(`${bareBase}/bare`);
  const api = await load(`${base}/api/v1/notebooks/${notebookId}`, headers);
  await bare.close();
  return {
    bareRequestsPerSecond: Math.round(baseline.requests.average),
    apiRequestsPerSecond: Math.round(api.requests.average),
    apiShareOfBare: Number((api.requests.average / baseline.requests.average).toFixed(2)),
    apiLatencyP99Ms: api.latency.p99,
    apiNon2xx: api.non2xx + api.errors,
  };
}

export async function runHttpBench(): Promise<Record<string, number>> {
  const { app, base, token, headers, notebookId } = await startBenchApp();
  const read = await measureReadShare(base, headers, notebookId);

  // Fan-out: SOCKETS authenticated sockets on one notebook; each event carries its publish time.
  const sockets: WebSocket[] = [];
  const latencies: number[] = [];
  let received = 0;
  const wsUrl = `${base.replace(/^http/, "ws")}/api/v1/notebooks/${notebookId}/ws`;
  for (let i = 0; i < SOCKETS; i += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, SOCKETS - i) }, async () => {
        const socket = new WebSocket(wsUrl);
        await new Promise<void>((resolve, reject) => {
          socket.once("error", reject);
          socket.once("open", () => socket.send(JSON.stringify({ type: "auth", token })));
          socket.once("message", () => resolve()); // the hello
        });
        socket.on("message", (data) => {
          const event = JSON.parse(String(data)) as { text?: string };
          if (event.text) {
            latencies.push(performance.now() - Number(event.text));
            received++;
          }
        });
        sockets.push(socket);
      }),
    );
  }
  const allDelivered = new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (received >= SOCKETS * EVENTS) {
        clearInterval(check);
        resolve();
      }
    }, 5);
  });
  for (let e = 0; e < EVENTS; e++) {
    app.realtime.publish(notebookId, {
      type: "cell_stdout",
      notebookId,
      revision: 0,
      cellId: "bench",
      stream: "stdout",
      text: String(performance.now()),
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await Promise.race([allDelivered, new Promise((resolve) => setTimeout(resolve, 30_000))]);
  for (const socket of sockets) socket.terminate();
  await app.close();

  const figures = {
    ...read,
    fanoutSockets: SOCKETS,
    fanoutDelivered: received,
    fanoutP50Ms: Number(percentile(latencies, 50).toFixed(2)),
    fanoutP99Ms: Number(percentile(latencies, 99).toFixed(2)),
  };
  console.log(
    `bare Fastify route:               ${figures.bareRequestsPerSecond} req/s (20 connections, ${SECONDS} s)`,
  );
  console.log(
    `GET /api/v1/notebooks/:id (auth): ${figures.apiRequestsPerSecond} req/s = ${figures.apiShareOfBare} of bare, p99 ${figures.apiLatencyP99Ms} ms, non-2xx ${figures.apiNon2xx}`,
  );
  console.log(
    `fan-out to ${SOCKETS} sockets: ${received}/${SOCKETS * EVENTS} deliveries, p50 ${figures.fanoutP50Ms} ms, p99 ${figures.fanoutP99Ms} ms`,
  );
  return figures;
}
