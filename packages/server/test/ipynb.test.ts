// Jupyter interchange: export to nbformat 4 and import back, with outputs, errors and sql cells surviving
// the round trip, and documents from Jupyter itself (bundles, raw cells, ANSI tracebacks) read sensibly.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import {
  type IpynbNotebook,
  type Notebook,
  STREAM_CAP_BYTES,
  TRUNCATED_LINE,
} from "@reactive-notebook/protocol";
import { type ApiClient, freshUsers, openApi } from "./notebooks-fixtures.js";

const NOTEBOOKS = "/api/v1/notebooks";
const api = await openApi();
after(() => api.close());

/** A notebook that has run: results are saved through the store as the runtime would. */
async function ranNotebook(api: ApiClient, owner: string): Promise<Notebook> {
  const created = (
    await api.request(owner, "POST", NOTEBOOKS, {
      name: "Quarterly report ✓",
      cells: [
        { type: "markdown", code: "# Report\n\nNumbers below." },
        { type: "python", code: "x = 20\nprint('hello')\nx * 2" },
        { type: "sql", code: "select *\nfrom sales\nwhere amount > {x}", name: "big_sales" },
        { type: "sql", code: "select 1" },
        { type: "python", code: "1 / 0" },
      ],
    })
  ).json() as Notebook;
  const [, py, sql, , failing] = created.cells.map((cell) => cell.id) as string[];
  await api.app.store.saveCellResult(created.id, py as string, {
    status: "success",
    stdout: "hello\nworld\n",
    stderr: "careful\n",
    outputs: [
      { mimeType: "text/plain", data: "40" },
      { mimeType: "text/html", data: "<b>40</b>\n<i>forty</i>" },
      { mimeType: "image/png", data: "iVBORw0KGgo=", metadata: { width: 10 } },
      { mimeType: "application/json", data: { a: [1, 2] } },
    ],
    error: null,
    executionCount: 3,
    lastRunMs: 5,
  });
  await api.app.store.saveCellResult(created.id, sql as string, {
    status: "success",
    outputs: [
      {
        mimeType: "application/vnd.reactive-notebook.table+json",
        data: { columns: [{ name: "amount", type: "int4" }], rows: [[50]], rowCount: 1, truncated: false },
      },
    ],
    executionCount: 4,
  });
  await api.app.store.saveCellResult(created.id, failing as string, {
    status: "error",
    error: {
      name: "ZeroDivisionError",
      message: "division by zero",
      traceback:
        'Traceback (most recent call last):\n  File "<cell>", line 1\nZeroDivisionError: division by zero',
    },
    executionCount: 5,
  });
  return (await api.request(owner, "GET", `${NOTEBOOKS}/${created.id}`)).json() as Notebook;
}

test("export answers an nbformat 4 document with outputs, errors and %%sql cells", async () => {
  const { alice } = freshUsers();
  const notebook = await ranNotebook(api, alice);
  const response = await api.request(alice, "GET", `${NOTEBOOKS}/${notebook.id}/export?format=ipynb`);
  assert.equal(response.statusCode, 200);
  assert.match(String(response.headers["content-type"]), /^application\/json/);
  assert.match(
    String(response.headers["content-disposition"]),
    /^attachment; filename="Quarterly report _.ipynb"/,
  );
  const document = response.json() as IpynbNotebook;
  assert.equal(document.nbformat, 4);
  assert.equal(document.nbformat_minor, 5);
  assert.deepEqual(
    document.cells.map((cell) => cell.cell_type),
    ["markdown", "code", "code", "code", "code"],
  );
  assert.deepEqual(document.cells[0]?.source, ["# Report\n", "\n", "Numbers below."]);
  const [, py, sql, unnamedSql, failing] = document.cells;
  assert.equal(py?.execution_count, 3);
  assert.deepEqual(py?.outputs?.slice(0, 3), [
    { output_type: "stream", name: "stdout", text: ["hello\n", "world\n"] },
    { output_type: "stream", name: "stderr", text: ["careful\n"] },
    { output_type: "display_data", data: { "text/plain": ["40"] }, metadata: {} },
  ]);
  assert.deepEqual(py?.outputs?.[4], {
    output_type: "display_data",
    data: { "image/png": "iVBORw0KGgo=" },
    metadata: { "image/png": { width: 10 } },
  });
  assert.deepEqual(sql?.source, ["%%sql big_sales\n", "select *\n", "from sales\n", "where amount > {x}"]);
  assert.deepEqual(sql?.metadata, { reactive_notebook: { type: "sql", name: "big_sales" } });
  assert.deepEqual(unnamedSql?.source, ["%%sql\n", "select 1"]);
  assert.deepEqual(failing?.outputs, [
    {
      output_type: "error",
      ename: "ZeroDivisionError",
      evalue: "division by zero",
      traceback: [
        "Traceback (most recent call last):",
        '  File "<cell>", line 1',
        "ZeroDivisionError: division by zero",
      ],
    },
  ]);
  const bad = await api.request(alice, "GET", `${NOTEBOOKS}/${notebook.id}/export?format=pdf`);
  assert.equal(bad.statusCode, 400);
  const defaulted = await api.request(alice, "GET", `${NOTEBOOKS}/${notebook.id}/export`);
  assert.equal(defaulted.statusCode, 200, "format defaults to ipynb");
});

