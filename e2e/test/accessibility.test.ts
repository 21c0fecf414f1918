// The site's own pages pass an axe audit (WCAG 2 A/AA rules) in light and dark theme: the landing page, the
// notebook list, the "not yours" page, and a notebook's page with its Notebook/App toggle. The element inside is audited by its own tests.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import { type E2E, startE2E } from "../src/harness.js";
import { signIn, waitForNotebookList } from "../src/site.js";

/** axe-core, the engine @open-wc/testing audits the element with (a dependency of the element's tests). */
function axeSource(): string | undefined {
  try {
    return readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  } catch {
    return undefined;
  }
}
const AXE = axeSource();

let e2e: E2E;
before(async () => {
  e2e = await startE2E();
});
after(() => e2e?.close());

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** Runs axe on the page (CDP evaluation, so the page's CSP does not apply), leaving the element out. */
async function audit(page: Page): Promise<string[]> {
  await page.evaluate(AXE as string);
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run: (...args: unknown[]) => Promise<{ violations: Violation[] }> } }
    ).axe;
    const result = await axe.run(
      { exclude: [["reactive-notebook"]] },
      { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } },
    );
    return result.violations;
  });
  return violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${JSON.stringify(v.nodes.map((n) => n.target))}`,
  );
}

test("the landing page, the notebook list, the 'not yours' page and a notebook's page pass axe in light and dark theme", async (t) => {
  if (!AXE) return t.skip("axe-core is not installed (it comes with the element's test dependencies)");
  const owner = await e2e.newUser();
  await owner.page.goto("/");
  await signIn(owner.page, "owner");
  await waitForNotebookList(owner.page);
  const notebook = await owner.page
    .getByRole("link", { name: "Welcome to Reactive Notebook", exact: true })
    .getAttribute("href");

  const { page } = await e2e.newUser();
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.evaluate(() => localStorage.clear()).catch(() => {});
    await page.goto("/");
    await page.getByLabel("Your user name").waitFor();
    assert.deepEqual(await audit(page), [], `landing page, ${scheme}`);

    await signIn(page, `auditor-${scheme}`);
    await waitForNotebookList(page);
    assert.deepEqual(await audit(page), [], `notebook list, ${scheme}`);

    await page.goto(notebook ?? "/");
    await page.getByRole("heading", { name: "This notebook is not yours" }).waitFor();
    assert.deepEqual(await audit(page), [], `not-yours page, ${scheme}`);
    await page.getByRole("button", { name: "Sign out" }).click();

    // The owner's notebook page, switched to the app view by its toggle (a pressed toggle button).
    await owner.page.emulateMedia({ colorScheme: scheme });
    await owner.page.goto(notebook ?? "/");
    const app = owner.page.getByRole("group", { name: "View" }).getByRole("button", { name: "App" });
    await app.click();
    assert.equal(await app.getAttribute("aria-pressed"), "true");
    assert.deepEqual(await audit(owner.page), [], `notebook page, app view, ${scheme}`);
  }
});
