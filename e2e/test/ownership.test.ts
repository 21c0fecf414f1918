// Notebooks are private: user B, following A's notebook link, gets a clear "not yours" page and none of A's content.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type E2E, startE2E } from "../src/harness.js";
import { run, setCode, waitForCells, waitForOutput } from "../src/notebook.js";
import { createNotebook, deepText, signIn } from "../src/site.js";

let e2e: E2E;
before(async () => {
  e2e = await startE2E();
});
after(() => e2e?.close());

test("user B opening A's notebook URL sees a clear 'not yours' message and none of A's content", async () => {
  const a = await e2e.newUser();
  await a.page.goto("/");
  await signIn(a.page, "alice");
  const notebookId = await createNotebook(a.page);
  await waitForCells(a.page, 1);
  await setCode(a.page, 0, 'secret = "launch codes 0000"\nsecret');
  await run(a.page, 0);
  await waitForOutput(a.page, 0, "'launch codes 0000'");

  // B: another browser profile, following the link while signed out, then signing in.
  const b = await e2e.newUser();
  await b.page.goto(`/n/${notebookId}`);
  await b.page.getByText("Sign in to open this notebook.").waitFor();
  await signIn(b.page, "bob");
  await b.page.getByRole("heading", { name: "This notebook is not yours" }).waitFor();
  assert.equal(new URL(b.page.url()).pathname, `/n/${notebookId}`);
  const shown = await deepText(b.page);
  assert.match(shown, /belongs to another account/);
  assert.ok(!shown.includes("launch codes"), "none of A's code or outputs");
  assert.equal(
    await b.page.locator("reactive-notebook").count(),
    0,
    "the notebook element is not even mounted",
  );
  assert.equal(await b.page.locator("rn-cell").count(), 0);
  // B's own notebooks are untouched and reachable.
  await b.page.getByRole("link", { name: "Go to your notebooks" }).click();
  await b.page.getByRole("heading", { name: "Your notebooks" }).waitFor();

  assert.deepEqual([...a.problems, ...b.problems], [], "no page errors or CSP violations");
});
