// The notebook routes (API.md "Routes"): create, list, get, rename, delete, with exact statuses and bodies,
// through real dev tokens.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import type { Notebook, NotebookSummary } from "@reactive-notebook/protocol";
import { freshUsers, openApi, startApi } from "./notebooks-fixtures.js";
import { createTestPostgres, tempDataDir } from "./store-fixtures.js";

const NOTEBOOKS = "/api/v1/notebooks";
const api = await openApi();
after(() => api.close());

test("POST /notebooks without cells creates one empty python cell and answers 201 Notebook", async () => {
  const { alice } = freshUsers();
  const response = await api.request(alice, "POST", NOTEBOOKS, { name: "Sales" });
  assert.equal(response.statusCode, 201);
  const notebook = response.json() as Notebook;
  assert.equal(notebook.name, "Sales");
  assert.equal(notebook.revision, 0);
  assert.equal(notebook.cellCount, 1);
  assert.deepEqual(notebook.database, { configured: false });
  assert.equal("ownerId" in notebook, false, "the owner is not part of the resource");
  assert.deepEqual(
    notebook.cells.map((cell) => [cell.type, cell.code, cell.status, cell.outputs, cell.executionCount]),
    [["python", "", "idle", [], null]],
  );
  assert.match(notebook.id, /^[0-9a-f-]{36}$/);
  assert.ok(!Number.isNaN(Date.parse(notebook.createdAt)));
});

test("POST /notebooks with an empty or no body gets a default name; given cells keep their order and names", async () => {
  const { alice } = freshUsers();
  const empty = await api.request(alice, "POST", NOTEBOOKS, {});
  assert.equal(empty.statusCode, 201);
  assert.equal((empty.json() as Notebook).name, "Untitled notebook");
  const bodyless = await api.request(alice, "POST", NOTEBOOKS);
  assert.equal(bodyless.statusCode, 201, "no body at all is the same as {}");
  assert.equal((bodyless.json() as Notebook).cellCount, 1);
  const response = await api.request(alice, "POST", NOTEBOOKS, {
    name: "With cells",
    cells: [
      { type: "markdown", code: "# Title" },
      { type: "python", code: "x = 1" },
      { type: "sql", code: "select {x} as x", name: "result" },
    ],
  });
  assert.equal(response.statusCode, 201);
  const notebook = response.json() as Notebook;
  assert.deepEqual(
    notebook.cells.map((cell) => [cell.type, cell.code, cell.name]),
    [
      ["markdown", "# Title", null],
      ["python", "x = 1", null],
      ["sql", "select {x} as x", "result"],
    ],
  );
  const noCells = await api.request(alice, "POST", NOTEBOOKS, { cells: [] });
  assert.equal((noCells.json() as Notebook).cellCount, 0, "an explicit empty list means no cells");
});

test("GET /notebooks lists only the caller's notebooks, newest first", async () => {
  const { alice, bob, carol } = freshUsers();
  const ids: string[] = [];
  for (const name of ["one", "two", "three"]) {
    ids.push((await api.request(alice, "POST", NOTEBOOKS, { name })).json().id);
  }
  await api.request(bob, "POST", NOTEBOOKS, { name: "bob's" });
  const response = await api.request(alice, "GET", NOTEBOOKS);
  assert.equal(response.statusCode, 200);
  const { notebooks } = response.json() as { notebooks: NotebookSummary[] };
  assert.deepEqual(
    notebooks.map((item) => [item.id, item.name, item.cellCount]),
    [
      [ids[2], "three", 1],
      [ids[1], "two", 1],
      [ids[0], "one", 1],
    ],
  );
  assert.deepEqual(Object.keys(notebooks[0] as object).sort(), [
    "cellCount",
    "createdAt",
    "id",
    "name",
    "updatedAt",
  ]);
  const bobs = (await api.request(bob, "GET", NOTEBOOKS)).json() as { notebooks: NotebookSummary[] };
  assert.deepEqual(
    bobs.notebooks.map((item) => item.name),
    ["bob's"],
  );
  assert.deepEqual((await api.request(carol, "GET", NOTEBOOKS)).json(), { notebooks: [] });
});

test("GET, PATCH and DELETE /notebooks/:id read, rename and delete; afterwards it is a 404", async () => {
  const { alice } = freshUsers();
  const created = (await api.request(alice, "POST", NOTEBOOKS, { name: "draft" })).json() as Notebook;
  const url = `${NOTEBOOKS}/${created.id}`;
  const got = await api.request(alice, "GET", url);
  assert.equal(got.statusCode, 200);
  assert.deepEqual(got.json(), created);

  const renamed = await api.request(alice, "PATCH", url, { name: "final" });
  assert.equal(renamed.statusCode, 200);
  assert.equal(renamed.json().name, "final");
  assert.equal(renamed.json().revision, 1);
  assert.equal((await api.request(alice, "GET", url)).json().name, "final");

  const deleted = await api.request(alice, "DELETE", url);
  assert.equal(deleted.statusCode, 204);
  assert.equal(deleted.body, "");
  for (const [method, body] of [
    ["GET", undefined],
    ["PATCH", { name: "x" }],
    ["DELETE", undefined],
  ] as const) {
    const response = await api.request(alice, method, url, body);
    assert.equal(response.statusCode, 404, `${method} after delete`);
    assert.equal(response.json().error.code, "not_found");
  }
  assert.deepEqual((await api.request(alice, "GET", NOTEBOOKS)).json(), { notebooks: [] });
});

