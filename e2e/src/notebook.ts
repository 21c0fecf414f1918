/**
 * Driving `<reactive-notebook>` inside a page: cells, their editors, runs and outputs. Every selector that
 * depends on the element's markup lives here (Playwright's CSS and role locators pierce open shadow roots).
 */
import type { Locator, Page } from "playwright-core";
import { expect } from "./expect.js";
import { KERNEL_TIMEOUT_MS } from "./harness.js";

/** The i-th cell (0-based) of the notebook on the page. */
export function cell(page: Page, index: number): Locator {
  return page.locator("rn-cell").nth(index);
}

export function cellCount(page: Page): Promise<number> {
  return page.locator("rn-cell").count();
}

/** Waits until the element shows the notebook's cells (the live session said hello). */
export async function waitForCells(page: Page, count = 1): Promise<void> {
  await expect(
    () => cellCount(page),
    (n) => n >= count,
    { message: `${count} cell(s) shown` },
  );
}

/** Replaces the code of cell `index` the way a person would: click into its editor, select all, type. */
export async function setCode(page: Page, index: number, code: string): Promise<void> {
  const editor = cell(page, index).locator(".cm-content");
  await editor.click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.insertText(code);
  await expect(
    // biome-ignore lint/performance/useDomNodeTextContent: CodeMirror lines are blocks; only innerText has the newlines.
    () => editor.innerText(),
    (text) => normalise(text) === normalise(code),
    {
      message: `cell ${index + 1} shows the typed code`,
    },
  );
}

/** The code cell `index` shows in its editor. */
export async function codeOf(page: Page, index: number): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: CodeMirror lines are blocks; only innerText has the newlines.
  return normalise(await cell(page, index).locator(".cm-content").innerText());
}

/** Adds a cell of `type` after cell `index` with the insert bar; resolves when it is there. */
export async function insertAfter(page: Page, index: number, type: "Python" | "SQL" | "Markdown" = "Python") {
  const before = await cellCount(page);
  await page
    .getByRole("button", { name: `Insert a ${type} cell after cell ${index + 1}`, exact: true })
    .click();
  await expect(
    () => cellCount(page),
    (n) => n === before + 1,
    { message: "a new cell appears" },
  );
}

/** Clicks the Run button of cell `index`. */
export async function run(page: Page, index: number): Promise<void> {
  await cell(page, index)
    .getByRole("button", { name: `Run cell ${index + 1}`, exact: true })
    .click();
}

/** The text of cell `index`'s outputs (its displayed values), "" when it has none. */
export async function outputText(page: Page, index: number): Promise<string> {
  const outputs = cell(page, index).locator('[part~="output"]');
  return (await outputs.allInnerTexts()).join("\n").trim();
}

/** The status of cell `index` (idle, queued, running, success, error, blocked, stale). */
export async function statusOf(page: Page, index: number): Promise<string | null> {
  return cell(page, index).locator('[part~="cell"]').first().getAttribute("data-status");
}

/** Waits until cell `index` displays exactly `text` (kernel runs included, so the wait is long). */
export async function waitForOutput(page: Page, index: number, text: string): Promise<void> {
  await expect(
    () => outputText(page, index),
    (value) => value === text,
    {
      timeoutMs: KERNEL_TIMEOUT_MS,
      message: `cell ${index + 1} shows ${JSON.stringify(text)}`,
    },
  );
}

/** Waits until cell `index` has `status`. */
export async function waitForStatus(page: Page, index: number, status: string): Promise<void> {
  await expect(
    () => statusOf(page, index),
    (value) => value === status,
    {
      timeoutMs: KERNEL_TIMEOUT_MS,
      message: `cell ${index + 1} is ${status}`,
    },
  );
}

/** Editors render non-breaking spaces and may end with a newline; compare code by its visible text. */
function normalise(text: string): string {
  return text.replace(/\u00a0/g, " ").replace(/\n+$/, "");
}
