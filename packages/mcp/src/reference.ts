/**
 * The tool list of docs/agents.md, written from the tool definitions themselves (scripts/write-tool-docs.mjs
 * puts it in the page; a test fails when the page and the definitions differ), so the two cannot drift.
 */
import type { TSchema } from "@sinclair/typebox";
import type { ToolDefinition } from "./tool.js";
import { TOOLS } from "./tools/index.js";

/** The markers around the generated part of docs/agents.md. */
export const REFERENCE_BEGIN =
  "<!-- tools:begin — generated from the tool definitions by `npm run docs:tools -w @reactive-notebook/mcp`; do not edit by hand -->";
export const REFERENCE_END = "<!-- tools:end -->";

/** Every tool as Markdown: its name and title, its description, its arguments in a table, and its hints. */
export function toolReference(tools: readonly ToolDefinition[] = TOOLS): string {
  return tools.map(toolSection).join("\n\n");
}

/**
 * `text` with Markdown table rows unpadded (cells trimmed, `-----` rules as `---`): the formatter aligns the
 * page's tables, which changes no content, so the page and the reference are compared in this form.
 */
export function withoutTablePadding(text: string): string {
  return text
    .split("\n")
    .map((line) =>
      line.startsWith("|")
        ? line
            .split("|")
            .map((cell) => cell.trim().replace(/^-{3,}$/, "---"))
            .join("|")
        : line,
    )
    .join("\n");
}

/** `page` with its generated part replaced by `reference` (the markers must be there). */
export function withReference(page: string, reference: string = toolReference()): string {
  const begin = page.indexOf(REFERENCE_BEGIN);
  const end = page.indexOf(REFERENCE_END);
  if (begin === -1 || end < begin) throw new Error("The page has no tools:begin … tools:end markers.");
  return `${page.slice(0, begin + REFERENCE_BEGIN.length)}\n\n${reference}\n\n${page.slice(end)}`;
}

function toolSection(tool: ToolDefinition): string {
  const lines = [`### \`${tool.name}\` — ${tool.title}`, "", tool.description, ""];
  const properties = Object.entries(tool.input.properties as Record<string, TSchema>);
  const required = new Set<string>(tool.input.required ?? []);
  if (properties.length === 0) {
    lines.push("No arguments.");
  } else {
    lines.push("| argument | type | required | meaning |", "| --- | --- | --- | --- |");
    for (const [name, schema] of properties) {
      const need = required.has(name) ? "yes" : "no";
      lines.push(`| \`${name}\` | ${typeText(schema)} | ${need} | ${cellText(schema.description ?? "")} |`);
    }
  }
  const hints = [
    tool.annotations.readOnlyHint ? "read-only" : "",
    tool.annotations.destructiveHint ? "destructive" : "",
    tool.annotations.idempotentHint ? "idempotent" : "",
  ].filter(Boolean);
  if (hints.length > 0) lines.push("", `Hints: ${hints.join(", ")}.`);
  return lines.join("\n");
}

/** A schema's type in a few words: `string`, `integer ≥ 1`, `"python" \| "sql"`, `array of {type, code, name?}`. */
function typeText(schema: TSchema): string {
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as TSchema[]).map(typeText).join(" \\| ");
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (schema.type === "integer" || schema.type === "number") {
    const { minimum, maximum } = schema;
    if (minimum !== undefined && maximum !== undefined) return `${schema.type} ${minimum}–${maximum}`;
    if (minimum !== undefined) return `${schema.type} ≥ ${minimum}`;
    return maximum !== undefined ? `${schema.type} ≤ ${maximum}` : String(schema.type);
  }
  if (schema.type === "array" && schema.items) return `array of ${typeText(schema.items as TSchema)}`;
  if (schema.type === "object" && schema.properties) {
    const required = new Set<string>(schema.required ?? []);
    const fields = Object.keys(schema.properties).map((name) => (required.has(name) ? name : `${name}?`));
    return `{${fields.join(", ")}}`;
  }
  return String(schema.type ?? "any");
}

function cellText(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}
