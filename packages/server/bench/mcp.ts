// MCP benchmark: requests/s of the get_notebook tool over POST /mcp (auth, rate-limit hooks, a stateless MCP
// server per request, the tool's REST call in-process, the compact view) against the REST call it wraps,
// GET /api/v1/notebooks/:id, in the same run.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
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
  method?: string;
  body?: string;
  headers?: Record<string, string>;
}) => Promise<AutocannonResult>;

const SECONDS = 4;

export async function runMcpBench(): Promise<Record<string, number>> {
  const config = loadConfig({
    DATA_DIR: mkdtempSync(path.join(tmpdir(), "rn-bench-mcp-")),
    KERNEL_POOL: "0",
    LOG_LEVEL: "silent",
  });
  // Rate limits off: one user at full speed would be throttled, which is the limit working, not a figure.
  const app = await buildApp(config, { logger: false, rateLimit: false });
  const base = await app.listen({ host: "127.0.0.1", port: 0 });
  const token = (
    await app.inject({ method: "POST", url: "/api/v1/dev/token", payload: { userId: "bench" } })
  ).json().token as string;
  const authorization = `Bearer ${token}`;
  const cells = Array.from({ length: 10 }, (_, i) => ({ type: "python", code: `v${i} = ${i}` }));
  const created = await app.inject({
    method: "POST",
    url: "/api/v1/notebooks",
    headers: { authorization },
    payload: { name: "Bench", cells },
  });
  const notebookId = created.json().id as string;

  // autocannon ships no types; it is a dev-only tool here.
  const autocannon = (await import("autocannon" as string)).default as Autocannon;
  const rest = await autocannon({
    url: `${base}/api/v1/notebooks/${notebookId}`,
    connections: 20,
    duration: SECONDS,
    headers: { authorization },
  });
  const mcp = await autocannon({
    url: `${base}/mcp`,
    connections: 20,
    duration: SECONDS,
    method: "POST",
    headers: {
      authorization,
      accept: "application/json, text/event-stream",
      "content-type": "application/json",
    },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "get_notebook", arguments: { notebookId } },
    }),
  });
  await app.close();

  const figures = {
    restRequestsPerSecond: Math.round(rest.requests.average),
    mcpRequestsPerSecond: Math.round(mcp.requests.average),
    mcpShareOfRest: Number((mcp.requests.average / rest.requests.average).toFixed(2)),
    mcpLatencyP50Ms: mcp.latency.p50,
    mcpLatencyP99Ms: mcp.latency.p99,
    mcpNon2xx: mcp.non2xx + mcp.errors,
  };
  console.log(
    `GET /api/v1/notebooks/:id (10 cells): ${figures.restRequestsPerSecond} req/s (20 connections, ${SECONDS} s)`,
  );
  console.log(
    `POST /mcp get_notebook (same):        ${figures.mcpRequestsPerSecond} req/s = ${figures.mcpShareOfRest} of REST, p50 ${figures.mcpLatencyP50Ms} ms, p99 ${figures.mcpLatencyP99Ms} ms, non-2xx ${figures.mcpNon2xx}`,
  );
  return figures;
}
