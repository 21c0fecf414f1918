// Copies into dist/bundle/vendor/ the page every sandboxed output frame loads (static/frame.html) and the chart
// libraries' prebuilt browser files. The libraries are never bundled into the element: a vega-lite or plotly
// output loads them, on first use, inside its sandboxed iframe.
import { copyFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, "../dist/bundle/vendor");
// Workspaces hoist dependencies to the repository's node_modules (some packages do not export package.json).
const packageDir = (name) => path.join(here, "../../../node_modules", name);

const files = {
  "frame.html": path.join(here, "../static/frame.html"),
  "vega.min.js": path.join(packageDir("vega"), "build/vega.min.js"),
  "vega-lite.min.js": path.join(packageDir("vega-lite"), "build/vega-lite.min.js"),
  "vega-embed.min.js": path.join(packageDir("vega-embed"), "build/vega-embed.min.js"),
  "plotly.min.js": path.join(packageDir("plotly.js-dist-min"), "plotly.min.js"),
};
mkdirSync(out, { recursive: true });
for (const [name, source] of Object.entries(files)) copyFileSync(source, path.join(out, name));
process.stdout.write(`vendor: copied ${Object.keys(files).join(", ")} to dist/bundle/vendor/\n`);
