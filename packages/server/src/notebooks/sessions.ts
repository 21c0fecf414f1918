// The notebooks this server has open: one NotebookSession per notebook, loaded from the store on first use
// (concurrent callers share the load) and closed when the notebook is deleted or the server stops.
import { NotebookSession, type SessionDependencies } from "./session.js";

export class NotebookSessions {
  readonly #sessions = new Map<string, Promise<NotebookSession | null>>();

  constructor(private readonly deps: SessionDependencies) {}

  /** The notebook's session, loading it once; null when the notebook does not exist. */
  session(notebookId: string): Promise<NotebookSession | null> {
    let pending = this.#sessions.get(notebookId);
    if (!pending) {
      pending = this.deps.store
        .loadNotebook(notebookId)
        .then((notebook) => (notebook ? new NotebookSession(notebook, this.deps) : null));
      this.#sessions.set(notebookId, pending);
      // A missing notebook or a failed load is not remembered: the next call tries again.
      const loading = pending;
      pending.then(
        (session) => {
          if (!session && this.#sessions.get(notebookId) === loading) this.#sessions.delete(notebookId);
        },
        () => {
          if (this.#sessions.get(notebookId) === loading) this.#sessions.delete(notebookId);
        },
      );
    }
    return pending;
  }

  /** The session if this server has one open (or loading), without loading it. */
  async open(notebookId: string): Promise<NotebookSession | null> {
    const pending = this.#sessions.get(notebookId);
    return pending ? pending.catch(() => null) : null;
  }

  /** The notebook was deleted (or moved away): stop its kernel and forget its session. */
  async stop(notebookId: string): Promise<void> {
    const session = await this.open(notebookId);
    this.#sessions.delete(notebookId);
    await session?.close();
  }

  /** Resolves when the notebook's open session has nothing queued, running or unsaved. */
  async idle(notebookId: string): Promise<void> {
    await (await this.open(notebookId))?.idle();
  }

  /** Closes every session (stopping their kernels); the kernel manager itself belongs to the caller. */
  async close(): Promise<void> {
    const sessions = await Promise.all([...this.#sessions.values()].map((p) => p.catch(() => null)));
    this.#sessions.clear();
    await Promise.all(sessions.map((session) => session?.close()));
  }
}
