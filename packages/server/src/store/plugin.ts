// Registers the store as the `app.store` decorator: opens the database, migrates it, and closes it when the
// app closes.
import fp from "fastify-plugin";
import { openStore } from "./open.js";
import type { NotebookStore } from "./types.js";

export const storePlugin = fp(
  async (app) => {
    const store = await openStore({ dataDir: app.config.dataDir, databaseUrl: app.config.databaseUrl });
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
