/**
 * The MCP server for one caller: the notebook tools and each notebook as a `notebook://{id}` resource, all
 * carried out through that caller's NotebookClient. The stdio bin makes one for the process; the service
 * makes one per `POST /mcp` request (stateless), with a client whose requests go through its own routes.
 */
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  ErrorCode,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv";
import { ApiError, type NotebookClient } from "@reactive-notebook/sdk";
import { callTool, type ToolDefinition } from "./tool.js";
import { TOOLS } from "./tools/index.js";
import { VERSION } from "./version.js";
import { notebookText, notebookView } from "./views.js";

/** What the model is told about the server as a whole (MCP's `instructions`). */
export const INSTRUCTIONS = [
  "Reactive Notebook: Python and SQL notebooks whose cells re-run like a spreadsheet.",
  "A python cell's top-level names (x = 1, def f, import pandas) are what it writes; the names it uses from other cells are what it reads.",
  "Running or editing a cell (edit_cell with run: true) re-runs every cell that reads its names, and the tool's answer holds all of them in their final state.",
  "A name may be defined by one cell only. A trailing expression is shown as the cell's output.",
  "Address a cell by its id or by its 1-based position as get_notebook numbers them.",
  "sql cells query the notebook's database (the built-in sample until set_database); {name} in SQL binds a Python value.",
].join(" ");

const NOTEBOOK_URI = /^notebook:\/\/([^/?#]+)$/;

/**
 * One JSON Schema validator for every server: without it each `new Server` builds its own Ajv, the largest
 * cost of a stateless request (the server makes one per POST /mcp). Ours only validates elicitation forms,
 * which these tools never send.
 */
const validator = new AjvJsonSchemaValidator();

export interface NotebookMcpServerOptions {
  /** The version MCP clients see; this package's by default. */
  version?: string;
}

/** The tool as tools/list describes it to clients. */
export function toolListing(tool: ToolDefinition): Tool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: tool.input as Tool["inputSchema"],
    outputSchema: tool.output as Tool["outputSchema"],
    annotations: { title: tool.title, ...tool.annotations },
  };
}

/** An MCP server whose tools and resources act as the owner of `client`'s token. */
export function createNotebookMcpServer(
  client: NotebookClient,
  options: NotebookMcpServerOptions = {},
): Server {
  const server = new Server(
    { name: "reactive-notebook", title: "Reactive Notebook", version: options.version ?? VERSION },
    {
      capabilities: { tools: {}, resources: {} },
      instructions: INSTRUCTIONS,
      jsonSchemaValidator: validator,
    },
  );
  const byName = new Map(TOOLS.map((tool) => [tool.name, tool]));

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: TOOLS.map(toolListing) }));

  server.setRequestHandler(CallToolRequestSchema, (request, extra) => {
    const tool = byName.get(request.params.name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name}.`);
    return callTool(tool, request.params.arguments, { client, signal: extra.signal });
  });

  server.setRequestHandler(ListResourcesRequestSchema, async (_request, extra) => {
    const notebooks = await resourceCall(() => client.notebooks.list({ signal: extra.signal }));
    return {
      resources: notebooks.map((notebook) => ({
        uri: `notebook://${notebook.id}`,
        name: notebook.name,
        description: `${notebook.cellCount} cells, updated ${notebook.updatedAt}`,
        mimeType: "text/markdown",
      })),
    };
  });

  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
    resourceTemplates: [
      {
        uriTemplate: "notebook://{notebookId}",
        name: "notebook",
        description: "A notebook, compact: its cells with their status, code and outputs as text.",
        mimeType: "text/markdown",
      },
    ],
  }));

  server.setRequestHandler(ReadResourceRequestSchema, async (request, extra) => {
    const { uri } = request.params;
    const id = NOTEBOOK_URI.exec(uri)?.[1];
    if (!id)
      throw new McpError(
        ErrorCode.InvalidParams,
        `Not a notebook resource: ${uri} (expected notebook://{id}).`,
      );
    const notebook = await resourceCall(() =>
      client.notebooks.get(decodeURIComponent(id), { signal: extra.signal }),
    );
    return {
      contents: [{ uri, mimeType: "text/markdown", text: notebookText(notebookView(notebook).view) }],
    };
  });

  return server;
}

/** Resource reads have no error results: an API failure becomes a protocol error carrying its message. */
async function resourceCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    // -32002 is the MCP specification's "resource not found".
    const code = error.code === "not_found" ? -32002 : ErrorCode.InvalidRequest;
    throw new McpError(code, `${error.code}: ${error.message}`);
  }
}
