// The cell routes (API.md "Routes"): create at an index, edit with ifRevision, move, delete; ownership and
// bad input, through real dev tokens.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import type { Cell, Notebook } from "@reactive-notebook/protocol";
import { type ApiClient, freshUsers, openApi } from "./notebooks-fixtures.js";

const NOTEBOOKS = "/api/v1/notebooks";
const api = await openApi();
after(() => api.close());

async function notebookWith(api: ApiClient, codes: string[], owner: string): Promise<Notebook> {
  const response = await api.request(owner, "POST", NOTEBOOKS, {
    name: "cells",
    cells: codes.map((code) => ({ type: "python", code })),
  });
  assert.equal(response.statusCode, 201);
  return response.json() as Notebook;
}

const codesOf = async (api: ApiClient, id: string, owner: string) =>
  ((await api.request(owner, "GET", `${NOTEBOOKS}/${id}`)).json() as Notebook).cells.map((cell) => cell.code);

test("POST /notebooks/:id/cells appends, inserts at an index, and appends past the end", async () => {
  const { alice } = freshUsers();
  const notebook = await notebookWith(api, ["a", "b"], alice);
  const cells = `${NOTEBOOKS}/${notebook.id}/cells`;
  const appended = await api.request(alice, "POST", cells, { type: "python", code: "c" });
  assert.equal(appended.statusCode, 201);
  const cell = appended.json() as Cell;
  assert.deepEqual(
    { ...cell, id: "" },
    {
      id: "",
      type: "python",
      code: "c",
      name: null,
      status: "idle",
      stdout: "",
      stderr: "",
      outputs: [],
      error: null,
      reads: ["c"], // `c` alone reads a global named c
      writes: [],
      executionCount: null,
      lastRunMs: null,
      blockedBy: null,
    },
  );
  assert.equal(
    (await api.request(alice, "POST", cells, { type: "markdown", code: "# top", index: 0 })).statusCode,
    201,
  );
  assert.equal(
    (await api.request(alice, "POST", cells, { type: "sql", name: "q", index: 2 })).statusCode,
    201,
  );
  assert.equal(
    (await api.request(alice, "POST", cells, { type: "python", code: "z", index: 999 })).statusCode,
    201,
  );
  assert.deepEqual(await codesOf(api, notebook.id, alice), ["# top", "a", "", "b", "c", "z"]);
  const after = (await api.request(alice, "GET", `${NOTEBOOKS}/${notebook.id}`)).json() as Notebook;
  assert.equal(after.revision, 4);
  assert.equal(after.cells[2]?.name, "q");
});

test("PATCH a cell changes its code and name and moves the revision; ifRevision guards against lost updates", async () => {
  const { alice } = freshUsers();
  const notebook = await notebookWith(api, ["x = 1"], alice);
  const url = `${NOTEBOOKS}/${notebook.id}/cells/${notebook.cells[0]?.id}`;
  const edited = await api.request(alice, "PATCH", url, { code: "x = 2", ifRevision: 0 });
  assert.equal(edited.statusCode, 200);
  assert.equal(edited.json().code, "x = 2");
  assert.deepEqual(edited.json().reads, []);

  const stale = await api.request(alice, "PATCH", url, { code: "x = 3", ifRevision: 0 });
  assert.equal(stale.statusCode, 409);
  assert.equal(stale.json().error.code, "conflict");
  assert.deepEqual(stale.json().error.details, { currentRevision: 1 });
  assert.deepEqual(await codesOf(api, notebook.id, alice), ["x = 2"], "the refused edit changed nothing");

  const nothing = await api.request(alice, "PATCH", url, { ifRevision: 0 });
  assert.equal(nothing.statusCode, 409, "an empty edit with a stale revision is refused too");
  const fresh = await api.request(alice, "PATCH", url, { ifRevision: 1 });
  assert.equal(fresh.statusCode, 200);
  assert.equal(fresh.json().code, "x = 2");

  const named = await api.request(alice, "PATCH", url, { name: "result" });
  assert.equal(named.json().name, "result");
  const unnamed = await api.request(alice, "PATCH", url, { name: null });
  assert.equal(unnamed.json().name, null);
  assert.equal(
    ((await api.request(alice, "GET", `${NOTEBOOKS}/${notebook.id}`)).json() as Notebook).revision,
    3,
  );
});