test("every notebook route needs a token", async () => {
  const response = await api.request(null, "GET", NOTEBOOKS);
  assert.equal(response.statusCode, 401);
  assert.match(String(response.headers["www-authenticate"]), /^Bearer/);
  assert.equal((await api.request(null, "POST", NOTEBOOKS, {})).statusCode, 401);
});

test("notebook names: unicode is kept exactly, control characters and blanks are refused", async () => {
  const { alice } = freshUsers();
  const hostile = "\u202Egnp.exe 👩🏽‍💻 e\u0301 '; DROP TABLE notebooks; -- <script>alert(1)</script>";
  const ok = await api.request(alice, "POST", NOTEBOOKS, { name: hostile });
  assert.equal(ok.statusCode, 201);
  assert.equal((await api.request(alice, "GET", `${NOTEBOOKS}/${ok.json().id}`)).json().name, hostile);
  for (const name of [
    "line\nbreak",
    "tab\there",
    "nul\u0000",
    "bell\u0007",
    "c1\u0085",
    "   ",
    "lone \uD800 half",
  ]) {
    const response = await api.request(alice, "POST", NOTEBOOKS, { name });
    assert.equal(response.statusCode, 400, JSON.stringify(name));
    assert.equal(response.json().error.code, "invalid_request");
    assert.equal(response.json().error.details.field, "/name");
    const rename = await api.request(alice, "PATCH", `${NOTEBOOKS}/${ok.json().id}`, { name });
    assert.equal(rename.statusCode, 400, `rename to ${JSON.stringify(name)}`);
  }
  assert.equal((await api.request(alice, "POST", NOTEBOOKS, { name: "x".repeat(201) })).statusCode, 400);
  const { notebooks } = (await api.request(alice, "GET", NOTEBOOKS)).json() as {
    notebooks: NotebookSummary[];
  };
  assert.deepEqual(
    notebooks.map((item) => item.name),
    [hostile],
    "nothing refused was stored",
  );
  assert.equal((await api.request(alice, "GET", `${NOTEBOOKS}/${ok.json().id}`)).json().revision, 0);
});

test("bad bodies get a clear 400 or 413, store nothing, and the server keeps answering", async () => {
  const { alice } = freshUsers();
  const cases: [string, unknown, number, string?][] = [
    ["malformed JSON", '{"name": "x",', 400],
    ["not an object", "[1,2]", 400],
    ["a number for the name", { name: 42 }, 400, "/name"],
    ["an unknown field", { name: "x", colour: "red" }, 400, "/colour"],
    ["an unknown cell type", { cells: [{ type: "javascript", code: "1" }] }, 400],
    ["a cell without code", { cells: [{ type: "python" }] }, 400, "/cells/0/code"],
    ["an unknown cell field", { cells: [{ type: "python", code: "", lang: "py" }] }, 400, "/cells/0/lang"],
    ["a cell name that is not an identifier", { cells: [{ type: "sql", code: "", name: "my table" }] }, 400],
    ["NUL in code", { cells: [{ type: "python", code: "x = 1\u0000" }] }, 400, "/cells/0/code"],
    ["code over 256 KiB", { cells: [{ type: "python", code: "#".repeat(262_145) }] }, 413],
    ["a 10 MiB body", { name: "big", cells: [{ type: "python", code: "x".repeat(10 * 1024 * 1024) }] }, 413],
  ];
  for (const [what, body, status, field] of cases) {
    const response = await api.request(alice, "POST", NOTEBOOKS, body);
    assert.equal(response.statusCode, status, `${what}: ${response.body.slice(0, 300)}`);
    const error = response.json().error;
    assert.equal(error.code, status === 400 ? "invalid_request" : "payload_too_large", what);
    assert.equal(typeof error.message, "string");
    if (field) assert.equal(error.details.field, field, what);
  }
  const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
  assert.equal((await api.request(alice, "POST", NOTEBOOKS, deep)).statusCode, 400, "deep nesting");
  assert.deepEqual((await api.request(alice, "GET", NOTEBOOKS)).json(), { notebooks: [] });
  assert.equal((await api.request(alice, "POST", NOTEBOOKS, { name: "still alive" })).statusCode, 201);
  const badId = await api.request(alice, "GET", `${NOTEBOOKS}/${encodeURIComponent("../../etc/passwd")}`);
  assert.equal(badId.statusCode, 404);
});

