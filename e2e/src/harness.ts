/**
 * What every end-to-end test file shares: the real built service (scripts/test-server.mjs, dev auth, a
 * fresh data directory) and Debian's Chromium driven by playwright-core, both stopped by `close()`. Pages
 * record uncaught errors and CSP violations so tests can assert the site ran cleanly.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

export interface TestServer {
  url: string;
  port: number;
  dataDir: string;
  output: () => string;
  stop: () => Promise<void>;
}

interface TestServerModule {
  startTestServer(options?: {
    allowedOrigins?: string[];
    env?: Record<string, string>;
    port?: number;
    startTimeoutMs?: number;
  }): Promise<TestServer>;
  /** How every browser test launches Debian's Chromium (scripts/test-server.mjs). */
  CHROMIUM_LAUNCH: { executablePath: string; headless: boolean; args: string[] };
}

/** The repository root, seen from e2e/dist/src/. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** Long enough for a kernel's first start (Pyodide, then the sample database on a first SQL cell) on a busy CI machine. */
export const KERNEL_TIMEOUT_MS = 90_000;

export interface E2E {
  server: TestServer;
  browser: Browser;
  /** The service's base URL, e.g. http://127.0.0.1:41234. */
  url: string;
  /** A fresh browser profile (its own localStorage), its first page, and the page's problems. */
  newUser(): Promise<UserPage>;
  close(): Promise<void>;
}

export interface UserPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and CSP violations seen so far, on any page of this context. */
  problems: string[];
}

/**
 * Fails at once, naming what is not built (scripts/build.mjs's BUILD_OUTPUTS), rather than letting every
 * test time out on a "not built" page. Each package's own `npm test` builds it first.
 */
async function assertBuilt(): Promise<void> {
  const { BUILD_OUTPUTS } = (await import(pathToFileURL(path.join(REPO_ROOT, "scripts/build.mjs")).href)) as {
    BUILD_OUTPUTS: Record<string, string>;
  };
  const missing = Object.values(BUILD_OUTPUTS).filter((file) => !existsSync(path.join(REPO_ROOT, file)));
  if (missing.length > 0) {
    throw new Error(
      `end-to-end tests need the built packages; missing: ${missing.join(", ")}. Run \`npm run build\` first.`,
    );
  }
}

/** Starts the service and the browser. Call `close()` in an `after` hook: it stops both. */
export async function startE2E(
  options: { env?: Record<string, string>; allowedOrigins?: string[] } = {},
): Promise<E2E> {
  await assertBuilt();
  const module = (await import(
    pathToFileURL(path.join(REPO_ROOT, "scripts/test-server.mjs")).href
  )) as TestServerModule;
  const server = await module.startTestServer({
    env: options.env ?? {},
    allowedOrigins: options.allowedOrigins ?? [],
    startTimeoutMs: 120_000,
  });
  let browser: Browser;
  try {
    browser = await chromium.launch(module.CHROMIUM_LAUNCH);
  } catch (error) {
    await server.stop();
    throw error;
  }
  const contexts: BrowserContext[] = [];
  return {
    server,
    browser,
    url: server.url,
    async newUser() {
      const context = await browser.newContext({
        baseURL: server.url,
        viewport: { width: 1280, height: 900 },
      });
      contexts.push(context);
      const problems: string[] = [];
      const watch = (page: Page) => {
        page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
        page.on("console", (message) => {
          if (message.type() === "error" && /Content Security Policy|Refused to/.test(message.text())) {
            problems.push(`CSP: ${message.text()}`);
          }
        });
      };
      context.on("page", watch);
      context.setDefaultTimeout(30_000);
      const page = await context.newPage();
      return { context, page, problems };
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close().catch(() => {});
      await server.stop();
    },
  };
}