test("PATCH with run: true saves the edit with fresh reads/writes and schedules it", async () => {
  const { alice } = freshUsers();
  const notebook = await notebookWith(api, ["x = 1"], alice);
  const url = `${NOTEBOOKS}/${notebook.id}/cells/${notebook.cells[0]?.id}`;
  const response = await api.request(alice, "PATCH", url, { code: "x = y + 5", run: true });
  assert.equal(response.statusCode, 200);
  assert.deepEqual([response.json().reads, response.json().writes], [["y"], ["x"]]);
  await api.request(alice, "PATCH", url, { code: "x = 5" });
  assert.deepEqual(await codesOf(api, notebook.id, alice), ["x = 5"]);
});

test("POST .../move answers the new order; DELETE closes the gap and answers 204", async () => {
  const { alice } = freshUsers();
  const notebook = await notebookWith(api, ["a", "b", "c"], alice);
  const [a, b, c] = notebook.cells.map((cell) => cell.id);
  const base = `${NOTEBOOKS}/${notebook.id}/cells`;
  const moved = await api.request(alice, "POST", `${base}/${a}/move`, { index: 2 });
  assert.equal(moved.statusCode, 200);
  assert.deepEqual(moved.json(), { order: [b, c, a] });
  assert.deepEqual((await api.request(alice, "POST", `${base}/${a}/move`, { index: 0 })).json(), {
    order: [a, b, c],
  });
  assert.deepEqual((await api.request(alice, "POST", `${base}/${c}/move`, { index: 50 })).json(), {
    order: [a, b, c],
  });
  const deleted = await api.request(alice, "DELETE", `${base}/${b}`);
  assert.equal(deleted.statusCode, 204);
  assert.equal(deleted.body, "");
  assert.deepEqual(await codesOf(api, notebook.id, alice), ["a", "c"]);
  assert.equal((await api.request(alice, "DELETE", `${base}/${b}`)).statusCode, 404);
  assert.equal((await api.request(alice, "PATCH", `${base}/${b}`, { code: "x" })).statusCode, 404);
});

test("a cell id from another notebook is a 404 on every cell route, and nothing changes", async () => {
  const { alice } = freshUsers();
  const mine = await notebookWith(api, ["mine"], alice);
  const other = await notebookWith(api, ["other"], alice);
  const foreign = other.cells[0]?.id;
  const routes: ["POST" | "PATCH" | "DELETE", string, unknown?][] = [
    ["PATCH", "", { code: "stolen" }],
    ["POST", "/move", { index: 0 }],
    ["POST", "/run"],
    ["DELETE", ""],
  ];
  for (const [method, suffix, body] of routes) {
    const response = await api.request(
      alice,
      method,
      `${NOTEBOOKS}/${mine.id}/cells/${foreign}${suffix}`,
      body,
    );
    assert.equal(response.statusCode, 404, `${method} ${suffix}`);
    assert.equal(response.json().error.code, "not_found");
    assert.match(response.json().error.message, /No cell/);
  }
  assert.deepEqual(await codesOf(api, other.id, alice), ["other"]);
  assert.equal(((await api.request(alice, "GET", `${NOTEBOOKS}/${mine.id}`)).json() as Notebook).revision, 0);
});

