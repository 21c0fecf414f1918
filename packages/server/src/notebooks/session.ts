// One open notebook on this server: its scheduler, its (lazily started) kernel, and the one place where the
// scheduler's events become the wire's events: each is saved where it changes a cell, then published.
//
// Ordering and durability: every status change is saved (queued and running too, so a plain GET shows a
// run in progress), and an event is published only after every save queued before it has committed. So a
// client never sees a cell settled (`cell_status` success, `run_finished`) before that is durable, and
// events reach sockets in the order the scheduler emitted them. Saves are group-committed by the store: a
// run's saves share commit windows and run_finished ends the last one, so a run of trivial cells pays about
// one commit, not one per status change; outside a run, saves commit at the end of the turn.
import {
  appendCapped,
  type CellError,
  type ControlValue,
  type Output,
  type ServerEvent,
} from "@reactive-notebook/protocol";
import { invalidValue, notFound } from "../http/index.js";
import type { Kernel, KernelManager, KernelStatus } from "../kernel/index.js";
import {
  type CellStatus,
  NotebookScheduler,
  type SchedulerCell,
  type SchedulerEvent,
} from "../reactive/index.js";
import type { SqlEngine } from "../sql/index.js";
import type { CellResult } from "../store/index.js";
import { KernelCellRunner } from "./cell-runner.js";
import {
  type CellControl,
  controlsOf,
  controlValueProblem,
  knownControls,
  withControlValue,
} from "./controls.js";
import type { Publish, SessionCell, SessionLogger, SessionNotebook, SessionStore } from "./ports.js";
import type { NotebookChange } from "./router.js";

/** What one run of a cell has shown so far; saved with the cell when the cell settles. */
interface RunRecord {
  stdout: string;
  stderr: string;
  outputs: Output[];
  error: CellError | null;
  startedAt: number;
}

/** A finished run as the run-and-wait routes report it: the cells it touched, in the order it settled them. */
export interface FinishedRun {
  runId: string;
  cells: string[];
  ms: number;
}

/** How many finished runs a session remembers for callers that start waiting after the end. */
const REMEMBERED_RUNS = 64;

export function toSchedulerCell(cell: SessionCell): SchedulerCell {
  return {
    id: cell.id,
    type: cell.type,
    code: cell.code,
    name: cell.name ?? null,
    reads: cell.reads,
    writes: cell.writes,
    analysisError: cell.analysisError,
  };
}

/** The kernel lease a session runs under (with Redis): its fencing token, and whether it is still held. */
export interface SessionFence {
  token: number;
  held(): boolean;
}

export interface SessionDependencies {
  kernels: KernelManager;
  store: SessionStore;
  publish: Publish;
  sql: SqlEngine;
  log: SessionLogger;
  /** The lease of a notebook this instance runs; none alone (no other instance can write its results). */
  fenceOf?: (notebookId: string) => SessionFence | undefined;
}

export class NotebookSession {
  readonly scheduler: NotebookScheduler;
  readonly notebookId: string;
  readonly ownerId: string;
  #revision: number;
  #executionCount = 0;
  #kernel: Kernel | null = null;
  #unsubscribe: (() => void)[] = [];
  #kernelStatus: KernelStatus | "none" = "none";
  readonly #records = new Map<string, RunRecord>();
  /** Saves and publishes not yet done, chained in the order they were asked for. */
  #tail: Promise<void> = Promise.resolve();
  #inFlight = 0;
  readonly #finished = new Map<string, FinishedRun>();
  readonly #waiters = new Map<string, ((run: FinishedRun) => void)[]>();
  readonly #fence: SessionFence | undefined;
  #commitAsked = false;
  /** The controls each cell showed in its last run, with their current values (what a set is checked against). */
  readonly #controls = new Map<string, Map<string, CellControl>>();

