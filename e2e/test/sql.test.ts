// SQL cells against the built-in sample database feed Python, and a Python value feeds the query back.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { expect } from "../src/expect.js";
import { type E2E, KERNEL_TIMEOUT_MS, startE2E } from "../src/harness.js";
import { cell, insertAfter, outputText, run, setCode, waitForCells, waitForOutput } from "../src/notebook.js";
import { createNotebook, signIn } from "../src/site.js";

let e2e: E2E;
before(async () => {
  e2e = await startE2E();
});
after(() => e2e?.close());

test("a SQL cell reading {min_price} feeds a Python cell; changing min_price re-runs both", async () => {
  const { page, problems } = await e2e.newUser();
  await page.goto("/");
  await signIn(page, "sql-user");
  await createNotebook(page);
  await waitForCells(page, 1);

  await setCode(page, 0, "min_price = 300");
  await insertAfter(page, 0, "SQL");
  await setCode(page, 1, "SELECT count(*) AS n FROM products WHERE price >= {min_price}");
  const resultName = cell(page, 1).getByLabel("Result variable");
  await resultName.fill("expensive");
  await resultName.press("Enter");
  await insertAfter(page, 1, "Python");
  await setCode(page, 2, 'int(expensive[0]["n"])');

  await run(page, 0);
  // Four products cost 300 or more in the sample shop (27" and 34" monitors, the desk, the chair).
  await waitForOutput(page, 2, "4");
  assert.match(await outputText(page, 1), /\b4\b/, "the SQL cell shows its result table");

  await setCode(page, 0, "min_price = 100");
  await run(page, 0);
  await expect(
    () => outputText(page, 1),
    (text) => /\b11\b/.test(text),
    {
      timeoutMs: KERNEL_TIMEOUT_MS,
      message: "the SQL cell re-ran with the new bind parameter",
    },
  );
  await waitForOutput(page, 2, "11");

  assert.deepEqual(problems, [], "no page errors or CSP violations");
});
