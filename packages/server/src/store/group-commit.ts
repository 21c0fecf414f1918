// Group commit: writes that arrive while a transaction commits wait and are committed together in the next
// one, so a run that settles many cells pays one fsync per batch instead of one per cell, and a lone write
// commits at once. Each write's promise resolves only once the transaction holding it has committed.
import type { Kysely, Transaction } from "kysely";
import type { StoreSchema } from "./schema.js";

type Write = (trx: Transaction<StoreSchema>) => Promise<void>;

interface Pending {
  write: Write;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class GroupCommit {
  #pending: Pending[] = [];
  #flushing: Promise<void> | null = null;

  constructor(private readonly db: Kysely<StoreSchema>) {}

  /** Queues `write`; resolves when it is durable, rejects with its own error only. */
  add(write: Write): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#pending.push({ write, resolve, reject });
      this.#flushing ??= this.#flush().finally(() => {
        this.#flushing = null;
      });
    });
  }

  /** Resolves once every write queued so far has been committed (or has failed). */
  async settled(): Promise<void> {
    while (this.#flushing) await this.#flushing;
  }

  /** The single committer: one transaction per batch, in the order writes arrived. */
  async #flush(): Promise<void> {
    while (this.#pending.length > 0) {
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
}
