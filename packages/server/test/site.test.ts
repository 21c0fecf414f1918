// The site routes: the demo site at / with deep links, the element bundle at /element/, the host-page example,
// the page shown when the site is not built, and the security headers the pages are served with.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type TestContext, test } from "node:test";
import { buildApp } from "../src/app.js";
import { siteDirectories } from "../src/routes/site.js";
import { clerkEnv, type Env, signingKey, testConfig } from "./helpers/index.js";

const SITE_INDEX = "<!doctype html><title>Demo site</title><div id=app></div>";

/** A built demo site and element bundle in temporary folders, like the real builds lay them out. */
function fakeBuilds() {
  const root = mkdtempSync(path.join(tmpdir(), "rn-site-"));
  const siteDir = path.join(root, "site");
  const elementDir = path.join(root, "element");
  mkdirSync(path.join(siteDir, "assets"), { recursive: true });
  mkdirSync(path.join(siteDir, ".tsc"), { recursive: true });
  mkdirSync(path.join(elementDir, "vendor"), { recursive: true });
  writeFileSync(path.join(root, "secret.txt"), "SECRET");
  writeFileSync(path.join(siteDir, "index.html"), SITE_INDEX);
  writeFileSync(path.join(siteDir, "assets", "app-1a2b3c.js"), "export const app = 1;\n");
  writeFileSync(path.join(siteDir, ".tsc", "main.js"), "// compiler output, not for the web\n");
  writeFileSync(path.join(elementDir, "reactive-notebook.js"), "export const element = 1;\n");
  writeFileSync(path.join(elementDir, "vendor", "vega.min.js"), "var vega = {};\n");
  writeFileSync(path.join(elementDir, "vendor", "frame.html"), "<!doctype html><title>Output</title>\n");
  return { siteDir, elementDir };
}

