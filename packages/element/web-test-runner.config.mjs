// Runs the compiled element tests in Debian's Chromium (never a downloaded browser) against a real notebook
// service, started for the run by scripts/test-server.mjs (dev auth); tests read its URL from /test-config.json.
import { chromeLauncher } from "@web/test-runner-chrome";
import { CHROMIUM_LAUNCH, notebookServicePlugin } from "../../scripts/test-server.mjs";

/**
 * Fixed before the run starts, so the service can allow the test page's origin (CORS); `WTR_PORT` picks
 * another when two runs share a machine.
 */
const port = Number(process.env.WTR_PORT ?? 8765);
const hostname = "127.0.0.1";

export default {
  files: "dist/test/**/*.test.js",
  nodeResolve: { exportConditions: ["browser"] },
  // The monorepo root, so the workspace packages (symlinked in node_modules) are served as they are.
  rootDir: "../..",
  port,
  hostname,
  concurrency: 1,
  // A kernel's first start takes a few seconds; tests poll with their own generous deadlines.
  testFramework: { config: { timeout: 120_000 } },
  testsFinishTimeout: 900_000,
  plugins: [notebookServicePlugin({ hostname, port })],
  browsers: [chromeLauncher({ launchOptions: CHROMIUM_LAUNCH })],
};
