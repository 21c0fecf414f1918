// The notebook runtime: one NotebookSession per notebook this server has open, created on first use from
// the store. Routes and sockets call it after each change they persisted, and to run, interrupt or restart.
import type { Analysis, KernelManager } from "../kernel/index.js";
import type { CellType } from "../reactive/index.js";
import type { SqlEngine } from "../sql/index.js";
import { analyzeCell } from "./analysis.js";
import { NotebookSession, toSchedulerCell } from "./notebook-session.js";
import type { Publish, RuntimeCell, RuntimeStore } from "./ports.js";

export interface RuntimeLogger {
  error(o: object | string, msg?: string): void;
}

export class NotebookRuntime {
  readonly #sessions = new Map<string, Promise<NotebookSession>>();

  constructor(
    readonly kernels: KernelManager,
    private readonly store: RuntimeStore,
    private readonly publish: Publish,
    private readonly logger: RuntimeLogger,
    readonly sql: SqlEngine,
  ) {}

  /** Reads and writes of a cell (python via the sandboxed analysis kernel). */
  analyze(cell: { type: CellType; code: string; name?: string | null }): Promise<Analysis> {
    return analyzeCell(cell, (code) => this.kernels.analyze(code));
  }

  /** The notebook's session, loading it once (concurrent callers share the load). Null when it does not exist. */
  async session(notebookId: string): Promise<NotebookSession | null> {
    let pending = this.#sessions.get(notebookId);
    if (!pending) {
      pending = this.#load(notebookId);
      this.#sessions.set(notebookId, pending);
      pending.catch(() => this.#sessions.delete(notebookId));
    }
    try {
      return await pending;
    } catch (error) {
      if (error instanceof MissingNotebook) return null;
      throw error;
    }
  }

  async #load(notebookId: string): Promise<NotebookSession> {
    const notebook = await this.store.loadNotebook(notebookId);
    if (!notebook) throw new MissingNotebook();
    return new NotebookSession(
      notebookId,
      notebook.ownerId,
      notebook,
      this.kernels,
      this.store,
      this.publish,
      (error) => this.logger.error({ err: error, notebookId }, "could not save a cell result"),
      this.sql,
    );
  }

  /** The session if this server has one open, without loading it. */
  async #open(notebookId: string): Promise<NotebookSession | null> {
    const pending = this.#sessions.get(notebookId);
    return pending ? pending.catch(() => null) : null;
  }

  async cellCreated(notebookId: string, cell: RuntimeCell, index: number, revision: number): Promise<void> {
    const session = await this.#open(notebookId);
    if (!session) return;
    session.noteRevision(revision);
    session.scheduler.insertCell(toSchedulerCell(cell), index);
  }

  async cellEdited(notebookId: string, cell: RuntimeCell, revision: number): Promise<void> {
    const session = await this.session(notebookId);
    if (!session) return;
    session.noteRevision(revision);
    const analysisError = cell.error && cell.status === "error" ? cell.error : null;
    session.scheduler.editCell(cell.id, {
      code: cell.code,
      name: cell.name ?? null,
      reads: cell.reads,
      writes: cell.writes,
      analysisError,
    });
  }

  async cellDeleted(notebookId: string, cellId: string, revision: number): Promise<void> {
    const session = await this.#open(notebookId);
    if (!session) return;
    session.noteRevision(revision);
    session.scheduler.deleteCell(cellId);
  }

  async cellMoved(notebookId: string, cellId: string, index: number, revision: number): Promise<void> {
    const session = await this.#open(notebookId);
    if (!session) return;
    session.noteRevision(revision);
    session.scheduler.moveCell(cellId, index);
  }

  async noteRevision(notebookId: string, revision: number): Promise<void> {
    (await this.#open(notebookId))?.noteRevision(revision);
  }

  async runCell(notebookId: string, cellId: string): Promise<string> {
    return (await this.#require(notebookId)).scheduler.runCell(cellId);
  }

  async runAll(notebookId: string): Promise<string> {
    return (await this.#require(notebookId)).scheduler.runAll();
  }

  async interrupt(notebookId: string): Promise<void> {
    (await this.#open(notebookId))?.scheduler.interrupt();
  }

  async restartKernel(notebookId: string): Promise<void> {
    await (await this.#require(notebookId)).restartKernel();
  }

  /** The notebook was deleted: stop its kernel and forget its session. */
  async stop(notebookId: string): Promise<void> {
    const session = await this.#open(notebookId);
    this.#sessions.delete(notebookId);
    await session?.close();
  }

  async idle(notebookId: string): Promise<void> {
    await (await this.#open(notebookId))?.idle();
  }

  /** Closes every session (stopping their kernels); the kernel manager itself belongs to the caller. */
  async close(): Promise<void> {
    const sessions = await Promise.all([...this.#sessions.values()].map((p) => p.catch(() => null)));
    this.#sessions.clear();
    await Promise.all(sessions.map((session) => session?.close()));
  }

  async #require(notebookId: string): Promise<NotebookSession> {
    const session = await this.session(notebookId);
    if (!session) throw new MissingNotebook();
    return session;
  }
}

/** The notebook vanished between the route's check and the runtime's load (a concurrent delete). */
export class MissingNotebook extends Error {
  constructor() {
    super("no such notebook");
    this.name = "MissingNotebook";
  }
}
