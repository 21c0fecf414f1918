/** Specification of the schema registry: what the server hands to fastify.addSchema and @fastify/swagger. */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { Kind, type TSchema } from "@sinclair/typebox";
import * as protocol from "../src/index.js";

const { schemas, schemasById } = protocol;

function isSchema(value: unknown): value is TSchema {
  return typeof value === "object" && value !== null && Kind in value;
}

/** Every place in `node` (a plain JSON schema) where `key` is set, with its JSON pointer. */
function* occurrences(node: unknown, key: string, path = ""): Generator<[string, unknown]> {
  if (typeof node !== "object" || node === null) return;
  for (const [k, v] of Object.entries(node)) {
    if (k === key) yield [`${path}/${k}`, v];
    yield* occurrences(v, key, `${path}/${k}`);
  }
}

test("every exported schema is registered, once, under its export name", () => {
  const exported = Object.entries(protocol).filter((entry): entry is [string, TSchema] => isSchema(entry[1]));
  assert.ok(exported.length >= 60, `only ${exported.length} schemas exported`);
  for (const [name, schema] of exported) {
    assert.equal(schema.$id, name, `${name} has $id ${schema.$id}`);
    assert.ok(schemas.includes(schema), `${name} is missing from schemas`);
  }
  assert.equal(schemas.length, exported.length);
  assert.equal(Object.keys(schemasById).length, schemas.length, "two schemas share an $id");
});

test("no $id appears inside another schema (Ajv refuses an $id seen twice in one schema)", () => {
  for (const schema of schemas) {
    const nested = [...occurrences(schema, "$id")].filter(([path]) => path !== "/$id");
    assert.deepEqual(nested, [], `${schema.$id} embeds ${JSON.stringify(nested)}`);
  }
});

test("every $ref points at a registered schema", () => {
  for (const schema of schemas) {
    for (const [path, target] of occurrences(schema, "$ref")) {
      assert.ok(
        typeof target === "string" && target in schemasById,
        `${schema.$id}${path} → ${String(target)}`,
      );
    }
  }
});

test("every schema survives JSON, as OpenAPI needs", () => {
  for (const schema of schemas) {
    const copy = JSON.parse(JSON.stringify(schema));
    assert.equal(copy.$id, schema.$id);
    assert.ok(
      copy.type !== undefined || copy.anyOf !== undefined || copy.const !== undefined,
      `${schema.$id} lost its shape`,
    );
  }
});

test("request bodies and client frames are closed; resources and events are open", () => {
  const closed = [
    "CreateNotebookBody",
    "NewCell",
    "RenameNotebookBody",
    "SetDatabaseBody",
    "CreateCellBody",
    "UpdateCellBody",
    "MoveCellBody",
    "DevTokenRequest",
    "ExportNotebookQuery",
    "AuthFrame",
    "RunCellFrame",
    "RunAllFrame",
    "InterruptFrame",
    "PingFrame",
  ];
  for (const id of closed)
    assert.equal(schemasById[id]?.additionalProperties, false, `${id} should be closed`);
  const open = [
    "Cell",
    "Notebook",
    "NotebookSummary",
    "Output",
    "ErrorBody",
    "CellStatusEvent",
    "HelloEvent",
    "IpynbNotebook",
  ];
  for (const id of open)
    assert.equal(schemasById[id]?.additionalProperties, undefined, `${id} should be open`);
});

test("the code limit of API.md is a schema constraint", () => {
  assert.equal(protocol.MAX_CODE_LENGTH, 262_144);
  assert.equal(protocol.CreateCellBody.properties.code.maxLength, protocol.MAX_CODE_LENGTH);
  assert.equal(protocol.UpdateCellBody.properties.code.maxLength, protocol.MAX_CODE_LENGTH);
  assert.equal(protocol.NewCell.properties.code.maxLength, protocol.MAX_CODE_LENGTH);
});

test("the protocol version is semver", () => {
  assert.match(protocol.PROTOCOL_VERSION, /^\d+\.\d+\.\d+$/);
});

test("the compiled package imports nothing but itself and typebox, so browsers can bundle it", () => {
  const dir = new URL("../src/", import.meta.url);
  for (const file of readdirSync(dir).filter((name) => name.endsWith(".js"))) {
    const source = readFileSync(new URL(file, dir), "utf8");
    const specifiers = [...source.matchAll(/\bfrom\s+"([^"]+)"|\bimport\s*\(\s*"([^"]+)"/g)].map(
      (m) => m[1] ?? m[2],
    );
    for (const specifier of specifiers) {
      assert.ok(
        specifier?.startsWith("./") || specifier?.startsWith("@sinclair/typebox"),
        `${file} imports ${specifier}`,
      );
    }
  }
});
