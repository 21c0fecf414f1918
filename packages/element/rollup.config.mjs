// Builds the single-file, minified ESM bundle for CDN use: Lit, the SDK and the element, registering <reactive-notebook>.
import { nodeResolve } from "@rollup/plugin-node-resolve";
import terser from "@rollup/plugin-terser";

export default {
  input: "dist/src/cdn.js",
  output: { file: "dist/bundle/reactive-notebook.js", format: "es", sourcemap: true },
  plugins: [
    // The "browser" export condition picks the SDK's browser build (no `ws`, no Node built-ins).
    nodeResolve({ browser: true, exportConditions: ["browser"] }),
    terser({ format: { comments: false } }),
  ],
  // Any warning (an unresolved import, a circular dependency) is a broken bundle, except TypeScript's
  // decorator helper reading top-level `this` (`this && this.__decorate`), which is harmless.
  onwarn(warning) {
    if (warning.code === "THIS_IS_UNDEFINED") return;
    throw new Error(`rollup: ${warning.message}`);
  },
};
