// Interactive controls, as people use them: a new user adds a slider and a cell that reads it, moves the
// slider with the keyboard and sees the reader follow, in the notebook view and the app view; and a
// dashboard (a slider and a drop-down driving an SQL query over the sample database) embedded with
// view="app" in the host-page example keeps its values and results across a reload.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import { expect } from "../src/expect.js";
import { type E2E, KERNEL_TIMEOUT_MS, startE2E } from "../src/harness.js";
import { insertAfter, run, setCode, waitForCells, waitForOutput } from "../src/notebook.js";
import { createNotebook, signIn } from "../src/site.js";

let e2e: E2E;
before(async () => {
  e2e = await startE2E();
});
after(() => e2e?.close());

test("a new user adds n = rn.ui.slider(1, 10) and n.value * 2, moves the slider with the keyboard, and the double follows", async () => {
  const { page, problems } = await e2e.newUser();
  await page.goto("/");
  await signIn(page, "slider-user");
  await createNotebook(page);
  await waitForCells(page, 1);
  await setCode(page, 0, "n = rn.ui.slider(1, 10)");
  await insertAfter(page, 0, "Python");
  await setCode(page, 1, "n.value * 2");
  await run(page, 0);
  await waitForOutput(page, 1, "2");

  const slider = page.getByRole("slider", { name: "Slider" });
  await slider.focus();
  await page.keyboard.press("ArrowRight");
  await waitForOutput(page, 1, "4");
  await page.keyboard.press("ArrowRight");
  await waitForOutput(page, 1, "6");
  assert.equal(await slider.inputValue(), "3");

  // The page's toggle shows the same notebook as an app: outputs and controls, no code.
  const app = page.getByRole("button", { name: "App", exact: true });
  await app.click();
  assert.equal(await app.getAttribute("aria-pressed"), "true");
  await page.locator('[part~="app-cell"]').first().waitFor();
  assert.equal(await page.locator("rn-cell").count(), 0, "no cells with editors in the app view");
  assert.equal(await page.locator(".cm-content").count(), 0);
  await slider.focus();
  await page.keyboard.press("ArrowRight");
  await expect(
    () => page.locator('[part~="app-cell"]').nth(1).locator('[part~="output"]').allTextContents(),
    (texts) => texts.join("").trim() === "8",
    { timeoutMs: KERNEL_TIMEOUT_MS, message: "the double follows in the app view" },
  );
  await page.getByRole("button", { name: "Notebook", exact: true }).click();
  await waitForCells(page, 2);
  await waitForOutput(page, 1, "8");

  assert.deepEqual(problems, [], "no page errors or CSP violations");
});

/** Creates a notebook for `userId` through the API, as an author (or an agent with the SDK) would. */
async function createDashboard(userId: string): Promise<string> {
  const tokenResponse = await fetch(`${e2e.url}/api/v1/dev/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ userId }),
  });
  const { token } = (await tokenResponse.json()) as { token: string };
  const response = await fetch(`${e2e.url}/api/v1/notebooks`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({
      name: "Products dashboard",
      cells: [
        { type: "markdown", code: "## Products by price" },
        {
          type: "python",
          code:
            "import rn\n" +
            'min_price = rn.ui.slider(0, 500, step=50, value=300, label="Minimum price")\n' +
            'category = rn.ui.dropdown(["Displays", "Peripherals", "Audio"], value="Displays", label="Category")\n' +
            "display(min_price, category)",
        },
        {
          type: "sql",
          name: "matching",
          code:
            "SELECT count(*) AS products FROM products\n" +
            "WHERE price >= {min_price.value} AND category = {category.value}",
        },
      ],
    }),
  });
  assert.equal(response.status, 201);
  return ((await response.json()) as { id: string }).id;
}

/** The count the dashboard's SQL cell shows (its table's one cell). */
function shownCount(page: Page): Promise<string> {
  return page
    .locator('[part~="app-cell"] [part~="output-table"] td')
    .first()
    .textContent()
    .then((text) => text?.trim() ?? "");
}

async function waitForCount(page: Page, count: string, message: string): Promise<void> {
  await expect(
    () => shownCount(page),
    (text) => text === count,
    { timeoutMs: KERNEL_TIMEOUT_MS, message },
  );
}

test("a dashboard — a slider and a drop-down driving an SQL query — embedded with view=app in the host page, and nothing is lost on reload", async () => {
  const notebookId = await createDashboard("dashboard-owner");
  const { page, problems } = await e2e.newUser();
  await page.goto(`/examples/host-page/?dashboard=${encodeURIComponent(notebookId)}`);
  await page.getByRole("heading", { name: "This quarter's numbers" }).waitFor();
  const dashboard = page.locator("reactive-notebook#dashboard");
  assert.equal(await dashboard.getAttribute("view"), "app");
  assert.equal(await page.locator("section.editor").count(), 0, "only the dashboard is on the page");
  await page.getByLabel("Sign in as").fill("dashboard-owner");
  await dashboard.getByRole("button", { name: "Sign in" }).click();

  await dashboard.getByRole("heading", { name: "Products by price" }).waitFor({ timeout: KERNEL_TIMEOUT_MS });
  assert.equal(await page.locator(".cm-content").count(), 0, "no code on the dashboard");
  await dashboard.getByRole("button", { name: "Run all" }).click();
  // The sample shop (docs/sql.md): displays cost 229, 329 and 649; peripherals 39.90 to 199.
  await waitForCount(page, "2", "displays from 300");

  const slider = dashboard.getByRole("slider", { name: "Minimum price" });
  await slider.focus();
  await page.keyboard.press("Home");
  await waitForCount(page, "3", "displays from 0 after Home on the slider");
  await dashboard.getByRole("combobox", { name: "Category" }).selectOption("Peripherals");
  await waitForCount(page, "5", "peripherals from 0 after choosing the category");
  await expect(
    () =>
      page
        .locator('[part~="app-cell"][data-status="running"], [part~="app-cell"][data-status="queued"]')
        .count(),
    (n) => n === 0,
    { timeoutMs: KERNEL_TIMEOUT_MS, message: "the dashboard settled" },
  );

  await page.reload();
  await dashboard.getByRole("heading", { name: "Products by price" }).waitFor({ timeout: KERNEL_TIMEOUT_MS });
  await expect(
    () => slider.inputValue(),
    (value) => value === "0",
    { message: "the slider kept its value" },
  );
  assert.equal(await dashboard.getByRole("combobox", { name: "Category" }).inputValue(), "Peripherals");
  assert.equal(await shownCount(page), "5", "the query's result is still shown");
  // And it still drives the query after the reload: no peripheral costs 500 or more.
  await slider.focus();
  await page.keyboard.press("End");
  await waitForCount(page, "0", "peripherals from 500 after End, after the reload");
  assert.deepEqual(problems, [], "no page errors or CSP violations");
});
