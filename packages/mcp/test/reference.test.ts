/** docs/agents.md lists exactly the tools the server serves: its tool list is the one written from their definitions. */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { TOOLS, toolReference, withoutTablePadding, withReference } from "../src/index.js";

const page = new URL("../../../../docs/agents.md", import.meta.url);

test("the tool list of docs/agents.md is the one written from the tool definitions", async () => {
  const text = await readFile(page, "utf8");
  assert.equal(
    withoutTablePadding(withReference(text)),
    withoutTablePadding(text),
    "docs/agents.md's tool list differs from the tool definitions: run `npm run docs:tools -w @reactive-notebook/mcp`",
  );
});

test("the tool list names every tool and every argument, required or not", () => {
  const reference = toolReference();
  for (const tool of TOOLS) {
    assert.ok(reference.includes(`### \`${tool.name}\` — ${tool.title}`), tool.name);
    for (const argument of Object.keys(tool.input.properties)) {
      assert.ok(reference.includes(`| \`${argument}\` |`), `${tool.name}.${argument}`);
    }
  }
  assert.match(reference, /\| `cellId` \| string \\\| integer ≥ 1 \| yes \|/);
  assert.match(reference, /\| `type` \| `"python"` \\\| `"sql"` \\\| `"markdown"` \| yes \|/);
});