  constructor(
    notebook: SessionNotebook,
    private readonly deps: SessionDependencies,
  ) {
    this.#fence = deps.fenceOf?.(notebook.id);
    this.notebookId = notebook.id;
    this.ownerId = notebook.ownerId;
    this.#revision = notebook.revision;
    for (const cell of notebook.cells) this.#noteControls(cell.id, cell.outputs ?? []);
    const runner = new KernelCellRunner(
      () => this.kernel(),
      { engine: deps.sql, notebookId: notebook.id, userId: notebook.ownerId },
      (cellId) => knownControls(this.#controls.get(cellId) ?? new Map()),
      deps.kernels.batchCells,
    );
    this.scheduler = new NotebookScheduler({ runner, onEvent: (event) => this.#onSchedulerEvent(event) });
    const statuses: Record<string, CellStatus> = {};
    for (const cell of notebook.cells) statuses[cell.id] = cell.status;
    this.scheduler.load(notebook.cells.map(toSchedulerCell), statuses);
  }

  get revision(): number {
    return this.#revision;
  }

  get kernelStatus(): KernelStatus | "none" {
    return this.#kernelStatus;
  }

  /** A change made through the store moved the revision; every later event carries it. */
  noteRevision(revision: number): void {
    if (revision > this.#revision) this.#revision = revision;
  }

  /**
   * A change made durable elsewhere (an edit, a rename): announced in order with the run's events, then
   * applied to the scheduler. Applying twice changes nothing (a notebook loaded after the change has it).
   */
  apply(change: NotebookChange): void {
    const { event } = change;
    if ("revision" in event && typeof event.revision === "number") this.noteRevision(event.revision);
    this.#publish(event);
    const { scheduler } = this;
    switch (change.kind) {
      case "cell_created":
        if (!scheduler.has(change.cell.id)) scheduler.insertCell(toSchedulerCell(change.cell), change.index);
        return;
      case "cell_edited": {
        if (!scheduler.has(change.cell.id)) return;
        const { code, name, reads, writes, analysisError } = toSchedulerCell(change.cell);
        scheduler.editCell(change.cell.id, { code, name, reads, writes, analysisError });
        return;
      }
      case "cell_deleted":
        this.#controls.delete(change.cellId);
        if (scheduler.has(change.cellId)) scheduler.deleteCell(change.cellId);
        return;
      case "cell_moved":
        if (scheduler.has(change.cellId)) scheduler.moveCell(change.cellId, change.index);
        return;
      case "renamed":
        return;
    }
  }

  /**
   * A person set control `controlId` of cell `cellId`: checked against the control as the cell last showed it
   * (404 when there is none, 422 naming it when the value does not fit), then a scheduler run sets it and
   * re-runs the cells that read the cell. Answers the run id.
   */
  setControl(cellId: string, controlId: string, value: ControlValue): string {
    if (!this.scheduler.has(cellId)) throw notFound(`No cell ${cellId} in notebook ${this.notebookId}.`);
    const control = this.#controls.get(cellId)?.get(controlId);
    if (!control) throw notFound(`Cell ${cellId} shows no control ${controlId}.`);
    const problem = controlValueProblem(control.data, cellId, value);
    if (problem) throw invalidValue(problem, { field: "/value", cellId, controlId });
    return this.scheduler.setControl(cellId, controlId, value);
  }

  /** The notebook's kernel, started on first use; a kernel closed for idleness is replaced transparently. */
  async kernel(): Promise<Kernel> {
    if (this.#kernel && this.#kernel.status !== "dead") return this.#kernel;
    for (const off of this.#unsubscribe) off();
    this.#emitKernelStatus("starting");
    const kernel = await this.deps.kernels.kernelFor(this.notebookId, this.ownerId);
    this.#kernel = kernel;
    this.#unsubscribe = [
      kernel.onStatus((status) => this.#emitKernelStatus(status)),
      kernel.onRestarted((reason) => {
        this.#executionCount = 0;
        // Replaced under a run (a crash, a time limit): the run's other cells still run, in the new kernel.
        this.scheduler.kernelRestarted({ keepQueued: reason === "crash" || reason === "timeout" });
      }),
    ];
    this.#emitKernelStatus(kernel.status);
    return kernel;
  }

  async restartKernel(): Promise<void> {
    if (this.#kernel && this.#kernel.status !== "dead") {
      await this.#kernel.restart();
    } else {
      this.#executionCount = 0;
      this.scheduler.kernelRestarted();
    }
  }

  /**
   * Resolves with the run once it has finished and everything it changed is durable, or with null after
   * `timeoutMs`. Works for a run that finished shortly before the call.
   */
  waitForRun(runId: string, timeoutMs: number): Promise<FinishedRun | null> {
    const finished = this.#finished.get(runId);
    if (finished) return Promise.resolve(finished);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const list = this.#waiters.get(runId) ?? [];
        list.splice(list.indexOf(done), 1);
        if (list.length === 0) this.#waiters.delete(runId);
        resolve(null);
      }, timeoutMs);
      const done = (run: FinishedRun) => {
        clearTimeout(timer);
        resolve(run);
      };
      const list = this.#waiters.get(runId) ?? [];
      list.push(done);
      this.#waiters.set(runId, list);
    });
  }

  /** Stops the kernel (notebook deleted, server closing); waits for pending saves and events. */
  async close(): Promise<void> {
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
    if (this.deps.kernels.has(this.notebookId)) await this.deps.kernels.stop(this.notebookId);
    this.#kernel = null;
    await this.#tail;
  }

  /** Resolves when no run is queued or executing and every result is saved and published. */
  async idle(): Promise<void> {
    await this.scheduler.idle();
    await this.#tail;
  }

  #emitKernelStatus(status: KernelStatus): void {
    this.#kernelStatus = status;
    this.#publish({ type: "kernel_status", notebookId: this.notebookId, revision: this.#revision, status });
  }

  /**
   * Publishes at once when nothing is pending, else after everything queued before it. A session whose
   * lease another instance has taken (this process was paused past it) announces nothing any more.
   */
  #publish(event: ServerEvent): void {
    if (this.#fence && !this.#fence.held()) return;
    if (this.#inFlight === 0) {
      this.deps.publish(this.notebookId, event);
      return;
    }
    this.#chain(async () => this.deps.publish(this.notebookId, event));
  }

  /** Queues a save now (so the store can batch it) and holds later events until it is durable. */
  #save(cellId: string, result: CellResult): void {
    const write = this.deps.store
      .saveCellResult(this.notebookId, cellId, result, this.#fence?.token)
      .catch((error: unknown) =>
        this.deps.log.error({ err: error, notebookId: this.notebookId, cellId }, "could not save a cell"),
      );
    this.#chain(() => write);
    this.#askCommitWhenIdle();
  }

  /**
   * Outside a run (an edit's statuses, a graph error) nothing else is coming: commit at the end of this
   * turn rather than wait for the window. Inside a run, saves share the window and `run_finished` commits.
   */
  #askCommitWhenIdle(): void {
    if (this.#commitAsked) return;
    this.#commitAsked = true;
    queueMicrotask(() => {
      this.#commitAsked = false;
      if (!this.scheduler.busy) this.deps.store.commitResults();
    });
  }

  /** Queues a rewrite of a cell's stored outputs, in order with its saves. */
  #saveOutputs(cellId: string, change: (outputs: Output[]) => Output[]): void {
    const write = this.deps.store
      .updateCellOutputs(this.notebookId, cellId, change, this.#fence?.token)
      .catch((error: unknown) =>
        this.deps.log.error({ err: error, notebookId: this.notebookId, cellId }, "could not save a control"),
      );
    this.#chain(() => write);
  }

  #noteControls(cellId: string, outputs: readonly Output[]): void {
    const controls = controlsOf(outputs);
    if (controls.size > 0) this.#controls.set(cellId, controls);
    else this.#controls.delete(cellId);
  }

