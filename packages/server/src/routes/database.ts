// PUT /notebooks/:id/database: sets (or clears, with null) the notebook's PostgreSQL connection. The string
// is validated, checked against the host policy, encrypted at rest, and never returned, logged or broadcast.
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { DatabaseInfo, NotebookParams, ref, SetDatabaseBody } from "@reactive-notebook/protocol";
import type { FastifyPluginAsync } from "fastify";
import { errorResponses } from "./responses.js";

export const databaseRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  app.put(
    "/notebooks/:id/database",
    {
      schema: {
        tags: ["notebooks"],
        summary: "Set or clear the notebook's PostgreSQL connection (the password is never returned)",
        params: ref(NotebookParams),
        body: ref(SetDatabaseBody),
        response: { 200: ref(DatabaseInfo), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) =>
      app.notebooks.setDatabase(request.userId, request.params.id, request.body.connectionString),
  );
};
