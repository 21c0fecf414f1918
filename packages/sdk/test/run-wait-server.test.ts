/**
 * The run methods' `wait` option against the real service: a run that ends in time answers every cell it
 * touched in its final state; one still going when the wait runs out answers just its id.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type Cell, devTokenProvider, NotebookClient } from "../src/index.js";
import { type RealServer, startRealServer } from "./session-server.js";

let server: RealServer;
let client: NotebookClient;

before(async () => {
  server = await startRealServer();
  client = new NotebookClient({ baseUrl: server.url, getToken: devTokenProvider(server.url, "alice") });
});
after(() => server?.dispose());

const shown = (cells: Cell[], code: string) =>
  cells.find((cell) => cell.code === code)?.outputs.find((output) => output.mimeType === "text/plain")?.data;

test("running x with wait answers x and every cell downstream of it, in their final state", async () => {
  const notebook = await client.notebooks.create({
    cells: [
      { type: "python", code: "x = 10" },
      { type: "python", code: "y = x + 5" },
      { type: "python", code: "z = y * 2\nz" },
    ],
  });
  const all = await client.notebooks.run(notebook.id, { wait: 60 });
  assert.ok("cells" in all, "the first run (kernel start included) ends within 60 s");
  assert.equal(shown(all.cells, "z = y * 2\nz"), "30");

  const x = notebook.cells[0] as Cell;
  await client.cells.update(notebook.id, x.id, { code: "x = 20" });
  const rerun = await client.cells.run(notebook.id, x.id, { wait: 60 });
  assert.ok("cells" in rerun);
  assert.deepEqual(rerun.cells.map((cell) => cell.code).sort(), ["x = 20", "y = x + 5", "z = y * 2\nz"]);
  assert.ok(rerun.cells.every((cell) => cell.status === "success"));
  assert.equal(shown(rerun.cells, "z = y * 2\nz"), "50");
  assert.ok(rerun.ms >= 0);
});

test("a run still going when the wait runs out answers its run id alone", async () => {
  const notebook = await client.notebooks.create({
    cells: [{ type: "python", code: "while True:\n    pass" }],
  });
  const result = await client.notebooks.run(notebook.id, { wait: 1 });
  assert.deepEqual(Object.keys(result), ["runId"]);
  await client.notebooks.interrupt(notebook.id);
});

test("cells.setControl with wait answers the control's cell and its readers once they re-ran", async () => {
  const notebook = await client.notebooks.create({
    cells: [
      { type: "python", code: "import rn\nword = rn.ui.text(value='hi')" },
      { type: "python", code: "word.value.upper()" },
    ],
  });
  const [text, upper] = notebook.cells as [Cell, Cell];
  await client.notebooks.run(notebook.id, { wait: 60 });
  const started = await client.cells.setControl(notebook.id, text.id, "0", "hello");
  assert.deepEqual(Object.keys(started), ["runId"]);
  const result = await client.cells.setControl(notebook.id, text.id, "0", "bye", { wait: 60 });
  assert.ok("cells" in result);
  assert.equal(shown(result.cells, upper.code), "'BYE'");
});