test("export then import gives back the same cells, outputs and errors, shown as stale", async () => {
  const { alice, bob } = freshUsers();
  const original = await ranNotebook(api, alice);
  const exported = (
    await api.request(alice, "GET", `${NOTEBOOKS}/${original.id}/export?format=ipynb`)
  ).json();
  const response = await api.request(bob, "POST", `${NOTEBOOKS}/import`, exported);
  assert.equal(response.statusCode, 201);
  const imported = response.json() as Notebook;
  assert.notEqual(imported.id, original.id);
  assert.equal(imported.name, original.name);
  assert.equal(imported.revision, 0);
  const comparable = (notebook: Notebook) =>
    notebook.cells.map(({ type, code, name, stdout, stderr, outputs, error, executionCount }) => ({
      type,
      code,
      name,
      stdout,
      stderr,
      outputs,
      error,
      executionCount,
    }));
  assert.deepEqual(comparable(imported), comparable(original));
  assert.deepEqual(
    imported.cells.map((cell) => cell.status),
    ["idle", "stale", "stale", "idle", "stale"],
  );
  const listed = (await api.request(bob, "GET", NOTEBOOKS)).json();
  assert.equal(listed.notebooks[0].id, imported.id, "the import belongs to the caller");
});

test("a document written by Jupyter imports: bundles keep the richest type, raw cells stay verbatim", async () => {
  const { alice } = freshUsers();
  const jupyter = {
    nbformat: 4,
    nbformat_minor: 4,
    metadata: { kernelspec: { name: "python3", display_name: "Python 3", language: "python" } },
    cells: [
      { cell_type: "raw", metadata: {}, source: ["\\begin{equation}\n", "x^2 ```\n", "\\end{equation}"] },
      {
        cell_type: "code",
        execution_count: 7,
        metadata: { scrolled: true },
        source: "import pandas as pd\ndf",
        outputs: [
          {
            output_type: "execute_result",
            execution_count: 7,
            metadata: {},
            data: {
              "text/plain": ["   a\n", "0  1"],
              "text/html": ["<table>\n", "<tr><td>1</td></tr>\n", "</table>"],
            },
          },
          {
            output_type: "display_data",
            metadata: {},
            data: { "image/png": "iVBORw0K\nGgo=\n", "text/plain": ["<Figure>"] },
          },
        ],
      },
      {
        cell_type: "code",
        execution_count: 8,
        metadata: {},
        source: ["%%sql top_customers\n", "select name from customers limit {n}"],
        outputs: [],
      },
      {
        cell_type: "code",
        execution_count: 9,
        metadata: {},
        source: "undefined_name",
        outputs: [
          {
            output_type: "error",
            ename: "NameError",
            evalue: "name 'undefined_name' is not defined",
            traceback: ["\u001b[0;31mNameError\u001b[0m: name 'undefined_name' is not defined"],
          },
        ],
      },
      { cell_type: "markdown", metadata: {}, source: "Plain *markdown*", attachments: {} },
    ],
  };
  const response = await api.request(alice, "POST", `${NOTEBOOKS}/import`, jupyter);
  assert.equal(response.statusCode, 201, response.body);
  const notebook = response.json() as Notebook;
  assert.equal(notebook.name, "Imported notebook");
  const [raw, code, sql, failing, markdown] = notebook.cells;
  assert.equal(raw?.type, "markdown");
  assert.equal(raw?.code, "````\n\\begin{equation}\nx^2 ```\n\\end{equation}\n````");
  assert.equal(code?.type, "python");
  assert.deepEqual(code?.outputs, [
    { mimeType: "text/html", data: "<table>\n<tr><td>1</td></tr>\n</table>" },
    { mimeType: "image/png", data: "iVBORw0KGgo=" },
  ]);
  assert.equal(code?.executionCount, 7);
  assert.equal(code?.status, "stale");
  assert.deepEqual(
    [sql?.type, sql?.name, sql?.code],
    ["sql", "top_customers", "select name from customers limit {n}"],
  );
  assert.equal(sql?.status, "idle");
  assert.deepEqual(failing?.error, {
    name: "NameError",
    message: "name 'undefined_name' is not defined",
    traceback: "NameError: name 'undefined_name' is not defined",
  });
  assert.deepEqual([markdown?.type, markdown?.code], ["markdown", "Plain *markdown*"]);
});

