/**
 * What the notebook shows about its cells beyond the stored cell: how long each running cell has run, how
 * long its last run took as this tab saw it, and what a running cell waits for (`cell_progress`: the sample
 * database starting, Python packages loading). Follows server events; the clock is injected for tests.
 */
import type { ServerEvent } from "@reactive-notebook/sdk";
import type { CellWait } from "../notebook-cell/index.js";

export class CellActivity {
  /** Running cell id → when it started (`now()`). */
  readonly runningSince = new Map<string, number>();
  /** How long each cell's last run took as seen here, for when the cell carries no `lastRunMs` yet. */
  readonly ranFor = new Map<string, number>();
  /** Cell id → what it waits for, while it waits. */
  readonly waits = new Map<string, CellWait>();

  readonly #now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.#now = now;
  }

  /** Milliseconds since the cell started running, or null when it is not running. */
  elapsed(cellId: string): number | null {
    const since = this.runningSince.get(cellId);
    return since === undefined ? null : this.#now() - since;
  }

  /** The first cell (in `order`) that waits for something, with what it waits for. */
  firstWait(order: readonly string[]): { cellId: string; wait: CellWait } | undefined {
    for (const cellId of order) {
      const wait = this.waits.get(cellId);
      if (wait) return { cellId, wait };
    }
    return undefined;
  }

  apply(event: ServerEvent): void {
    switch (event.type) {
      case "cell_status": {
        const since = this.runningSince.get(event.cellId);
        // A wait belongs to one run: the run settling (done, failed, stopped, blocked) ends it.
        if (event.status !== "running") this.waits.delete(event.cellId);
        if (event.status === "running") this.runningSince.set(event.cellId, this.#now());
        else this.runningSince.delete(event.cellId);
        if ((event.status === "success" || event.status === "error") && since !== undefined) {
          this.ranFor.set(event.cellId, this.#now() - since);
        }
        return;
      }
      case "cell_progress": {
        if (event.done) this.waits.delete(event.cellId);
        else {
          const fraction = event.fraction;
          this.waits.set(event.cellId, {
            kind: event.kind,
            message: event.message,
            ...(typeof fraction === "number" && Number.isFinite(fraction)
              ? { fraction: Math.min(Math.max(fraction, 0), 1) }
              : {}),
          });
        }
        return;
      }
      case "cell_deleted":
        this.#forget(event.cellId);
        return;
      case "hello":
        // A (re)connect: what ran while we were away is unknown; the cells' stored state says the rest.
        this.runningSince.clear();
        this.waits.clear();
        return;
      default:
        return;
    }
  }

  clear(): void {
    this.runningSince.clear();
    this.ranFor.clear();
    this.waits.clear();
  }

  #forget(cellId: string): void {
    this.runningSince.delete(cellId);
    this.ranFor.delete(cellId);
    this.waits.delete(cellId);
  }
}
