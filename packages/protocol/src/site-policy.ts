/**
 * The Content-Security-Policy of the demo site (`/`, `/n/:id`), whoever serves it: the service itself, or
 * CloudFront in front of the site bucket (infra's response headers policy). One definition, so a deployed
 * site runs under exactly the policy its tests run under.
 */

/** The Clerk Frontend API origin encoded in a publishable key (`pk_test_<base64("host$")>`), if any. */
export function clerkFrontendOrigin(publishableKey: string | undefined): string | undefined {
  const encoded = publishableKey?.replace(/^pk_(test|live)_/, "");
  if (!encoded) return undefined;
  let host: string;
  try {
    host = atob(encoded).replace(/\$$/, "");
  } catch {
    return undefined;
  }
  return /^[a-z0-9.-]+$/i.test(host) ? `https://${host}` : undefined;
}

export interface SitePolicyOptions {
  /** The Clerk publishable key when Clerk signs users in: its Frontend API and Turnstile are allowed. */
  clerkPublishableKey?: string;
  /** Add `upgrade-insecure-requests` (served over HTTPS only; over plain http it breaks same-origin calls). */
  upgradeInsecureRequests: boolean;
}

/** The site's policy as directives (name → sources; an empty list for a directive without sources). */
export function sitePolicyDirectives(options: SitePolicyOptions): Record<string, string[]> {
  const clerk = clerkFrontendOrigin(options.clerkPublishableKey);
  // Clerk's sign-in loads its script from the Frontend API and a Turnstile challenge from Cloudflare.
  const turnstile = clerk ? ["https://challenges.cloudflare.com"] : [];
  return {
    "default-src": ["'self'"],
    "script-src": ["'self'", ...(clerk ? [clerk] : []), ...turnstile],
    "script-src-attr": ["'none'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "font-src": ["'self'", "https:", "data:"],
    "img-src": ["'self'", "data:", "blob:", ...(clerk ? ["https://img.clerk.com"] : [])],
    "connect-src": ["'self'", ...(clerk ? [clerk] : [])],
    // Output frames load the element's frame page from this origin (/element/vendor/frame.html).
    "frame-src": ["'self'", ...turnstile],
    "worker-src": ["'self'", "blob:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
    ...(options.upgradeInsecureRequests ? { "upgrade-insecure-requests": [] } : {}),
  };
}

/** The site's policy as a header value. */
export function sitePolicy(options: SitePolicyOptions): string {
  return Object.entries(sitePolicyDirectives(options))
    .map(([name, sources]) => [name, ...sources].join(" "))
    .join("; ");
}
