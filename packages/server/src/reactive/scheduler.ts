// A notebook's scheduler: keeps every cell's status in line with the graph and runs cells one at a time.
import { DependencyGraph } from "./graph.js";
import { planRun } from "./plan.js";
import { type ControlChange, type Run, RunQueue } from "./run-queue.js";
import { topologicalSort, transitiveClosure } from "./topology.js";
import type {
  CellError,
  CellPatch,
  CellRunner,
  CellStatus,
  ControlValue,
  RunResult,
  SchedulerCell,
  SchedulerEvent,
} from "./types.js";

export interface NotebookSchedulerOptions {
  runner: CellRunner;
  onEvent: (event: SchedulerEvent) => void;
  /** Milliseconds clock for `run_finished.ms` (default `performance.now`). */
  now?: () => number;
  /** Run id factory (default `crypto.randomUUID`). */
  newRunId?: () => string;
}

interface CellState {
  status: CellStatus;
  runId: string | null;
  /** For `blocked`: the upstream cell in error that stops this one. */
  blockedBy: string | null;
}

/**
 * Responsibilities: the graph of one notebook (edits, inserts, deletes, moves), each cell's status and
 * the events announcing it, and the execution of runs through a single queue, so that one cell of the
 * notebook executes at a time (notebooks run in parallel by having one scheduler each).
 *
 * Choices the API leaves open: a cell is fresh (not re-run as an ancestor) only if it succeeded in the
 * current kernel; `interrupt()` and `kernelRestarted()` turn dropped queued cells `stale`; markdown cells
 * never reach the runner (a run marks them `success`) and are not made stale by a kernel restart; a
 * `running` status starts a fresh record for the cell (stdout, outputs and error of the last run cleared).
 */
export class NotebookScheduler {
  readonly #runner: CellRunner;
  readonly #emit: (event: SchedulerEvent) => void;
  readonly #now: () => number;
  readonly #newRunId: () => string;
  #graph = new DependencyGraph();
  #states = new Map<string, CellState>();
  /** Bumped on every edit, so a result of code that changed while running does not count as fresh. */
  #versions = new Map<string, number>();
  /** Bumped on kernel restart, so a success from the old kernel does not count as fresh. */
  #generation = 0;
  #ranInKernel = new Set<string>();
  /** The graph errors last announced, to announce only what changes. */
  #announced = new Map<string, CellError>();
  #queue = new RunQueue();
  #executing: string | null = null;
  #draining = false;
  #idleWaiters: Array<() => void> = [];

  constructor(options: NotebookSchedulerOptions) {
    this.#runner = options.runner;
    this.#emit = options.onEvent;
    this.#now = options.now ?? (() => performance.now());
    this.#newRunId = options.newRunId ?? (() => crypto.randomUUID());
  }