/** The real app with SITE_DIR / ELEMENT_DIR pointing at `dirs` (restored after the test). */
async function siteApp(t: TestContext, dirs: { siteDir: string; elementDir: string }, env: Env = {}) {
  const saved = { SITE_DIR: process.env.SITE_DIR, ELEMENT_DIR: process.env.ELEMENT_DIR };
  process.env.SITE_DIR = dirs.siteDir;
  process.env.ELEMENT_DIR = dirs.elementDir;
  try {
    const app = await buildApp(testConfig(env), { logger: false });
    t.after(() => app.close());
    return app;
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

test("the demo site is served at / and every /n/:id deep link gets its index.html", async (t) => {
  const app = await siteApp(t, fakeBuilds());
  for (const url of ["/", "/n/3f0c8d3e-0000-4000-8000-000000000000", "/n/anything/else?x=1"]) {
    const response = await app.inject({ method: "GET", url });
    assert.equal(response.statusCode, 200, url);
    assert.match(String(response.headers["content-type"]), /^text\/html/, url);
    assert.equal(response.body, SITE_INDEX, url);
    assert.equal(response.headers["cache-control"], "no-cache", url);
  }
});

test("the demo site's hashed assets are cached for good; its compiler output and unknown files are not served", async (t) => {
  const app = await siteApp(t, fakeBuilds());
  const asset = await app.inject({ method: "GET", url: "/assets/app-1a2b3c.js" });
  assert.equal(asset.statusCode, 200);
  assert.match(String(asset.headers["content-type"]), /javascript/);
  assert.equal(asset.headers["cache-control"], "public, max-age=31536000, immutable");
  assert.equal((await app.inject({ method: "GET", url: "/.tsc/main.js" })).statusCode, 404);
  assert.equal((await app.inject({ method: "GET", url: "/assets/missing.js" })).statusCode, 404);
  // No spelling of "../" reaches a file outside the served folders (secret.txt sits next to them).
  for (const url of [
    "/assets/%2e%2e/%2e%2e/secret.txt",
    "/element/%2e%2e/%2e%2e/secret.txt",
    "/element/..%2f..%2fsecret.txt",
    "/..%2fsecret.txt",
  ]) {
    const attempt = await app.inject({ method: "GET", url });
    assert.ok(attempt.statusCode >= 400 && attempt.statusCode < 500, `${url}: ${attempt.statusCode}`);
    assert.ok(!attempt.body.includes("SECRET"), url);
  }
});

test("the site routes leave the API alone: /health, unknown API routes and auth still answer as before", async (t) => {
  const app = await siteApp(t, fakeBuilds());
  assert.equal((await app.inject({ method: "GET", url: "/health" })).json().status, "ok");
  const unknown = await app.inject({ method: "GET", url: "/api/v1/no-such-route" });
  assert.equal(unknown.statusCode, 404);
  assert.equal(unknown.json().error.code, "not_found");
  const unauthenticated = await app.inject({ method: "GET", url: "/api/v1/notebooks" });
  assert.equal(unauthenticated.statusCode, 401);
});

test("the element bundle is served at /element/ for any origin, vendor files with a long cache", async (t) => {
  const app = await siteApp(t, fakeBuilds());
  const bundle = await app.inject({
    method: "GET",
    url: "/element/reactive-notebook.js",
    headers: { origin: "https://host.example" },
  });
  assert.equal(bundle.statusCode, 200);
  assert.match(String(bundle.headers["content-type"]), /javascript/);
  assert.equal(bundle.headers["cross-origin-resource-policy"], "cross-origin");
  // A module script on another origin is fetched in CORS mode.
  assert.equal(bundle.headers["access-control-allow-origin"], "*");
  assert.equal(bundle.headers["cache-control"], "no-cache");
  assert.ok(bundle.headers.etag, "revalidated with an ETag");

  const vendor = await app.inject({ method: "GET", url: "/element/vendor/vega.min.js" });
  assert.equal(vendor.statusCode, 200);
  assert.equal(vendor.headers["cross-origin-resource-policy"], "cross-origin");
  assert.equal(vendor.headers["cache-control"], "public, max-age=2592000");
  assert.equal((await app.inject({ method: "GET", url: "/element/vendor/nope.js" })).statusCode, 404);
});

test("the output frame page is always sandboxed, frameable from any origin, and not cached past a release", async (t) => {
  const app = await siteApp(t, fakeBuilds());
  const page = await app.inject({
    method: "GET",
    url: "/element/vendor/frame.html",
    headers: { origin: "https://host.example" },
  });
  assert.equal(page.statusCode, 200);
  const csp = directives(page.headers["content-security-policy"]);
  // Framed without a sandbox attribute (or opened on its own) it still gets an opaque origin.
  assert.deepEqual(csp.sandbox, ["allow-scripts"]);
  assert.deepEqual(csp["connect-src"], ["'none'"]);
  assert.deepEqual(csp["default-src"], ["'none'"]);
  assert.equal(page.headers["x-frame-options"], undefined, "host pages on other origins frame it");
  assert.equal(csp["frame-ancestors"], undefined);
  assert.equal(page.headers["cache-control"], "no-cache");
  // The pages themselves may frame it (frame-src 'self'), and nothing else by default.
  const site = directives((await app.inject({ method: "GET", url: "/" })).headers["content-security-policy"]);
  assert.deepEqual(site["frame-src"], ["'self'"]);
});

test("the host-page example is served at /examples/host-page/ and loads the bundle from /element/", async (t) => {
  const app = await siteApp(t, fakeBuilds());
  const page = await app.inject({ method: "GET", url: "/examples/host-page/" });
  assert.equal(page.statusCode, 200);
  assert.match(String(page.headers["content-type"]), /^text\/html/);
  assert.match(page.body, /<script type="module" src="\/element\/reactive-notebook\.js"><\/script>/);
  assert.match(page.body, /<reactive-notebook\b/);
});

test("without a built site, / and deep links explain how to build it; without a bundle, /element/ says so", async (t) => {
  const empty = mkdtempSync(path.join(tmpdir(), "rn-site-empty-"));
  const app = await siteApp(t, {
    siteDir: path.join(empty, "site"),
    elementDir: path.join(empty, "element"),
  });
  for (const url of ["/", "/n/some-id"]) {
    const response = await app.inject({ method: "GET", url });
    assert.equal(response.statusCode, 200, url);
    assert.match(String(response.headers["content-type"]), /^text\/html/);
    assert.match(response.body, /demo site is not built/);
    assert.match(response.body, /npm run build/);
  }
  const bundle = await app.inject({ method: "GET", url: "/element/reactive-notebook.js" });
  assert.equal(bundle.statusCode, 404);
  assert.match(bundle.body, /npm run build -w @reactive-notebook\/element/);
});

test("in dev mode the pages' CSP allows only the site's own scripts and connections (ws to itself), no Clerk", async (t) => {
  const app = await siteApp(t, fakeBuilds());
  const response = await app.inject({ method: "GET", url: "/" });
  const csp = directives(response.headers["content-security-policy"]);
  assert.deepEqual(csp["script-src"], ["'self'"]);
  // CSP Level 3: 'self' also matches ws: and wss: on the page's own host and port.
  assert.deepEqual(csp["connect-src"], ["'self'"]);
  assert.deepEqual(csp["object-src"], ["'none'"]);
  assert.deepEqual(csp["frame-ancestors"], ["'self'"]);
  assert.ok(
    !String(response.headers["content-security-policy"]).includes("clerk"),
    "no Clerk origin in dev mode",
  );
  assert.equal(response.headers["x-content-type-options"], "nosniff");
});

test("in Clerk mode the pages' CSP adds the Clerk Frontend API of the publishable key", async (t) => {
  const key = await signingKey();
  // pk_test_ + base64("clerk.example.com$") names the Frontend API host.
  const publishableKey = `pk_test_${Buffer.from("clerk.example.com$").toString("base64")}`;
  const app = await siteApp(t, fakeBuilds(), { ...clerkEnv(key), CLERK_PUBLISHABLE_KEY: publishableKey });
  const response = await app.inject({ method: "GET", url: "/n/some-id" });
  const csp = directives(response.headers["content-security-policy"]);
  assert.ok(csp["script-src"]?.includes("'self'"));
  assert.ok(csp["script-src"]?.includes("https://clerk.example.com"), String(csp["script-src"]));
  assert.ok(csp["connect-src"]?.includes("https://clerk.example.com"), String(csp["connect-src"]));
});

test("by default the folders are found from the repository root; SITE_DIR and ELEMENT_DIR override them", () => {
  const defaults = siteDirectories({}, {});
  assert.ok(defaults.siteDir.endsWith(path.join("examples", "demo-site", "dist")), defaults.siteDir);
  assert.ok(
    defaults.elementDir.endsWith(path.join("packages", "element", "dist", "bundle")),
    defaults.elementDir,
  );
  assert.ok(
    existsSync(path.join(defaults.hostPageDir, "index.html")),
    "the host-page example is in the repository",
  );
  const overridden = siteDirectories({}, { SITE_DIR: "/srv/site", ELEMENT_DIR: "/srv/element" });
  assert.equal(overridden.siteDir, "/srv/site");
  assert.equal(overridden.elementDir, "/srv/element");
});

function directives(header: unknown): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const part of String(header).split(";")) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) result[name] = values;
  }
  return result;
}
