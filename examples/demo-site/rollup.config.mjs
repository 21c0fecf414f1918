// Builds the demo site into dist/: index.html, assets/app-[hash].js (Lit, the SDK and the element, with lazy
// chunks), assets/styles-[hash].css and the favicon. Hashed names let the server cache assets for good.
import { readFileSync, rmSync } from "node:fs";
import { nodeResolve } from "@rollup/plugin-node-resolve";
import terser from "@rollup/plugin-terser";

/** Emits the stylesheet and favicon, and writes index.html pointing at the hashed entry and stylesheet. */
function sitePage() {
  let styles;
  let favicon;
  return {
    name: "site-page",
    buildStart() {
      // Old hashed files would pile up otherwise (dist/.tsc, the compiler's output, stays).
      rmSync("dist/assets", { recursive: true, force: true });
      this.addWatchFile("index.html");
      styles = this.emitFile({ type: "asset", name: "styles.css", source: readFileSync("src/styles.css") });
      favicon = this.emitFile({
        type: "asset",
        fileName: "favicon.svg",
        source: readFileSync("public/favicon.svg"),
      });
    },
    generateBundle(_options, bundle) {
      const entry = Object.values(bundle).find((file) => file.type === "chunk" && file.isEntry);
      const page = readFileSync("index.html", "utf8")
        .replace("%STYLES%", `/${this.getFileName(styles)}`)
        .replace("%FAVICON%", `/${this.getFileName(favicon)}`)
        .replace("%APP%", `/${entry.fileName}`);
      this.emitFile({ type: "asset", fileName: "index.html", source: page });
    },
  };
}

/** Terser for our code; Clerk's chunk is shipped minified already, and re-minifying it doubles the build time. */
function minify() {
  const plugin = terser({ format: { comments: false } });
  return {
    ...plugin,
    renderChunk(code, chunk, options, meta) {
      if (chunk.name.startsWith("clerk")) return null;
      return plugin.renderChunk.call(this, code, chunk, options, meta);
    },
  };
}

export default {
  input: "dist/.tsc/src/main.js",
  output: {
    dir: "dist",
    format: "es",
    entryFileNames: "assets/app-[hash].js",
    chunkFileNames: "assets/[name]-[hash].js",
    assetFileNames: "assets/[name]-[hash][extname]",
    sourcemap: true,
  },
  plugins: [nodeResolve({ browser: true, exportConditions: ["browser"] }), minify(), sitePage()],
  onwarn(warning) {
    // TypeScript's decorator helper reads top-level `this`; harmless.
    if (warning.code === "THIS_IS_UNDEFINED") return;
    throw new Error(`rollup: ${warning.message}`);
  },
};
