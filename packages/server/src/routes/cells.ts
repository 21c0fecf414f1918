// The cell routes of API.md: create (at an index), edit (code, name, optionally run), delete, move and run.
// Each change is persisted first, then broadcast to the notebook's sockets, then handed to the runtime.
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import {
  Cell,
  CellParams,
  CreateCellBody,
  MoveCellBody,
  MoveCellResponse,
  NotebookParams,
  RunAccepted,
  ref,
  UpdateCellBody,
} from "@reactive-notebook/protocol";
import type { FastifyPluginAsync } from "fastify";
import { conflict } from "../http/index.js";
import { RevisionConflictError } from "../store/index.js";
import { broadcast } from "./broadcast.js";
import { cellNotFound, checkCode, requireOwnNotebook } from "./notebook-access.js";
import { withAnalysis } from "./notebook-runtime.js";
import { errorResponses, NoBody } from "./notebooks.js";

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
        response: { 201: ref(Cell), ...errorResponses(400, 401, 403, 404, 413) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { type, code = "", name, index } = request.body;
      await requireOwnNotebook(app, request, id);
      const input = await withAnalysis(app.notebookRuntime, { type, code: checkCode(code, "/code"), name });
      const created = await app.store.createCell(id, input, index);
      if (!created) throw cellNotFound(id, "(new)");
      broadcast(app, id, {
        type: "cell_created",
        notebookId: id,
        revision: created.revision,
        cell: created.cell,
        index: created.index,
      });
      await app.notebookRuntime.cellCreated(id, created.cell, created.index, created.revision);
      return reply.code(201).send(created.cell);
    },
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
    async (request) => {
      const { id, cellId } = request.params;
      const { code, name, run, ifRevision } = request.body;
      await requireOwnNotebook(app, request, id);
      const current = await app.store.getCell(id, cellId);
      if (!current) throw cellNotFound(id, cellId);
      let cell = current;
      if (code !== undefined || name !== undefined) {
        if (code !== undefined) checkCode(code, "/code");
        const nextName = name === undefined ? (current.name ?? null) : name;
        const analysis = await app.notebookRuntime.analyze({
          type: current.type,
          code: code ?? current.code,
          name: nextName,
        });
        let edited: Awaited<ReturnType<typeof app.store.updateCell>>;
        try {
          edited = await app.store.updateCell(
            id,
            cellId,
            { code, name, reads: analysis.reads, writes: analysis.writes, analysisError: analysis.error },
            { ifRevision },
          );
        } catch (error) {
          if (error instanceof RevisionConflictError)
            throw revisionConflict(ifRevision, error.currentRevision);
          throw error;
        }
        if (!edited) throw cellNotFound(id, cellId);
        cell = edited.cell;
        broadcast(app, id, { type: "cell_updated", notebookId: id, revision: edited.revision, cell });
        await app.notebookRuntime.cellEdited(id, cell, edited.revision);
      } else if (ifRevision !== undefined) {
        const notebook = await app.store.getNotebook(id);
        if (notebook && notebook.revision !== ifRevision)
          throw revisionConflict(ifRevision, notebook.revision);
      }
      if (run) await app.notebookRuntime.runCell(id, cellId);
      return cell;
    },
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
      const { id, cellId } = request.params;
      await requireOwnNotebook(app, request, id);
      const deleted = await app.store.deleteCell(id, cellId);
      if (!deleted) throw cellNotFound(id, cellId);
      broadcast(app, id, { type: "cell_deleted", notebookId: id, revision: deleted.revision, cellId });
      await app.notebookRuntime.cellDeleted(id, cellId, deleted.revision);
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
        response: { 200: ref(MoveCellResponse), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { id, cellId } = request.params;
      await requireOwnNotebook(app, request, id);
      const moved = await app.store.moveCell(id, cellId, request.body.index);
      if (!moved) throw cellNotFound(id, cellId);
      broadcast(app, id, {
        type: "cells_moved",
        notebookId: id,
        revision: moved.revision,
        order: moved.order,
      });
      await app.notebookRuntime.cellMoved(id, cellId, moved.index, moved.revision);
      return { order: moved.order };
    },
  );

  app.post(
    "/notebooks/:id/cells/:cellId/run",
    {
      schema: {
        tags,
        summary: "Run a cell (stale ancestors first, then its descendants)",
        params: ref(CellParams),
        response: { 202: ref(RunAccepted), ...errorResponses(401, 403, 404, 503) },
      },
    },
    async (request, reply) => {
      const { id, cellId } = request.params;
      await requireOwnNotebook(app, request, id);
      if (!(await app.store.getCell(id, cellId))) throw cellNotFound(id, cellId);
      const runId = await app.notebookRuntime.runCell(id, cellId);
      return reply.code(202).send({ runId });
    },
  );
};

function revisionConflict(given: number | undefined, currentRevision: number) {
  return conflict(
    `The notebook changed: ifRevision is ${given} but the notebook is at revision ${currentRevision}. Reload and retry.`,
    { currentRevision },
  );
}
