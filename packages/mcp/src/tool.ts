/**
 * What a tool is (name, description for a model, JSON schemas of its arguments and of its structured
 * answer, hints, and a function over the SDK) and how one call is carried out: arguments checked against
 * the schema, the function run, its answer or failure turned into an MCP tool result. Failures the model
 * can act on — bad arguments, forbidden, not found, conflict, rate limits — are results with
 * `isError: true` and the service's message, never protocol errors.
 */
import type { CallToolResult, ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import { validate } from "@reactive-notebook/protocol";
import { ApiError, type NotebookClient } from "@reactive-notebook/sdk";
import type { Static, TObject } from "@sinclair/typebox";
import type { ModelImage } from "./outputs.js";

/** What a tool works with: the caller's client and the MCP request's cancellation. */
export interface ToolContext {
  client: NotebookClient;
  signal?: AbortSignal;
}

/** A tool's answer: text for the model, the images its outputs carry, and the structured result. */
export interface ToolAnswer {
  text: string;
  images?: ModelImage[];
  structured: Record<string, unknown>;
}

export interface ToolDefinition<I extends TObject = TObject> {
  name: string;
  title: string;
  /** Written for a model: what the tool does, when to use it, what comes back. */
  description: string;
  input: I;
  output: TObject;
  annotations: ToolAnnotations;
  run(args: Static<I>, context: ToolContext): Promise<ToolAnswer>;
}

/** Declares a tool, typing its function's arguments from its input schema. */
export function defineTool<I extends TObject>(tool: ToolDefinition<I>): ToolDefinition<I> {
  return tool;
}

/** A failure a tool reports itself, with an API-style code (`not_found`, `invalid_request`…). */
export class ToolError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ToolError";
  }
}

/** Runs `tool` with `args` (unchecked, as the client sent them) and answers the MCP result. */
export async function callTool(
  tool: ToolDefinition,
  args: unknown,
  context: ToolContext,
): Promise<CallToolResult> {
  const checked = validate(tool.input, args ?? {});
  if (!checked.ok) return errorResult("invalid_request", argumentsMessage(tool, checked.errors));
  try {
    const answer = await tool.run(checked.value, context);
    return {
      content: [{ type: "text", text: answer.text }, ...(answer.images ?? [])],
      structuredContent: answer.structured,
    };
  } catch (error) {
    if (context.signal?.aborted) throw error;
    if (error instanceof ToolError) return errorResult(error.code, error.message);
    if (error instanceof ApiError) return errorResult(error.code, error.message);
    throw error;
  }
}

function errorResult(code: string, message: string): CallToolResult {
  return { isError: true, content: [{ type: "text", text: `${code}: ${message}` }] };
}

/** The first argument problem, the field named in the model's terms (`cells[1].type`), e.g. `"code" is required`. */
function argumentsMessage(
  tool: ToolDefinition,
  errors: readonly { path: string; message: string }[],
): string {
  const first = errors[0];
  if (!first) return `Invalid arguments for ${tool.name}.`;
  const field = first.path
    .split("/")
    .slice(1)
    .map((segment, i) => (/^\d+$/.test(segment) ? `[${segment}]` : i === 0 ? segment : `.${segment}`))
    .join("");
  if (field === "") return `Invalid arguments for ${tool.name}: ${first.message}.`;
  const topLevel = !field.includes(".") && !field.includes("[");
  const accepted = Object.keys(tool.input.properties).join(", ");
  const problem =
    first.message === "Expected required property"
      ? "is required"
      : first.message !== "Unexpected property"
        ? `is invalid: ${first.message}`
        : topLevel
          ? `is not an argument of ${tool.name} (its arguments: ${accepted})`
          : "is not an accepted field";
  return `Invalid arguments for ${tool.name}: "${field}" ${problem}.`;
}
