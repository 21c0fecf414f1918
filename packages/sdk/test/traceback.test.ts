/** readableTraceback: cell ids in Python tracebacks become the 1-based positions people and models read. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { readableTraceback } from "../src/index.js";

const first = "0b3f6a2e-1c4d-4e5f-8a9b-0c1d2e3f4a5b";
const second = "9f3c1a2b-3c4d-4e5f-9a8b-7c6d5e4f3a2b";
const gone = "11111111-2222-4333-8444-555555555555";

test("each cell's frame names its position; a cell no longer in the notebook is a deleted cell", () => {
  const traceback = [
    "Traceback (most recent call last):",
    `  File "<cell ${second}>", line 2, in <module>`,
    `  File "<cell ${first.toUpperCase()}>", line 1, in f`,
    `  File "<cell ${gone}>", line 3, in g`,
    "ZeroDivisionError: division by zero",
  ].join("\n");
  const positions = new Map([
    [first, 1],
    [second, 2],
  ]);

  assert.equal(
    readableTraceback(traceback, positions),
    [
      "Traceback (most recent call last):",
      '  File "cell 2", line 2, in <module>',
      '  File "cell 1", line 1, in f',
      '  File "a deleted cell", line 3, in g',
      "ZeroDivisionError: division by zero",
    ].join("\n"),
  );
});

test("a traceback without cell frames is left as it is", () => {
  const traceback = 'File "/lib/python3.12/json/__init__.py", line 346\nJSONDecodeError: Expecting value';
  assert.equal(readableTraceback(traceback, new Map()), traceback);
});
