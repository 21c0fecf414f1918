// Decorates the app with its kernels (`app.kernels`) and the real notebook runtime (`app.notebookRuntime`):
// the store's notebooks, run by the reactive scheduler in sandboxed kernels, with events published through
// the realtime hub. Closing the app stops every kernel this app started.
import fp from "fastify-plugin";
import { kernelUnavailable, notFound } from "../http/index.js";
import { KernelManager, KernelUnavailableError } from "../kernel/index.js";
import { type NotebookRuntimeService, unwiredRuntime } from "../routes/notebook-runtime.js";
import { SampleDatabase, SecretBox, SqlEngine } from "../sql/index.js";
import { MissingNotebook, NotebookRuntime } from "./runtime.js";

export interface RuntimePluginOptions {
  /** A kernel manager to share (tests share one across apps); the app then does not close it. */
  kernels?: KernelManager;
}

/** Kernel failures reach clients as API.md's 503 kernel_unavailable, with the reason. */
function asApiError(error: unknown): unknown {
  if (error instanceof KernelUnavailableError) return kernelUnavailable(error.message);
  if (error instanceof MissingNotebook) return notFound("No such notebook.");
  return error;
}

/** The runtime as the routes call it: every method's kernel failures become 503 kernel_unavailable. */
function guard(runtime: NotebookRuntimeService): NotebookRuntimeService {
  const guarded = {} as Record<string, unknown>;
  for (const method of Object.keys(unwiredRuntime) as (keyof NotebookRuntimeService)[]) {
    const call = runtime[method] as (...args: unknown[]) => Promise<unknown>;
    guarded[method] = async (...args: unknown[]) => {
      try {
        return await call.apply(runtime, args);
      } catch (error) {
        throw asApiError(error);
      }
    };
  }
  return guarded as unknown as NotebookRuntimeService;
}

export const runtimePlugin = fp<RuntimePluginOptions>(
  async (app, options) => {
    const { config } = app;
    const owned = options.kernels === undefined;
    const kernels =
      options.kernels ??
      new KernelManager({
        dataDir: config.dataDir,
        pyodideIndexUrl: config.pyodideIndexUrl,
        cellTimeoutMs: config.kernel.cellTimeoutMs,
        memoryMb: config.kernel.memoryMb,
        maxKernels: config.kernel.max,
        idleMs: config.kernel.idleMs,
        poolSize: config.kernel.pool,
        logger: app.log,
      });
    const sql = new SqlEngine({
      config,
      sample: new SampleDatabase(kernels.sandbox),
      secrets: SecretBox.open(config.notebookSecretKey, config.dataDir),
      databaseSecret: (notebookId) => app.store.getDatabaseSecret(notebookId),
    });
    const runtime = new NotebookRuntime(
      kernels,
      app.store,
      (notebookId, event) =>
        app.realtime.publish(notebookId, event as Parameters<typeof app.realtime.publish>[1]),
      app.log,
      sql,
    );
    app.decorate("kernels", kernels);
    app.decorate("notebookRuntime", guard(runtime));
    app.decorate("runtime", runtime);
    app.addHook("onClose", async () => {
      await runtime.close();
      await sql.close();
      if (owned) await kernels.close();
    });
  },
  { name: "runtime", dependencies: ["store"] },
);

declare module "fastify" {
  interface FastifyInstance {
    kernels: KernelManager;
    runtime: NotebookRuntime;
  }
}
