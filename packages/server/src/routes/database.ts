// PUT /notebooks/:id/database: sets (or clears, with null) the notebook's PostgreSQL connection. The string
// is validated, checked against the host policy, encrypted at rest, and never returned, logged or broadcast.
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { DatabaseInfo, NotebookParams, ref, SetDatabaseBody } from "@reactive-notebook/protocol";
import type { FastifyPluginAsync } from "fastify";
import { checkHostPolicy, parseConnectionString, SecretBox } from "../sql/index.js";
import { notebookNotFound, requireOwnNotebook } from "./notebook-access.js";
import { errorResponses } from "./notebooks.js";

export const databaseRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const secrets = SecretBox.open(app.config.notebookSecretKey, app.config.dataDir);

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
    async (request) => {
      const { id } = request.params;
      await requireOwnNotebook(app, request, id);
      const { connectionString } = request.body;
      if (connectionString === null) {
        if (!(await app.store.setDatabase(id, null))) throw notebookNotFound(id);
        return { configured: false };
      }
      const info = parseConnectionString(connectionString);
      await checkHostPolicy(info.host, app.config.sqlAllowedHosts);
      const shown = { host: info.host, database: info.database, user: info.user };
      if (!(await app.store.setDatabase(id, { secret: secrets.seal(connectionString), info: shown }))) {
        throw notebookNotFound(id);
      }
      return { configured: true, ...shown };
    },
  );
};
