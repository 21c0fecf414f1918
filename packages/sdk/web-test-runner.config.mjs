// Runs the SDK's browser bundle (dist/browser/index.js) in Debian's Chromium (never a downloaded browser)
// against a real notebook service, started for the run by scripts/test-server.mjs (dev auth) with this page's
// origin allowed; the tests read the service's URL from /test-config.json.
import { defaultReporter } from "@web/test-runner";
import { chromeLauncher } from "@web/test-runner-chrome";
import { CHROMIUM_LAUNCH, notebookServicePlugin } from "../../scripts/test-server.mjs";

/** Fixed, so the service can allow the test page's origin (CORS, WebSocket Origin) before the run starts. */
const port = 8766;
const hostname = "127.0.0.1";

/** Counts the tests of a result tree by outcome. */
function tally(suite, counts) {
  for (const test of suite?.tests ?? []) {
    const outcome = test.skipped ? "skipped" : test.passed ? "passed" : "failed";
    counts[outcome] += 1;
  }
  for (const child of suite?.suites ?? []) tally(child, counts);
  return counts;
}

/**
 * One summary line at the end, "browser tests: N passed, N failed, N skipped", for scripts/test.mjs to count:
 * the progress bar it replaces repeats its "N passed, N failed" when stdout is not a terminal. A test file
 * that failed without any failing test (it did not load, say) counts as one failure.
 */
function summaryReporter() {
  return {
    stop({ sessions }) {
      const counts = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        const before = counts.failed;
        tally(session.testResults, counts);
        if (session.passed === false && counts.failed === before) counts.failed += 1;
      }
      console.log(
        `browser tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`,
      );
    },
  };
}

export default {
  files: "browser-test/**/*.test.js",
  // The monorepo root, so the page can load ../dist/browser/index.js next to the tests.
  rootDir: "../..",
  port,
  hostname,
  concurrency: 1,
  // A kernel's first start takes a few seconds; runs carry their own generous AbortSignal deadlines.
  testFramework: { config: { timeout: 120_000 } },
  testsFinishTimeout: 300_000,
  plugins: [notebookServicePlugin({ hostname, port })],
  reporters: [defaultReporter({ reportTestResults: true, reportTestProgress: false }), summaryReporter()],
  browsers: [chromeLauncher({ launchOptions: CHROMIUM_LAUNCH })],
};
