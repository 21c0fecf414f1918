// Types of test-server.mjs, for the TypeScript tests that start the built service with it.

export declare const CHROMIUM_PATH: string;
export declare const CHROMIUM_ARGS: string[];
export declare const CHROMIUM_LAUNCH: { executablePath: string; headless: boolean; args: string[] };

export interface TestServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  port: number;
  dataDir: string;
  /** Everything the server printed so far. */
  output(): string;
  /** Stops the server and removes its DATA_DIR. */
  stop(): Promise<void>;
}

export interface TestServerOptions {
  allowedOrigins?: string[];
  env?: Record<string, string>;
  port?: number;
  startTimeoutMs?: number;
}

export declare function startTestServer(options?: TestServerOptions): Promise<TestServer>;
export declare function freePort(): Promise<number>;
export declare function notebookServicePlugin(page: { hostname: string; port: number }): unknown;
