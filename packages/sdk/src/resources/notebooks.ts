/** `client.notebooks`: list, create, read, rename, delete, run, interrupt, restart, export and import notebooks. */
import type {
  CreateNotebookBody,
  DatabaseInfo,
  IpynbNotebook,
  ListNotebooksResponse,
  Notebook,
  NotebookSummary,
  RunAccepted,
} from "@reactive-notebook/protocol";
import type { RequestOptions, RequestSender } from "../request.js";
import { api } from "./path.js";

/** The notebook routes of API.md, one method each. */
export class NotebooksResource {
  readonly #sender: RequestSender;

  constructor(sender: RequestSender) {
    this.#sender = sender;
  }

  /** The caller's notebooks, newest first. */
  async list(options?: RequestOptions): Promise<NotebookSummary[]> {
    const page = await this.#sender.send<ListNotebooksResponse>(
      { method: "GET", path: api("notebooks") },
      options,
    );
    return page.notebooks;
  }

  /** Creates a notebook; it gets one empty python cell when `cells` is omitted. */
  create(body: CreateNotebookBody = {}, options?: RequestOptions): Promise<Notebook> {
    return this.#sender.send({ method: "POST", path: api("notebooks"), body }, options);
  }

  /** One notebook with its cells. */
  get(notebookId: string, options?: RequestOptions): Promise<Notebook> {
    return this.#sender.send({ method: "GET", path: api("notebooks", notebookId) }, options);
  }

  /** Renames a notebook. */
  rename(notebookId: string, name: string, options?: RequestOptions): Promise<Notebook> {
    return this.#sender.send(
      { method: "PATCH", path: api("notebooks", notebookId), body: { name } },
      options,
    );
  }

  /** Deletes a notebook and stops its kernel. */
  delete(notebookId: string, options?: RequestOptions): Promise<void> {
    return this.#sender.send({ method: "DELETE", path: api("notebooks", notebookId) }, options);
  }

  /** Sets the PostgreSQL database its SQL cells run against (`null` removes it); the password never comes back. */
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

  /** Runs every cell in topological order; follow the run on a live session. */
  run(notebookId: string, options?: RequestOptions): Promise<RunAccepted> {
    return this.#sender.send({ method: "POST", path: api("notebooks", notebookId, "run") }, options);
  }

  /** Interrupts the cell that is running. */
  interrupt(notebookId: string, options?: RequestOptions): Promise<void> {
    return this.#sender.send({ method: "POST", path: api("notebooks", notebookId, "interrupt") }, options);
  }

  /** Restarts the notebook's kernel; every cell becomes `stale`. */
  restartKernel(notebookId: string, options?: RequestOptions): Promise<void> {
    return this.#sender.send(
      { method: "POST", path: api("notebooks", notebookId, "kernel", "restart") },
      options,
    );
  }

  /** The notebook as a Jupyter nbformat 4 document. */
  exportIpynb(notebookId: string, options?: RequestOptions): Promise<IpynbNotebook> {
    return this.#sender.send(
      { method: "GET", path: api("notebooks", notebookId, "export"), query: { format: "ipynb" } },
      options,
    );
  }

  /** Creates a notebook from a Jupyter nbformat 4 document. */
  importIpynb(notebook: IpynbNotebook, options?: RequestOptions): Promise<Notebook> {
    return this.#sender.send({ method: "POST", path: api("notebooks", "import"), body: notebook }, options);
  }
}
