// The demo site's Content-Security-Policy, shared by the service and the CloudFront deployment.
import assert from "node:assert/strict";
import { test } from "node:test";
import { clerkFrontendOrigin, sitePolicy, sitePolicyDirectives } from "../src/index.js";

const key = (host: string, kind = "test") => `pk_${kind}_${Buffer.from(`${host}$`).toString("base64")}`;

test("a publishable key names its Clerk Frontend API origin", () => {
  assert.equal(clerkFrontendOrigin(key("clerk.example.com")), "https://clerk.example.com");
  assert.equal(
    clerkFrontendOrigin(key("funny-cat-12.clerk.accounts.dev", "live")),
    "https://funny-cat-12.clerk.accounts.dev",
  );
  assert.equal(clerkFrontendOrigin(undefined), undefined);
  assert.equal(clerkFrontendOrigin("pk_test_"), undefined);
  assert.equal(clerkFrontendOrigin("pk_test_%%%not-base64"), undefined);
});

test("a key whose host would inject sources into the policy is ignored", () => {
  for (const host of ["evil.example.com; script-src *", "a.example.com 'unsafe-inline'", "x/y"]) {
    assert.equal(clerkFrontendOrigin(key(host)), undefined, host);
    assert.deepEqual(
      sitePolicyDirectives({ clerkPublishableKey: key(host), upgradeInsecureRequests: false })["script-src"],
      ["'self'"],
    );
  }
});

test("without Clerk the site loads scripts, frames and connections from itself only", () => {
  const directives = sitePolicyDirectives({ upgradeInsecureRequests: false });
  assert.deepEqual(directives["script-src"], ["'self'"]);
  assert.deepEqual(directives["script-src-attr"], ["'none'"]);
  assert.deepEqual(directives["connect-src"], ["'self'"]);
  assert.deepEqual(directives["frame-src"], ["'self'"]);
  assert.deepEqual(directives["object-src"], ["'none'"]);
  assert.equal(directives["upgrade-insecure-requests"], undefined);
});

test("with Clerk its Frontend API, avatars and Turnstile are allowed, and nothing else", () => {
  const directives = sitePolicyDirectives({
    clerkPublishableKey: key("clerk.example.com"),
    upgradeInsecureRequests: true,
  });
  assert.deepEqual(directives["script-src"], [
    "'self'",
    "https://clerk.example.com",
    "https://challenges.cloudflare.com",
  ]);
  assert.deepEqual(directives["connect-src"], ["'self'", "https://clerk.example.com"]);
  assert.deepEqual(directives["frame-src"], ["'self'", "https://challenges.cloudflare.com"]);
  assert.deepEqual(directives["img-src"], ["'self'", "data:", "blob:", "https://img.clerk.com"]);
  assert.deepEqual(directives["upgrade-insecure-requests"], []);
});

test("the header form lists each directive with its sources", () => {
  const header = sitePolicy({ upgradeInsecureRequests: true });
  assert.match(header, /^default-src 'self'; script-src 'self'; /);
  assert.match(header, /; frame-ancestors 'self'; upgrade-insecure-requests$/);
  assert.equal(
    header.split("; ").length,
    Object.keys(sitePolicyDirectives({ upgradeInsecureRequests: true })).length,
  );
});
