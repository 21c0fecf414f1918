/** Outputs for a model: each kind of output, stream and error reads as short text; images travel as images. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Output } from "@reactive-notebook/sdk";
import {
  capStream,
  describePlotly,
  describeVegaLite,
  OUTPUT_LIMITS,
  renderError,
  renderOutput,
  stripTags,
} from "../src/index.js";

/** A 3×2 PNG's first bytes (signature and IHDR), enough for its size to be read. */
const PNG_3x2 = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  Buffer.from("IHDR", "latin1"),
  Buffer.from([0, 0, 0, 3, 0, 0, 0, 2, 8, 6, 0, 0, 0]),
]).toString("base64");

const table = (rowCount: number, shown = rowCount) => ({
  mimeType: "application/vnd.reactive-notebook.table+json",
  data: {
    columns: [
      { name: "city", type: "text" },
      { name: "people", type: "int4" },
    ],
    rows: Array.from({ length: shown }, (_, i) => [`city ${i + 1}`, (i + 1) * 1000]),
    rowCount,
    truncated: shown < rowCount,
  },
});

const cases: { name: string; output: Output; text: string | RegExp }[] = [
  { name: "text/plain is itself", output: { mimeType: "text/plain", data: "50" }, text: "50" },
  {
    name: "a small table is a Markdown table after its row count and columns with types",
    output: table(2),
    text: [
      "2 rows, columns: city (text), people (int4)",
      "| city | people |",
      "| --- | --- |",
      "| city 1 | 1000 |",
      "| city 2 | 2000 |",
    ].join("\n"),
  },
  {
    name: "a long table shows its first 20 rows and says how many there are",
    output: table(5000, 1000),
    text: /^5,000 rows, columns: city \(text\), people \(int4\)\n(.*\n){22}\(first 20 of 5,000 rows shown\)$/,
  },
  {
    name: "table cells with pipes and newlines stay in their column",
    output: {
      mimeType: "application/vnd.reactive-notebook.table+json",
      data: { columns: [{ name: "a|b" }], rows: [["x|y\nz"]], rowCount: 1, truncated: false },
    },
    text: "1 row, columns: a|b\n| a\\|b |\n| --- |\n| x\\|y z |",
  },
  {
    name: "a table whose data is not a table falls back to its JSON",
    output: { mimeType: "application/vnd.reactive-notebook.table+json", data: { rows: "nope" } },
    text: '[table] {\n  "rows": "nope"\n}',
  },
  {
    name: "HTML loses its tags, scripts and styles and keeps a note of its type",
    output: {
      mimeType: "text/html",
      data: "<style>p{color:red}</style><h1>Total</h1><p>42 &amp; <b>rising</b></p><script>alert(1)</script>",
    },
    text: "[text/html, tags stripped] Total\n42 & rising",
  },
  {
    name: "HTML tables keep their cells apart",
    output: {
      mimeType: "text/html",
      data: "<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>",
    },
    text: "[text/html, tags stripped] a | b |\n1 | 2 |",
  },
  {
    name: "Markdown with HTML in it loses the tags",
    output: { mimeType: "text/markdown", data: "# Title\n\nSome <span>**bold**</span> text" },
    text: "[text/markdown, tags stripped] # Title\n\nSome **bold** text",
  },
  {
    name: "SVG reads as its text",
    output: { mimeType: "image/svg+xml", data: '<svg width="10"><text x="1">Sales</text><rect/></svg>' },
    text: "[image/svg+xml, tags stripped] Sales",
  },
  {
    name: "SVG without text says so",
    output: { mimeType: "image/svg+xml", data: "<svg><rect/></svg>" },
    text: "[image/svg+xml, tags stripped] (no text)",
  },
  {
    name: "a PNG is described with its size and sent as an image",
    output: { mimeType: "image/png", data: PNG_3x2 },
    text: "[image: image/png, 3×2 px, 29 bytes; sent as image content]",
  },
  {
    name: "a Vega-Lite chart is one line describing its spec",
    output: {
      mimeType: "application/vnd.vegalite.v5+json",
      data: {
        title: "Sales by city",
        mark: { type: "bar" },
        data: { values: [{}, {}, {}] },
        encoding: {
          x: { field: "city", type: "nominal" },
          y: { field: "sales", type: "quantitative", aggregate: "sum" },
        },
      },
    },
    text: 'Vega-Lite bar chart; x = city (nominal), y = sum(sales) (quantitative); 3 data rows; title "Sales by city"',
  },
  {
    name: "a Plotly figure is one line naming its traces",
    output: {
      mimeType: "application/vnd.plotly.v1+json",
      data: {
        data: [
          { type: "scatter", name: "a", x: [1, 2, 3], y: [1, 2, 3] },
          { type: "bar", y: [4, 5] },
        ],
        layout: { title: { text: "Growth" } },
      },
    },
    text: 'Plotly chart: 2 traces (scatter "a", 3 points; bar, 2 points); title "Growth"',
  },
  {
    name: "JSON is shown as JSON",
    output: { mimeType: "application/json", data: { a: [1, 2] } },
    text: '[application/json] {\n  "a": [\n    1,\n    2\n  ]\n}',
  },
  {
    name: "a control says its id, kind, label and value",
    output: {
      mimeType: "application/vnd.reactive-notebook.control+json",
      data: { id: "k", kind: "slider", label: "Threshold", value: 3, props: {} },
    },
    text: '[control k: slider "Threshold" = 3]',
  },
  {
    name: "a slider says its range, a dropdown its options (what set_control accepts)",
    output: {
      mimeType: "application/vnd.reactive-notebook.control+json",
      data: { id: "0", kind: "slider", label: "", value: 3, props: { start: 1, stop: 10, step: 1 } },
    },
    text: "[control 0: slider = 3, 1 to 10 step 1]",
  },
  {
    name: "a dropdown's options",
    output: {
      mimeType: "application/vnd.reactive-notebook.control+json",
      data: { id: "1", kind: "dropdown", label: "Colour", value: "red", props: { options: ["red", "blue"] } },
    },
    text: '[control 1: dropdown "Colour" = "red", one of "red", "blue"]',
  },
  {
    name: "an unknown type shows its data under its type",
    output: { mimeType: "text/csv", data: "a,b\n1,2" },
    text: "[text/csv] a,b\n1,2",
  },
];

