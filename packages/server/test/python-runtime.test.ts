// The kernel's Python runtime (rn_kernel) in real Pyodide: running cells, displaying values,
// streaming output, reporting errors and moving values in and out of the notebook's globals.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadRuntime } from "./helpers/python-runtime.js";

interface Output {
  mimeType: string;
  data: string | object;
  metadata?: Record<string, unknown>;
}
interface RunResult {
  status: "success" | "error";
  outputs: Output[];
  error: { name: string; message: string; traceback: string } | null;
}
interface RnKernel {
  run_cell(cellId: string, code: string, emit: (kind: string, payload: string) => void): Promise<string>;
  delete_names(namesJson: string): void;
  set_variable(name: string, valueJson: string): void;
  get_values(namesJson: string): string;
  reset(): void;
  missing_imports(code: string): string;
}

const kernel = await loadRuntime<RnKernel>();

/** Runs a cell, returning its result and every event it emitted while running. */
async function run(code: string, cellId = "cell-1") {
  const events: { kind: string; payload: { text?: string } & Partial<Output> }[] = [];
  const result = JSON.parse(
    await kernel.run_cell(cellId, code, (kind, payload) =>
      events.push({ kind, payload: JSON.parse(payload) }),
    ),
  ) as RunResult;
  return { result, events, stdout: events.filter((e) => e.kind === "stdout").map((e) => e.payload.text) };
}

test("a trailing expression is displayed as its repr", async () => {
  const { result, events } = await run("x = 40\nx + 2");
  assert.equal(result.status, "success");
  assert.deepEqual(result.outputs, [{ mimeType: "text/plain", data: "42" }]);
  assert.deepEqual(events, [{ kind: "display", payload: { mimeType: "text/plain", data: "42" } }]);
});

test("a trailing None displays nothing, nor does an assignment", async () => {
  assert.deepEqual((await run("None")).result.outputs, []);
  assert.deepEqual((await run("print")).result.outputs.length, 1);
  assert.deepEqual((await run("y = 1")).result.outputs, []);
});

test("a trailing expression ending with a semicolon is not displayed", async () => {
  assert.deepEqual((await run("1 + 1;")).result.outputs, []);
});

test("the notebook's globals persist between cells", async () => {
  await run("counter = 1");
  assert.deepEqual((await run("counter + 1", "cell-2")).result.outputs, [
    { mimeType: "text/plain", data: "2" },
  ]);
});

test("display() shows several objects in order, before the trailing value", async () => {
  const { result } = await run("display(1, 'two', [3])\n'last'");
  assert.deepEqual(
    result.outputs.map((o) => o.data),
    ["1", "'two'", "[3]", "'last'"],
  );
});

const reprClass = `
class Rich:
    def __init__(self, skip=()):
        self.skip = skip
    def _call(self, name, value):
        if name in self.skip:
            return None
        return value
    def _repr_mimebundle_(self, include=None, exclude=None):
        return self._call("bundle", ({"text/html": "<i>bundle</i>", "text/plain": "plain"}, {"text/html": {"isolated": True}}))
    def _repr_html_(self):
        return self._call("html", "<b>html</b>")
    def _repr_markdown_(self):
        return self._call("markdown", "**md**")
    def _repr_svg_(self):
        return self._call("svg", "<svg></svg>")
    def _repr_png_(self):
        return self._call("png", b"\\x89PNG")
    def _repr_json_(self):
        return self._call("json", {"a": [1, 2]})
    def __repr__(self):
        return "Rich()"
`;

test("each _repr_*_ method is used in priority order", async () => {
  await run(reprClass, "classes");
  const skips = ["bundle", "html", "markdown", "svg", "png", "json"];
  const expected: Output[] = [
    { mimeType: "text/html", data: "<i>bundle</i>", metadata: { isolated: true } },
    { mimeType: "text/html", data: "<b>html</b>" },
    { mimeType: "text/markdown", data: "**md**" },
    { mimeType: "image/svg+xml", data: "<svg></svg>" },
    { mimeType: "image/png", data: Buffer.from("\x89PNG", "latin1").toString("base64") },
    { mimeType: "application/json", data: { a: [1, 2] } },
    { mimeType: "text/plain", data: "Rich()" },
  ];
  for (let i = 0; i < expected.length; i++) {
    const { result } = await run(`Rich(skip=${JSON.stringify(skips.slice(0, i))})`);
    assert.deepEqual(
      result.outputs,
      [expected[i]],
      `after skipping ${skips.slice(0, i).join(", ") || "nothing"}`,
    );
  }
});

