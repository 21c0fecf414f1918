// Group commit: result writes wait in a short window and are committed together in one transaction, so a run
// that settles many cells pays one fsync per batch instead of one per cell. A window ends when its timer
// fires (GROUP_COMMIT_WINDOW_MS after its first write), when someone asks for a commit (a run finished; any
// other write of the store, so writes reach the database in the order they were made), or on `settled()`.
// Each write's promise resolves only once the transaction holding it has committed: callers that publish
// after it never announce what a crash could lose.
import type { Kysely, Transaction } from "kysely";
import type { StoreSchema } from "./schema.js";

/** How long a result write may wait for others to share its commit. */
export const GROUP_COMMIT_WINDOW_MS = 15;

type Write = (trx: Transaction<StoreSchema>) => Promise<void>;

interface Pending {
  write: Write;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class GroupCommit {
  #pending: Pending[] = [];
  #flushing: Promise<void> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #askedWhileFlushing = false;

  constructor(
    private readonly db: Kysely<StoreSchema>,
    private readonly windowMs = GROUP_COMMIT_WINDOW_MS,
  ) {}

  /** Queues `write` for the current window; resolves when it is durable, rejects with its own error only. */
  add(write: Write): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ write, resolve, reject });
      if (this.#flushing || this.#timer) return;
      if (this.windowMs <= 0) this.commit();
      else this.#timer = setTimeout(() => this.commit(), this.windowMs);
    });
  }

  /** Ends the window now: what is queued starts committing (after a commit already under way). */
  commit(): void {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    if (this.#pending.length === 0) return;
    if (this.#flushing) {
      this.#askedWhileFlushing = true;
      return;
    }
    this.#flushing = this.#flush().finally(() => {
      this.#flushing = null;
      const asked = this.#askedWhileFlushing;
      this.#askedWhileFlushing = false;
      if (this.#pending.length === 0 || this.#timer) return;
      // Writes that arrived during the commit: at once if a commit was asked for, else in a new window.
      if (asked || this.windowMs <= 0) this.commit();
      else this.#timer = setTimeout(() => this.commit(), this.windowMs);
    });
  }

  /** Commits what is queued and resolves once every write queued so far has been committed (or has failed). */
  async settled(): Promise<void> {
    this.commit();
    while (this.#flushing || this.#pending.length > 0) {
      if (this.#flushing) await this.#flushing;
      else this.commit();
    }
  }

  /** The single committer: one transaction per batch, in the order writes arrived. */
  async #flush(): Promise<void> {
    const batch = this.#pending.splice(0);
    try {
      await this.db.transaction().execute(async (trx) => {
        for (const { write } of batch) await write(trx);
      });
      for (const { resolve } of batch) resolve();
    } catch {
      // One bad write must not fail the others: commit each on its own to find it.
      for (const { write, resolve, reject } of batch) {
        await this.db.transaction().execute(write).then(resolve, reject);
      }
    }
  }
}
