/**
 * An agent driving notebooks through MCP, with the MCP SDK's own Client against the real service, over both
 * transports: the `reactive-notebook-mcp` bin on stdio and the service's POST /mcp. Each scenario runs on
 * each transport; the client checks every structured result against its tool's output schema.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { TOOLS } from "../src/index.js";
import { call, connect, type Service, startService, type TransportName, textOf } from "./helpers.js";
import {
  type Exchange,
  masked,
  pageTranscript,
  renderTranscript,
  writePageTranscript,
} from "./transcript.js";

interface CellView {
  index: number | null;
  id: string;
  status: string;
  code: string;
  reads: string[];
  writes: string[];
  outputs: { mimeType: string; text: string }[];
  error: { name: string; message: string; traceback?: string } | null;
}

let service: Service;
before(async () => {
  service = await startService();
});
after(() => service?.stop());

/** The cell of a view list whose code is `code`. */
function cellWithCode(cells: CellView[], code: string): CellView {
  const cell = cells.find((c) => c.code === code);
  assert.ok(cell, `no cell with code ${JSON.stringify(code)} in ${JSON.stringify(cells.map((c) => c.code))}`);
  return cell;
}

/** Reads `read()` every 200 ms until `done` holds for its value (or 20 s pass); hands back the last value. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let attempt = 0; attempt < 100 && !done(value); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    value = await read();
  }
  return value;
}

function structured<T>(result: CallToolResult): T {
  assert.equal(result.isError, undefined, textOf(result));
  return result.structuredContent as T;
}

/** A 1×1 PNG, displayed by an object with `_repr_png_` (how a Python library hands the notebook an image). */
const PNG_CELL = [
  "import base64",
  "class Dot:",
  "    def _repr_png_(self):",
  '        return base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")',
  "Dot()",
].join("\n");

