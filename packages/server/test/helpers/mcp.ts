// POST /mcp through app.inject: one JSON-RPC request, as an MCP client sends it over Streamable HTTP.
import type { FastifyInstance, LightMyRequestResponse } from "fastify";

/** Sends `method` with `params` to /mcp with `token` (none when undefined). */
export function mcpRequest(
  app: FastifyInstance,
  token: string | undefined,
  method: string,
  params: Record<string, unknown> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: "POST",
    url: "/mcp",
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      accept: "application/json, text/event-stream",
      "content-type": "application/json",
    },
    payload: { jsonrpc: "2.0", id: 1, method, params },
  });
}

/** The text of a tools/call answer's first block, and whether it is an error result. */
export function toolResult(response: LightMyRequestResponse): {
  isError: boolean;
  text: string;
  structured: unknown;
} {
  const body = response.json() as {
    result?: { isError?: boolean; content: { type: string; text?: string }[]; structuredContent?: unknown };
    error?: { message: string };
  };
  if (!body.result) throw new Error(`not a tool result: ${response.body}`);
  return {
    isError: body.result.isError === true,
    text: body.result.content[0]?.text ?? "",
    structured: body.result.structuredContent,
  };
}
