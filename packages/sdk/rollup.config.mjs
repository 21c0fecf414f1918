// Bundles the compiled SDK into one browser ESM file; protocol is imported for types only, so nothing of it (or typebox) lands here.
import { fileURLToPath, pathToFileURL } from "node:url";
import { nodeResolve } from "@rollup/plugin-node-resolve";

/** Pages always have a WebSocket: the Node-only loader of the `ws` package is swapped for its browser stand-in. */
const browserWebSocket = {
  name: "browser-websocket",
  resolveId(source, importer) {
    if (importer && source === "./websocket-node.js") {
      return fileURLToPath(new URL("./websocket-browser.js", pathToFileURL(importer)));
    }
    return null;
  },
};

export default {
  input: "dist/src/index.js",
  output: { file: "dist/browser/index.js", format: "es", sourcemap: true },
  plugins: [
    browserWebSocket,
    nodeResolve({ browser: true, exportConditions: ["browser", "import", "default"] }),
  ],
  // Any warning (an unresolved import, a circular dependency) is a broken bundle.
  onwarn(warning) {
    throw new Error(`rollup: ${warning.message}`);
  },
};
