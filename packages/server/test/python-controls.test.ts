// `import rn` and `rn.ui` in the kernel's Python runtime (real Pyodide, in process): what each constructor
// shows, the constructor checks as a table (bad call → the error a person reads), values kept across re-runs
// unless the arguments change, the server's known values restoring a fresh kernel, and set_control.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { loadRuntime } from "./helpers/python-runtime.js";

interface Output {
  mimeType: string;
  data: unknown;
  metadata?: { args?: string };
}
interface RunResult {
  status: "success" | "error";
  outputs: Output[];
  error: { name: string; message: string } | null;
}
interface RnKernel {
  run_cell(
    cellId: string,
    code: string,
    emit: (kind: string, payload: string) => void,
    controls?: string,
  ): Promise<string>;
  set_control(cellId: string, controlId: string, valueJson: string): string;
  reset(): void;
}

const CONTROL = "application/vnd.reactive-notebook.control+json";
const kernel = await loadRuntime<RnKernel>();

async function run(code: string, cellId = "c", known?: unknown[]): Promise<RunResult> {
  const result = await kernel.run_cell(cellId, `import rn\n${code}`, () => {}, JSON.stringify(known ?? []));
  return JSON.parse(result) as RunResult;
}

async function shown(code: string, cellId = "c", known?: unknown[]) {
  const result = await run(code, cellId, known);
  assert.equal(result.status, "success", JSON.stringify(result.error));
  return result.outputs.filter((o) => o.mimeType === CONTROL).map((o) => o.data);
}

describe("rn.ui constructors", () => {
  const cases: { code: string; data: object }[] = [
    {
      code: "rn.ui.slider(1, 100)",
      data: { id: "0", kind: "slider", label: "", value: 1, props: { start: 1, stop: 100, step: 1 } },
    },
    {
      code: "rn.ui.slider(0, 1, step=0.25, value=0.5, label='Alpha')",
      data: { id: "0", kind: "slider", label: "Alpha", value: 0.5, props: { start: 0, stop: 1, step: 0.25 } },
    },
    {
      code: "rn.ui.number()",
      data: { id: "0", kind: "number", label: "", value: 0, props: { start: null, stop: null, step: 1 } },
    },
    {
      code: "rn.ui.number(stop=-3)",
      data: { id: "0", kind: "number", label: "", value: -3, props: { start: null, stop: -3, step: 1 } },
    },
    {
      code: "rn.ui.text(placeholder='Your name')",
      data: { id: "0", kind: "text", label: "", value: "", props: { placeholder: "Your name" } },
    },
    {
      code: "rn.ui.textarea('a\\nb', label='Notes')",
      data: { id: "0", kind: "textarea", label: "Notes", value: "a\nb", props: { placeholder: "" } },
    },
    {
      code: "rn.ui.dropdown(['red', 'green'])",
      data: { id: "0", kind: "dropdown", label: "", value: "red", props: { options: ["red", "green"] } },
    },
    {
      code: "rn.ui.radio(('x', 'y'), value='y')",
      data: { id: "0", kind: "radio", label: "", value: "y", props: { options: ["x", "y"] } },
    },
    {
      code: "rn.ui.checkbox(label='On')",
      data: { id: "0", kind: "checkbox", label: "On", value: false, props: {} },
    },
    { code: "rn.ui.button('Go')", data: { id: "0", kind: "button", label: "Go", value: 0, props: {} } },
  ];
  for (const { code, data } of cases) {
    test(`${code} shows itself`, async () => {
      assert.deepEqual(await shown(code), [data]);
    });
  }

  const refused: [string, string][] = [
    ["rn.ui.slider(1, 10, step=0)", "ValueError: slider step must be > 0"],
    ["rn.ui.slider(1, 10, step=-1)", "ValueError: slider step must be > 0"],
    ["rn.ui.slider(10, 1)", "ValueError: slider start must be < stop (got start=10, stop=1)"],
    ["rn.ui.slider(1, 10, value=11)", "ValueError: slider value 11 is above stop 10"],
    ["rn.ui.slider(1, 10, value=0)", "ValueError: slider value 0 is below start 1"],
    ["rn.ui.slider(0, 10, step=3, value=4)", "ValueError: slider value 4 is not on a step of 3 from 0"],
    ["rn.ui.slider('1', 10)", "TypeError: slider start must be a number, not str"],
    ["rn.ui.slider(True, 10)", "TypeError: slider start must be a number, not bool"],
    ["rn.ui.slider(1, float('inf'))", "ValueError: slider stop must be finite"],
    ["rn.ui.slider(1, 10, label=3)", "TypeError: slider label must be a string, not int"],
    ["rn.ui.number(value=2.5)", "ValueError: number value 2.5 is not on a step of 1 from 0"],
    ["rn.ui.number(start=5, stop=5)", "ValueError: number start must be < stop (got start=5, stop=5)"],
    ["rn.ui.number(step=0)", "ValueError: number step must be > 0"],
    ["rn.ui.text(5)", "TypeError: text value must be a string, not int"],
    ["rn.ui.textarea(placeholder=None)", "TypeError: textarea placeholder must be a string, not NoneType"],
    ["rn.ui.dropdown([])", "ValueError: dropdown options must not be empty"],
    ["rn.ui.dropdown('abc')", "TypeError: dropdown options must be a list of strings, not str"],
    ["rn.ui.dropdown(['a', 1])", "TypeError: dropdown options must be strings, not int (1)"],
    ["rn.ui.dropdown(['a', 'a'])", "ValueError: dropdown options must be unique"],
    ["rn.ui.dropdown(['a', 'b'], value='c')", "ValueError: dropdown value 'c' is not one of its options"],
    ["rn.ui.radio([])", "ValueError: radio options must not be empty"],
    ["rn.ui.checkbox(1)", "TypeError: checkbox value must be True or False, not int"],
    ["rn.ui.button(None)", "TypeError: button label must be a string, not NoneType"],
    ["rn.ui.button()", "TypeError: button() missing 1 required positional argument: 'label'"],
  ];
  for (const [code, error] of refused) {
    test(`${code} raises ${error.split(":")[0]}`, async () => {
      const result = await run(code);
      assert.equal(result.status, "error");
      assert.equal(`${result.error?.name}: ${result.error?.message}`, error);
    });
  }
});

