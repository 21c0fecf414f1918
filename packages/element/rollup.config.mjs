// Builds the CDN bundle: dist/bundle/reactive-notebook.js (Lit, CodeMirror, the SDK and the element; it
// registers <reactive-notebook>) plus lazily loaded chunks (Clerk) in dist/bundle/chunks/. Prints gzipped
// sizes and fails when the core file passes its budget.
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { nodeResolve } from "@rollup/plugin-node-resolve";
import replace from "@rollup/plugin-replace";
import terser from "@rollup/plugin-terser";

/** The core element (editor and SDK included, lazy chunks excluded), gzipped. */
const CORE_BUDGET_BYTES = 120 * 1024;
const ENTRY = "reactive-notebook.js";

/** Prints every file's gzipped size; fails the build when the entry plus its static imports pass the budget. */
function gzipBudget() {
  return {
    name: "gzip-budget",
    writeBundle(options, bundle) {
      const gz = (file) => gzipSync(readFileSync(path.join(options.dir, file)), { level: 9 }).length;
      const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
      const rows = Object.values(bundle)
        .filter((item) => item.type === "chunk")
        .map((chunk) => ({ file: chunk.fileName, gzip: gz(chunk.fileName), imports: chunk.imports }));
      for (const row of rows)
        process.stdout.write(`  ${row.file.padEnd(48)} ${kb(row.gzip).padStart(10)} gzip\n`);
      // The core is what a page downloads before first render: the entry and whatever it imports statically.
      const byName = new Map(rows.map((row) => [row.file, row]));
      const core = new Set();
      const visit = (file) => {
        if (core.has(file)) return;
        core.add(file);
        for (const imported of byName.get(file)?.imports ?? []) visit(imported);
      };
      visit(ENTRY);
      const total = [...core].reduce((sum, file) => sum + (byName.get(file)?.gzip ?? 0), 0);
      process.stdout.write(
        `  core (${[...core].join(" + ")}): ${kb(total)} gzip, budget ${kb(CORE_BUDGET_BYTES)}\n`,
      );
      if (total > CORE_BUDGET_BYTES) {
        throw new Error(`The core bundle is ${kb(total)} gzipped, over its ${kb(CORE_BUDGET_BYTES)} budget.`);
      }
    },
  };
}

// Chunk names carry content hashes: drop the last build's so stale chunks are not shipped.
rmSync("dist/bundle/chunks", { recursive: true, force: true });

export default {
  input: { "reactive-notebook": "dist/src/cdn.js" },
  output: {
    dir: "dist/bundle",
    format: "es",
    sourcemap: true,
    entryFileNames: "[name].js",
    chunkFileNames: "chunks/[name]-[hash].js",
  },
  plugins: [
    // The "browser" export condition picks the SDK's browser build (no `ws`, no Node built-ins).
    nodeResolve({ browser: true, exportConditions: ["browser"] }),
    replace({ preventAssignment: true, values: { "process.env.NODE_ENV": JSON.stringify("production") } }),
    // ES modules: top-level names may be mangled; two compress passes catch what the first one exposes.
    terser({ module: true, ecma: 2020, compress: { passes: 2 }, format: { comments: false } }),
    gzipBudget(),
  ],
  // Any warning (an unresolved import, a circular dependency) is a broken bundle, except TypeScript's
  // decorator helper reading top-level `this` (`this && this.__decorate`), which is harmless.
  onwarn(warning) {
    if (warning.code === "THIS_IS_UNDEFINED") return;
    throw new Error(`rollup: ${warning.message}`);
  },
};
