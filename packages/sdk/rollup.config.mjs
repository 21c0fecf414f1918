// Bundles the compiled SDK into one browser ESM file; protocol is imported for types only, so nothing of it (or typebox) lands here.
import { nodeResolve } from "@rollup/plugin-node-resolve";

export default {
  input: "dist/src/index.js",
  output: { file: "dist/browser/index.js", format: "es", sourcemap: true },
  plugins: [nodeResolve({ browser: true, exportConditions: ["browser", "import", "default"] })],
  // Any warning (an unresolved import, a circular dependency) is a broken bundle.
  onwarn(warning) {
    throw new Error(`rollup: ${warning.message}`);
  },
};
