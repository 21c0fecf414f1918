#!/usr/bin/env node
// `npm run screenshots`: starts the built service (dev auth, fresh data), drives the demo site in Debian's
// Chromium and saves the README's screenshots to docs/screenshots/: the landing page, the starter notebook
// in light and dark theme, an error state, and a new notebook. Needs `npm run build` first.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH, startTestServer } from "./test-server.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "docs/screenshots");
const KERNEL_TIMEOUT_MS = 120_000;

mkdirSync(out, { recursive: true });
const server = await startTestServer({ startTimeoutMs: 120_000 });
const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  args: [...CHROMIUM_ARGS, "--hide-scrollbars"],
});

try {
  const context = await browser.newContext({
    baseURL: server.url,
    viewport: { width: 1280, height: 820 },
    deviceScaleFactor: 1,
    colorScheme: "light",
  });
  context.setDefaultTimeout(KERNEL_TIMEOUT_MS);
  const page = await context.newPage();

  await page.goto("/");
  await page.getByRole("heading", { level: 1 }).waitFor();
  await save(page, "landing.png");

  // A new user: the site creates the starter notebook; run it all and wait for every output.
  await page.getByLabel("Your user name").fill("ada");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator('ul[aria-label="Notebooks"]:not([aria-busy])').waitFor();
  await page.getByRole("link", { name: "Welcome to Reactive Notebook", exact: true }).click();
  await waitForCells(page, 11);
  await page.getByRole("button", { name: "Run all" }).click();
  await waitFor(
    () => outputText(page, 3),
    (text) => text === "30",
    "z = 30",
  );
  await page.locator("rn-cell").nth(7).locator('[part~="output"][data-mime-type="image/svg+xml"]').waitFor();
  await settle(page);
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.evaluate(() => scrollTo({ top: 0 }));
  await save(page, "notebook-light.png");

  await page.getByRole("button", { name: "Switch to dark theme" }).click();
  // The SQL → chart part of the starter notebook, in dark theme: the chart at the bottom, the query above it.
  await page
    .locator("rn-cell")
    .nth(7)
    .evaluate((cell) => cell.scrollIntoView({ block: "center" }));
  await settle(page);
  await save(page, "notebook-dark.png");

  // An error state: a failing cell, and the cell downstream of it blocked.
  await page.getByRole("button", { name: "Switch to light theme" }).click();
  const notebookId = await page.evaluate(async () => {
    const token = await (
      await fetch("/api/v1/dev/token", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ userId: "ada" }),
      })
    ).json();
    const response = await fetch("/api/v1/notebooks", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token.token}` },
      body: JSON.stringify({
        name: "Monthly growth",
        cells: [
          { type: "python", code: "revenue = [1200, 1350, 0, 1610]" },
          {
            type: "python",
            code: "growth = [b / a - 1 for a, b in zip(revenue, revenue[1:])]\ngrowth",
          },
          { type: "python", code: 'summary = f"average growth {sum(growth) / len(growth):.1%}"\nsummary' },
        ],
      }),
    });
    return (await response.json()).id;
  });
  await page.goto(`/n/${notebookId}`);
  await waitForCells(page, 3);
  await page.getByRole("button", { name: "Run all" }).click();
  await page.locator("rn-cell").nth(1).locator('[part~="cell-error"]').waitFor();
  await waitFor(
    () => page.locator("rn-cell").nth(2).locator('[part~="cell"]').getAttribute("data-status"),
    (s) => s === "blocked",
    "blocked",
  );
  await settle(page);
  await page.setViewportSize({ width: 1280, height: 820 });
  await save(page, "error-state.png");

  // A new notebook as a first-time user meets it: the site's header only, the name to click and rename,
  // the kernel that starts on first run, and an empty cell saying what to write.
  await page.goto("/");
  await page.locator('ul[aria-label="Notebooks"]').waitFor();
  await page.getByRole("button", { name: "New notebook" }).click();
  await page.waitForURL(/\/n\//);
  await waitForCells(page, 1);
  await page.locator("rn-cell .cm-placeholder").waitFor();
  await settle(page);
  await page.setViewportSize({ width: 1280, height: 560 });
  await save(page, "new-notebook.png");
} finally {
  await browser.close();
  await server.stop();
}

async function save(page, name) {
  await page.screenshot({ path: path.join(out, name) });
  process.stdout.write(`saved docs/screenshots/${name}\n`);
}

function outputText(page, index) {
  return page
    .locator("rn-cell")
    .nth(index)
    .locator('[part~="output"]')
    .allInnerTexts()
    .then((texts) => texts.join("\n").trim());
}

function waitForCells(page, count) {
  return waitFor(
    () => page.locator("rn-cell").count(),
    (n) => n >= count,
    `${count} cells`,
  );
}

/** Fonts, frames and transitions finished: nothing moves in the picture. */
async function settle(page) {
  await page.evaluate(() => document.fonts.ready);
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
  await page.waitForTimeout(400);
}

async function waitFor(read, accept, what) {
  const deadline = Date.now() + KERNEL_TIMEOUT_MS;
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined && accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`screenshots: timed out waiting for ${what}; last: ${value}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
