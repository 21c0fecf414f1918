/** `client.notebooks`: list, create, read, rename, delete, run, interrupt, restart, export and import notebooks. */
import type {
  CreateNotebookBody,
  DatabaseInfo,
  IpynbNotebook,
  ListNotebooksResponse,
  Notebook,
  NotebookSummary,
  RunAccepted,
  RunCompleted,
} from "@reactive-notebook/protocol";
import type { RequestOptions, RequestSender } from "../request.js";
import { api } from "./path.js";
import { type RunWaitOptions, runRequestParts } from "./run-wait.js";

/** The notebook routes of API.md, one method each. */
export class NotebooksResource {
  readonly #sender: RequestSender;

  /** @internal Made by NotebookClient. */
  constructor(sender: RequestSender) {
    this.#sender = sender;
  }

  /**
   * The caller's notebooks, newest first.
   *
   * @example
   * ```ts
   * const notebooks = await client.notebooks.list();
   * for (const { id, name, cellCount } of notebooks) console.log(id, name, cellCount);
   * ```
   */
  async list(options?: RequestOptions): Promise<NotebookSummary[]> {
    const page = await this.#sender.send<ListNotebooksResponse>(
      { method: "GET", path: api("notebooks") },
      options,
    );
    return page.notebooks;
  }

  /**
   * Creates a notebook; it gets one empty python cell when `cells` is omitted.
   *
   * @example
   * ```ts
   * const notebook = await client.notebooks.create({
   *   name: "Sales",
   *   cells: [{ type: "python", code: "x = 10" }, { type: "sql", code: "select 1" }],
   * });
   * ```
   */
  create(body: CreateNotebookBody = {}, options?: RequestOptions): Promise<Notebook> {
    return this.#sender.send({ method: "POST", path: api("notebooks"), body }, options);
  }

  /**
   * One notebook with its cells.
   *
   * @example
   * ```ts
   * const notebook = await client.notebooks.get(notebookId);
   * console.log(notebook.cells.map((cell) => `${cell.code} → ${cell.status}`));
   * ```
   */
  get(notebookId: string, options?: RequestOptions): Promise<Notebook> {
    return this.#sender.send({ method: "GET", path: api("notebooks", notebookId) }, options);
  }

  /**
   * Renames a notebook.
   *
   * @example
   * ```ts
   * const renamed = await client.notebooks.rename(notebookId, "Q3 forecast");
   * ```
   */
  rename(notebookId: string, name: string, options?: RequestOptions): Promise<Notebook> {
    return this.#sender.send(
      { method: "PATCH", path: api("notebooks", notebookId), body: { name } },
      options,
    );
  }

  /**
   * Deletes a notebook and stops its kernel.
   *
   * @example
   * ```ts
   * await client.notebooks.delete(notebookId);
   * ```
   */
  delete(notebookId: string, options?: RequestOptions): Promise<void> {
    return this.#sender.send({ method: "DELETE", path: api("notebooks", notebookId) }, options);
  }

  /**
   * Sets the PostgreSQL database its SQL cells run against (`null` removes it); the password never comes back.
   *
   * @example
   * ```ts
   * const db = await client.notebooks.setDatabase(notebookId, "postgresql://reader:secret@db.example.com/sales");
   * console.log(db.configured, db.host); // true "db.example.com"
   * await client.notebooks.setDatabase(notebookId, null); // back to the sample database
   * ```
   */
  setDatabase(
    notebookId: string,
    connectionString: string | null,
    options?: RequestOptions,
  ): Promise<DatabaseInfo> {
    return this.#sender.send(
      { method: "PUT", path: api("notebooks", notebookId, "database"), body: { connectionString } },
      options,
    );
  }

  /**
   * Runs every cell in topological order. Without `wait` it answers at once with the run id (follow the
   * run on a live session); with `{ wait: S }` (S ≤ 60) it answers when the run ends, with every cell the
   * run touched in its final state (`RunCompleted`), or after S seconds with just the run id.
   *
   * @example
   * ```ts
   * const { runId } = await client.notebooks.run(notebookId);
   *
   * const result = await client.notebooks.run(notebookId, { wait: 60 });
   * if ("cells" in result) console.log(`ran ${result.cells.length} cells in ${result.ms} ms`);
   * ```
   */
  run(notebookId: string, options?: RequestOptions): Promise<RunAccepted>;
  run(notebookId: string, options: RunWaitOptions): Promise<RunAccepted | RunCompleted>;
  run(notebookId: string, options?: RequestOptions | RunWaitOptions): Promise<RunAccepted | RunCompleted> {
    const parts = runRequestParts(this.#sender, options);
    return this.#sender.send(
      { method: "POST", path: api("notebooks", notebookId, "run"), query: parts.query },
      parts.options,
    );
  }

  /**
   * Interrupts the cell that is running.
   *
   * @example
   * ```ts
   * await client.notebooks.interrupt(notebookId);
   * ```
   */
  interrupt(notebookId: string, options?: RequestOptions): Promise<void> {
    return this.#sender.send({ method: "POST", path: api("notebooks", notebookId, "interrupt") }, options);
  }

  /**
   * Restarts the notebook's kernel; every cell becomes `stale`.
   *
   * @example
   * ```ts
   * await client.notebooks.restartKernel(notebookId);
   * ```
   */
  restartKernel(notebookId: string, options?: RequestOptions): Promise<void> {
    return this.#sender.send(
      { method: "POST", path: api("notebooks", notebookId, "kernel", "restart") },
      options,
    );
  }

  /**
   * The notebook as a Jupyter nbformat 4 document.
   *
   * @example
   * ```ts
   * const ipynb = await client.notebooks.exportIpynb(notebookId);
   * await writeFile("notebook.ipynb", JSON.stringify(ipynb));
   * ```
   */
  exportIpynb(notebookId: string, options?: RequestOptions): Promise<IpynbNotebook> {
    return this.#sender.send(
      { method: "GET", path: api("notebooks", notebookId, "export"), query: { format: "ipynb" } },
      options,
    );
  }

  /**
   * Creates a notebook from a Jupyter nbformat 4 document.
   *
   * @example
   * ```ts
   * const ipynb = JSON.parse(await readFile("analysis.ipynb", "utf8"));
   * const notebook = await client.notebooks.importIpynb(ipynb);
   * ```
   */
  importIpynb(notebook: IpynbNotebook, options?: RequestOptions): Promise<Notebook> {
    return this.#sender.send({ method: "POST", path: api("notebooks", "import"), body: notebook }, options);
  }
}
