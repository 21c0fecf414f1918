// The notebook routes of API.md: list, create, get, rename, delete, and the notebook-wide run routes
// (run all, interrupt, kernel restart), which hand over to `app.notebookRuntime`.

import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import {
  CreateNotebookBody,
  ErrorBody,
  ListNotebooksResponse,
  Notebook,
  NotebookParams,
  RenameNotebookBody,
  RunAccepted,
  ref,
} from "@reactive-notebook/protocol";
import { Type } from "@sinclair/typebox";
import type { FastifyPluginAsync } from "fastify";
import type { StoredNotebook } from "../store/index.js";
import { broadcast, disconnectDeleted } from "./broadcast.js";
import { checkCode, checkName, notebookNotFound, requireOwnNotebook } from "./notebook-access.js";
import { withAnalysis } from "./notebook-runtime.js";

/** The name of a notebook created without one. */
export const DEFAULT_NOTEBOOK_NAME = "Untitled notebook";

/** The API resource of a stored notebook: everything but its owner. */
export function notebookResource(stored: StoredNotebook): Notebook {
  const { ownerId: _owner, ...notebook } = stored;
  return notebook;
}

/** Response schemas for the error statuses a route can answer (documentation; errors bypass them). */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(statuses.map((status) => [status, ref(ErrorBody)]));
}

/** The schema of a response without a body (204, and the 202 of interrupt and restart). */
export const NoBody = Type.Unsafe<undefined>({ description: "No body." });

export const notebookRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ["notebooks"];

  app.get(
    "/notebooks",
    {
      schema: {
        tags,
        summary: "List the caller's notebooks, newest first",
        response: { 200: ref(ListNotebooksResponse), ...errorResponses(401) },
      },
    },
    async (request) => ({ notebooks: await app.store.listNotebooks(request.userId) }),
  );

  app.post(
    "/notebooks",
    {
      schema: {
        tags,
        summary: "Create a notebook (one empty python cell when `cells` is omitted)",
        body: ref(CreateNotebookBody),
        response: { 201: ref(Notebook), ...errorResponses(400, 401, 413) },
      },
      // Every field is optional, so a POST without any body means "an untitled notebook", like `{}`.
      preValidation: async (request) => {
        if (request.body === undefined) request.body = {};
      },
    },
    async (request, reply) => {
      const body = request.body;
      const name = body.name === undefined ? DEFAULT_NOTEBOOK_NAME : checkName(body.name, "/name");
      const given = body.cells ?? [{ type: "python" as const, code: "" }];
      for (const [i, cell] of given.entries()) checkCode(cell.code, `/cells/${i}/code`);
      const cells = [];
      for (const cell of given) cells.push(await withAnalysis(app.notebookRuntime, cell));
      const created = await app.store.createNotebook(request.userId, { name, cells });
      return reply.code(201).send(notebookResource(created));
    },
  );

  app.get(
    "/notebooks/:id",
    {
      schema: {
        tags,
        summary: "Get a notebook with its cells",
        params: ref(NotebookParams),
        response: { 200: ref(Notebook), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      await requireOwnNotebook(app, request, request.params.id);
      const notebook = await app.store.getNotebook(request.params.id);
      if (!notebook) throw notebookNotFound(request.params.id);
      return notebookResource(notebook);
    },
  );

  app.patch(
    "/notebooks/:id",
    {
      schema: {
        tags,
        summary: "Rename a notebook",
        params: ref(NotebookParams),
        body: ref(RenameNotebookBody),
        response: { 200: ref(Notebook), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { id } = request.params;
      await requireOwnNotebook(app, request, id);
      const renamed = await app.store.renameNotebook(id, checkName(request.body.name, "/name"));
      if (!renamed) throw notebookNotFound(id);
      broadcast(app, id, {
        type: "notebook_updated",
        notebookId: id,
        revision: renamed.revision,
        name: renamed.name,
      });
      await app.notebookRuntime.noteRevision(id, renamed.revision);
      return notebookResource(renamed);
    },
  );

  app.delete(
    "/notebooks/:id",
    {
      schema: {
        tags,
        summary: "Delete a notebook and stop its kernel",
        params: ref(NotebookParams),
        response: { 204: NoBody, ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      await requireOwnNotebook(app, request, id);
      if (!(await app.store.deleteNotebook(id))) throw notebookNotFound(id);
      disconnectDeleted(app, id);
      await app.notebookRuntime.stop(id);
      return reply.code(204).send();
    },
  );

  app.post(
    "/notebooks/:id/run",
    {
      schema: {
        tags,
        summary: "Run every cell in topological order",
        params: ref(NotebookParams),
        response: { 202: ref(RunAccepted), ...errorResponses(401, 403, 404, 503) },
      },
    },
    async (request, reply) => {
      await requireOwnNotebook(app, request, request.params.id);
      const runId = await app.notebookRuntime.runAll(request.params.id);
      return reply.code(202).send({ runId });
    },
  );

  app.post(
    "/notebooks/:id/interrupt",
    {
      schema: {
        tags,
        summary: "Interrupt the running cell and drop queued work",
        params: ref(NotebookParams),
        response: { 202: NoBody, ...errorResponses(401, 403, 404, 503) },
      },
    },
    async (request, reply) => {
      await requireOwnNotebook(app, request, request.params.id);
      await app.notebookRuntime.interrupt(request.params.id);
      return reply.code(202).send();
    },
  );

  app.post(
    "/notebooks/:id/kernel/restart",
    {
      schema: {
        tags,
        summary: "Restart the notebook's kernel; every cell becomes stale",
        params: ref(NotebookParams),
        response: { 202: NoBody, ...errorResponses(401, 403, 404, 503) },
      },
    },
    async (request, reply) => {
      await requireOwnNotebook(app, request, request.params.id);
      await app.notebookRuntime.restartKernel(request.params.id);
      return reply.code(202).send();
    },
  );
};
