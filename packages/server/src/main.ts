// Starts the service: reads the environment, prints which mode each part runs in, listens, and shuts down
// gracefully on SIGTERM/SIGINT. Everything else lives in buildApp.
import { buildApp } from "./app.js";
import { ConfigError, describeModes, loadConfig } from "./config/index.js";
import { VERSION } from "./version.js";

process.env.CLERK_TELEMETRY_DISABLED = "1";

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const app = await buildApp(config);
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (error) => {
        app.log.error(error, "error while shutting down");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));

  const address = await app.listen({ host: config.host, port: config.port });
  const banner = [
    `Reactive Notebook ${VERSION} listening on ${address}`,
    ...describeModes(config).map((line) => `  ${line}`),
  ];
  process.stdout.write(`${banner.join("\n")}\n`);
}

main().catch((error) => {
  process.stderr.write(`Failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