  /**
   * Replaces the notebook (cells in notebook order) with stored statuses (default `idle`). Nothing has
   * run in the kernel yet. Stored `queued`/`running` become `stale`; graph errors are announced.
   */
  load(cells: SchedulerCell[], statuses: Record<string, CellStatus> = {}): void {
    if (this.#draining) throw new Error("cannot load a notebook while cells are running");
    this.#runner.supersede?.();
    this.#graph = new DependencyGraph(cells);
    this.#states = new Map(
      cells.map((c) => [c.id, { status: statuses[c.id] ?? "idle", runId: null, blockedBy: null }]),
    );
    this.#versions = new Map(cells.map((c) => [c.id, 0]));
    this.#ranInKernel.clear();
    this.#announced = new Map();
    this.#queue = new RunQueue();
    this.#announceGraphErrors();
    for (const id of topologicalSort(this.#graph, this.#graph.ids())) {
      const stored = this.#state(id).status;
      if (this.#graph.errors().has(id)) this.#set(id, "error", null);
      else {
        const graphBlocker = this.#blocker(id, true);
        const blocker = this.#blocker(id, false);
        if (graphBlocker) this.#set(id, "blocked", null, graphBlocker);
        else if (stored === "blocked") this.#set(id, blocker ? "blocked" : "stale", null, blocker);
        else if (stored === "queued" || stored === "running") this.#set(id, "stale", null);
      }
    }
  }

  /** Adds a cell (status `idle`); whatever reads its names becomes `stale`. */
  insertCell(cell: SchedulerCell, index: number): void {
    this.#runner.supersede?.();
    this.#graph.insert(cell, index);
    this.#states.set(cell.id, { status: "idle", runId: null, blockedBy: null });
    this.#versions.set(cell.id, 0);
    this.#reconcile([cell.id], cell.id);
  }

  /**
   * Changes a cell without running it: it, its descendants and the cells that read from it before the edit
   * become `stale` (or error/blocked). With `analysisError` set, passing the last good reads and writes keeps
   * its readers `blocked` by it; passing none leaves them merely `stale`.
   */
  editCell(id: string, patch: CellPatch): void {
    this.#runner.supersede?.();
    const formerReaders = [...this.#graph.children(id)];
    if (!this.#graph.update(id, patch)) return;
    this.#versions.set(id, (this.#versions.get(id) ?? 0) + 1);
    this.#reconcile([id, ...formerReaders]);
  }

  /**
   * Removes a cell, queues removing its names from the kernel, and re-runs its former dependents.
   * Returns the id of that re-run, or null when nothing read from the cell.
   */
  deleteCell(id: string): string | null {
    const cell = this.#require(id);
    this.#runner.supersede?.();
    const dependents = [...this.#graph.children(id)];
    this.#queue.remove(id);
    this.#graph.remove(id);
    this.#states.delete(id);
    this.#versions.delete(id);
    this.#ranInKernel.delete(id);
    this.#announced.delete(id);
    if (cell.writes.length > 0) this.#queue.addForget([...cell.writes]);
    this.#reconcile([]);
    this.#finishDoneRuns(); // the deleted cell may have been the last one of a run
    this.#kick();
    return dependents.length > 0 ? this.#startRun(dependents) : null;
  }

  /** Moves a cell; only the tie-break order of later runs changes. */
  moveCell(id: string, index: number): void {
    this.#runner.supersede?.();
    this.#graph.move(id, index);
    this.#reconcile([]);
  }

  /** Runs the cell's stale ancestors, the cell, then its descendants; returns the run id at once. */
  runCell(id: string): string {
    this.#require(id);
    return this.#startRun([id]);
  }

  /**
   * A person set a control of cell `id`: a run that sets the value on the live control (in queue order,
   * without running the cell), then re-runs every cell that reads what the cell defines — its descendants,
   * in topological order, with their stale ancestors. When the cell itself is not fresh in this kernel (never
   * ran here, stale, failed), there is no live control to set: the value is announced at once, and the cell
   * runs with it first if a reader needs it (the session hands the kernel the cell's known control values).
   * `control_value` is emitted when the value takes effect. Returns the run id.
   */
  setControl(id: string, controlId: string, value: ControlValue): string {
    this.#require(id);
    this.#runner.supersede?.();
    const runId = this.#newRunId();
    const run = this.#queue.open(runId, this.#now());
    const plan = planRun(this.#graph, this.#graph.children(id), (cellId) => this.#isFresh(cellId));
    // Not fresh: no live control to set (the plan runs the cell first if a reader needs it).
    if (!this.#isFresh(id)) this.#emit({ type: "control_value", cellId: id, controlId, value });
    else this.#queue.addControl(run, { cellId: id, controlId, value });
    this.#queue.add(run, plan);
    for (const cellId of plan) if (cellId !== this.#executing) this.#set(cellId, "queued", runId);
    this.#finishDoneRuns(run);
    this.#kick();
    return runId;
  }

  /** Runs every cell in topological order. */
  runAll(): string {
    return this.#startRun(this.#graph.ids());
  }

  /** Interrupts the executing cell and drops every queued cell (they become `stale`). */
  interrupt(): void {
    this.#runner.supersede?.();
    if (this.#executing) this.#runner.interrupt();
    for (const ids of this.#queue.removeAllCells().values())
      for (const id of ids) if (id !== this.#executing) this.#set(id, "stale", null);
    this.#finishDoneRuns();
  }

  /**
   * The kernel lost its globals: nothing counts as run any more; every cell that could run is `stale`. With
   * `keepQueued` (the kernel was replaced because a cell crashed it or ran past its time limit, not because
   * someone asked), the cells still queued stay in their runs, after the ancestors they now need again.
   */
  kernelRestarted({ keepQueued = false }: { keepQueued?: boolean } = {}): void {
    this.#runner.supersede?.();
    this.#generation++;
    this.#ranInKernel.clear();
    const queued = this.#queue.removeAllCells();
    for (const id of topologicalSort(this.#graph, this.#graph.ids())) {
      if (id === this.#executing || this.#graph.errors().has(id)) continue;
      if (this.#graph.cell(id)?.type === "markdown") {
        if (this.#state(id).status === "queued") this.#set(id, "stale", null);
        continue;
      }
      const blocker = this.#blocker(id, true);
      this.#set(id, blocker ? "blocked" : "stale", null, blocker);
    }
    if (keepQueued) {
      for (const [run, ids] of queued) {
        const plan = planRun(this.#graph, ids, (id) => this.#isFresh(id));
        this.#queue.add(run, plan);
        for (const id of plan) if (id !== this.#executing) this.#set(id, "queued", run.id);
      }
    }
    this.#finishDoneRuns();
  }

  /** Whether the notebook has this cell. */
  has(id: string): boolean {
    return this.#graph.has(id);
  }

  status(id: string): CellStatus {
    return this.#state(id).status;
  }

  /** For a `blocked` cell, the upstream cell in error that blocks it. */
  blockedBy(id: string): string | null {
    return this.#state(id).blockedBy;
  }

  graphErrors(): Map<string, CellError> {
    return new Map(this.#graph.errors());
  }

  /** Whether a run is queued or executing. */
  get busy(): boolean {
    return this.#draining || !this.#queue.isEmpty;
  }

  /** Resolves when nothing is queued or executing. */
  idle(): Promise<void> {
    if (!this.#draining && this.#queue.isEmpty) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #startRun(targets: readonly string[]): string {
    this.#runner.supersede?.();
    const runId = this.#newRunId();
    const plan = planRun(this.#graph, targets, (id) => this.#isFresh(id));
    const run = this.#queue.open(runId, this.#now());
    this.#queue.add(run, plan);
    for (const id of plan) if (id !== this.#executing) this.#set(id, "queued", runId); // running until it ends
    this.#finishDoneRuns(run);
    this.#kick();
    return runId;
  }

  /** Fresh: needs no re-run as an ancestor, because it succeeded in this kernel or is about to run. */
  #isFresh(id: string): boolean {
    const { status } = this.#state(id);
    if (status === "queued" || status === "running") return true;
    return status === "success" && this.#ranInKernel.has(id);
  }

  #kick(): void {
    if (this.#draining) return;
    this.#draining = true;
    void this.#drain();
  }

  /** The single consumer of the queue: awaits each entry before taking the next. */
  async #drain(): Promise<void> {
    await Promise.resolve(); // callers get their run id before any work (or run_finished) happens
    try {
      this.#finishDoneRuns();
      for (let entry = this.#queue.next(); entry; entry = this.#queue.next()) {
        if (entry.kind === "forget") await this.#forget(entry.names);
        else if (entry.kind === "control") await this.#setControl(entry.runId, entry);
        else await this.#process(entry.cellId, entry.runId);
        this.#finishDoneRuns();
      }
    } finally {
      this.#draining = false;
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
    }
  }

  async #forget(names: string[]): Promise<void> {
    try {
      await this.#runner.forget(names);
    } catch {
      // The kernel may be gone (restart, crash); a fresh kernel has no such names anyway.
    }
  }

  /** Announces a control's new value and sets it on the live control (when its cell ran in this kernel). */
  async #setControl(runId: string, { cellId, controlId, value }: ControlChange): Promise<void> {
    const present = this.#graph.has(cellId);
    if (present) {
      this.#emit({ type: "control_value", cellId, controlId, value });
      if (this.#isFresh(cellId)) {
        try {
          await this.#runner.setControl(cellId, controlId, value);
        } catch {
          // The kernel is gone (restart, crash): the cell's next run restores the value from the session.
        }
      }
    }
    this.#queue.settle(runId, cellId, present);
  }

  async #process(id: string, runId: string): Promise<void> {
    const cell = this.#graph.cell(id);
    if (!cell || this.#graph.errors().has(id)) return this.#queue.settle(runId, id, false);
    const blocker = this.#blocker(id, false);
    const upstreamStale = this.#graph.parents(id).some((p) => this.#state(p).status !== "success");
    const settled = blocker
      ? "blocked"
      : upstreamStale
        ? "stale"
        : cell.type === "markdown"
          ? "success"
          : null;
    if (settled) {
      this.#set(id, settled, runId, blocker);
      return this.#queue.settle(runId, id, true);
    }

    const version = this.#versions.get(id);
    const generation = this.#generation;
    // Appended to, never copied: each display costs the same however many came before it.
    const shown: RunResult["outputs"] = [];
    this.#executing = id;
    this.#set(id, "running", runId);
    let result: RunResult;
    try {
      result = await this.#runner.run(cell, {
        runId,
        upcoming: (limit) => this.#upcoming(id, limit),
        emit: (event) => {
          if (!this.#graph.has(id)) return;
          if (event.type === "stdout") {
            this.#emit({ type: "cell_stdout", cellId: id, stream: event.stream, text: event.text });
          } else if (event.type === "display") {
            shown.push(event.output);
            this.#emit({
              type: "cell_output_added",
              cellId: id,
              index: shown.length - 1,
              output: event.output,
            });
          } else {
            const { type: _progress, ...progress } = event;
            this.#emit({ type: "cell_progress", cellId: id, ...progress });
          }
        },
      });
    } catch (err) {
      result = { status: "error", outputs: shown, error: toCellError(err) };
    } finally {
      this.#executing = null;
    }
    const present = this.#graph.has(id);
    if (present) this.#record(id, runId, result, version !== this.#versions.get(id), generation);
    this.#queue.settle(runId, id, present);
  }

  /**
   * The queued cells that run right after `first` (executing) if it and each of them succeed and nothing
   * changes meanwhile: python cells without a graph error whose parents each succeeded or come earlier in
   * the list. Stops at the first that is not (a SQL or markdown cell, a forget, a cell that would be
   * settled without running), so the runner may send them to the kernel with `first`.
   */
  #upcoming(first: string, limit: number): SchedulerCell[] {
    const errors = this.#graph.errors();
    const before = new Set([first]);
    const cells: SchedulerCell[] = [];
    for (const id of this.#queue.upcoming()) {
      if (cells.length >= limit) break;
      const cell = this.#graph.cell(id);
      if (cell?.type !== "python" || errors.has(id)) break;
      const parents = this.#graph.parents(id);
      if (!parents.every((p) => before.has(p) || this.#state(p).status === "success")) break;
      before.add(id);
      cells.push(cell);
    }
    return cells;
  }

  /** Announces what a run left on a cell: the final outputs (authoritative), its error, its next status. */
  #record(id: string, runId: string, result: RunResult, edited: boolean, generation: number): void {
    this.#emit({ type: "cell_outputs", cellId: id, outputs: result.outputs });
    const error =
      result.status === "error" ? (result.error ?? { name: "Error", message: "the cell failed" }) : null;
    if (error) this.#emit({ type: "cell_error", cellId: id, error });
    if (this.#graph.errors().has(id)) return; // edited into a graph error while running: that error stands
    const again = this.#queue.queuedFor(id);
    if (again)
      this.#set(id, "queued", again); // a newer run wants it again
    else if (edited) this.#set(id, "stale", runId);
    else if (error) this.#set(id, "error", runId);
    else if (generation !== this.#generation) this.#set(id, "stale", runId);
    else {
      this.#ranInKernel.add(id);
      this.#set(id, "success", runId);
    }
  }

  /**
   * Brings statuses in line with the graph after a change. The `touched` cells, every cell whose graph
   * error appeared, went away or changed kind, and all their descendants become `error` (graph error),
   * `blocked` (downstream of one) or `stale`; a cell that never ran (a new one, or `idle`) stays `idle`, as
   * the store keeps it: nothing it showed is out of date. Queued and running cells keep their place.
   */
  #reconcile(touched: readonly string[], inserted: string | null = null): void {
    const errors = this.#graph.errors();
    const roots = new Set(touched);
    for (const id of new Set([...this.#announced.keys(), ...errors.keys()])) {
      if (this.#announced.get(id)?.name !== errors.get(id)?.name) roots.add(id);
    }
    this.#announceGraphErrors();
    const affected = transitiveClosure(this.#graph, roots, "children");
    for (const id of topologicalSort(this.#graph, affected)) {
      const { status } = this.#state(id);
      if (errors.has(id)) this.#set(id, "error", null);
      else if (status === "queued" || status === "running") continue;
      else {
        const blocker = this.#blocker(id, true);
        const neverRan = id === inserted || status === "idle";
        this.#set(id, blocker ? "blocked" : neverRan ? "idle" : "stale", null, blocker);
      }
    }
  }

  /** Emits `cell_error` for graph errors that are new or whose wording changed. */
  #announceGraphErrors(): void {
    const errors = this.#graph.errors();
    for (const [id, error] of errors) {
      const before = this.#announced.get(id);
      if (before?.name !== error.name || before.message !== error.message) {
        this.#emit({ type: "cell_error", cellId: id, error: { ...error } });
      }
    }
    this.#announced = new Map(errors);
  }

  /**
   * The upstream cell that stops `id` from running: a parent in a graph error, a parent in error, or the
   * cell that blocks a blocked parent. With `graphOnly`, runtime errors (which a re-run may fix) do not count.
   */
  #blocker(id: string, graphOnly: boolean): string | null {
    const errors = this.#graph.errors();
    for (const parent of this.#graph.parents(id)) {
      if (errors.has(parent)) return parent;
      const state = this.#state(parent);
      if (!graphOnly && state.status === "error") return parent;
      if (state.status === "blocked" && state.blockedBy && (!graphOnly || errors.has(state.blockedBy))) {
        return state.blockedBy;
      }
    }
    return null;
  }

  #set(id: string, status: CellStatus, runId: string | null, blockedBy: string | null = null): void {
    const state = this.#states.get(id);
    if (!state) return;
    const by = status === "blocked" ? blockedBy : null;
    if (state.status === status && state.runId === runId && state.blockedBy === by) return;
    state.status = status;
    state.runId = runId;
    state.blockedBy = by;
    this.#emit({ type: "cell_status", cellId: id, status, runId, ...(by ? { blockedBy: by } : {}) });
  }

  /** Emits `run_finished` for every run with nothing left queued or executing (except `keep`). */
  #finishDoneRuns(keep?: Run): void {
    for (const run of this.#queue.openRuns()) {
      if (run.pending > 0 || run === keep) continue;
      this.#queue.close(run);
      this.#emit({ type: "run_finished", runId: run.id, cells: run.cells, ms: this.#now() - run.startedAt });
    }
  }

  #state(id: string): CellState {
    const state = this.#states.get(id);
    if (!state) throw new Error(`no cell ${id} in this notebook`);
    return state;
  }

  #require(id: string): SchedulerCell {
    const cell = this.#graph.cell(id);
    if (!cell) throw new Error(`no cell ${id} in this notebook`);
    return cell;
  }
}

function toCellError(err: unknown): CellError {
  if (err instanceof Error) return { name: err.name || "Error", message: err.message };
  return { name: "Error", message: String(err) };
}