test("a _repr_html_ that raises falls back to the next representation", async () => {
  const { result } = await run(
    "class Broken:\n    def _repr_html_(self):\n        raise RuntimeError('no')\n    def __repr__(self):\n        return 'Broken()'\nBroken()",
  );
  assert.equal(result.status, "success");
  assert.deepEqual(result.outputs, [{ mimeType: "text/plain", data: "Broken()" }]);
});

test("a class object is displayed by repr, not through its unbound _repr_html_", async () => {
  await run(reprClass, "classes");
  assert.deepEqual((await run("Rich")).result.outputs, [
    { mimeType: "text/plain", data: "<class '__main__.Rich'>" },
  ]);
});

test("stdout and stderr are streamed in chunks while the cell runs", async () => {
  const { result, events, stdout } = await run(
    "import sys, time\nprint('first')\nprint('oops', file=sys.stderr)\ntime.sleep(0.1)\nprint('second')",
  );
  assert.equal(result.status, "success");
  assert.ok(stdout.length >= 2, `chunks: ${JSON.stringify(stdout)}`);
  assert.equal(stdout.join(""), "first\nsecond\n");
  assert.deepEqual(
    events.filter((e) => e.kind === "stderr").map((e) => e.payload.text),
    ["oops\n"],
  );
});

test("a partial line is sent when the cell ends", async () => {
  assert.deepEqual((await run("print('no newline', end='')")).stdout, ["no newline"]);
});

test("many quick prints are batched into few chunks", async () => {
  const { stdout } = await run("for i in range(2000):\n    print(i)");
  assert.equal(stdout.join("").split("\n").length, 2001);
  assert.ok(stdout.length < 20, `${stdout.length} chunks`);
});

test("output printed before a display comes first", async () => {
  const { events } = await run("for i in range(3):\n    print(i)\ndisplay('shown')");
  assert.equal(events.at(-1)?.kind, "display");
  assert.equal(
    events
      .slice(0, -1)
      .map((e) => (e.kind === "stdout" ? e.payload.text : "?"))
      .join(""),
    "0\n1\n2\n",
  );
});

test("an interrupt (KeyboardInterrupt) is a cell error", async () => {
  const { result } = await run("raise KeyboardInterrupt");
  assert.equal(result.error?.name, "KeyboardInterrupt");
});

test("top-level await works and the awaited value is displayed", async () => {
  const { result } = await run("import asyncio\nawait asyncio.sleep(0)\n42");
  assert.deepEqual(result, {
    status: "success",
    outputs: [{ mimeType: "text/plain", data: "42" }],
    error: null,
  });
});

test("a trailing await expression is displayed", async () => {
  const { result } = await run(
    "import asyncio\nasync def answer():\n    await asyncio.sleep(0.01)\n    return 'done'\nawait answer()",
  );
  assert.deepEqual(result.outputs, [{ mimeType: "text/plain", data: "'done'" }]);
});