for (const transport of ["stdio", "http"] as TransportName[]) {
  describe(`over ${transport}`, () => {
    let alice: Client;
    let bob: Client;
    before(async () => {
      alice = await connect(transport, service, "alice");
      // Bob's stdio server authenticates with a token rather than a dev user: both settings are exercised.
      bob = await connect(transport, service, "bob", { useToken: true });
    });
    after(async () => {
      await alice?.close();
      await bob?.close();
    });

    test("the server lists every tool, each with an input and an output schema", async () => {
      const { tools } = await alice.listTools();
      assert.deepEqual(
        tools.map((tool) => tool.name),
        TOOLS.map((tool) => tool.name),
      );
      for (const tool of tools) {
        assert.equal(tool.inputSchema.type, "object", tool.name);
        assert.equal(tool.outputSchema?.type, "object", tool.name);
        assert.ok((tool.description ?? "").length > 20, tool.name);
      }
      assert.match(alice.getInstructions() ?? "", /re-runs every cell that reads its names/);
    });

    test("x → y → z: after creating it, three tool calls run it, change x with run: true, and read z == 50", async () => {
      const exchanges: Exchange[] = [];
      const record = async (tool: string, args: Record<string, unknown>) => {
        const result = await call(alice, tool, args);
        exchanges.push({ tool, args, result });
        return result;
      };
      const created = structured<{ id: string; cells: CellView[] }>(
        await record("create_notebook", {
          name: "x → y → z",
          cells: [
            { type: "python", code: "x = 10" },
            { type: "python", code: "y = x + 5" },
            { type: "python", code: "z = y * 2\nz" },
          ],
        }),
      );
      const notebookId = created.id;
      assert.deepEqual(
        created.cells.map((cell) => [cell.index, cell.reads, cell.writes]),
        [
          [1, [], ["x"]],
          [2, ["x"], ["y"]],
          [3, ["y"], ["z"]],
        ],
      );

      // 1. Run everything: z shows 30.
      const ran = structured<{ finished: boolean; cells: CellView[] }>(
        await record("run_all", { notebookId }),
      );
      assert.equal(ran.finished, true);
      assert.deepEqual(
        ran.cells.map((cell) => cell.status),
        ["success", "success", "success"],
      );
      assert.deepEqual(cellWithCode(ran.cells, "z = y * 2\nz").outputs, [
        { mimeType: "text/plain", text: "30" },
      ]);

      // 2. Edit x by its position and run it: the answer holds x and every cell downstream, z now 50.
      const edited = await record("edit_cell", { notebookId, cellId: 1, code: "x = 20", run: true });
      const { cell, run } = structured<{ cell: CellView; run: { finished: boolean; cells: CellView[] } }>(
        edited,
      );
      assert.equal(cell.code, "x = 20");
      assert.equal(cell.status, "success");
      assert.equal(run.finished, true);
      assert.deepEqual(run.cells.map((c) => c.code).sort(), ["x = 20", "y = x + 5", "z = y * 2\nz"]);
      const z = cellWithCode(run.cells, "z = y * 2\nz");
      assert.equal(z.index, 3);
      assert.deepEqual(z.outputs, [{ mimeType: "text/plain", text: "50" }]);
      assert.match(textOf(edited), /### Cell 3: python, success[\s\S]*out: 50/);

      // 3. Read the notebook back: the same, for anyone who looks later.
      const read = structured<{ cells: CellView[] }>(await record("get_notebook", { notebookId }));
      assert.deepEqual(read.cells[2]?.outputs, [{ mimeType: "text/plain", text: "50" }]);
      assert.deepEqual(
        read.cells.map((c) => c.status),
        ["success", "success", "success"],
      );

      // The conversation is the one docs/agents.md shows.
      const transcript = renderTranscript(exchanges);
      if (process.env.WRITE_TRANSCRIPT === "1" && transport === "http") await writePageTranscript(transcript);
      assert.equal(
        masked(await pageTranscript()),
        masked(transcript),
        "docs/agents.md's transcript differs: WRITE_TRANSCRIPT=1 npm test -w @reactive-notebook/mcp rewrites it",
      );
    });

    test("errors, tracebacks by position, blocked readers and images reach the model", async () => {
      const { id: notebookId } = structured<{ id: string }>(
        await call(alice, "create_notebook", {
          name: `outputs over ${transport}`,
          cells: [
            { type: "python", code: "a = 1" },
            { type: "python", code: "b = a / 0" },
            { type: "python", code: "print(b)" },
            { type: "python", code: PNG_CELL },
          ],
        }),
      );
      const result = await call(alice, "run_all", { notebookId, waitSeconds: 50 });
      const { cells } = structured<{ cells: CellView[] }>(result);
      const failed = cellWithCode(cells, "b = a / 0");
      assert.equal(failed.status, "error");
      assert.equal(failed.error?.name, "ZeroDivisionError");
      assert.match(failed.error?.traceback ?? "", /File "cell 2", line 1/);
      assert.equal(cellWithCode(cells, "print(b)").status, "blocked");
      assert.match(textOf(result), /blocked by cell 2, which failed/);
      const dot = cellWithCode(cells, PNG_CELL);
      assert.match(
        dot.outputs[0]?.text ?? "",
        /^\[image: image\/png, 1×1 px, \d+ bytes; sent as image content\]$/,
      );
      const images = result.content.filter((block) => block.type === "image");
      assert.equal(images.length, 1);
      assert.equal(images[0]?.type === "image" && images[0].mimeType, "image/png");
    });

    test("a run still going when the wait runs out is reported as running, and interrupt stops it", async () => {
      const { id: notebookId } = structured<{ id: string }>(
        await call(alice, "create_notebook", {
          name: `long run over ${transport}`,
          cells: [{ type: "python", code: "while True:\n    pass" }],
        }),
      );
      const result = await call(alice, "run_cell", { notebookId, cellId: 1, waitSeconds: 1 });
      const run = structured<{ finished: boolean; runId: string; cells: CellView[] }>(result);
      assert.equal(run.finished, false);
      assert.deepEqual(run.cells, []);
      assert.match(textOf(result), /is still running after 1 s/);

      // Interrupt once the cell executes (before, the kernel may still be starting and there is nothing to stop).
      const statusOf = async () =>
        structured<{ cells: CellView[] }>(await call(alice, "get_notebook", { notebookId })).cells[0]?.status;
      assert.equal(await until(statusOf, (status) => status === "running"), "running");
      structured(await call(alice, "interrupt", { notebookId }));
      const status = await until(statusOf, (s) => s !== "running" && s !== "queued");
      assert.equal(status, "error");
    });

    test("cells are added, moved and deleted by id or by position", async () => {
      const { id: notebookId } = structured<{ id: string }>(
        await call(alice, "create_notebook", {
          name: `cells over ${transport}`,
          cells: [{ type: "markdown", code: "# b" }],
        }),
      );
      const added = structured<{ cell: CellView }>(
        await call(alice, "add_cell", { notebookId, type: "markdown", code: "# a", index: 1 }),
      );
      assert.equal(added.cell.index, 1);
      const moved = structured<{ order: string[] }>(
        await call(alice, "move_cell", { notebookId, cellId: added.cell.id, index: 2 }),
      );
      assert.equal(moved.order[1], added.cell.id);
      structured(await call(alice, "delete_cell", { notebookId, cellId: "1" }));
      const left = structured<{ cells: CellView[] }>(await call(alice, "get_notebook", { notebookId }));
      assert.deepEqual(
        left.cells.map((c) => c.code),
        ["# a"],
      );
      const renamed = structured<{ name: string }>(
        await call(alice, "rename_notebook", { notebookId, name: "Renamed" }),
      );
      assert.equal(renamed.name, "Renamed");
      const exported = structured<{ ipynb: { nbformat: number; cells: unknown[] } }>(
        await call(alice, "export_ipynb", { notebookId }),
      );
      assert.equal(exported.ipynb.nbformat, 4);
      assert.equal(exported.ipynb.cells.length, 1);
      structured(await call(alice, "delete_notebook", { notebookId }));
      const gone = await call(alice, "get_notebook", { notebookId });
      assert.equal(gone.isError, true);
      assert.match(textOf(gone), /^not_found: /);
    });

    test("set_control moves a slider: its readers re-run, its cell does not; a bad value names the control", async () => {
      const { id: notebookId } = structured<{ id: string }>(
        await call(alice, "create_notebook", {
          name: "controls",
          cells: [
            { type: "python", code: "import rn\nprint('made')\nn = rn.ui.slider(1, 10, label='N')" },
            { type: "python", code: "n.value * 2" },
          ],
        }),
      );
      const ran = structured<{ cells: CellView[] }>(await call(alice, "run_all", { notebookId }));
      assert.deepEqual(ran.cells[0]?.outputs, [
        {
          mimeType: "application/vnd.reactive-notebook.control+json",
          text: '[control 0: slider "N" = 1, 1 to 10 step 1]',
        },
      ]);
      const set = structured<{ finished: boolean; cells: CellView[] }>(
        await call(alice, "set_control", { notebookId, cellId: 1, controlId: "0", value: 6 }),
      );
      assert.equal(set.finished, true);
      assert.deepEqual(cellWithCode(set.cells, "n.value * 2").outputs, [
        { mimeType: "text/plain", text: "12" },
      ]);
      const bad = await call(alice, "set_control", { notebookId, cellId: 1, controlId: "0", value: 60 });
      assert.equal(bad.isError, true);
      assert.match(textOf(bad), /^invalid_request: Control 0 \(slider "N"\) of cell .* up to 10/);
    });

    test("another user's token gets forbidden on the owner's notebook, for every tool, and changes nothing", async () => {
      const { id: notebookId, cells } = structured<{ id: string; cells: CellView[] }>(
        await call(alice, "create_notebook", {
          name: "Alice's",
          cells: [{ type: "python", code: "secret = 42" }],
        }),
      );
      const cellId = cells[0]?.id as string;
      const attempts: [string, Record<string, unknown>][] = [
        ["get_notebook", { notebookId }],
        ["rename_notebook", { notebookId, name: "Bob's now" }],
        ["add_cell", { notebookId, type: "python", code: "print(secret)", run: true }],
        ["edit_cell", { notebookId, cellId, code: "secret = 0", run: true }],
        ["edit_cell", { notebookId, cellId: 1, code: "secret = 0" }],
        ["move_cell", { notebookId, cellId, index: 1 }],
        ["run_cell", { notebookId, cellId }],
        ["run_all", { notebookId }],
        ["set_control", { notebookId, cellId, controlId: "0", value: 1 }],
        ["interrupt", { notebookId }],
        ["restart_kernel", { notebookId }],
        ["set_database", { notebookId, connectionString: null }],
        ["export_ipynb", { notebookId }],
        ["delete_cell", { notebookId, cellId }],
        ["delete_notebook", { notebookId }],
      ];
      for (const [name, args] of attempts) {
        const result = await call(bob, name, args);
        assert.equal(result.isError, true, `${name}: ${textOf(result)}`);
        assert.match(textOf(result), /^forbidden: /, name);
        assert.equal(result.structuredContent, undefined, name);
      }
      await assert.rejects(bob.readResource({ uri: `notebook://${notebookId}` }), /forbidden/);
      const listed = structured<{ notebooks: { id: string }[] }>(await call(bob, "list_notebooks", {}));
      assert.ok(!listed.notebooks.some((n) => n.id === notebookId));
      const { resources } = await bob.listResources();
      assert.ok(!resources.some((r) => r.uri === `notebook://${notebookId}`));

      const still = structured<{ name: string; cells: CellView[] }>(
        await call(alice, "get_notebook", { notebookId }),
      );
      assert.equal(still.name, "Alice's");
      assert.deepEqual(
        still.cells.map((c) => [c.code, c.status]),
        [["secret = 42", "idle"]],
      );
    });

    test("bad arguments are tool errors naming the field", async () => {
      const { id: notebookId } = structured<{ id: string }>(
        await call(alice, "create_notebook", { name: `bad arguments over ${transport}` }),
      );
      const cases: [string, Record<string, unknown>, RegExp][] = [
        ["create_notebook", {}, /"name" is required/],
        ["create_notebook", { name: "n", cells: [{ type: "python" }] }, /"cells\[0\]\.code" is required/],
        [
          "add_cell",
          { notebookId, type: "ruby", code: "" },
          /"type" is invalid: Expected "python" or "sql" or "markdown"/,
        ],
        ["edit_cell", { notebookId, cellId: 0, code: "x = 1" }, /"cellId" is invalid/],
        ["edit_cell", { notebookId, cellId: 1 }, /"code" is required/],
        ["get_notebook", { notebookId, verbose: true }, /"verbose" is not an argument of get_notebook/],
        ["run_all", { notebookId, waitSeconds: 500 }, /"waitSeconds" is invalid/],
        ["add_cell", { notebookId, type: "sql", code: "select 1", name: "not a name" }, /"name" is invalid/],
      ];
      for (const [name, args, message] of cases) {
        const result = await call(alice, name, args);
        assert.equal(result.isError, true, `${name} ${JSON.stringify(args)}`);
        assert.match(textOf(result), /^invalid_request: Invalid arguments for \w+: /);
        assert.match(textOf(result), message);
      }
      const missing = await call(alice, "run_cell", { notebookId, cellId: 9 });
      assert.equal(missing.isError, true);
      assert.equal(textOf(missing), "not_found: The notebook has 1 cell; there is no cell 9.");
      const unknown = await call(alice, "run_cell", { notebookId, cellId: "no-such-cell" });
      assert.match(textOf(unknown), /^not_found: /);
    });

    test("set_database answers where SQL runs and never the password", async () => {
      const { id: notebookId } = structured<{ id: string }>(
        await call(alice, "create_notebook", { name: `database over ${transport}` }),
      );
      const password = "s3cret-Pa55word";
      const set = await call(alice, "set_database", {
        notebookId,
        connectionString: `postgres://reader:${password}@127.0.0.1:5432/sales`,
      });
      assert.deepEqual(structured(set), {
        configured: true,
        host: "127.0.0.1",
        database: "sales",
        user: "reader",
      });
      assert.equal(
        textOf(set),
        "SQL cells of this notebook now run against PostgreSQL database sales on 127.0.0.1 as reader.",
      );
      const read = await call(alice, "get_notebook", { notebookId });
      const refused = await call(alice, "set_database", {
        notebookId,
        connectionString: `mysql://u:${password}@h/db`,
      });
      assert.equal(refused.isError, true);
      assert.match(textOf(refused), /^invalid_connection: /);
      for (const result of [set, read, refused]) assert.ok(!JSON.stringify(result).includes(password));
      const cleared = await call(alice, "set_database", { notebookId, connectionString: null });
      assert.deepEqual(structured(cleared), { configured: false });
    });

    test("each notebook is a notebook:// resource of its owner, read as the compact view", async () => {
      const { id: notebookId } = structured<{ id: string }>(
        await call(alice, "create_notebook", {
          name: `resource over ${transport}`,
          cells: [{ type: "python", code: "answer = 42" }],
        }),
      );
      const { resources } = await alice.listResources();
      const listed = resources.find((r) => r.uri === `notebook://${notebookId}`);
      assert.equal(listed?.name, `resource over ${transport}`);
      const { resourceTemplates } = await alice.listResourceTemplates();
      assert.deepEqual(
        resourceTemplates.map((t) => t.uriTemplate),
        ["notebook://{notebookId}"],
      );
      const { contents } = await alice.readResource({ uri: `notebook://${notebookId}` });
      const [content] = contents;
      assert.equal(content?.mimeType, "text/markdown");
      assert.match(
        content && "text" in content ? content.text : "",
        /^# Notebook "resource over \w+"[\s\S]*### Cell 1: python, idle[\s\S]*answer = 42/,
      );
      await assert.rejects(
        alice.readResource({ uri: "notebook://00000000-0000-4000-8000-000000000000" }),
        /not_found/,
      );
    });
  });
}
