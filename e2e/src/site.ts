/** Driving the demo site like a person: sign in, the notebook list, opening notebooks. */

import type { Page } from "playwright-core";
import { expect } from "./expect.js";
import { KERNEL_TIMEOUT_MS } from "./harness.js";

/** Signs in on the landing page with the dev sign-in and waits for the notebook list. */
export async function signIn(page: Page, userId: string): Promise<void> {
  if (!page.url().startsWith("http")) await page.goto("/");
  await page.getByLabel("Your user name").fill(userId);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(
    () => page.getByTestId("signed-in-user").textContent(),
    (text) => text?.includes(userId) === true,
  );
}

/**
 * Waits until the notebook list (the element's own, on the site's home page) shows and is settled: on a
 * first visit the starter notebook is created first, and the first analysis on a fresh server starts a
 * kernel, hence the long wait.
 */
export async function waitForNotebookList(page: Page): Promise<void> {
  await page
    .locator('reactive-notebook ul[aria-label="Notebooks"]')
    .or(page.locator("reactive-notebook").getByText("No notebooks yet"))
    .waitFor({ timeout: KERNEL_TIMEOUT_MS });
}

/** Creates a notebook from the list page and waits until its page (/n/:id) shows the element. Returns its id. */
export async function createNotebook(page: Page): Promise<string> {
  await waitForNotebookList(page);
  await page.getByRole("button", { name: "New notebook" }).first().click();
  await page.waitForURL(/\/n\/[^/]+$/);
  await page.locator("reactive-notebook").waitFor();
  return notebookIdOf(page.url());
}

export function notebookIdOf(url: string): string {
  const id = /\/n\/([^/?#]+)/.exec(url)?.[1];
  if (!id) throw new Error(`not a notebook URL: ${url}`);
  return decodeURIComponent(id);
}

/** All text on the page, including inside shadow roots (innerText stops at them). */
export function deepText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const parts: string[] = [];
    const walk = (root: Node) => {
      for (const node of Array.from(root.childNodes)) {
        if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent ?? "");
        if (node instanceof Element) {
          if (node.shadowRoot) walk(node.shadowRoot);
          walk(node);
        }
      }
    };
    walk(document.body);
    return parts.join(" ").replace(/\s+/g, " ");
  });
}
