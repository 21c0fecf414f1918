// The CloudFront distribution: caching per path, the single-page-app fallback (run for real), the API on
// the same origin, and the custom domain.
import assert from "node:assert/strict";
import { test } from "node:test";
import { SPA_FALLBACK_CODE } from "../src/index.js";
import { type Block, CERTIFICATE, must, synthesize } from "./synth.js";

const plain = synthesize();
const custom = synthesize({
  RN_INFRA_SITE_DOMAIN: "notebooks.example.com",
  RN_INFRA_SITE_CERTIFICATE_ARN: CERTIFICATE,
});
const distribution = (synth = plain) => synth.at("aws_cloudfront_distribution", "web/distribution").body;
const behaviour = (pattern: string) =>
  (distribution().ordered_cache_behavior as Block[]).find((item) => item.path_pattern === pattern);

/** Runs the CloudFront Function's code as CloudFront would: `handler(event)` over a viewer request. */
function route(uri: string): string {
  const handler = new Function(`${SPA_FALLBACK_CODE}; return handler;`)() as (event: unknown) => {
    uri: string;
  };
  return handler({ request: { uri, method: "GET", headers: {} } }).uri;
}

test("app routes fall back to index.html; files and missing assets do not", () => {
  assert.equal(route("/"), "/index.html");
  assert.equal(route("/n/7f0c2d1e-1111-4222-8333-944445555666"), "/index.html");
  assert.equal(route("/notebooks/"), "/index.html");
  assert.equal(route("/assets/app-3f2a1b.js"), "/assets/app-3f2a1b.js");
  assert.equal(route("/favicon.svg"), "/favicon.svg");
  const fallback = plain.at("aws_cloudfront_function", "web/spa-fallback");
  assert.equal(fallback.body.code, SPA_FALLBACK_CODE);
  assert.equal(fallback.body.runtime, "cloudfront-js-2.0");
  assert.deepEqual(
    distribution().default_cache_behavior &&
      (distribution().default_cache_behavior as Block).function_association,
    [{ event_type: "viewer-request", function_arn: fallback.ref("arn") }],
  );
  for (const item of distribution().ordered_cache_behavior as Block[])
    assert.equal(item.function_association, undefined, `${item.path_pattern} keeps its paths`);
});

test("versioned paths are cached for a year, HTML for a minute", () => {
  const long = plain.at("aws_cloudfront_cache_policy", "web/versioned");
  const short = plain.at("aws_cloudfront_cache_policy", "web/html");
  assert.equal(long.body.default_ttl, 31_536_000);
  assert.equal(long.body.max_ttl, 31_536_000);
  assert.equal(short.body.default_ttl, 60);
  assert.ok(Number(short.body.max_ttl) <= 300);
  assert.equal(behaviour("/element/*")?.cache_policy_id, long.ref("id"));
  assert.equal(behaviour("/assets/*")?.cache_policy_id, long.ref("id"));
  assert.equal((distribution().default_cache_behavior as Block).cache_policy_id, short.ref("id"));
  assert.equal(distribution().default_root_object, "index.html");
});

test("the element bundle may be loaded from any origin, with a cross-origin resource policy", () => {
  const headers = plain.at("aws_cloudfront_response_headers_policy", "web/element-headers");
  assert.equal(behaviour("/element/*")?.response_headers_policy_id, headers.ref("id"));
  const cors = headers.body.cors_config as Record<string, { items: string[] }>;
  assert.deepEqual(cors.access_control_allow_origins, { items: ["*"] });
  const custom = (headers.body.custom_headers_config as { items: Block[] }).items;
  assert.deepEqual(custom, [
    { header: "Cross-Origin-Resource-Policy", value: "cross-origin", override: true },
  ]);
});

test("the output frame page is served sandboxed by CSP, ahead of the element's own behaviour", () => {
  const headers = plain.at("aws_cloudfront_response_headers_policy", "web/output-frame-headers");
  const patterns = (distribution().ordered_cache_behavior as Block[]).map((item) => item.path_pattern);
  const frame = "/element/*/vendor/frame.html";
  assert.ok(
    patterns.indexOf(frame) >= 0 && patterns.indexOf(frame) < patterns.indexOf("/element/*"),
    `${patterns}`,
  );
  assert.equal(behaviour(frame)?.response_headers_policy_id, headers.ref("id"));
  assert.equal(
    behaviour(frame)?.cache_policy_id,
    plain.at("aws_cloudfront_cache_policy", "web/html").ref("id"),
  );
  const security = headers.body.security_headers_config as Record<string, Record<string, unknown>>;
  const csp = String(security.content_security_policy?.content_security_policy);
  assert.match(csp, /^sandbox allow-scripts; /);
  assert.match(csp, /connect-src 'none'/);
  assert.equal(security.frame_options, undefined, "host pages on any origin frame it");
});

