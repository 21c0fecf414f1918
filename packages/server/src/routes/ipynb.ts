// Jupyter interchange: GET /notebooks/:id/export?format=ipynb and POST /notebooks/import (nbformat 4).
// Import accepts bodies up to IMPORT_BODY_LIMIT (notebooks carry images), every other route 1 MiB.
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import {
  ExportNotebookQuery,
  IPYNB_METADATA_KEY,
  IpynbNotebook,
  MAX_CELLS_PER_NOTEBOOK,
  MAX_CODE_LENGTH,
  MAX_NAME_LENGTH,
  Notebook,
  NotebookParams,
  ref,
} from "@reactive-notebook/protocol";
import type { FastifyPluginAsync } from "fastify";
import { invalidRequest, payloadTooLarge } from "../http/index.js";
import { notebookFromIpynb, notebookToIpynb } from "../ipynb/index.js";
import { checkCode, checkName, notebookNotFound, requireOwnNotebook } from "./notebook-access.js";
import { withAnalysis } from "./notebook-runtime.js";
import { errorResponses, notebookResource } from "./notebooks.js";

/** Largest accepted import body, in bytes. */
export const IMPORT_BODY_LIMIT = 8 * 1024 * 1024;

/** The name of an imported notebook whose document does not carry one. */
export const IMPORTED_NOTEBOOK_NAME = "Imported notebook";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

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
      const { id } = request.params;
      await requireOwnNotebook(app, request, id);
      const notebook = await app.store.getNotebook(id);
      if (!notebook) throw notebookNotFound(id);
      return reply.header("content-disposition", attachment(notebook.name)).send(notebookToIpynb(notebook));
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
        response: { 201: ref(Notebook), ...errorResponses(400, 401, 413) },
      },
    },
    async (request, reply) => {
      const imported = notebookFromIpynb(request.body);
      if (imported.cells.length > MAX_CELLS_PER_NOTEBOOK) {
        throw invalidRequest(`A notebook holds at most ${MAX_CELLS_PER_NOTEBOOK} cells.`, {
          field: "/cells",
        });
      }
      const nameField = `/metadata/${IPYNB_METADATA_KEY}/name`;
      if (imported.name !== undefined && imported.name.length > MAX_NAME_LENGTH) {
        throw invalidRequest(`${nameField} is longer than ${MAX_NAME_LENGTH} characters.`, {
          field: nameField,
        });
      }
      const name = imported.name === undefined ? IMPORTED_NOTEBOOK_NAME : checkName(imported.name, nameField);
      const cells = [];
      for (const [i, cell] of imported.cells.entries()) {
        const field = `/cells/${i}/source`;
        if ((cell.code ?? "").length > MAX_CODE_LENGTH) {
          throw payloadTooLarge(`Cell code at ${field} is over the limit of ${MAX_CODE_LENGTH} characters.`);
        }
        checkCode(cell.code ?? "", field);
        if (cell.name != null && (!IDENTIFIER.test(cell.name) || cell.name.length > MAX_NAME_LENGTH)) {
          throw invalidRequest(`The sql cell name at /cells/${i} must be a Python identifier.`, {
            field: `/cells/${i}/metadata/${IPYNB_METADATA_KEY}/name`,
          });
        }
        cells.push(await withAnalysis(app.notebookRuntime, cell));
      }
      const created = await app.store.createNotebook(request.userId, { name, cells });
      return reply.code(201).send(notebookResource(created));
    },
  );
};
