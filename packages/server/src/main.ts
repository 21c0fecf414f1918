// Starts the service: reads the environment, prints which mode each part runs in, listens, and shuts down
// gracefully on SIGTERM/SIGINT. Everything else lives in buildApp.
import { buildApp } from "./app.js";
import { ConfigError, describeModes, loadConfig } from "./config/index.js";
import { installLastResortHandlers } from "./last-resort.js";
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
  const shutdown = (reason: string, exitCode = 0) => {
    if (closing) return;
    closing = true;
    app.log.info({ reason }, "shutting down");
    const force = setTimeout(() => process.exit(exitCode || 1), 10_000);
    force.unref();
    app.close().then(
      () => process.exit(exitCode),
      (error) => {
        app.log.error(error, "error while shutting down");
        process.exit(exitCode || 1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
  installLastResortHandlers(process, app.log, (exitCode) => shutdown("uncaught exception", exitCode));

  const address = await app.listen({ host: config.host, port: config.port });
  const { sandbox, limits } = app.kernels;
  const layers = [
    "no code generation from strings",
    "empty env",
    sandbox.networkNamespace ? "no network (netns)" : "network namespace OFF (needs Linux + root)",
    sandbox.unprivilegedUser ? "uid nobody" : "unprivileged uid OFF (needs Linux + root)",
    `memory cap: ${limits.memory.length > 0 ? limits.memory.join(" + ") : "watchdog only (no cgroup, no prlimit)"}`,
    `cpu cap: ${limits.cpu === "none" ? "none (no cgroup)" : `1 core (${limits.cpu})`}`,
  ];
  const banner = [
    `Reactive Notebook ${VERSION} listening on ${address}`,
    ...describeModes(config).map((line) => `  ${line}`),
    `  sandbox:  ${layers.join(", ")}`,
  ];
  process.stdout.write(`${banner.join("\n")}\n`);
  // Build (or load) the kernel snapshot and warm the pool in the background so the first notebook starts fast.
  app.kernels.start().catch((error) => app.log.error({ err: error }, "kernels could not start"));
}

main().catch((error) => {
  process.stderr.write(`Failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
