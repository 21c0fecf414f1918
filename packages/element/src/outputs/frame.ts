/**
 * The documents shown in sandboxed output frames (`text/html`, `image/svg+xml`, vega-lite, plotly).
 *
 * Each frame is `sandbox="allow-scripts"` without `allow-same-origin`, loads `frame.html` (see `frameUrl`;
 * `OUTPUT_FRAME_PATH` in the protocol) and is sent its document by `postMessage`. Its origin is opaque: its scripts
 * cannot reach the host page's DOM, cookies, storage or Clerk session, nor navigate the top window. The
 * document carries a Content-Security-Policy that blocks the network (scripts only from the vendor folder,
 * images only from data:, blob: and https:), the theme colours, and a small script that posts the
 * document's height to the parent, which sizes the frame (see the `FrameMessage` checks in the element).
 */
// The subpath, not the package root: the root brings the TypeBox schemas, which the browser bundle leaves out.
import { OUTPUT_CONTENT_DIRECTIVES } from "@reactive-notebook/protocol/output-frame";

/** The colours a frame's document is painted with. */
export interface FrameTheme {
  scheme: "light" | "dark";
  background: string;
  text: string;
  accent: string;
  border: string;
  fontFamily: string;
}

/** What a frame's own script posts to its parent; `doc` is the `FrameDocument.id` it was built with. */
export type FrameMessage =
  | { type: "rn-output-height"; doc: string; height: number }
  | { type: "rn-output-status"; doc: string; state: "rendered" | "error"; message?: string; marks?: number };

/** A frame's document and its id: a hash of the document, so a message left over from an older document is told apart. */
export interface FrameDocument {
  id: string;
  srcdoc: string;
}

/**
 * The page each output frame loads (`frame.html` in the vendor folder). It waits for a
 * `{ type: "rn-output-render", html }` message from its parent and writes that document in. Loading a page
 * from the element's origin, rather than a `srcdoc` (or `blob:`) document, keeps the host page's CSP — which
 * such local documents inherit — away from outputs; the service serves it with `sandbox allow-scripts`.
 */
export function frameUrl(vendorBase: string): string {
  return new URL("frame.html", vendorBase).href;
}

/** The chart kinds that render inside a frame from the vendor scripts. */
export type ChartKind = "vega-lite" | "plotly";

/** The vendor files each chart kind loads, in order. */
export const CHART_SCRIPTS: Record<ChartKind, readonly string[]> = {
  "vega-lite": ["vega.min.js", "vega-lite.min.js", "vega-embed.min.js"],
  plotly: ["plotly.min.js"],
};

/** Posts the height whenever the document resizes; also answers images and fonts that load late. */
const HEIGHT_REPORTER = `(function () {
  var last = -1;
  function report() {
    var body = document.body;
    var height = Math.ceil(Math.max(document.documentElement.scrollHeight, body ? body.scrollHeight : 0));
    if (height !== last) { last = height; parent.postMessage({ type: "rn-output-height", doc: RN_DOC, height: height }, "*"); }
  }
  function start() { new ResizeObserver(report).observe(document.documentElement); if (document.body) new ResizeObserver(report).observe(document.body); report(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
  addEventListener("load", report);
})();`;

/** Builds a full HTML document for a `text/html` or `image/svg+xml` output. */
export function contentDocument(body: string, theme: FrameTheme): FrameDocument {
  return page({ theme, scripts: [], vendorBase: undefined, body, tail: "" });
}

/** Builds a document that loads the chart library from `vendorBase` and draws `spec` into it. */
export function chartDocument(
  kind: ChartKind,
  spec: unknown,
  theme: FrameTheme,
  vendorBase: string,
): FrameDocument {
  const scripts = CHART_SCRIPTS[kind].map((file) => new URL(file, vendorBase).href);
  const body = `<div id="chart" role="img" aria-label="${kind === "plotly" ? "Plotly chart" : "Vega-Lite chart"}"></div>
<script id="spec" type="application/json">${jsonForScript(spec)}</script>`;
  return page({ theme, scripts, vendorBase, body, tail: chartScript(kind, theme) });
}

