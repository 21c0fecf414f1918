/** Tracebacks with cells named by position (`File "cell 2"`): the SDK's, shared with the MCP tools. */
export { readableTraceback } from "@reactive-notebook/sdk";