  #chain(step: () => Promise<void>): void {
    this.#inFlight++;
    this.#tail = this.#tail.then(step).finally(() => {
      this.#inFlight--;
    });
  }

  #onSchedulerEvent(event: SchedulerEvent): void {
    const envelope = { notebookId: this.notebookId, revision: this.#revision };
    switch (event.type) {
      case "cell_status": {
        const saved = this.#saveStatus(event.cellId, event.status, event.blockedBy);
        this.#publish({ ...event, ...envelope, ...saved });
        return;
      }
      case "cell_stdout": {
        const record = this.#records.get(event.cellId);
        if (record) record[event.stream] = appendCapped(record[event.stream], event.text);
        break;
      }
      case "cell_output_added":
        this.#records.get(event.cellId)?.outputs.push(event.output);
        break;
      case "cell_outputs": {
        const record = this.#records.get(event.cellId);
        if (record) record.outputs = event.outputs;
        this.#noteControls(event.cellId, event.outputs);
        break;
      }
      case "control_value": {
        const control = this.#controls.get(event.cellId)?.get(event.controlId);
        if (control) control.data = { ...control.data, value: event.value };
        const { controlId, value } = event;
        this.#saveOutputs(event.cellId, (outputs) => withControlValue(outputs, controlId, value));
        break;
      }
      case "cell_error": {
        const record = this.#records.get(event.cellId);
        if (record) record.error = event.error;
        // A graph error (multiple definition, cycle) is not a run: it is what the cell shows until fixed.
        else
          this.#save(event.cellId, {
            status: "error",
            error: event.error,
            outputs: [],
            stdout: "",
            stderr: "",
          });
        break;
      }
      case "run_finished": {
        this.deps.store.commitResults(); // the run's last results are queued: commit them now
        this.#publish({ ...event, ...envelope });
        this.#chain(async () => this.#finish(event));
        return;
      }
      case "cell_progress":
        break;
    }
    this.#publish({ ...event, ...envelope } as ServerEvent);
  }

  /**
   * Saves a status change: the whole record after the cell ran, the status (and blocker) otherwise. Answers
   * the run's execution count and time when the cell ran, which its `cell_status` event carries.
   */
  #saveStatus(
    cellId: string,
    status: CellStatus,
    blockedBy: string | undefined,
  ): { executionCount: number; lastRunMs: number } | undefined {
    if (status === "running") {
      this.#records.set(cellId, { stdout: "", stderr: "", outputs: [], error: null, startedAt: Date.now() });
      // A run starts from a blank page, in the store too: a reload mid-run shows what this run printed.
      this.#save(cellId, { status, stdout: "", stderr: "", outputs: [], error: null });
      return undefined;
    }
    const record = this.#records.get(cellId);
    if (record && (status === "success" || status === "error")) {
      this.#records.delete(cellId);
      this.#executionCount += 1;
      const ran = { executionCount: this.#executionCount, lastRunMs: Date.now() - record.startedAt };
      this.#save(cellId, {
        status,
        stdout: record.stdout,
        stderr: record.stderr,
        outputs: record.outputs,
        error: record.error,
        ...ran,
      });
      return ran;
    }
    if (status !== "queued") this.#records.delete(cellId);
    this.#save(cellId, { status, blockedBy: blockedBy ?? null });
    return undefined;
  }

  #finish(event: { runId: string; cells: string[]; ms: number }): void {
    const run: FinishedRun = { runId: event.runId, cells: event.cells, ms: event.ms };
    this.#finished.set(run.runId, run);
    if (this.#finished.size > REMEMBERED_RUNS) {
      this.#finished.delete(this.#finished.keys().next().value as string);
    }
    for (const resolve of this.#waiters.get(run.runId) ?? []) resolve(run);
    this.#waiters.delete(run.runId);
  }
}
