// Specification of JSON request bodies: a body nested past the limit or not valid UTF-8 is a 400 naming the
// problem on every JSON route (import included), and nothing is created.
import assert from "node:assert/strict";
import { test } from "node:test";
import { MAX_BODY_DEPTH } from "../src/http/index.js";
import { bearer, devToken, testApp } from "./helpers/index.js";

const ROUTES = [
  { method: "POST", url: "/api/v1/notebooks" },
  { method: "POST", url: "/api/v1/notebooks/import" },
] as const;

for (const route of ROUTES) {
  test(`${route.method} ${route.url}: a body nested 100,000 levels deep is a 400`, async (t) => {
    const app = await testApp(t);
    const token = await devToken(app, "alice");
    const payload = `{"name":"deep","cells":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    const response = await app.inject({
      ...route,
      headers: { ...bearer(token), "content-type": "application/json" },
      payload,
    });
    assert.equal(response.statusCode, 400, response.body);
    assert.equal(response.json().error.code, "invalid_request");
    assert.match(response.json().error.message, new RegExp(`deeper than ${MAX_BODY_DEPTH} levels`));
    const list = await app.inject({ url: "/api/v1/notebooks", headers: bearer(token) });
    assert.deepEqual(list.json().notebooks, []);
  });

  test(`${route.method} ${route.url}: a body that is not valid UTF-8 is a 400`, async (t) => {
    const app = await testApp(t);
    const token = await devToken(app, "alice");
    const payload = Buffer.concat([
      Buffer.from('{"name":"'),
      Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from('"}'),
    ]);
    const response = await app.inject({
      ...route,
      headers: { ...bearer(token), "content-type": "application/json" },
      payload,
    });
    assert.equal(response.statusCode, 400, response.body);
    assert.match(response.json().error.message, /not valid UTF-8/);
  });
}

test("a body within the depth limit is accepted as before", async (t) => {
  const app = await testApp(t);
  const token = await devToken(app, "alice");
  const response = await app.inject({
    method: "POST",
    url: "/api/v1/notebooks",
    headers: bearer(token),
    payload: { name: "fine ✓", cells: [{ type: "markdown", code: "# é" }] },
  });
  assert.equal(response.statusCode, 201, response.body);
  assert.equal(response.json().name, "fine ✓");
});
