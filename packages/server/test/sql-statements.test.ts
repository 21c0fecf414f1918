// The SQL cell scanner as a table: statements split on `;`, `{name}` placeholders as bind parameters,
// `{{`/`}}` literal braces, quotes and comments untouched, and error positions mapped back to the cell.
import assert from "node:assert/strict";
import { test } from "node:test";
import { compileSql, placeholderNames } from "../src/sql/index.js";

const cases: { name: string; code: string; statements: { text: string; params: string[] }[] }[] = [
  { name: "one statement, no placeholder", code: "SELECT 1", statements: [{ text: "SELECT 1", params: [] }] },
  {
    name: "a placeholder becomes $1",
    code: "SELECT * FROM t WHERE v > {threshold}",
    statements: [{ text: "SELECT * FROM t WHERE v > $1", params: ["threshold"] }],
  },
  {
    name: "a name used twice is one parameter",
    code: "SELECT {a}, {b}, {a}",
    statements: [{ text: "SELECT $1, $2, $1", params: ["a", "b"] }],
  },
  {
    name: "statements split on ; and numbered separately",
    code: "INSERT INTO t VALUES ({x});\nSELECT * FROM t WHERE v = {y};",
    statements: [
      { text: "INSERT INTO t VALUES ($1)", params: ["x"] },
      { text: "\nSELECT * FROM t WHERE v = $1", params: ["y"] },
    ],
  },
  {
    name: "a dotted placeholder (a control's value) is one parameter named in full",
    code: "SELECT * FROM t WHERE v < {n.value} AND w = {n.value} AND k = {d.value}",
    statements: [
      { text: "SELECT * FROM t WHERE v < $1 AND w = $1 AND k = $2", params: ["n.value", "d.value"] },
    ],
  },
  {
    name: "a dotted placeholder may go deeper; a trailing dot or a digit after it is text",
    code: "SELECT {cfg.limits.max}, {a.}, {b.1}",
    statements: [{ text: "SELECT $1, {a.}, {b.1}", params: ["cfg.limits.max"] }],
  },
  {
    name: "{{ and }} are literal braces",
    code: "SELECT '{{}}'::json, {{x}}",
    statements: [{ text: "SELECT '{{}}'::json, {x}", params: [] }],
  },
  {
    name: "placeholders inside single quotes are text",
    code: "SELECT '{x}', {y}",
    statements: [{ text: "SELECT '{x}', $1", params: ["y"] }],
  },
  {
    name: "doubled quotes stay inside the string",
    code: "SELECT 'it''s {x}; fine', {y}",
    statements: [{ text: "SELECT 'it''s {x}; fine', $1", params: ["y"] }],
  },
  {
    name: "E-strings honour backslash escapes",
    code: "SELECT E'a\\'{x}', {y}",
    statements: [{ text: "SELECT E'a\\'{x}', $1", params: ["y"] }],
  },
  {
    name: "quoted identifiers are not placeholders",
    code: 'SELECT "{x}" FROM t; SELECT {y}',
    statements: [
      { text: 'SELECT "{x}" FROM t', params: [] },
      { text: " SELECT $1", params: ["y"] },
    ],
  },
  {
    name: "line comments hide ; and placeholders",
    code: "SELECT 1 -- not {x}; still a comment\n, {y}",
    statements: [{ text: "SELECT 1 -- not {x}; still a comment\n, $1", params: ["y"] }],
  },
  {
    name: "block comments (nested) hide ; and placeholders",
    code: "SELECT /* a /* {x}; */ b */ {y}",
    statements: [{ text: "SELECT /* a /* {x}; */ b */ $1", params: ["y"] }],
  },
  {
    name: "dollar-quoted bodies keep their ;",
    code: "DO $body$ BEGIN PERFORM 1; END $body$; SELECT {y}",
    statements: [
      { text: "DO $body$ BEGIN PERFORM 1; END $body$", params: [] },
      { text: " SELECT $1", params: ["y"] },
    ],
  },
  {
    name: "$1 written by the user is not a dollar quote",
    code: "SELECT {a} + 1",
    statements: [{ text: "SELECT $1 + 1", params: ["a"] }],
  },
  {
    name: "empty statements and comment-only statements are dropped",
    code: ";; SELECT 1;  -- the end\n;",
    statements: [{ text: " SELECT 1", params: [] }],
  },
  { name: "an empty cell has no statements", code: "  \n -- nothing\n", statements: [] },
  {
    name: "not an identifier: left as text",
    code: "SELECT '{1x}' , {not valid}",
    statements: [{ text: "SELECT '{1x}' , {not valid}", params: [] }],
  },
  {
    name: "an unterminated string swallows the rest",
    code: "SELECT 'abc; {x}",
    statements: [{ text: "SELECT 'abc; {x}", params: [] }],
  },
];

for (const c of cases) {
  test(`compileSql: ${c.name}`, () => {
    const compiled = compileSql(c.code).map(({ text, params }) => ({ text, params }));
    assert.deepEqual(compiled, c.statements);
  });
}

test("placeholderNames: in order of first use, across statements, not in strings", () => {
  assert.deepEqual(placeholderNames("SELECT {b}, '{z}'; SELECT {a}, {b}"), ["b", "a"]);
  assert.deepEqual(
    placeholderNames("SELECT {n.value}, {n.label}, {m}"),
    ["n", "m"],
    "a dotted name reads its variable",
  );
});

test("error positions map back to the cell's own code", () => {
  const code = "SELECT {threshold} + 1;\nSELECT nope FROM {tbl} x WHERE y = 1";
  const [first, second] = compileSql(code);
  assert.ok(first && second);
  // "SELECT $1 + 1": position 8 is "$1", which came from "{threshold}" at offset 7.
  assert.equal(first.sourcePosition(8), 8);
  // " + 1" in the compiled text follows "$1" (2 chars), in the source "{threshold}" (11 chars).
  assert.equal(code[first.sourcePosition(11) - 1], "+");
  // The second statement: "nope" at compiled position 9 (after "\nSELECT ").
  assert.equal(code.slice(second.sourcePosition(9) - 1, second.sourcePosition(9) + 3), "nope");
  const whereAt = second.text.indexOf("WHERE") + 1;
  assert.equal(code.slice(second.sourcePosition(whereAt) - 1).startsWith("WHERE"), true);
});
