// The notebook routes of API.md: list, create, get, rename, delete, and the notebook-wide run routes (run
// all, interrupt, kernel restart). Transport only: a schema and one call into `app.notebooks`.
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import {
  CreateNotebookBody,
  ListNotebooksResponse,
  Notebook,
  NotebookParams,
  RenameNotebookBody,
  RunAccepted,
  RunCompleted,
  RunQuery,
  ref,
} from "@reactive-notebook/protocol";
import type { FastifyPluginAsync } from "fastify";
import { errorResponses, NoBody, sendRun, waitMs } from "./responses.js";

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
    async (request) => ({ notebooks: await app.notebooks.list(request.userId) }),
  );

  app.post(
    "/notebooks",
    {
      schema: {
        tags,
        summary: "Create a notebook (one empty python cell when `cells` is omitted)",
        body: ref(CreateNotebookBody),
        response: { 201: ref(Notebook), ...errorResponses(400, 401, 413, 422) },
      },
      // Every field is optional, so a POST without any body means "an untitled notebook", like `{}`.
      preValidation: async (request) => {
        if (request.body === undefined) request.body = {};
      },
    },
    async (request, reply) => reply.code(201).send(await app.notebooks.create(request.userId, request.body)),
  );

  app.get(
    "/notebooks/:id",
    {
      schema: {
        tags,
        summary: "Get a notebook with its cells (a run in progress shows its cells queued and running)",
        params: ref(NotebookParams),
        response: { 200: ref(Notebook), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => app.notebooks.get(request.userId, request.params.id),
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
    async (request) => app.notebooks.rename(request.userId, request.params.id, request.body.name),
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
      await app.notebooks.delete(request.userId, request.params.id);
      return reply.code(204).send();
    },
  );

  app.post(
    "/notebooks/:id/run",
    {
      schema: {
        tags,
        summary: "Run every cell in topological order",
        description:
          "Answers 202 {runId} at once; with ?wait=S (S ≤ 60 seconds) answers 200 {runId, cells, ms} — " +
          "every cell the run touched, in its final state — when the run ends within S seconds.",
        params: ref(NotebookParams),
        querystring: ref(RunQuery),
        response: {
          200: ref(RunCompleted),
          202: ref(RunAccepted),
          ...errorResponses(400, 401, 403, 404, 422, 503),
        },
      },
    },
    async (request, reply) =>
      sendRun(
        reply,
        await app.notebooks.runAll(request.userId, request.params.id, { waitMs: waitMs(request.query) }),
      ),
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
      await app.notebooks.interrupt(request.userId, request.params.id);
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
      await app.notebooks.restartKernel(request.userId, request.params.id);
      return reply.code(202).send();
    },
  );
};
