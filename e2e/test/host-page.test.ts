// A foreign page can host the notebook: examples/host-page loads the single-file bundle from /element/ and
// its <reactive-notebook> signs in (the element's own dev sign-in), creates a notebook and runs a cell —
// both as `npm start` serves it and from another origin, as a real host page would.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import { type E2E, REPO_ROOT, startE2E } from "../src/harness.js";
import { run, setCode, waitForCells, waitForOutput } from "../src/notebook.js";

const HOST_PAGE = readFileSync(path.join(REPO_ROOT, "examples/host-page/index.html"), "utf8");

let e2e: E2E;
let foreign: Server;
let foreignOrigin: string;

before(async () => {
  // The "foreign" site: another origin serving the example, pointed at the service by absolute URLs.
  let serviceUrl = "";
  foreign = createServer((request, response) => {
    if (request.url !== "/") return void response.writeHead(404).end();
    const page = HOST_PAGE.replace('src="/element/', `src="${serviceUrl}/element/`)
      .replace('src="/examples/', `src="${serviceUrl}/examples/`)
      .replaceAll('api-url="/"', `api-url="${serviceUrl}"`);
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page);
  });
  await new Promise<void>((resolve) => foreign.listen(0, "127.0.0.1", resolve));
  foreignOrigin = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
  e2e = await startE2E({ allowedOrigins: [foreignOrigin] });
  serviceUrl = e2e.url;
});
after(async () => {
  await e2e?.close();
  await new Promise((resolve) => foreign?.close(resolve));
});

/** Signs in with the element's own form, creates a notebook in its own list, runs sum(range(1, 11)). */
async function runACell(page: Page, userId: string) {
  const element = page.locator("reactive-notebook");
  await page.getByLabel("Sign in as").fill(userId);
  await element.getByRole("button", { name: "Sign in" }).click();
  await page.getByLabel("New notebook name").fill("Embedded");
  await element.getByRole("button", { name: "New notebook" }).click();
  await waitForCells(page, 1);
  await setCode(page, 0, "sum(range(1, 11))");
  await run(page, 0);
  await waitForOutput(page, 0, "55");
}

test("the host-page example, as `npm start` serves it, loads the bundle from /element/ and runs a cell", async () => {
  const { page, problems } = await e2e.newUser();
  const bundle = page.waitForResponse((response) => response.url().endsWith("/element/reactive-notebook.js"));
  await page.goto("/examples/host-page/");
  assert.equal((await bundle).status(), 200);
  await page.getByRole("heading", { name: "Try the numbers yourself" }).waitFor();
  assert.equal(await page.evaluate(() => customElements.get("reactive-notebook") !== undefined), true);
  await runACell(page, "host-visitor");
  assert.equal(new URL(page.url()).pathname, "/examples/host-page/", "the host page stays where it is");
  assert.deepEqual(problems, [], "no page errors or CSP violations");
});

test("the same page on another origin loads the bundle cross-origin and runs a cell against the service", async () => {
  const { page, problems } = await e2e.newUser();
  const bundle = page.waitForResponse(
    (response) => response.url() === `${e2e.url}/element/reactive-notebook.js`,
  );
  await page.goto(foreignOrigin);
  assert.equal((await bundle).status(), 200);
  assert.notEqual(new URL(page.url()).origin, new URL(e2e.url).origin);
  await runACell(page, "foreign-visitor");
  assert.equal(page.url(), `${foreignOrigin}/`, "the host page stays where it is");
  assert.deepEqual(problems, [], "no page errors");
});