test("another user's notebook is a 403 on every notebook route; a missing one is a 404", async () => {
  const { alice, bob } = freshUsers();
  const notebook = (await api.request(alice, "POST", NOTEBOOKS, { name: "private" })).json() as Notebook;
  const routes: ["GET" | "POST" | "PATCH" | "DELETE", string, unknown?][] = [
    ["GET", ""],
    ["PATCH", "", { name: "mine now" }],
    ["POST", "/run"],
    ["POST", "/interrupt"],
    ["POST", "/kernel/restart"],
    ["GET", "/export?format=ipynb"],
    ["DELETE", ""],
  ];
  for (const [method, suffix, body] of routes) {
    const theirs = await api.request(bob, method, `${NOTEBOOKS}/${notebook.id}${suffix}`, body);
    assert.equal(theirs.statusCode, 403, `${method} ${suffix} as bob`);
    assert.equal(theirs.json().error.code, "forbidden");
    const missing = await api.request(
      "bob",
      method,
      `${NOTEBOOKS}/00000000-0000-4000-8000-000000000000${suffix}`,
      body,
    );
    assert.equal(missing.statusCode, 404, `${method} ${suffix} on a missing notebook`);
    assert.equal(missing.json().error.code, "not_found");
  }
  const after = (await api.request(alice, "GET", `${NOTEBOOKS}/${notebook.id}`)).json() as Notebook;
  assert.equal(after.name, "private");
  assert.equal(after.revision, 0);
});

test("run, interrupt and restart are accepted with 202 (runs answer their runId)", async () => {
  const { alice } = freshUsers();
  const notebook = (await api.request(alice, "POST", NOTEBOOKS, {})).json() as Notebook;
  for (const suffix of ["/run", `/cells/${notebook.cells[0]?.id}/run`, "/interrupt", "/kernel/restart"]) {
    const response = await api.request(alice, "POST", `${NOTEBOOKS}/${notebook.id}${suffix}`);
    assert.equal(response.statusCode, 202, suffix);
    if (suffix.endsWith("/run")) assert.match(response.json().runId, /^[0-9a-f-]{36}$/, suffix);
  }
});

test("after a server restart a notebook shows its last outputs, with cells that had run now stale", async (t) => {
  const data = tempDataDir("rn-reopen-");
  t.after(() => data.remove());
  const first = await startApi(t, { DATA_DIR: data.dir });
  const notebook = (
    await first.request("alice", "POST", NOTEBOOKS, {
      cells: [
        { type: "python", code: "x = 1" },
        { type: "python", code: "print(x)" },
      ],
    })
  ).json() as Notebook;
  const [ran, never] = notebook.cells.map((cell) => cell.id) as [string, string];
  await first.app.store.saveCellResult(notebook.id, ran, {
    status: "success",
    stdout: "1\n",
    outputs: [{ mimeType: "text/plain", data: "1" }],
    executionCount: 1,
    lastRunMs: 3,
  });
  await first.app.close();
  const second = await startApi(t, { DATA_DIR: data.dir });
  const reopened = (await second.request("alice", "GET", `${NOTEBOOKS}/${notebook.id}`)).json() as Notebook;
  const byId = new Map(reopened.cells.map((cell) => [cell.id, cell]));
  assert.equal(byId.get(ran)?.status, "stale");
  assert.equal(byId.get(ran)?.stdout, "1\n");
  assert.deepEqual(byId.get(ran)?.outputs, [{ mimeType: "text/plain", data: "1" }]);
  assert.equal(byId.get(never)?.status, "idle");
});

const postgres = await createTestPostgres();

test("with DATABASE_URL the same routes store notebooks in PostgreSQL", {
  skip: "skip" in postgres ? postgres.skip : false,
}, async (t) => {
  if ("skip" in postgres) return;
  t.after(() => postgres.drop());
  const api = await startApi(t, { DATABASE_URL: postgres.url });
  assert.equal(api.app.store.driver, "postgres");
  const created = await api.request("alice", "POST", NOTEBOOKS, { name: "on postgres 🐘" });
  assert.equal(created.statusCode, 201);
  const id = (created.json() as Notebook).id;
  const cell = await api.request("alice", "POST", `${NOTEBOOKS}/${id}/cells`, {
    type: "sql",
    code: "select 1",
    index: 0,
  });
  assert.equal(cell.statusCode, 201);
  assert.equal((await api.request("bob", "GET", `${NOTEBOOKS}/${id}`)).statusCode, 403);
  const got = (await api.request("alice", "GET", `${NOTEBOOKS}/${id}`)).json() as Notebook;
  assert.deepEqual(
    got.cells.map((c) => c.type),
    ["sql", "python"],
  );
  assert.deepEqual(
    (await api.request("alice", "GET", NOTEBOOKS)).json().notebooks.map((n: NotebookSummary) => n.name),
    ["on postgres 🐘"],
  );
});