for (const { name, output, text } of cases) {
  test(`outputs: ${name}`, () => {
    const rendered = renderOutput(output);
    assert.equal(rendered.mimeType, output.mimeType);
    if (typeof text === "string") assert.equal(rendered.text, text);
    else assert.match(rendered.text, text);
  });
}

test("outputs: the PNG itself travels as MCP image content", () => {
  assert.deepEqual(renderOutput({ mimeType: "image/png", data: PNG_3x2 }).image, {
    type: "image",
    data: PNG_3x2,
    mimeType: "image/png",
  });
});

test("outputs: an image over the size limit is described, not sent", () => {
  const huge = "A".repeat(Math.ceil((OUTPUT_LIMITS.imageBytes * 4) / 3) + 8);
  const rendered = renderOutput({ mimeType: "image/png", data: huge });
  assert.equal(rendered.image, undefined);
  assert.match(rendered.text, /over the 977 KB limit, not sent/);
});

test("outputs: long text is cut at the limit, saying how much was cut", () => {
  const rendered = renderOutput({ mimeType: "text/plain", data: "x".repeat(OUTPUT_LIMITS.textChars + 1234) });
  assert.equal(rendered.text, `${"x".repeat(OUTPUT_LIMITS.textChars)}\n[… 1,234 characters cut]`);
});

test("outputs: malformed chart specs still give a line, never a throw", () => {
  assert.equal(describeVegaLite("nope"), "Vega-Lite chart (its spec is not an object)");
  assert.equal(
    describeVegaLite({ layer: [{ mark: "line" }, { mark: "point" }] }),
    "Vega-Lite line + point chart",
  );
  assert.equal(describePlotly([1, 2]), "Plotly chart (its figure is not an object)");
  assert.equal(describePlotly({ data: "x" }), "Plotly chart: 0 traces");
});

test("streams: short ones are kept whole; long ones keep their start and end and say how much was cut", () => {
  assert.equal(capStream("hello\n"), "hello\n");
  const long = `${"a".repeat(OUTPUT_LIMITS.streamHeadChars)}${"b".repeat(5000)}${"c".repeat(OUTPUT_LIMITS.streamTailChars)}`;
  assert.equal(
    capStream(long),
    `${"a".repeat(OUTPUT_LIMITS.streamHeadChars)}\n[… 5,000 characters cut …]\n${"c".repeat(OUTPUT_LIMITS.streamTailChars)}`,
  );
});

test("errors: tracebacks name cells by position, and keep their end when long", () => {
  const id = "0b3f6a2e-1c4d-4e5f-8a9b-0c1d2e3f4a5b";
  const error = {
    name: "ZeroDivisionError",
    message: "division by zero",
    traceback: `Traceback (most recent call last):\n  File "<cell ${id}>", line 1, in <module>\nZeroDivisionError: division by zero\n`,
  };
  assert.deepEqual(renderError(error, new Map([[id, 3]])), {
    ...error,
    traceback:
      'Traceback (most recent call last):\n  File "cell 3", line 1, in <module>\nZeroDivisionError: division by zero\n',
  });
  const long = renderError({ ...error, traceback: `${"frame\n".repeat(2000)}ZeroDivisionError` }, new Map());
  assert.match(long.traceback ?? "", /^\[… 8,017 characters cut …\]\n/);
  assert.ok(long.traceback?.endsWith("ZeroDivisionError"));
  assert.deepEqual(renderError({ name: "CycleError", message: "x → y → x" }, new Map()), {
    name: "CycleError",
    message: "x → y → x",
  });
});

test("stripping tags stays linear on hostile markup (unclosed scripts and comments by the thousand)", () => {
  const hostile = `${"<script>".repeat(20_000)}${"<!--".repeat(20_000)}text`;
  assert.equal(stripTags(hostile), "");
  assert.equal(stripTags(`a<!-- b -->c<style>d</style>e<script src=x></script>f`), "acef");
  assert.equal(stripTags("&lt;b&gt; &#65;&#x42; &unknown;"), "<b> AB &unknown;");
});
