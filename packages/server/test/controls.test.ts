// Interactive controls through the real service and a real Pyodide kernel: `rn.ui` displays a control, setting
// it (REST or socket) re-runs the cells that read it but not the cell that made it, its value survives a
// re-run of that cell (unless the constructor's arguments changed), a kernel restart and a reload, and every
// bad value, unknown control and other user's notebook gets its error. One app and one kernel per user. (An
// SQL dashboard driven by controls is in sql-api.test.ts, where the sample database is already up.)
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  type Cell,
  CONTROL_MIME_TYPE,
  type ControlData,
  type Notebook,
  type RunCompleted,
  type ServerEvent,
} from "@reactive-notebook/protocol";
import { listen, TestSocket } from "./helpers/index.js";
import { type ApiClient, freshUsers, openApi } from "./notebooks-fixtures.js";

const NOTEBOOKS = "/api/v1/notebooks";

let api: ApiClient;
let base: string;
before(async () => {
  api = await openApi();
  base = await listen(api.app);
});
after(() => api?.close());

async function create(user: string, codes: string[]): Promise<Notebook> {
  const response = await api.request(user, "POST", NOTEBOOKS, {
    name: "controls",
    cells: codes.map((code) => ({ type: "python", code })),
  });
  assert.equal(response.statusCode, 201, response.body);
  return response.json() as Notebook;
}

async function runAll(user: string, notebookId: string): Promise<RunCompleted> {
  const response = await api.request(user, "POST", `${NOTEBOOKS}/${notebookId}/run?wait=60`);
  assert.equal(response.statusCode, 200, response.body);
  return response.json() as RunCompleted;
}

async function runCell(user: string, notebookId: string, cellId: string): Promise<RunCompleted> {
  const response = await api.request(user, "POST", `${NOTEBOOKS}/${notebookId}/cells/${cellId}/run?wait=60`);
  assert.equal(response.statusCode, 200, response.body);
  return response.json() as RunCompleted;
}

function setControl(
  user: string,
  notebookId: string,
  cellId: string,
  controlId: string,
  value: unknown,
  wait = true,
) {
  const url = `${NOTEBOOKS}/${notebookId}/cells/${cellId}/controls/${controlId}${wait ? "?wait=60" : ""}`;
  return api.request(user, "PUT", url, { value });
}

async function get(user: string, notebookId: string): Promise<Notebook> {
  const response = await api.request(user, "GET", `${NOTEBOOKS}/${notebookId}`);
  assert.equal(response.statusCode, 200, response.body);
  return response.json() as Notebook;
}

const controls = (cell: Cell | undefined) =>
  (cell?.outputs ?? []).filter((o) => o.mimeType === CONTROL_MIME_TYPE).map((o) => o.data as ControlData);
const text = (cell: Cell | undefined) => cell?.outputs.map((o) => o.data).join("|");
const byId = (notebook: Notebook | RunCompleted, id: string) => notebook.cells.find((cell) => cell.id === id);

