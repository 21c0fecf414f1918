// Decorates the app with `app.notebooks`, the notebook application service, built over the store, the
// kernels and the realtime hub; closing the app closes every open notebook (stopping its kernel).
import fp from "fastify-plugin";
import { SampleDatabase, SecretBox, SqlEngine } from "../sql/index.js";
import { NotebookService } from "./service.js";
import { NotebookSessions } from "./sessions.js";

export const notebooksPlugin = fp(
  async (app) => {
    const { config, kernels, store, realtime } = app;
    const sql = new SqlEngine({
      config,
      sample: new SampleDatabase(kernels.sandbox, { ...config.sql.sample, cacheDir: config.dataDir }),
      secrets: SecretBox.open(config.notebookSecretKey, config.dataDir),
      databaseSecret: (notebookId) => store.getDatabaseSecret(notebookId),
    });
    const sessions = new NotebookSessions({
      kernels,
      store,
      publish: (notebookId, event) => realtime.publish(notebookId, event),
      sql,
      log: app.log,
    });
    const notebooks = new NotebookService({
      store,
      sessions,
      events: realtime,
      analyzePython: (code) => kernels.analyze(code),
      secrets: SecretBox.open(config.notebookSecretKey, config.dataDir),
      config,
    });
    app.decorate("notebooks", notebooks);
    app.decorate("notebookSessions", sessions);
    app.addHook("onClose", async () => {
      await sessions.close();
      await sql.close();
    });
  },
  { name: "notebooks", dependencies: ["store", "kernels", "realtime"] },
);

declare module "fastify" {
  interface FastifyInstance {
    /** Every notebook command, whichever transport carried it. */
    notebooks: NotebookService;
    /** The notebooks open on this instance (their schedulers and kernels); for tests and diagnostics. */
    notebookSessions: NotebookSessions;
  }
}