test("the site is served under the service's Content-Security-Policy, Clerk's Frontend API allowed when configured", () => {
  const policyOf = (synth = plain) => {
    const headers = synth.at("aws_cloudfront_response_headers_policy", "web/site-headers");
    assert.equal(
      (synth.at("aws_cloudfront_distribution", "web/distribution").body.default_cache_behavior as Block)
        .response_headers_policy_id,
      headers.ref("id"),
    );
    const security = headers.body.security_headers_config as Record<string, Record<string, unknown>>;
    return new Map(
      String(security.content_security_policy?.content_security_policy)
        .split("; ")
        .map((directive) => {
          const [name = "", ...sources] = directive.split(" ");
          return [name, sources] as const;
        }),
    );
  };
  const csp = policyOf();
  assert.deepEqual(csp.get("script-src"), ["'self'"], "no inline or remote scripts without Clerk");
  assert.deepEqual(csp.get("frame-src"), ["'self'"], "output frames load the frame page from the site");
  assert.deepEqual(csp.get("frame-ancestors"), ["'self'"]);
  assert.deepEqual(csp.get("object-src"), ["'none'"]);
  assert.deepEqual(csp.get("upgrade-insecure-requests"), [], "CloudFront serves HTTPS only");

  const key = `pk_live_${Buffer.from("clerk.notebooks.example.com$").toString("base64")}`;
  const clerk = policyOf(synthesize({ RN_INFRA_CLERK_PUBLISHABLE_KEY: key }));
  assert.deepEqual(clerk.get("script-src"), [
    "'self'",
    "https://clerk.notebooks.example.com",
    "https://challenges.cloudflare.com",
  ]);
  assert.deepEqual(clerk.get("connect-src"), ["'self'", "https://clerk.notebooks.example.com"]);
});

test("the API shares the site's origin: /api/* and /health go to the load balancer uncached", () => {
  for (const pattern of ["/api/*", "/health"]) {
    const api = behaviour(pattern);
    assert.equal(api?.target_origin_id, "api", pattern);
    assert.equal(api?.viewer_protocol_policy, "https-only");
    assert.ok((must(api).allowed_methods as string[]).includes("POST"));
    const policy = /^\$\{data\.aws_cloudfront_cache_policy\.([\w-]+)\.id\}$/.exec(
      String(api?.cache_policy_id),
    );
    assert.equal(
      plain.json.data.aws_cloudfront_cache_policy?.[policy?.[1] ?? ""]?.name,
      "Managed-CachingDisabled",
    );
    const request = /^\$\{data\.aws_cloudfront_origin_request_policy\.([\w-]+)\.id\}$/.exec(
      String(api?.origin_request_policy_id),
    );
    assert.equal(
      plain.json.data.aws_cloudfront_origin_request_policy?.[request?.[1] ?? ""]?.name,
      "Managed-AllViewerExceptHostHeader",
    );
  }
  const origin = (distribution().origin as Block[]).find((item) => item.origin_id === "api");
  assert.equal(origin?.domain_name, plain.at("aws_lb", "load-balancer/alb").ref("dns_name"));
  assert.equal((must(origin).custom_origin_config as Block).origin_protocol_policy, "http-only");
  const secured = synthesize({
    RN_INFRA_API_DOMAIN: "api.example.com",
    RN_INFRA_API_CERTIFICATE_ARN: CERTIFICATE,
  });
  const tls = (distribution(secured).origin as Block[]).find((item) => item.origin_id === "api");
  assert.equal(tls?.domain_name, "api.example.com");
  assert.equal((must(tls).custom_origin_config as Block).origin_protocol_policy, "https-only");
});

test("a custom site domain uses its certificate; without one CloudFront's own", () => {
  assert.deepEqual(distribution().viewer_certificate, { cloudfront_default_certificate: true });
  assert.equal(distribution().aliases, undefined);
  assert.deepEqual(distribution(custom).aliases, ["notebooks.example.com"]);
  assert.deepEqual(distribution(custom).viewer_certificate, {
    acm_certificate_arn: CERTIFICATE,
    ssl_support_method: "sni-only",
    minimum_protocol_version: "TLSv1.2_2021",
  });
  assert.equal((distribution().default_cache_behavior as Block).viewer_protocol_policy, "redirect-to-https");
});
