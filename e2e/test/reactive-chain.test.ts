// A person's first minutes: sign in, create a notebook, type x → y → z, run, then edit x and watch y and z follow.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type E2E, startE2E } from "../src/harness.js";
import { insertAfter, outputText, run, setCode, waitForCells, waitForOutput } from "../src/notebook.js";
import { createNotebook, signIn } from "../src/site.js";

let e2e: E2E;
before(async () => {
  e2e = await startE2E();
});
after(() => e2e?.close());

test("user A types x = 10, y = x + 5, z = y * 2, runs the first cell and sees z = 30; x = 20 updates y and z by itself", async () => {
  const { page, problems } = await e2e.newUser();
  await page.goto("/");
  await signIn(page, "alice");
  await createNotebook(page);
  await waitForCells(page, 1);

  await setCode(page, 0, "x = 10");
  await insertAfter(page, 0, "Python");
  await setCode(page, 1, "y = x + 5\ny");
  await insertAfter(page, 1, "Python");
  await setCode(page, 2, "z = y * 2\nz");

  await run(page, 0);
  await waitForOutput(page, 2, "30");
  assert.equal(await outputText(page, 1), "15");

  // Only x is run: y and z re-run because they read it.
  await setCode(page, 0, "x = 20");
  await run(page, 0);
  await waitForOutput(page, 1, "25");
  await waitForOutput(page, 2, "50");

  assert.deepEqual(problems, [], "no page errors or CSP violations");
});
