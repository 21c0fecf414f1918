/**
 * MCP over Streamable HTTP, stateless: each POST carries its JSON-RPC message(s) and gets its answer as JSON,
 * from a server made for that one request and closed with it. No session survives the request, so any
 * instance of the service can answer any request.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { NotebookClient } from "@reactive-notebook/sdk";
import { createNotebookMcpServer, type NotebookMcpServerOptions } from "./server.js";

/**
 * Answers one MCP HTTP request (`body`: its JSON, already parsed) with the tools acting through `client`.
 * Resolves once the answer is written.
 */
export async function serveMcpHttpRequest(
  client: NotebookClient,
  request: IncomingMessage,
  response: ServerResponse,
  body: unknown,
  options: NotebookMcpServerOptions = {},
): Promise<void> {
  const server = createNotebookMcpServer(client, options);
  // No session ids (stateless) and plain JSON answers: no tool streams, so no event stream is needed.
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  response.once("close", () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(request, response, body);
}
