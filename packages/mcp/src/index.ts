/**
 * Reactive Notebook for AI agents: the MCP server (tools and `notebook://` resources) over a NotebookClient,
 * its Streamable HTTP handler (what the service serves at POST /mcp), the outputs-for-a-model rendering, and
 * the tool reference. The stdio bin is `reactive-notebook-mcp` (bin.ts).
 */
export { serveMcpHttpRequest } from "./http.js";
export {
  capStream,
  describePlotly,
  describeVegaLite,
  type ModelImage,
  OUTPUT_LIMITS,
  type RenderedOutput,
  renderError,
  renderOutput,
  renderTable,
  stripTags,
} from "./outputs.js";
export {
  REFERENCE_BEGIN,
  REFERENCE_END,
  toolReference,
  withoutTablePadding,
  withReference,
} from "./reference.js";
export {
  createNotebookMcpServer,
  INSTRUCTIONS,
  type NotebookMcpServerOptions,
  toolListing,
} from "./server.js";
export { DEFAULT_URL, readSettings, type Settings, type SettingsResult } from "./settings.js";
export type { ToolAnswer, ToolContext, ToolDefinition } from "./tool.js";
export { TOOLS } from "./tools/index.js";
export { VERSION } from "./version.js";
