// The notebook API's routes in one plugin, mounted under /api/v1. app.ts registers storePlugin and
// notebookRuntimePlugin (app.store, app.notebookRuntime) before it.
import { API_PREFIX } from "@reactive-notebook/protocol";
import type { FastifyPluginAsync } from "fastify";
import { cellRoutes } from "./cells.js";
import { databaseRoutes } from "./database.js";
import { ipynbRoutes } from "./ipynb.js";
import { notebookRoutes } from "./notebooks.js";

export const notebookApiRoutes: FastifyPluginAsync = async (app) => {
  await app.register(notebookRoutes, { prefix: API_PREFIX });
  await app.register(cellRoutes, { prefix: API_PREFIX });
  await app.register(ipynbRoutes, { prefix: API_PREFIX });
  await app.register(databaseRoutes, { prefix: API_PREFIX });
};
