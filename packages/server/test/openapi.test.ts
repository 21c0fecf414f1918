// GET /api/v1/openapi.json: a complete OpenAPI 3 document of every API.md route, generated from the route
// schemas, whose components are the protocol's schemas and whose every $ref resolves.
import assert from "node:assert/strict";
import { test } from "node:test";
import { schemas } from "@reactive-notebook/protocol";
import { testApp } from "./helpers/index.js";

/** Every route of API.md's table (plus the WebSocket), in OpenAPI's path syntax. */
const API_ROUTES = [
  "get /health",
  "get /api/v1/me",
  "get /api/v1/config",
  "post /api/v1/dev/token",
  "get /api/v1/notebooks",
  "post /api/v1/notebooks",
  "get /api/v1/notebooks/{id}",
  "patch /api/v1/notebooks/{id}",
  "delete /api/v1/notebooks/{id}",
  "put /api/v1/notebooks/{id}/database",
  "post /api/v1/notebooks/{id}/cells",
  "patch /api/v1/notebooks/{id}/cells/{cellId}",
  "delete /api/v1/notebooks/{id}/cells/{cellId}",
  "post /api/v1/notebooks/{id}/cells/{cellId}/move",
  "post /api/v1/notebooks/{id}/cells/{cellId}/run",
  "put /api/v1/notebooks/{id}/cells/{cellId}/controls/{controlId}",
  "post /api/v1/notebooks/{id}/run",
  "post /api/v1/notebooks/{id}/interrupt",
  "post /api/v1/notebooks/{id}/kernel/restart",
  "get /api/v1/notebooks/{id}/export",
  "post /api/v1/notebooks/import",
  "get /api/v1/notebooks/{id}/ws",
  "get /api/v1/openapi.json",
];

interface Operation {
  security?: unknown[];
  responses: Record<string, { description: string }>;
  parameters?: { in: string; name: string }[];
}
interface Document {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
  security: unknown[];
}

async function fetchDocument(t: Parameters<typeof testApp>[0]): Promise<Document> {
  const app = await testApp(t);
  const response = await app.inject({ url: "/api/v1/openapi.json" });
  assert.equal(response.statusCode, 200);
  assert.match(String(response.headers["content-type"]), /^application\/json/);
  return JSON.parse(response.body) as Document;
}

test("the document is OpenAPI 3 with bearer auth by default", async (t) => {
  const doc = await fetchDocument(t);
  assert.match(doc.openapi, /^3\.\d+\.\d+$/);
  assert.equal(doc.info.title, "Reactive Notebook API");
  assert.match(doc.info.version, /^\d+\.\d+\.\d+/);
  assert.deepEqual(doc.components.securitySchemes.bearerAuth, {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
  });
  assert.deepEqual(doc.security, [{ bearerAuth: [] }]);
});

test("every API.md route is listed, and nothing else", async (t) => {
  const doc = await fetchDocument(t);
  const listed = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method} ${path}`),
  );
  assert.deepEqual([...listed].sort(), [...API_ROUTES].sort());
  for (const route of listed) {
    const [method, path] = route.split(" ") as [string, string];
    const operation = doc.paths[path]?.[method] as Operation;
    assert.ok(Object.keys(operation.responses).length > 0, `${route} has responses`);
    for (const name of path.match(/\{(\w+)\}/g) ?? []) {
      const param = name.slice(1, -1);
      assert.ok(
        operation.parameters?.some((p) => p.in === "path" && p.name === param),
        `${route} declares ${param}`,
      );
    }
  }
});

test("public routes say so; every other route needs the bearer token", async (t) => {
  const doc = await fetchDocument(t);
  const publicRoutes = [
    "get /health",
    "get /api/v1/config",
    "post /api/v1/dev/token",
    "get /api/v1/openapi.json",
    "get /api/v1/notebooks/{id}/ws",
  ];
  for (const route of API_ROUTES) {
    const [method, path] = route.split(" ") as [string, string];
    const security = doc.paths[path]?.[method]?.security;
    if (publicRoutes.includes(route)) assert.deepEqual(security, [], route);
    else assert.equal(security, undefined, `${route} inherits the bearer requirement`);
  }
});

test("components are the protocol's schemas and every $ref resolves", async (t) => {
  const doc = await fetchDocument(t);
  for (const schema of schemas) {
    assert.ok(doc.components.schemas[schema.$id as string], `component ${schema.$id}`);
  }
  const refs = new Set<string>();
  JSON.stringify(doc, (key, value) => {
    if (key === "$ref") refs.add(value as string);
    return value;
  });
  assert.ok(refs.size > 10);
  for (const ref of refs) {
    const match = /^#\/components\/schemas\/(.+)$/.exec(ref);
    assert.ok(match, `${ref} points into components`);
    assert.ok(doc.components.schemas[match[1] as string], `${ref} resolves`);
  }
  assert.equal(JSON.stringify(doc).includes('"$id"'), false, "no JSON Schema $id leaks into OpenAPI 3.0");
});
