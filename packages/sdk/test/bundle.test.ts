/** The browser bundle is one self-contained ESM file with no Node built-ins, and it works. */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { startTestServer } from "./test-server.js";

const bundleUrl = new URL("../browser/index.js", import.meta.url);

test("the browser bundle imports nothing: no node: modules, no require, no bare specifiers", async () => {
  const source = await readFile(bundleUrl, "utf8");

  assert.doesNotMatch(source, /\bnode:/);
  assert.doesNotMatch(source, /\brequire\(/);
  assert.doesNotMatch(source, /^\s*import\b/m);
  assert.doesNotMatch(source, /\bimport\(/);
  assert.doesNotMatch(source, /typebox/i);
  assert.doesNotMatch(source, /\bprocess\./);
});

test("the browser bundle's NotebookClient talks to a server", async (t) => {
  const server = await startTestServer(() => ({ body: { status: "ok", version: "9.9.9" } }));
  t.after(() => server.close());
  const { NotebookClient, NotFoundError } = await import(bundleUrl.href);

  assert.deepEqual(await new NotebookClient({ baseUrl: server.url }).health(), {
    status: "ok",
    version: "9.9.9",
  });
  assert.equal(typeof NotFoundError, "function");
});
