/**
 * Which runs are in flight and how each ended. The service answers a run request with a `runId` (202) and
 * later broadcasts `run_finished {runId, cells}`; events can overtake the 202, so finished runs are kept
 * (a bounded number) until someone asks. Events lost while the socket was down are covered by the resync:
 * a run that was in flight then is taken as settled once no cell is queued or running any more.
 */
import type { Cell, Notebook, ServerEvent } from "@reactive-notebook/protocol";

/** How a run ended: every cell it touched, in their final state. */
export interface RunResult {
  runId: string;
  /**
   * The cells of the run, as they ended (status `success`, `error`, `blocked` or `stale`, outputs
   * included): the executed ones in execution order, then the ones it blocked or skipped.
   */
  cells: Cell[];
  /** Wall time of the run as the service measured it; null when its end was missed during a reconnect. */
  ms: number | null;
}

interface RunRecord {
  /** Cells seen in the run's `cell_status` events, in first-seen order. */
  touched: Set<string>;
  /** Set by `run_finished`. */
  finished?: { cells: string[]; ms: number | null };
  /** Events may have been missed for this run (the socket was down while it was in flight). */
  missedEvents: boolean;
  /** The cells the caller asked for; part of the result even if no status event named them. */
  targets: Set<string>;
  waiters: Waiter[];
}

interface Waiter {
  done(record: RunRecord): void;
  fail(error: unknown): void;
}

/** Most run records kept for runs nobody waits on (oldest dropped first). */
const MAX_RECORDS = 200;

const BUSY = new Set(["queued", "running"]);

export class RunTracker {
  readonly #runs = new Map<string, RunRecord>();

  /** Records what an event says about runs. */
  observe(event: ServerEvent, notebook: Notebook): void {
    if (event.type === "cell_status" && event.runId !== null) {
      this.#record(event.runId).touched.add(event.cellId);
    } else if (event.type === "run_finished") {
      this.#finish(this.#record(event.runId), event.cells, event.ms);
    }
    this.#settleMissed(notebook);
  }

  /** The socket went down: runs still in flight may finish unseen. */
  lost(): void {
    for (const record of this.#runs.values()) if (!record.finished) record.missedEvents = true;
  }

  /** The session closed: every wait rejects with `error`. */
  failAll(error: unknown): void {
    for (const record of this.#runs.values()) {
      const waiters = record.waiters;
      record.waiters = [];
      for (const waiter of waiters) waiter.fail(error);
    }
    this.#runs.clear();
  }

  /** Resolves once run `runId` has ended, with its cells read from `notebook()` at that moment. */
  wait(
    runId: string,
    targets: string[],
    notebook: () => Notebook,
    mayHaveMissedEvents: boolean,
    signal?: AbortSignal,
  ): Promise<RunResult> {
    const record = this.#record(runId);
    for (const id of targets) record.targets.add(id);
    if (mayHaveMissedEvents && !record.finished) record.missedEvents = true;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        done: (ended) => {
          signal?.removeEventListener("abort", onAbort);
          this.#runs.delete(runId);
          resolve(result(runId, ended, notebook()));
        },
        fail: (error) => {
          signal?.removeEventListener("abort", onAbort);
          reject(error);
        },
      };
      const onAbort = () => {
        record.waiters = record.waiters.filter((other) => other !== waiter);
        reject(signal?.reason);
      };
      if (signal?.aborted) return onAbort();
      if (record.finished) return waiter.done(record);
      record.waiters.push(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#settleMissed(notebook());
    });
  }

  #record(runId: string): RunRecord {
    let record = this.#runs.get(runId);
    if (!record) {
      record = { touched: new Set(), missedEvents: false, targets: new Set(), waiters: [] };
      this.#runs.set(runId, record);
      this.#forgetOldest();
    }
    return record;
  }

  #finish(record: RunRecord, cells: string[], ms: number | null): void {
    if (record.finished) return;
    record.finished = { cells, ms };
    const waiters = record.waiters;
    record.waiters = [];
    for (const waiter of waiters) waiter.done(record);
  }

  /** A run whose end may have been missed is over once the notebook has nothing queued or running. */
  #settleMissed(notebook: Notebook): void {
    if (notebook.cells.some((cell) => BUSY.has(cell.status))) return;
    for (const record of this.#runs.values()) {
      if (record.missedEvents && !record.finished && record.waiters.length > 0)
        this.#finish(record, [], null);
    }
  }

  #forgetOldest(): void {
    if (this.#runs.size <= MAX_RECORDS) return;
    for (const [runId, record] of this.#runs) {
      if (record.waiters.length === 0) {
        this.#runs.delete(runId);
        return;
      }
    }
  }
}

function result(runId: string, record: RunRecord, notebook: Notebook): RunResult {
  const ids = new Set([...(record.finished?.cells ?? []), ...record.touched, ...record.targets]);
  const byId = new Map(notebook.cells.map((cell) => [cell.id, cell]));
  const cells = [...ids].flatMap((id) => {
    const cell = byId.get(id);
    return cell ? [cell] : [];
  });
  return { runId, cells, ms: record.finished?.ms ?? null };
}
