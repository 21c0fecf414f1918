// Jupyter interchange: GET /notebooks/:id/export?format=ipynb and POST /notebooks/import (nbformat 4).
// Import accepts bodies up to IMPORT_BODY_LIMIT (notebooks carry images), every other route 1 MiB.
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import {
  ExportNotebookQuery,
  IpynbNotebook,
  Notebook,
  NotebookParams,
  ref,
} from "@reactive-notebook/protocol";
import type { FastifyPluginAsync } from "fastify";
import { errorResponses } from "./responses.js";

/** Largest accepted import body, in bytes. */
export const IMPORT_BODY_LIMIT = 8 * 1024 * 1024;

/** An ASCII file name for Content-Disposition, plus the exact one in RFC 5987 form. */
function attachment(name: string): string {
  const ascii = name.replace(/[^A-Za-z0-9 ._-]/g, "_").trim() || "notebook";
  return `attachment; filename="${ascii}.ipynb"; filename*=UTF-8''${encodeURIComponent(`${name}.ipynb`)}`;
}

export const ipynbRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ["ipynb"];

  app.get(
    "/notebooks/:id/export",
    {
      schema: {
        tags,
        summary: "Export a notebook as Jupyter nbformat 4 (sql cells start with %%sql)",
        params: ref(NotebookParams),
        querystring: ref(ExportNotebookQuery),
        response: { 200: ref(IpynbNotebook), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { name, document } = await app.notebooks.export(request.userId, request.params.id);
      return reply.header("content-disposition", attachment(name)).send(document);
    },
  );

  app.post(
    "/notebooks/import",
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags,
        summary: "Create a notebook from a Jupyter nbformat 4 document",
        body: ref(IpynbNotebook),
        response: { 201: ref(Notebook), ...errorResponses(400, 401, 413, 422) },
      },
    },
    async (request, reply) => reply.code(201).send(await app.notebooks.import(request.userId, request.body)),
  );
};