test("another user's notebook is a 403 on every cell route; a missing notebook is a 404", async () => {
  const { alice, bob } = freshUsers();
  const notebook = await notebookWith(api, ["secret = 42"], alice);
  const cellId = notebook.cells[0]?.id;
  const routes: ["POST" | "PATCH" | "DELETE", string, unknown?][] = [
    ["POST", "/cells", { type: "python", code: "print(secret)" }],
    ["PATCH", `/cells/${cellId}`, { code: "secret = 0" }],
    ["POST", `/cells/${cellId}/move`, { index: 0 }],
    ["POST", `/cells/${cellId}/run`],
    ["DELETE", `/cells/${cellId}`],
  ];
  for (const [method, suffix, body] of routes) {
    const theirs = await api.request(bob, method, `${NOTEBOOKS}/${notebook.id}${suffix}`, body);
    assert.equal(theirs.statusCode, 403, `${method} ${suffix}`);
    assert.equal(theirs.json().error.code, "forbidden");
    const missing = await api.request(bob, method, `${NOTEBOOKS}/no-such-notebook${suffix}`, body);
    assert.equal(missing.statusCode, 404, `${method} ${suffix} missing`);
  }
  const after = (await api.request(alice, "GET", `${NOTEBOOKS}/${notebook.id}`)).json() as Notebook;
  assert.deepEqual(
    after.cells.map((cell) => cell.code),
    ["secret = 42"],
  );
  assert.equal(after.revision, 0);
});

test("bad cell bodies are refused with the field named, and store nothing", async () => {
  const { alice } = freshUsers();
  const notebook = await notebookWith(api, ["x = 1"], alice);
  const cells = `${NOTEBOOKS}/${notebook.id}/cells`;
  const cell = `${cells}/${notebook.cells[0]?.id}`;
  const cases: ["POST" | "PATCH", string, unknown, number, string?][] = [
    ["POST", cells, { type: "ruby", code: "" }, 400, "/type"],
    ["POST", cells, { code: "x" }, 400, "/type"],
    ["POST", cells, { type: "python", index: -1 }, 400, "/index"],
    ["POST", cells, { type: "python", index: "0" }, 400, "/index"],
    ["POST", cells, { type: "python", index: 1.5 }, 400, "/index"],
    ["POST", cells, { type: "python", code: "#".repeat(262_145) }, 413],
    ["POST", cells, { type: "python", code: "a\u0000b" }, 400, "/code"],
    ["POST", cells, '{"type":"python"', 400],
    ["PATCH", cell, { code: 42 }, 400, "/code"],
    ["PATCH", cell, { ifRevision: "0" }, 400, "/ifRevision"],
    ["PATCH", cell, { type: "sql" }, 400, "/type"],
    ["PATCH", cell, { code: "#".repeat(300_000) }, 413],
    ["PATCH", cell, { name: "not an identifier" }, 400, "/name"],
    ["PATCH", `${cell}/move`, { index: "1" }, 400, "/index"],
    ["PATCH", cell, { code: "\uDC00" }, 400, "/code"],
  ];
  for (const [method, url, body, status, field] of cases) {
    const realMethod = url.endsWith("/move") ? "POST" : method;
    const response = await api.request(alice, realMethod, url, body);
    assert.equal(
      response.statusCode,
      status,
      `${method} ${JSON.stringify(body).slice(0, 80)}: ${response.body.slice(0, 200)}`,
    );
    if (field) assert.equal(response.json().error.details.field, field);
  }
  const after = (await api.request(alice, "GET", `${NOTEBOOKS}/${notebook.id}`)).json() as Notebook;
  assert.deepEqual(
    after.cells.map((c) => c.code),
    ["x = 1"],
  );
  assert.equal(after.revision, 0);
});

test("code with hostile unicode is stored and returned exactly", async () => {
  const { alice } = freshUsers();
  const notebook = await notebookWith(api, [""], alice);
  const code = `s = '\u202E\u200D👩‍👩‍👧 \t\r\n\u0007\u001b[31m'\n# 256 KiB ok: ${"é".repeat(200_000)}`;
  const url = `${NOTEBOOKS}/${notebook.id}/cells/${notebook.cells[0]?.id}`;
  const response = await api.request(alice, "PATCH", url, { code });
  assert.equal(response.statusCode, 200);
  assert.deepEqual(await codesOf(api, notebook.id, alice), [code]);
});