function page(options: {
  theme: FrameTheme;
  scripts: string[];
  vendorBase: string | undefined;
  body: string;
  tail: string;
}): FrameDocument {
  const { theme, scripts, vendorBase, body, tail } = options;
  const scriptSources = ["'unsafe-inline'", "'unsafe-eval'", vendorBase ? cspSource(vendorBase) : ""]
    .filter(Boolean)
    .join(" ");
  const csp = ["default-src 'none'", `script-src ${scriptSources}`, ...OUTPUT_CONTENT_DIRECTIVES].join("; ");
  const loaders = scripts
    .map((src) => `<script src="${escapeAttribute(src)}" onerror="rnLoadFailed(this.src)"></script>`)
    .join("\n");
  const rest = `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
:root { color-scheme: ${theme.scheme}; background: ${theme.background}; color: ${theme.text}; font-family: ${theme.fontFamily}; }
html, body { margin: 0; padding: 0; }
body { padding: 4px 0; }
a { color: ${theme.accent}; }
table { border-collapse: collapse; }
th, td { border: 1px solid ${theme.border}; padding: 2px 6px; }
svg { max-width: 100%; height: auto; }
</style>
<script>var RN_DOC = "__RN_DOC__";
${HEIGHT_REPORTER}
function rnLoadFailed(src) { parent.postMessage({ type: "rn-output-status", doc: RN_DOC, state: "error", message: "Could not load " + src }, "*"); }
</script>
${loaders}
</head><body>
${body}
${tail ? `<script>${tail}</script>` : ""}
</body></html>`;
  const id = hash(rest);
  // The CSP comes first, before anything the output's own markup could put in front of it.
  return {
    id,
    srcdoc: `<!doctype html>\n<html lang="en"><head>\n<meta charset="utf-8">\n${rest.replace("__RN_DOC__", id)}`,
  };
}

/** FNV-1a (32-bit) as 8 hex digits: enough to tell this element's documents apart. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

function chartScript(kind: ChartKind, theme: FrameTheme): string {
  const dark = theme.scheme === "dark";
  const done = `function done(error) {
    var marks = document.querySelectorAll("#chart svg path, #chart svg rect, #chart svg text, #chart canvas").length;
    parent.postMessage(error
      ? { type: "rn-output-status", doc: RN_DOC, state: "error", message: String(error && error.message || error) }
      : { type: "rn-output-status", doc: RN_DOC, state: "rendered", marks: marks }, "*");
  }`;
  const read = `var spec = JSON.parse(document.getElementById("spec").textContent); var target = document.getElementById("chart");`;
  if (kind === "vega-lite") {
    return `${done}
    try {
      ${read}
      if (typeof vegaEmbed !== "function") throw new Error("vega-embed did not load");
      vegaEmbed(target, spec, { actions: false, renderer: "svg", ${dark ? 'theme: "dark", ' : ""}config: { background: ${JSON.stringify(theme.background)} } })
        .then(function () { done(); }, done);
    } catch (error) { done(error); }`;
  }
  const font = JSON.stringify({ color: theme.text });
  return `${done}
  try {
    ${read}
    if (typeof Plotly === "undefined") throw new Error("plotly did not load");
    var figure = Array.isArray(spec) ? { data: spec } : spec;
    var layout = Object.assign({ paper_bgcolor: ${JSON.stringify(theme.background)}, plot_bgcolor: ${JSON.stringify(theme.background)}, font: ${font}${dark ? ', template: { layout: { xaxis: { gridcolor: "#30363d" }, yaxis: { gridcolor: "#30363d" } } }' : ""} }, figure.layout || {});
    var config = Object.assign({ responsive: true, displaylogo: false }, figure.config || {});
    Plotly.newPlot(target, figure.data || [], layout, config).then(function () { done(); }, done);
  } catch (error) { done(error); }`;
}

/** A CSP source for a folder: its origin and path (CSP matches a path ending in `/` as a prefix). */
function cspSource(base: string): string {
  const url = new URL(base);
  return `${url.origin}${url.pathname}`.replace(/[;,\s']/g, encodeURIComponent);
}

/** JSON that cannot end its `<script>` element or open a comment. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value ?? null)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
