// A notebook outlives the page: reloading shows the same cells and outputs, and a second tab sees edits live.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { expect } from "../src/expect.js";
import { type E2E, startE2E } from "../src/harness.js";
import {
  codeOf,
  insertAfter,
  outputText,
  run,
  setCode,
  waitForCells,
  waitForOutput,
} from "../src/notebook.js";
import { createNotebook, signIn } from "../src/site.js";

let e2e: E2E;
before(async () => {
  e2e = await startE2E();
});
after(() => e2e?.close());

test("reloading the page shows the same cells and outputs; a second tab sees the first tab's edits live", async () => {
  const { context, page, problems } = await e2e.newUser();
  await page.goto("/");
  await signIn(page, "carol");
  const notebookId = await createNotebook(page);
  await waitForCells(page, 1);
  await setCode(page, 0, "x = 10");
  await insertAfter(page, 0, "Python");
  await setCode(page, 1, "y = x + 5\ny");
  await run(page, 0);
  await waitForOutput(page, 1, "15");

  await page.reload();
  await waitForCells(page, 2);
  assert.equal(new URL(page.url()).pathname, `/n/${notebookId}`, "the reload stays on the notebook's URL");
  assert.equal(await codeOf(page, 0), "x = 10");
  assert.equal(await codeOf(page, 1), "y = x + 5\ny");
  await waitForOutput(page, 1, "15");

  // Same browser profile: the second tab is signed in as carol already.
  const second = await context.newPage();
  await second.goto(`/n/${notebookId}`);
  await waitForCells(second, 2);

  await setCode(page, 0, "x = 32");
  await expect(
    () => codeOf(second, 0),
    (code) => code === "x = 32",
    { message: "the edit shows in the second tab" },
  );
  await run(page, 0);
  await waitForOutput(second, 1, "37");
  await insertAfter(page, 1, "Python");
  await waitForCells(second, 3);
  assert.equal(await outputText(page, 1), "37");

  assert.deepEqual(problems, [], "no page errors or CSP violations");
});
