/** The tool definitions themselves: named for a model, closed argument schemas, plain JSON Schema throughout. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { TOOLS, toolListing } from "../src/index.js";

test("every tool has a unique snake_case name, a title and a description a model can act on", () => {
  const names = TOOLS.map((tool) => tool.name);
  assert.equal(new Set(names).size, names.length);
  for (const tool of TOOLS) {
    assert.match(tool.name, /^[a-z]+(_[a-z]+)*$/);
    assert.ok(tool.title.length > 0, tool.name);
    assert.ok(tool.description.length >= 20 && tool.description.length <= 600, tool.name);
  }
});

test("every argument schema is a closed object, so a misspelt argument is named rather than ignored", () => {
  for (const tool of TOOLS) {
    assert.equal(tool.input.type, "object", tool.name);
    assert.equal(tool.input.additionalProperties, false, tool.name);
    assert.equal(tool.output.type, "object", tool.name);
  }
});

test("schemas are self-contained JSON Schema: no $ref or $id a client would have to resolve", () => {
  for (const tool of TOOLS) {
    const listed = JSON.stringify(toolListing(tool));
    assert.ok(!listed.includes('"$ref"'), tool.name);
    assert.ok(!listed.includes('"$id"'), tool.name);
  }
});

test("tools that only read say so, and tools that destroy say so", () => {
  const hinted = (hint: "readOnlyHint" | "destructiveHint") =>
    TOOLS.filter((tool) => tool.annotations[hint]).map((tool) => tool.name);
  assert.deepEqual(hinted("readOnlyHint"), ["list_notebooks", "get_notebook", "export_ipynb"]);
  assert.deepEqual(hinted("destructiveHint"), ["delete_notebook", "delete_cell", "restart_kernel"]);
});