describe("rn.ui controls in runs", () => {
  test("ids follow creation order; .value reads the value; display() and the trailing expression show once", async () => {
    const data = await shown(
      "a = rn.ui.slider(1, 5)\nb = rn.ui.text('hi')\ndisplay(b)\nrn.ui.checkbox()\n",
      "ids",
    );
    assert.deepEqual(
      data.map((d) => [(d as { id: string }).id, (d as { kind: string }).kind]),
      [
        ["1", "text"],
        ["2", "checkbox"],
        ["0", "slider"],
      ],
      "displayed ones where they were shown, then the rest in creation order",
    );
    const value = await run("(a.value, b.value, a.kind, a.id)", "reader");
    assert.deepEqual(value.outputs, [{ mimeType: "text/plain", data: "(1, 'hi', 'slider', '0')" }]);
  });

  test("another cell shows a control as text: its id belongs to its own cell", async () => {
    await shown("s = rn.ui.slider(1, 5, label='S')", "owner");
    const other = await run("s", "other");
    assert.deepEqual(other.outputs, [{ mimeType: "text/plain", data: "slider(value=1, label='S')" }]);
  });

  test("set_control sets the live value without running the cell; a re-run keeps it unless the arguments change", async () => {
    await shown("k = rn.ui.slider(0, 10)", "keep");
    assert.equal(kernel.set_control("keep", "0", "6"), "true");
    assert.equal((await run("k.value", "r")).outputs[0]?.data, "6");
    assert.equal(kernel.set_control("keep", "9", "6"), "false", "no such control");
    assert.equal(kernel.set_control("nobody", "0", "6"), "false", "no such cell");
    assert.equal(kernel.set_control("keep", "0", "60"), "false", "out of range: the value stays");
    assert.equal((await run("k.value", "r")).outputs[0]?.data, "6");
    assert.deepEqual(await shown("k = rn.ui.slider(0, 10)", "keep"), [
      { id: "0", kind: "slider", label: "", value: 6, props: { start: 0, stop: 10, step: 1 } },
    ]);
    const changed = await shown("k = rn.ui.slider(0, 20)", "keep");
    assert.equal((changed[0] as { value: number }).value, 0, "new arguments: the value starts over");
  });

  test("the server's known values restore a control in a fresh kernel when the arguments match", async () => {
    const first = await run("w = rn.ui.dropdown(['a', 'b', 'c'])", "fresh");
    const args = first.outputs[0]?.metadata?.args;
    assert.match(String(args), /^[0-9a-f]{16}$/);
    kernel.reset();
    const restored = await shown("w = rn.ui.dropdown(['a', 'b', 'c'])", "fresh", [
      { id: "0", args, value: "c" },
    ]);
    assert.equal((restored[0] as { value: string }).value, "c");
    kernel.reset();
    const other = await shown("w = rn.ui.dropdown(['a', 'b'])", "fresh", [{ id: "0", args, value: "c" }]);
    assert.equal(
      (other[0] as { value: string }).value,
      "a",
      "other arguments: the known value does not apply",
    );
    const invalid = await shown("w = rn.ui.dropdown(['a', 'b', 'c'])", "fresh", [
      { id: "0", args, value: 7 },
    ]);
    assert.equal((invalid[0] as { value: string }).value, "a", "a known value that does not fit is ignored");
  });

  test("a button counts clicks; an integer slider reads integers", async () => {
    await shown("go = rn.ui.button('Go')\nn = rn.ui.slider(1, 10)", "btn");
    assert.equal(kernel.set_control("btn", "0", "1"), "true");
    assert.equal(kernel.set_control("btn", "1", "4.0"), "true");
    assert.equal(
      (await run("(go.value, n.value, type(n.value).__name__)", "r")).outputs[0]?.data,
      "(1, 4, 'int')",
    );
  });

  test("an object of the user's own that claims the control type shows its next representation", async () => {
    const result = await run(
      `class Fake:
    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"${CONTROL}": {"id": "0"}, "text/plain": "fake"}
Fake()`,
      "fake",
    );
    assert.deepEqual(result.outputs, [{ mimeType: "text/plain", data: "fake" }]);
  });

  test("rn is there without an import, like display", async () => {
    const result = JSON.parse(
      await kernel.run_cell("bare", "m = rn.ui.slider(1, 3)\nm.value", () => {}),
    ) as RunResult;
    assert.equal(result.status, "success", JSON.stringify(result.error));
    assert.deepEqual(
      result.outputs.map((o) => o.mimeType),
      ["text/plain", CONTROL],
    );
  });

  test(".value is read-only in Python", async () => {
    await shown("ro = rn.ui.checkbox()", "ro");
    const result = await run("ro.value = True", "r");
    assert.equal(result.error?.name, "AttributeError");
  });
});
