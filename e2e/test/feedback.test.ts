// What a new user sees while things happen, on the demo site: one header (the site's), the help dialog
// with the service's version, renaming in place, what a slow first SQL cell waits for, stopping a runaway
// cell, and a blocked cell's reason surviving a reload and reaching another tab.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { AWAITING_SERVER } from "../src/awaiting-server.js";
import { expect } from "../src/expect.js";
import { type E2E, KERNEL_TIMEOUT_MS, startE2E } from "../src/harness.js";
import { cell, insertAfter, run, setCode, statusOf, waitForCells, waitForStatus } from "../src/notebook.js";
import { createNotebook, signIn, waitForNotebookList } from "../src/site.js";

let e2e: E2E;
before(async () => {
  e2e = await startE2E();
});
after(() => e2e?.close());

test("the notebook page has one header: the site's; the element's version is in its help dialog", async () => {
  const { page, problems } = await e2e.newUser();
  await page.goto("/");
  await signIn(page, "one-header");
  await createNotebook(page);
  await waitForCells(page, 1);
  assert.equal(await page.locator('reactive-notebook [part~="header"]').count(), 0, "no element bar");
  assert.equal(await page.locator("reactive-notebook").getByText("Signed in as").count(), 0, "no user twice");
  await page.getByTestId("signed-in-user").getByText("one-header").waitFor();
  await page.getByRole("button", { name: "Help and keyboard shortcuts" }).click();
  const about = page.locator("reactive-notebook dialog .about");
  assert.match((await about.textContent()) ?? "", /service v\d+\.\d+\.\d+ .*signed in as one-header/);
  await page.keyboard.press("Escape");
  assert.deepEqual(problems, []);
});

test("a new notebook renames in place on its page: the title, the list and a reload follow", async () => {
  const { page, problems } = await e2e.newUser();
  await page.goto("/");
  await signIn(page, "renamer");
  const id = await createNotebook(page);
  await page.getByRole("button", { name: "Rename Untitled notebook" }).click();
  const field = page.getByLabel("Notebook name");
  await field.fill("Field trip");
  await field.press("Enter");
  await page.getByRole("button", { name: "Rename Field trip" }).waitFor();
  await expect(
    () => page.title(),
    (title) => title.startsWith("Field trip"),
    { message: "the document title follows" },
  );
  await page.reload();
  await page.getByRole("button", { name: "Rename Field trip" }).waitFor();
  await page.getByRole("link", { name: "← All notebooks" }).click();
  await waitForNotebookList(page);
  await page.locator(`li[data-notebook-id="${id}"]`).getByRole("link", { name: "Field trip" }).waitFor();
  assert.deepEqual(problems, []);
});

test("a runaway cell stops from its own Stop button and says Interrupted", async () => {
  const { page, problems } = await e2e.newUser();
  await page.goto("/");
  await signIn(page, "stopper");
  await createNotebook(page);
  await waitForCells(page, 1);
  await setCode(page, 0, 'import time\nprint("looping")\nwhile True:\n    time.sleep(0.05)');
  await run(page, 0);
  // Stopped once its code runs (the service does not keep an interrupt sent while the kernel starts).
  await cell(page, 0)
    .locator('[part~="cell-stdout"]')
    .getByText("looping")
    .waitFor({ timeout: KERNEL_TIMEOUT_MS });
  await cell(page, 0).getByRole("button", { name: "Stop cell 1", exact: true }).click();
  await waitForStatus(page, 0, "error");
  assert.match((await cell(page, 0).locator('[part~="cell-status"]').textContent()) ?? "", /Interrupted/);
  await cell(page, 0).getByRole("button", { name: "Run cell 1", exact: true }).waitFor();
  assert.deepEqual(problems, []);
});

test("the first SQL cell says it waits for the sample database, with progress, instead of only 'Running…'", {
  skip: AWAITING_SERVER.cellProgress,
}, async () => {
  const { page, problems } = await e2e.newUser();
  await page.goto("/");
  await signIn(page, "first-sql");
  await createNotebook(page);
  await waitForCells(page, 1);
  await setCode(page, 0, "n = 1");
  await insertAfter(page, 0, "SQL");
  await setCode(page, 1, "SELECT count(*) AS products FROM products");
  await run(page, 1);
  // This file's service has not started its sample database yet: the first SQL cell waits for it.
  const progress = cell(page, 1).locator('[part~="cell-progress"]');
  await progress.waitFor({ timeout: KERNEL_TIMEOUT_MS });
  assert.match((await progress.textContent()) ?? "", /database/i);
  assert.match(
    (await cell(page, 1).locator('[part~="cell-status"]').textContent()) ?? "",
    /Waiting for the sample database/,
  );
  assert.equal(
    await page.locator('reactive-notebook [part~="kernel-status"]').getAttribute("data-waiting"),
    "database",
    "the header names the wait too",
  );
  await waitForStatus(page, 1, "success");
  assert.equal(await progress.count(), 0, "the progress goes once the cell ran");
  assert.deepEqual(problems, []);
});

test("a blocked cell names its blocker after a reload and in another tab", {
  skip: AWAITING_SERVER.storedBlockedBy,
}, async () => {
  const { context, page, problems } = await e2e.newUser();
  await page.goto("/");
  await signIn(page, "blocked");
  const id = await createNotebook(page);
  await waitForCells(page, 1);
  await setCode(page, 0, "f = 1\nz = 1 / 0");
  await insertAfter(page, 0, "Python");
  await setCode(page, 1, "w = f + z");
  await run(page, 0);
  await waitForStatus(page, 1, "blocked");
  const reason = (p: typeof page) => cell(p, 1).locator('[part~="cell-status"]').textContent();
  assert.match((await reason(page)) ?? "", /Blocked by cell 1 \(f, z\)/);

  await page.reload();
  await waitForCells(page, 2);
  assert.equal(await statusOf(page, 1), "blocked");
  assert.match((await reason(page)) ?? "", /Blocked by cell 1 \(f, z\)/, "after a reload");

  const other = await context.newPage();
  await other.goto(`/n/${id}`);
  await waitForCells(other, 2);
  assert.match((await reason(other)) ?? "", /Blocked by cell 1 \(f, z\)/, "in another tab");
  assert.deepEqual(problems, []);
});
