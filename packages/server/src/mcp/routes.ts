// POST /mcp: the MCP tools over Streamable HTTP (stateless), authenticated like the REST API — the auth hook
// turns the bearer token into `request.userId` and the per-user rate limit applies — and carried out by a
// NotebookClient whose requests go through this app's REST routes with the caller's token, so each tool
// call meets the same ownership checks and error mapping as a REST call. GET and DELETE (an event stream,
// ending a session) have no meaning without sessions: 405.
import { serveMcpHttpRequest } from "@reactive-notebook/mcp";
import { NotebookClient } from "@reactive-notebook/sdk";
import type { FastifyPluginAsync, FastifyReply } from "fastify";
import { VERSION } from "../version.js";
import { fetchThroughApp } from "./in-process-fetch.js";

/** The path MCP clients are configured with. */
export const MCP_PATH = "/mcp";

/** Requests of the in-process client go to `app.inject`, so this origin is never dialled. */
const IN_PROCESS_ORIGIN = "http://in-process.invalid";

export const mcpRoutes: FastifyPluginAsync = async (app) => {
  const fetch = fetchThroughApp(app);

  app.post(MCP_PATH, { config: { auth: true } }, async (request, reply) => {
    // The auth hook has accepted this header's bearer token; the tools' REST calls carry the same one.
    const token = String(request.headers.authorization)
      .replace(/^Bearer[ \t]+/i, "")
      .trim();
    // A rate-limited inner call fails the tool at once (the MCP client sees a tool error with Retry-After).
    const client = new NotebookClient({
      baseUrl: IN_PROCESS_ORIGIN,
      getToken: () => token,
      fetch,
      maxRetries: 0,
    });
    handOver(reply);
    try {
      await serveMcpHttpRequest(client, request.raw, reply.raw, request.body, { version: VERSION });
    } catch (error) {
      request.log.error({ err: error }, "MCP request failed");
      if (!reply.raw.headersSent) {
        reply.raw.writeHead(500, { "content-type": "application/json" });
        reply.raw.end(
          jsonRpcError(-32603, `Internal error; quote request id ${request.id} if you report it.`),
        );
      } else {
        reply.raw.end();
      }
    }
  });

  for (const method of ["GET", "DELETE"] as const) {
    app.route({
      method,
      url: MCP_PATH,
      config: { auth: true },
      handler: async (_request, reply) => {
        reply
          .code(405)
          .header("allow", "POST")
          .type("application/json")
          .send(
            jsonRpcError(
              -32000,
              "Method not allowed: this MCP endpoint is stateless; send requests with POST.",
            ),
          );
      },
    });
  }
};

/**
 * Leaves the response to the MCP transport, which writes the raw response itself. Headers hooks set on the
 * reply (request id, rate-limit counters, CORS, security headers) are copied onto it first.
 */
function handOver(reply: FastifyReply): void {
  reply.hijack();
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) reply.raw.setHeader(name, value);
  }
}

function jsonRpcError(code: number, message: string): string {
  return JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null });
}
