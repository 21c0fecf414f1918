// Registers the store as the `app.store` decorator: opens the database, migrates it, marks the cells that
// were mid-run when the server last stopped as stale, and closes the database when the app closes.
import fp from "fastify-plugin";
import { openStore } from "./open.js";
import type { NotebookStore } from "./types.js";

export const storePlugin = fp(
  async (app) => {
    const store = await openStore({ dataDir: app.config.dataDir, databaseUrl: app.config.databaseUrl });
    const staled = await store.markRunningStale();
    if (staled > 0) app.log.info({ cells: staled }, "cells left from the last run are stale");
    app.decorate("store", store);
    app.addHook("onClose", async () => {
      await store.close();
    });
  },
  { name: "store" },
);

declare module "fastify" {
  interface FastifyInstance {
    store: NotebookStore;
  }
}