test("a NameError comes back with a traceback trimmed to the cell and its line numbers", async () => {
  const { result } = await run("a = 1\nb = 2\nc = undefined_thing + 1", "cell-err");
  assert.equal(result.status, "error");
  assert.equal(result.error?.name, "NameError");
  assert.equal(result.error?.message, "name 'undefined_thing' is not defined");
  const traceback = result.error?.traceback ?? "";
  assert.match(
    traceback,
    /^Traceback \(most recent call last\):\n {2}File "<cell cell-err>", line 3, in <module>/,
  );
  assert.doesNotMatch(traceback, /rn_execute|rn_kernel|_pyodide|\/rn\//);
});

test("a traceback through a function defined in another cell shows that cell's line", async () => {
  await run("def fail():\n    x = 1\n    raise ValueError('bad value')", "cell-def");
  const { result } = await run("fail()", "cell-call");
  assert.equal(result.error?.name, "ValueError");
  const traceback = result.error?.traceback ?? "";
  assert.match(traceback, /File "<cell cell-call>", line 1, in <module>/);
  assert.match(traceback, /File "<cell cell-def>", line 3, in fail\n {4}raise ValueError\('bad value'\)/);
});

test("output before an error is kept", async () => {
  const { result, stdout } = await run("print('before')\n1 / 0");
  assert.equal(result.error?.name, "ZeroDivisionError");
  assert.deepEqual(stdout, ["before\n"]);
});

test("a SyntaxError is reported with its line and column", async () => {
  const { result } = await run("x = 1\ny = (2 +\n", "cell-syntax");
  assert.equal(result.status, "error");
  assert.equal(result.error?.name, "SyntaxError");
  assert.match(result.error?.message ?? "", /\(line 2, column 5\)$/);
  assert.match(result.error?.traceback ?? "", /<cell cell-syntax>/);
});

test("hostile nesting is an error, and the kernel keeps running", async () => {
  const { result } = await run(`${"1+".repeat(100000)}1`);
  assert.equal(result.error?.name, "SyntaxError");
  assert.deepEqual((await run("6 * 7")).result.outputs, [{ mimeType: "text/plain", data: "42" }]);
});

test("SystemExit is a cell error, not the end of the kernel", async () => {
  const { result } = await run("import sys\nsys.exit(3)");
  assert.equal(result.error?.name, "SystemExit");
  assert.equal((await run("1")).result.status, "success");
});

test("delete_names removes names from the globals, ignoring missing ones", async () => {
  await run("gone = 1\nkept = 2");
  kernel.delete_names(JSON.stringify(["gone", "never_defined"]));
  assert.equal((await run("gone")).result.error?.name, "NameError");
  assert.deepEqual((await run("kept")).result.outputs, [{ mimeType: "text/plain", data: "2" }]);
});

test("set_variable and get_values round-trip JSON values, dates and missing names", async () => {
  const rows = [
    {
      id: 1,
      name: "a",
      born: { $date: "2020-01-02" },
      at: { $datetime: "2020-01-02T03:04:05" },
      ok: true,
      none: null,
    },
  ];
  kernel.set_variable("rows", JSON.stringify(rows));
  const { result } = await run(
    "(type(rows).__name__, type(rows[0]['born']).__name__, type(rows[0]['at']).__name__)",
  );
  assert.deepEqual(result.outputs, [{ mimeType: "text/plain", data: "('list', 'date', 'datetime')" }]);
  await run(
    "import datetime\nn = 3\nf = 1.5\ns = 'text'\nflag = False\nnothing = None\nday = datetime.date(2024, 2, 29)\nmoment = datetime.datetime(2024, 2, 29, 12, 30)\nitems = [1, 'b', None, day]\npair = (True, 2.5)\nobj = object()",
  );
  const values = JSON.parse(
    kernel.get_values(
      JSON.stringify(["n", "f", "s", "flag", "nothing", "day", "moment", "items", "pair", "obj", "absent"]),
    ),
  );
  assert.deepEqual(values, {
    values: {
      n: 3,
      f: 1.5,
      s: "text",
      flag: false,
      nothing: null,
      day: { $date: "2024-02-29" },
      moment: { $datetime: "2024-02-29T12:30:00" },
      items: [1, "b", null, { $date: "2024-02-29" }],
      pair: [true, 2.5],
      obj: { $unsupported: "object" },
    },
    missing: ["absent"],
  });
});

test("reset clears every user global but keeps display", async () => {
  await run("before_reset = 1");
  kernel.reset();
  assert.equal((await run("before_reset")).result.error?.name, "NameError");
  assert.deepEqual((await run("display('still here')")).result.outputs, [
    { mimeType: "text/plain", data: "'still here'" },
  ]);
  assert.deepEqual((await run("__name__")).result.outputs, [{ mimeType: "text/plain", data: "'__main__'" }]);
});

test("missing_imports lists the modules that cannot be imported yet", () => {
  const code =
    "import json\nimport numpy as np\nfrom pandas.io import sql\nfrom . import local\ndef f():\n    import scipy.stats";
  assert.deepEqual(JSON.parse(kernel.missing_imports(code)), ["numpy", "pandas", "scipy"]);
  assert.deepEqual(JSON.parse(kernel.missing_imports("x = (")), []);
});

test("a trivial cell costs well under a millisecond of Python", async () => {
  // Measured inside Python (the JS <-> Python round trip belongs to the kernel worker).
  const { stdout } = await run(
    [
      "import json, time, rn_execute",
      "def _quiet(kind, payload): pass",
      "def _once():",
      "    coroutine = rn_execute.run_cell('fast', 'x = 1', _quiet)",
      "    try:",
      "        coroutine.send(None)",
      "    except StopIteration as stop:",
      "        return stop.value",
      "_once()",
      "_started = time.perf_counter()",
      "for _ in range(500):",
      "    _result = _once()",
      "print(json.dumps([_result, (time.perf_counter() - _started) / 500 * 1000]))",
    ].join("\n"),
  );
  const [cellResult, ms] = JSON.parse(stdout.join("")) as [string, number];
  assert.deepEqual(JSON.parse(cellResult), { status: "success", outputs: [], error: null });
  assert.ok(ms < 0.5, `${ms.toFixed(3)} ms of Python per trivial cell`);
});