describe("rn.ui controls in a notebook", () => {
  test("a control assigned to a global shows itself; setting it re-runs its readers, not its cell", async () => {
    const { alice } = freshUsers();
    const notebook = await create(alice, [
      "import rn\nruns = globals().get('runs', 0) + 1\nprint('defining run', runs)\nn = rn.ui.slider(1, 10, label='N')",
      "n.value * 2",
      "import rn as _rn\n_rn.ui.checkbox(True)",
    ]);
    const [defining, reader, other] = notebook.cells.map((cell) => cell.id) as [string, string, string];
    const first = await runAll(alice, notebook.id);
    assert.deepEqual(controls(byId(first, defining)), [
      { id: "0", kind: "slider", label: "N", value: 1, props: { start: 1, stop: 10, step: 1 } },
    ]);
    assert.equal(text(byId(first, reader)), "2");
    assert.deepEqual(controls(byId(first, other))[0]?.kind, "checkbox", "a trailing control shows once");
    assert.equal(byId(first, other)?.outputs.length, 1);

    const socket = await TestSocket.open(base, notebook.id);
    await socket.auth(await api.token(alice));
    const response = await setControl(alice, notebook.id, defining, "0", 7);
    assert.equal(response.statusCode, 200, response.body);
    const run = response.json() as RunCompleted;
    assert.deepEqual(
      run.cells.map((cell) => cell.id),
      [defining, reader],
    );
    assert.equal(text(byId(run, reader)), "14");
    assert.equal(controls(byId(run, defining))[0]?.value, 7, "the stored output shows the new value");
    assert.equal(byId(run, defining)?.stdout, "defining run 1\n", "the defining cell did not run again");
    const event = (await socket.next("control_value")) as Extract<ServerEvent, { type: "control_value" }>;
    assert.deepEqual(
      { cellId: event.cellId, controlId: event.controlId, value: event.value },
      { cellId: defining, controlId: "0", value: 7 },
    );
    const statuses = socket.events.filter((e) => e.type === "cell_status").map((e) => e.cellId);
    assert.ok(!statuses.includes(defining), "no status change of the defining cell");
    socket.terminate();

    // Re-running the defining cell keeps the person's value; changing its arguments resets it.
    const again = await runCell(alice, notebook.id, defining);
    assert.equal(byId(again, defining)?.stdout, "defining run 2\n");
    assert.equal(controls(byId(again, defining))[0]?.value, 7);
    assert.equal(text(byId(again, reader)), "14");
    const edited = await api.request(alice, "PATCH", `${NOTEBOOKS}/${notebook.id}/cells/${defining}`, {
      code: "import rn\nn = rn.ui.slider(1, 20, label='N')",
    });
    assert.equal(edited.statusCode, 200);
    const reset = await runCell(alice, notebook.id, defining);
    assert.equal(controls(byId(reset, defining))[0]?.value, 1, "new arguments: the value starts over");
    assert.equal(text(byId(reset, reader)), "2");
  });

  test("values persist: after a kernel restart the defining cell runs with the stored value, then readers", async () => {
    const { alice } = freshUsers();
    const notebook = await create(alice, [
      "import rn\ncolour = rn.ui.dropdown(['red', 'green', 'blue'], label='Colour')",
      "colour.value.upper()",
    ]);
    const [defining, reader] = notebook.cells.map((cell) => cell.id) as [string, string];
    await runAll(alice, notebook.id);
    assert.equal((await setControl(alice, notebook.id, defining, "0", "green")).statusCode, 200);
    const restarted = await api.request(alice, "POST", `${NOTEBOOKS}/${notebook.id}/kernel/restart`);
    assert.equal(restarted.statusCode, 202);
    const afterRestart = await get(alice, notebook.id);
    assert.equal(controls(byId(afterRestart, defining))[0]?.value, "green", "a reload shows the value");
    // A fresh kernel holds no live control: the set runs the defining cell (with the value), then readers.
    const response = await setControl(alice, notebook.id, defining, "0", "blue");
    assert.equal(response.statusCode, 200, response.body);
    const run = response.json() as RunCompleted;
    assert.deepEqual(
      run.cells.map((cell) => cell.id),
      [defining, reader],
    );
    assert.equal(controls(byId(run, defining))[0]?.value, "blue");
    assert.equal(text(byId(run, reader)), "'BLUE'");
    // And a plain run after another restart restores the stored value.
    await api.request(alice, "POST", `${NOTEBOOKS}/${notebook.id}/kernel/restart`);
    const rerun = await runAll(alice, notebook.id);
    assert.equal(text(byId(rerun, reader)), "'BLUE'");
  });

  test("every bad value gets 422 naming the control; unknown cells and controls 404; others' notebooks 403", async () => {
    const { alice, bob } = freshUsers();
    const notebook = await create(alice, [
      [
        "import rn",
        "s = rn.ui.slider(0, 10, step=2, label='Even')",
        "num = rn.ui.number(start=None, stop=5)",
        "t = rn.ui.text(placeholder='name')",
        "d = rn.ui.dropdown(['a', 'b'])",
        "c = rn.ui.checkbox()",
        "r = rn.ui.radio(['x', 'y'])",
        "b = rn.ui.button('Go')",
      ].join("\n"),
      "(s.value, num.value, t.value, d.value, c.value, r.value, b.value)",
    ]);
    const [defining, reader] = notebook.cells.map((cell) => cell.id) as [string, string];
    await runAll(alice, notebook.id);
    const bad: [string, unknown, RegExp][] = [
      ["0", "4", /Control 0 \(slider "Even"\) of cell .* takes a number/],
      ["0", 12, /takes values up to 10/],
      ["0", -2, /takes values from 0/],
      ["0", 3, /steps of 2 from 0/],
      ["1", 6, /up to 5/],
      ["1", 2.5, /steps of 1 from 0/],
      ["2", 5, /Control 2 \(text\).* takes a string/],
      ["3", "c", /Control 3 \(dropdown\).* takes one of its options \("a", "b"\)/],
      ["4", "true", /takes true or false/],
      ["5", "z", /Control 5 \(radio\)/],
      ["6", -1, /click count/],
      ["6", 1.5, /click count/],
      ["6", true, /click count/],
    ];
    for (const [controlId, value, message] of bad) {
      const response = await setControl(alice, notebook.id, defining, controlId, value);
      assert.equal(response.statusCode, 422, `${controlId}=${JSON.stringify(value)}: ${response.body}`);
      const { error } = response.json() as { error: { code: string; message: string } };
      assert.equal(error.code, "invalid_request");
      assert.match(error.message, message);
    }
    const good: [string, unknown][] = [
      ["0", 4],
      ["1", -7],
      ["2", "Ada'); DROP TABLE x; --"],
      ["3", "b"],
      ["4", true],
      ["5", "y"],
      ["6", 1],
    ];
    for (const [controlId, value] of good) {
      const response = await setControl(alice, notebook.id, defining, controlId, value);
      assert.equal(response.statusCode, 200, `${controlId}=${JSON.stringify(value)}: ${response.body}`);
    }
    const final = await get(alice, notebook.id);
    assert.equal(text(byId(final, reader)), `(4, -7, "Ada'); DROP TABLE x; --", 'b', True, 'y', 1)`);

    assert.equal((await setControl(alice, notebook.id, defining, "99", 1)).statusCode, 404);
    assert.equal((await setControl(alice, notebook.id, reader, "0", 1)).statusCode, 404);
    assert.equal((await setControl(alice, notebook.id, "no-such-cell", "0", 1)).statusCode, 404);
    assert.equal((await setControl(alice, "no-such-notebook", defining, "0", 1)).statusCode, 404);
    assert.equal((await setControl(bob, notebook.id, defining, "0", 4)).statusCode, 403);
    const objectValue = await setControl(alice, notebook.id, defining, "0", { a: 1 });
    assert.equal(
      objectValue.statusCode,
      400,
      "a value that is not a number, string or boolean breaks the schema",
    );
    const extra = await api.request(
      alice,
      "PUT",
      `${NOTEBOOKS}/${notebook.id}/cells/${defining}/controls/0`,
      {
        value: 4,
        other: 1,
      },
    );
    assert.equal(extra.statusCode, 400);
    const badWait = await api.request(
      alice,
      "PUT",
      `${NOTEBOOKS}/${notebook.id}/cells/${defining}/controls/0?wait=99`,
      { value: 4 },
    );
    assert.equal(badWait.statusCode, 400);
    const accepted = await setControl(alice, notebook.id, defining, "0", 6, false);
    assert.equal(accepted.statusCode, 202, accepted.body);
    assert.ok((accepted.json() as { runId: string }).runId);

    // An Idempotency-Key works as on the other PUTs: a retry answers the first answer, with no second run.
    const url = `${NOTEBOOKS}/${notebook.id}/cells/${defining}/controls/6`;
    const key = { "idempotency-key": `click-${notebook.id}` };
    const click = await api.request(alice, "PUT", url, { value: 2 }, key);
    const retried = await api.request(alice, "PUT", url, { value: 2 }, key);
    assert.equal(click.statusCode, 202, click.body);
    assert.equal(retried.headers["idempotent-replayed"], "true");
    assert.equal(retried.body, click.body, "the same run id");
    const mismatch = await api.request(alice, "PUT", url, { value: 3 }, key);
    assert.equal((mismatch.json() as { error: { code: string } }).error.code, "idempotency_mismatch");
  });

  test("the set_control frame: sets the value for every socket; a bad one is an error frame naming the control", async () => {
    const { alice } = freshUsers();
    const notebook = await create(alice, [
      "import rn\nk = rn.ui.slider(0, 1, step=0.1)",
      "round(k.value * 10)",
    ]);
    const [defining, reader] = notebook.cells.map((cell) => cell.id) as [string, string];
    await runAll(alice, notebook.id);
    const token = await api.token(alice);
    const first = await TestSocket.open(base, notebook.id);
    const second = await TestSocket.open(base, notebook.id);
    await first.auth(token);
    await second.auth(token);
    first.send({ type: "set_control", cellId: defining, controlId: "0", value: 0.3 });
    for (const socket of [first, second]) {
      const event = (await socket.next("control_value", 10_000)) as Extract<
        ServerEvent,
        { type: "control_value" }
      >;
      assert.equal(event.value, 0.3);
    }
    await first.until(
      () => first.events.find((e) => e.type === "cell_outputs" && e.cellId === reader),
      "the reader's outputs",
      30_000,
    );
    assert.equal(text(byId(await get(alice, notebook.id), reader)), "3");
    first.send({ type: "set_control", cellId: defining, controlId: "0", value: 0.35 });
    const error = (await first.next("error")) as Extract<ServerEvent, { type: "error" }>;
    assert.equal(error.code, "invalid_request");
    assert.match(error.message, /Control 0 \(slider\).*steps of 0.1/);
    first.send({ type: "set_control", cellId: defining, controlId: "7", value: 1 });
    assert.equal(((await first.next("error")) as Extract<ServerEvent, { type: "error" }>).code, "not_found");
    first.send({ type: "set_control", cellId: defining, controlId: "0" });
    assert.equal(
      ((await first.next("error")) as Extract<ServerEvent, { type: "error" }>).code,
      "invalid_request",
    );
    first.terminate();
    second.terminate();
  });
});
