// The one queue a notebook's cells wait in, and the runs that own them. One queue per notebook is what makes
// only one cell execute at a time; keeping each cell queued at most once is what lets a newer run take over
// an older run's queued cell instead of running it twice. A control's new value waits in the same queue, so
// it reaches the kernel after whatever was queued before it and before the cells that read it.

/** A run: the cells one request (run cell, run all, a delete's re-run, a control set) put in the queue. */
export interface Run {
  readonly id: string;
  readonly startedAt: number;
  /** Cells still queued or executing for this run; the run is finished when this reaches zero. */
  pending: number;
  /** Cells the run settled (ran, errored, blocked or found stale), in the order it did so. */
  readonly cells: string[];
}

/** A control's new value, to set on the live control of its cell. */
export interface ControlChange {
  cellId: string;
  controlId: string;
  value: number | string | boolean;
}

export type QueueEntry =
  | { kind: "cell"; cellId: string; runId: string }
  | { kind: "forget"; names: string[] }
  | ({ kind: "control"; runId: string } & ControlChange);

type CellSlot = { kind: "cell"; cellId: string; runId: string; live: boolean };
type ControlSlot = { kind: "control"; runId: string; live: boolean } & ControlChange;
type Slot = CellSlot | ControlSlot | { kind: "forget"; names: string[] };

const controlKey = (change: ControlChange) => `${change.cellId}\n${change.controlId}`;

export class RunQueue {
  #slots: Slot[] = [];
  #head = 0;
  #queued = new Map<string, CellSlot>();
  #forgets = 0;
  /** Control changes waiting, by control: a newer value of the same control replaces a waiting one. */
  #controls = new Map<string, ControlSlot>();
  #runs = new Map<string, Run>();

  get isEmpty(): boolean {
    return this.#queued.size === 0 && this.#forgets === 0 && this.#controls.size === 0;
  }

  open(id: string, startedAt: number): Run {
    const run: Run = { id, startedAt, pending: 0, cells: [] };
    this.#runs.set(id, run);
    return run;
  }

  openRuns(): Run[] {
    return [...this.#runs.values()];
  }

  close(run: Run): void {
    this.#runs.delete(run.id);
  }

  /** The run a cell is queued for, if it is waiting in the queue. */
  queuedFor(cellId: string): string | undefined {
    return this.#queued.get(cellId)?.runId;
  }

  /** Appends `cellIds` for `run`; a cell already queued by an older run is taken over (moved here). */
  add(run: Run, cellIds: readonly string[]): void {
    for (const cellId of cellIds) {
      this.remove(cellId);
      const slot: CellSlot = { kind: "cell", cellId, runId: run.id, live: true };
      this.#slots.push(slot);
      this.#queued.set(cellId, slot);
      run.pending++;
    }
  }

  /** Appends a control change for `run`; a change of the same control still waiting is dropped (superseded). */
  addControl(run: Run, change: ControlChange): void {
    const key = controlKey(change);
    const older = this.#controls.get(key);
    if (older) {
      older.live = false;
      const olderRun = this.#runs.get(older.runId);
      if (olderRun) olderRun.pending--;
    }
    const slot: ControlSlot = { kind: "control", runId: run.id, live: true, ...change };
    this.#slots.push(slot);
    this.#controls.set(key, slot);
    run.pending++;
  }

  /** Queues removing names from the kernel, in order with the cells around it. */
  addForget(names: string[]): void {
    this.#slots.push({ kind: "forget", names });
    this.#forgets++;
  }

  /** The next entry to execute; a cell entry stays pending for its run until `settle`. */
  next(): QueueEntry | undefined {
    while (this.#head < this.#slots.length) {
      const slot = this.#slots[this.#head++]!;
      if (slot.kind === "forget") {
        this.#forgets--;
        return { kind: "forget", names: slot.names };
      }
      if (!slot.live) continue;
      if (slot.kind === "control") {
        this.#controls.delete(controlKey(slot));
        const { kind, runId, cellId, controlId, value } = slot;
        return { kind, runId, cellId, controlId, value };
      }
      this.#queued.delete(slot.cellId);
      return { kind: "cell", cellId: slot.cellId, runId: slot.runId };
    }
    this.#slots = [];
    this.#head = 0;
    return undefined;
  }

  /** The cells queued next, in order, up to the first forget or control change (which must run between them). */
  *upcoming(): Generator<string> {
    for (let i = this.#head; i < this.#slots.length; i++) {
      const slot = this.#slots[i] as Slot;
      if (slot.kind !== "cell") return;
      if (slot.live) yield slot.cellId;
    }
  }

  /** Takes a queued (not executing) cell out of the queue; returns whether it was queued. */
  remove(cellId: string): boolean {
    const slot = this.#queued.get(cellId);
    if (!slot) return false;
    slot.live = false;
    this.#queued.delete(cellId);
    const run = this.#runs.get(slot.runId);
    if (run) run.pending--;
    return true;
  }

  /**
   * Takes every queued cell out (interrupt, kernel restart); queued forgets and control changes stay (they
   * run no user code, and a value people chose must not be lost). Answers the cells by run.
   */
  removeAllCells(): Map<Run, string[]> {
    const byRun = new Map<Run, string[]>();
    for (const [id, slot] of [...this.#queued]) {
      const run = this.#runs.get(slot.runId);
      this.remove(id);
      if (!run) continue;
      const ids = byRun.get(run) ?? [];
      ids.push(id);
      byRun.set(run, ids);
    }
    return byRun;
  }

  /** Marks an executing cell of `runId` done; `counted` adds it to the run's list of cells. */
  settle(runId: string, cellId: string, counted: boolean): void {
    const run = this.#runs.get(runId);
    if (!run) return;
    run.pending--;
    if (counted) run.cells.push(cellId);
  }
}
