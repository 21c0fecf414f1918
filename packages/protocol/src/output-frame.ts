/**
 * The output frame page (`frame.html` in the element's vendor folder): every HTML, SVG and chart output is a
 * sandboxed iframe that loads it and is posted its document. Whoever serves the page — the service at
 * `/element/vendor/frame.html`, or the CDN in front of the bundle — sends it with this policy.
 */

/** The page's path below the element's bundle folder. */
export const OUTPUT_FRAME_PATH = "vendor/frame.html";

/**
 * What every output document may do besides running scripts: inline styles, images from data:, blob: and
 * https:, no network, no forms. The frame page's policy and each document's own policy both end with these.
 */
export const OUTPUT_CONTENT_DIRECTIVES: readonly string[] = [
  "style-src 'unsafe-inline'",
  "img-src data: blob: https:",
  "font-src data:",
  "media-src data: blob:",
  "connect-src 'none'",
  "form-action 'none'",
  "base-uri 'none'",
];

/**
 * `sandbox allow-scripts` gives the page an opaque origin however it is framed (even by a page that leaves
 * out the sandbox attribute); scripts may run inline (outputs are HTML) and load from the vendor folder; no
 * network. Each output document adds its own, stricter policy. No `frame-ancestors`: any host page may embed it.
 */
export const OUTPUT_FRAME_POLICY = [
  "sandbox allow-scripts",
  "default-src 'none'",
  "script-src 'self' 'unsafe-inline' 'unsafe-eval' https: http:",
  ...OUTPUT_CONTENT_DIRECTIVES,
].join("; ");
