// Runs the compiled element tests in Debian's Chromium (never a downloaded browser) and serves a fake /health for them.
import { chromeLauncher } from "@web/test-runner-chrome";

/** JSON answers the dev server gives the tests, standing in for a notebook service's /health. */
const testApi = {
  "/test-api/health": { status: 200, body: { status: "ok", version: "0.1.0" } },
  "/test-api-failing/health": {
    status: 503,
    body: { error: { code: "kernel_unavailable", message: "The service is starting up." } },
  },
};

export default {
  files: "dist/test/**/*.test.js",
  nodeResolve: true,
  // The monorepo root, so the workspace packages (symlinked in node_modules) are served as they are.
  rootDir: "../..",
  concurrency: 1,
  testFramework: { config: { timeout: 10_000 } },
  middleware: [
    function serveTestApi(context, next) {
      const answer = testApi[context.path];
      if (!answer) return next();
      context.status = answer.status;
      context.type = "application/json";
      context.body = JSON.stringify(answer.body);
    },
  ],
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
