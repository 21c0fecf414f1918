// Runs the compiled element tests in Debian's Chromium (never a downloaded browser) against a real notebook
// service, started for the run by scripts/test-server.mjs (dev auth); tests read its URL from /test-config.json.
import { chromeLauncher } from "@web/test-runner-chrome";
import { startTestServer } from "../../scripts/test-server.mjs";

/** Fixed, so the service can allow the test page's origin (CORS) before the run starts. */
const port = 8765;
const hostname = "127.0.0.1";

/** Starts the service when the dev server starts, stops it after the run, and tells the tests where it is. */
function notebookService() {
  let server;
  return {
    name: "notebook-service",
    async serverStart() {
      server = await startTestServer({
        allowedOrigins: [`http://${hostname}:${port}`, `http://localhost:${port}`],
      });
    },
    async serverStop() {
      await server?.stop();
    },
    serve(context) {
      if (context.path !== "/test-config.json") return undefined;
      return { body: JSON.stringify({ apiUrl: server.url }), type: "json" };
    },
  };
}

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
  plugins: [notebookService()],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: "/usr/bin/chromium",
        headless: true,
        args: [
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--no-first-run",
        ],
      },
    }),
  ],
};
