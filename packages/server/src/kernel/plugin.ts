// Decorates the app with its kernels (`app.kernels`): the sandboxed Pyodide processes of every notebook and
// the analysis kernels. An app given a shared manager (tests) leaves it open; otherwise it closes its own.
import fp from "fastify-plugin";
import { KernelManager } from "./manager.js";

export interface KernelsPluginOptions {
  /** A kernel manager to share (tests share one across apps); the app then does not close it. */
  kernels?: KernelManager;
}

export const kernelsPlugin = fp<KernelsPluginOptions>(
  async (app, options) => {
    const { config } = app;
    const kernels =
      options.kernels ??
      new KernelManager({
        dataDir: config.dataDir,
        snapshotDir: config.snapshotDir,
        pyodideIndexUrl: config.pyodideIndexUrl,
        cellTimeoutMs: config.kernel.cellTimeoutMs,
        memoryMb: config.kernel.memoryMb,
        maxKernels: config.kernel.max,
        maxKernelsPerUser: config.kernel.maxPerUser,
        idleMs: config.kernel.idleMs,
        poolSize: config.kernel.pool,
        batchCells: config.kernel.batchCells,
        logger: app.log,
      });
    app.decorate("kernels", kernels);
    if (!options.kernels) app.addHook("onClose", async () => kernels.close());
  },
  { name: "kernels" },
);

declare module "fastify" {
  interface FastifyInstance {
    kernels: KernelManager;
  }
}
