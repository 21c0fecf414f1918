#!/usr/bin/env node
/**
 * `reactive-notebook-mcp`: the notebook tools over MCP's stdio transport, for agents that start their tools
 * as local processes. Settings come from the environment (see settings.ts); before serving, one request
 * checks that the service answers and accepts the token, so a wrong setting fails at once with one line on
 * stderr and exit code 2 rather than on the agent's first tool call. stdout carries MCP messages only.
 */
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { NotebookClient } from "@reactive-notebook/sdk";
import { createNotebookMcpServer } from "./server.js";
import { clientOptions, describeStartupFailure, readSettings } from "./settings.js";

function exitWith(message: string): never {
  process.stderr.write(`reactive-notebook-mcp: ${message}\n`);
  process.exit(2);
}

const read = readSettings(process.env);
if (!read.ok) exitWith(read.message);
const client = new NotebookClient(clientOptions(read.settings));
try {
  await client.me({ maxRetries: 0, timeoutMs: 10_000 });
} catch (error) {
  exitWith(describeStartupFailure(error, read.settings));
}
const transport = new StdioServerTransport();
await createNotebookMcpServer(client).connect(transport);
// The client closing our stdin is the end of the session; idle keep-alive sockets must not hold us up.
process.stdin.once("end", () => process.exit(0));
