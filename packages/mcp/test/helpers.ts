/**
 * The real pieces the MCP tests drive: the built notebook service (started by scripts/test-server.mjs), the
 * built `reactive-notebook-mcp` bin, and the MCP SDK's own Client connected over stdio or Streamable HTTP.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { NotebookClient } from "@reactive-notebook/sdk";
import type * as TestServerModule from "../../../scripts/test-server.mjs";

/** The repository root, from packages/mcp/dist/test. */
export const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
/** The built bin, as an MCP client's configuration would name it. */
export const binJs = path.join(repoRoot, "packages/mcp/dist/src/bin.js");

export type Service = TestServerModule.TestServer;

/** Builds the service (incremental, so cheap when up to date) and starts it: dev auth, a fresh DATA_DIR. */
export async function startService(env: Record<string, string> = {}): Promise<Service> {
  await promisify(execFile)("npm", ["run", "build", "--silent", "-w", "@reactive-notebook/server"], {
    cwd: repoRoot,
  });
  // The path is resolved at run time from dist/test; the types come from the source tree.
  const url = new URL("../../../../scripts/test-server.mjs", import.meta.url).href;
  const { startTestServer } = (await import(url)) as typeof TestServerModule;
  return startTestServer({ env: { KERNEL_POOL: "1", ...env } });
}

/** A dev token for `userId`, from the service's dev token route. */
export async function devToken(service: Service, userId: string): Promise<string> {
  return (await new NotebookClient({ baseUrl: service.url }).dev.token(userId)).token;
}

export type TransportName = "stdio" | "http";

/**
 * An MCP client acting as `userId`: over stdio it spawns the bin (a dev user, or a token when `useToken`);
 * over HTTP it posts to the service's /mcp with the user's bearer token. Its tool list is read at once, so
 * the client checks every structured result against the tool's output schema.
 */
export async function connect(
  transport: TransportName,
  service: Service,
  userId: string,
  { useToken = false } = {},
): Promise<Client> {
  const client = new Client({ name: "test-agent", version: "1.0.0" });
  if (transport === "stdio") {
    const auth: Record<string, string> = useToken
      ? { REACTIVE_NOTEBOOK_TOKEN: await devToken(service, userId) }
      : { REACTIVE_NOTEBOOK_DEV_USER: userId };
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [binJs],
        env: { REACTIVE_NOTEBOOK_URL: service.url, ...auth },
        stderr: "inherit",
      }),
    );
  } else {
    const token = await devToken(service, userId);
    await client.connect(
      new StreamableHTTPClientTransport(new URL("/mcp", service.url), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
  }
  await client.listTools();
  return client;
}

/** Calls a tool and hands back its result, typed. */
export async function call(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

/** The text of a result's first content block. */
export function textOf(result: CallToolResult): string {
  const first = result.content[0];
  return first?.type === "text" ? first.text : "";
}
