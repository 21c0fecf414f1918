/** Where sandboxed chart frames load the vendor UMD files (vega, vega-lite, vega-embed, plotly) from. */

/**
 * The default: the `vendor/` folder of `dist/bundle/`, found from where this module is served. In the ESM
 * build it is `dist/src/outputs/` (so `../../bundle/vendor/`); bundled by rollup it is a chunk in
 * `dist/bundle/chunks/` (so `../vendor/`) or a file in `dist/bundle/` (so `./vendor/`). The single-file
 * bundle's entry also sets it explicitly (see `src/cdn.ts`).
 */
let vendorBase = new URL(defaultVendorPath(new URL(import.meta.url).pathname), import.meta.url).href;

function defaultVendorPath(modulePath: string): string {
  if (/\/src\/outputs\/[^/]*$/.test(modulePath)) return "../../bundle/vendor/";
  if (/\/chunks\/[^/]*$/.test(modulePath)) return "../vendor/";
  return "./vendor/";
}

/**
 * Sets the folder the chart frames load `vega.min.js`, `vega-lite.min.js`, `vega-embed.min.js` and
 * `plotly.min.js` from. The folder must answer with `Cross-Origin-Resource-Policy: cross-origin` when it
 * sends CORP at all, because the frames have an opaque origin. A relative URL resolves against the page.
 */
export function setVendorBase(url: string | URL): void {
  vendorBase = withTrailingSlash(new URL(url, document.baseURI).href);
}

/** The current vendor folder, always ending in `/`. */
export function getVendorBase(): string {
  return vendorBase;
}

/** Resolves an optional per-element override against the page, or falls back to the global base. */
export function resolveVendorBase(override: string | undefined): string {
  return override ? withTrailingSlash(new URL(override, document.baseURI).href) : vendorBase;
}

function withTrailingSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}
