// Decorates the app with `app.notebooks`, the notebook application service, built over the store, the
// kernels, the realtime hub and — with REDIS_URL — kernel leases and commands forwarded between instances.
// Closing the app closes every notebook open here (stopping its kernel) and gives its leases up at once.

import fp from "fastify-plugin";
import { Redis } from "ioredis";
import { CommandBus, type KernelLeases, LocalLeases, RedisLeases } from "../cluster/index.js";
import { SampleDatabase, SecretBox, SqlEngine } from "../sql/index.js";
import { NotebookRouter } from "./router.js";
import { NotebookService } from "./service.js";
import { NotebookSessions } from "./sessions.js";

export const notebooksPlugin = fp(
  async (app) => {
    const { config, kernels, store, realtime } = app;
    const onError = (error: unknown, what: string) => app.log.warn({ err: error }, what);
    let leases: KernelLeases = new LocalLeases();
    let bus: CommandBus | null = null;
    const connections: Redis[] = [];
    if (config.redisUrl) {
      const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2 });
      const subscriber = new Redis(config.redisUrl, { maxRetriesPerRequest: 2 });
      for (const client of [redis, subscriber]) {
        client.on("error", (error) => onError(error, "kernel lease redis error"));
        connections.push(client);
      }
      leases = new RedisLeases({
        redis,
        keyPrefix: config.redisKeyPrefix,
        ttlMs: config.leaseTtlMs,
        onError,
      });
      bus = new CommandBus({
        instanceId: leases.instanceId,
        keyPrefix: config.redisKeyPrefix,
        publisher: redis,
        subscriber,
        onError,
      });
    } else {
      // Alone, every notebook is this instance's: what a previous process left running is stale now.
      const staled = await store.markRunningStale();
      if (staled > 0) app.log.info({ cells: staled }, "cells left from the last run are stale");
    }
    const sql = new SqlEngine({
      config,
      sample: new SampleDatabase(kernels.sandbox, { ...config.sql.sample, cacheDir: config.snapshotDir }),
      secrets: SecretBox.open(config.notebookSecretKey, config.dataDir),
      databaseSecret: (notebookId) => store.getDatabaseSecret(notebookId),
    });
    const sessions = new NotebookSessions({
      kernels,
      store,
      publish: (notebookId, event) => realtime.publish(notebookId, event),
      sql,
      log: app.log,
      fenceOf: (notebookId) => {
        const lease = leases.shared ? leases.held(notebookId) : null;
        return lease ? { token: lease.token, held: () => leases.held(notebookId) !== null } : undefined;
      },
    });
    const router = new NotebookRouter({ sessions, leases, bus, store, log: app.log });
    await router.listen();
    const notebooks = new NotebookService({
      store,
      router,
      leases,
      events: realtime,
      analyzePython: (code, userId) => kernels.analyze(code, userId),
      secrets: SecretBox.open(config.notebookSecretKey, config.dataDir),
      config,
    });
    app.decorate("notebooks", notebooks);
    app.decorate("notebookSessions", sessions);
    app.decorate("kernelLeases", leases);
    app.addHook("onClose", async () => {
      // Kernels stop first, then the leases go, so the next instance starts from results that are all saved.
      await sessions.close();
      await leases.close();
      await bus?.close();
      await sql.close();
      await Promise.allSettled(connections.map((client) => client.quit()));
    });
  },
  { name: "notebooks", dependencies: ["store", "kernels", "realtime"] },
);

declare module "fastify" {
  interface FastifyInstance {
    /** Every notebook command, whichever transport carried it. */
    notebooks: NotebookService;
    /** The notebooks open on this instance (their schedulers and kernels); for tests and diagnostics. */
    notebookSessions: NotebookSessions;
    /** Which notebooks' kernels this instance runs (all of them alone; those whose lease it holds with Redis). */
    kernelLeases: KernelLeases;
  }
}
