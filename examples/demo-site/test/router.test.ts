// The site's URLs: which page a path names, and the path of a notebook.
import assert from "node:assert/strict";
import { test } from "node:test";
import { notebookPath, parseRoute } from "../src/router.js";

test("/ is the home page (landing page or notebook list)", () => {
  assert.deepEqual(parseRoute("/"), { page: "home" });
});

test("/n/:id names a notebook, with or without a trailing slash, and round-trips notebookPath", () => {
  const id = "3f0c8d3e-1111-4000-8000-000000000000";
  assert.deepEqual(parseRoute(`/n/${id}`), { page: "notebook", notebookId: id });
  assert.deepEqual(parseRoute(`/n/${id}/`), { page: "notebook", notebookId: id });
  assert.deepEqual(parseRoute(notebookPath("a b/c")), { page: "notebook", notebookId: "a b/c" });
});

test("anything else is not found, including malformed escapes and deeper paths", () => {
  assert.deepEqual(parseRoute("/n/"), { page: "not-found", path: "/n/" });
  assert.deepEqual(parseRoute("/n/%zz"), { page: "not-found", path: "/n/%zz" });
  assert.deepEqual(parseRoute("/n/a/b"), { page: "not-found", path: "/n/a/b" });
  assert.deepEqual(parseRoute("/notebooks"), { page: "not-found", path: "/notebooks" });
});