test("import refuses what is not nbformat 4, oversized code, bad sql names and huge bodies", async () => {
  const { alice } = freshUsers();
  const url = `${NOTEBOOKS}/import`;
  const cell = (source: string, metadata = {}) => ({ cell_type: "code", source, metadata, outputs: [] });
  const doc = (cells: unknown[], extra = {}) => ({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells,
    ...extra,
  });
  const cases: [string, unknown, number][] = [
    ["nbformat 3", { nbformat: 3, nbformat_minor: 0, metadata: {}, worksheets: [] }, 400],
    ["not JSON", "{nbformat", 400],
    ["an unknown cell type", doc([{ cell_type: "heading", source: "x", metadata: {} }]), 400],
    ["source of the wrong type", doc([{ cell_type: "code", source: 42, metadata: {} }]), 400],
    ["code over 256 KiB", doc([cell("#".repeat(262_145))]), 413],
    ["NUL in code", doc([cell("x = 1\u0000")]), 400],
    [
      "a bad sql name",
      doc([cell("select 1", { reactive_notebook: { type: "sql", name: "drop table" } })]),
      400,
    ],
    ["a control character in the name", doc([], { metadata: { reactive_notebook: { name: "a\nb" } } }), 400],
    ["too many cells", doc(Array.from({ length: 1001 }, () => cell(""))), 400],
    ["a 10 MiB body", doc([cell("x")], { padding: "x".repeat(10 * 1024 * 1024) }), 413],
  ];
  for (const [what, body, status] of cases) {
    const response = await api.request(alice, "POST", url, body);
    assert.equal(response.statusCode, status, `${what}: ${response.body.slice(0, 200)}`);
  }
  assert.deepEqual((await api.request(alice, "GET", NOTEBOOKS)).json(), { notebooks: [] });
  assert.equal((await api.request(null, "POST", url, doc([]))).statusCode, 401);
  const images = doc([
    {
      ...cell("plot()"),
      outputs: [{ output_type: "display_data", metadata: {}, data: { "image/png": "A".repeat(3_000_000) } }],
    },
  ]);
  assert.equal(
    (await api.request(alice, "POST", url, images)).statusCode,
    201,
    "a 3 MB notebook with images imports",
  );
});

test("an imported notebook's printed text is stored capped like a run's: the newest text behind one marker", async () => {
  const { alice } = freshUsers();
  const line = "0123456789abcdef\n";
  const document: IpynbNotebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      {
        cell_type: "code",
        source: "print('a lot')",
        metadata: {},
        execution_count: 1,
        outputs: [
          { output_type: "stream", name: "stdout", text: line.repeat(200_000) },
          { output_type: "stream", name: "stdout", text: "the end\n" },
        ],
      },
    ],
  };
  const response = await api.request(alice, "POST", "/api/v1/notebooks/import", document);
  assert.equal(response.statusCode, 201, response.body.slice(0, 300));
  const stdout = (response.json() as Notebook).cells[0]?.stdout ?? "";
  assert.equal(stdout.length, STREAM_CAP_BYTES);
  assert.ok(stdout.startsWith(TRUNCATED_LINE));
  assert.ok(stdout.endsWith(`${line}the end\n`));
});
