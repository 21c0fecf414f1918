// The mcp folder's only door: POST /mcp, the notebook tools for AI agents over Streamable HTTP.
export { MCP_PATH, mcpRoutes } from "./routes.js";
