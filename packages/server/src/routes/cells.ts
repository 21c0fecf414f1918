// The cell routes of API.md: create (at an index), edit (code, name, optionally run), delete, move, run, and
// set one of a cell's controls.
// Transport only: a schema and one call into `app.notebooks`.
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import {
  Cell,
  CellParams,
  ControlParams,
  CreateCellBody,
  MoveCellBody,
  MoveCellResponse,
  NotebookParams,
  RunAccepted,
  RunCompleted,
  RunQuery,
  ref,
  SetControlBody,
  UpdateCellBody,
} from "@reactive-notebook/protocol";
import type { FastifyPluginAsync } from "fastify";
import { errorResponses, NoBody, sendRun, waitMs } from "./responses.js";

export const cellRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ["cells"];

  app.post(
    "/notebooks/:id/cells",
    {
      schema: {
        tags,
        summary: "Create a cell (appended when `index` is omitted; an index past the end appends)",
        params: ref(NotebookParams),
        body: ref(CreateCellBody),
        response: { 201: ref(Cell), ...errorResponses(400, 401, 403, 404, 413, 422) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await app.notebooks.createCell(request.userId, request.params.id, request.body)),
  );

  app.patch(
    "/notebooks/:id/cells/:cellId",
    {
      schema: {
        tags,
        summary: "Edit a cell's code or name; `run: true` also schedules it",
        params: ref(CellParams),
        body: ref(UpdateCellBody),
        response: { 200: ref(Cell), ...errorResponses(400, 401, 403, 404, 409, 413, 503) },
      },
    },
    async (request) =>
      app.notebooks.editCell(request.userId, request.params.id, request.params.cellId, request.body),
  );

  app.delete(
    "/notebooks/:id/cells/:cellId",
    {
      schema: {
        tags,
        summary: "Delete a cell; its definitions leave the kernel and its dependents re-run",
        params: ref(CellParams),
        response: { 204: NoBody, ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await app.notebooks.deleteCell(request.userId, request.params.id, request.params.cellId);
      return reply.code(204).send();
    },
  );

  app.post(
    "/notebooks/:id/cells/:cellId/move",
    {
      schema: {
        tags,
        summary: "Move a cell to `index` (past the end: last)",
        params: ref(CellParams),
        body: ref(MoveCellBody),
        response: { 200: ref(MoveCellResponse), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) =>
      app.notebooks.moveCell(request.userId, request.params.id, request.params.cellId, request.body.index),
  );

  app.post(
    "/notebooks/:id/cells/:cellId/run",
    {
      schema: {
        tags,
        summary: "Run a cell (stale ancestors first, then its descendants)",
        description:
          "Answers 202 {runId} at once; with ?wait=S (S ≤ 60 seconds) answers 200 {runId, cells, ms} — " +
          "every cell the run touched, in its final state — when the run ends within S seconds.",
        params: ref(CellParams),
        querystring: ref(RunQuery),
        response: {
          200: ref(RunCompleted),
          202: ref(RunAccepted),
          ...errorResponses(400, 401, 403, 404, 422, 503),
        },
      },
    },
    async (request, reply) => {
      const { id, cellId } = request.params;
      const options = { waitMs: waitMs(request.query) };
      return sendRun(reply, await app.notebooks.runCell(request.userId, id, cellId, options));
    },
  );

  app.put(
    "/notebooks/:id/cells/:cellId/controls/:controlId",
    {
      schema: {
        tags,
        summary: "Set a control's value; the cells that read its cell re-run (the cell itself does not)",
        description:
          "Checks the value against the control as its cell last showed it: 422 invalid_request naming the " +
          "control when it does not fit (wrong type, out of range, off step, not one of the options), 404 " +
          "when the cell shows no such control. Answers 202 {runId} at once; with ?wait=S (S ≤ 60 seconds) " +
          "answers 200 {runId, cells, ms} when the run ends within S seconds.",
        params: ref(ControlParams),
        body: ref(SetControlBody),
        querystring: ref(RunQuery),
        response: {
          200: ref(RunCompleted),
          202: ref(RunAccepted),
          ...errorResponses(400, 401, 403, 404, 422, 503),
        },
      },
    },
    async (request, reply) => {
      const { id, cellId, controlId } = request.params;
      const options = { waitMs: waitMs(request.query) };
      const { value } = request.body;
      return sendRun(
        reply,
        await app.notebooks.setControl(request.userId, id, cellId, controlId, value, options),
      );
    },
  );
};
