/**
 * The x → y → z transcript of docs/agents.md: the tool calls of a conversation and their answers' text, as
 * Markdown. The test that holds the conversation compares it with the page, ids and times masked (they
 * differ from run to run); with WRITE_TRANSCRIPT=1 it writes its own into the page instead.
 */
import { spawnSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

export interface Exchange {
  tool: string;
  args: Record<string, unknown>;
  result: CallToolResult;
}

const page = fileURLToPath(new URL("../../../../docs/agents.md", import.meta.url));
const BEGIN = "<!-- transcript:begin -->";
const END = "<!-- transcript:end -->";

/** The exchanges as Markdown: each call's arguments as JSON, then the text the model read. */
export function renderTranscript(exchanges: readonly Exchange[]): string {
  return exchanges
    .map(({ tool, args, result }) => {
      const text = result.content
        .map((block) => (block.type === "text" ? block.text : `[${block.type}]`))
        .join("\n");
      return [
        `**→ \`${tool}\`**`,
        "",
        // Unlabelled, so the formatter leaves the JSON as the client sent it.
        "```",
        JSON.stringify(args),
        "```",
        "",
        "**←**",
        "",
        "````text",
        text,
        "````",
      ].join("\n");
    })
    .join("\n\n");
}

/** Ids (UUIDs) numbered by first appearance, and run times blanked: what differs between two runs. */
export function masked(text: string): string {
  const ids = new Map<string, number>();
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, (id) => {
      if (!ids.has(id)) ids.set(id, ids.size + 1);
      return `<id ${ids.get(id)}>`;
    })
    .replace(/\bin \d+ ms\b/g, "in <n> ms");
}

/** The transcript now in the page. */
export async function pageTranscript(): Promise<string> {
  const text = await readFile(page, "utf8");
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin === -1 || end < begin)
    throw new Error("docs/agents.md has no transcript:begin … transcript:end markers.");
  return text.slice(begin + BEGIN.length, end).trim();
}

/** Puts `transcript` in the page and formats the page as the repository does. */
export async function writePageTranscript(transcript: string): Promise<void> {
  const text = await readFile(page, "utf8");
  const begin = text.indexOf(BEGIN) + BEGIN.length;
  await writeFile(page, `${text.slice(0, begin)}\n\n${transcript}\n\n${text.slice(text.indexOf(END))}`);
  spawnSync("npx", ["biome", "format", "--write", page], { stdio: "inherit" });
}
