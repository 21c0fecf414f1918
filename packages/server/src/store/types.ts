// The notebook store's contract: what routes and the runtime may ask of storage, independent of the driver.
import type {
  Cell,
  CellError,
  CellStatus,
  CellType,
  DatabaseInfo,
  Notebook,
  NotebookSummary,
  Output,
} from "@reactive-notebook/protocol";
import type { StoreDriver } from "./database.js";

/** A cell as stored: the API resource plus what analysis found wrong with its source (never sent as is). */
export interface StoredCell extends Cell {
  analysisError: CellError | null;
}

/** A notebook as stored: the API resource plus its owner, its kernel fence and its cells' analysis errors. */
export interface StoredNotebook extends Omit<Notebook, "cells"> {
  ownerId: string;
  /** The fencing token of the newest kernel lease taken on it (see `claimKernel`). */
  kernelFence: number;
  cells: StoredCell[];
}

/** A cell to create. Import may also carry the results a cell showed (outputs, streams, error, count). */
export interface NewCellInput {
  type: CellType;
  code?: string;
  name?: string | null;
  status?: CellStatus;
  reads?: string[];
  writes?: string[];
  /** What analysis found wrong with the source; the cell is then created in `error`. */
  analysisError?: CellError | null;
  stdout?: string;
  stderr?: string;
  outputs?: Output[];
  error?: CellError | null;
  executionCount?: number | null;
}

export interface NewNotebookInput {
  name: string;
  cells: NewCellInput[];
}

/**
 * An edit of a cell's source. `reads`/`writes`/`analysisError` are the analysis of the new source (given
 * together whenever code or name changes). When `code` changes, the cell turns `stale` (or stays `idle` if
 * it never ran); with `analysisError` it is in `error` showing it; `analysisError: null` clears a previous
 * one (the cell becomes `stale`: it must run again to show anything).
 */
export interface CellEdit {
  code?: string;
  name?: string | null;
  reads?: string[];
  writes?: string[];
  analysisError?: CellError | null;
}

/**
 * What a run left on a cell, saved by the notebook's session: a status change (queued, running, a
 * settled state) and, after the cell ran, its streams, outputs, error and timing. Omitted fields keep
 * their stored value; `blockedBy` is cleared unless the status is `blocked`.
 */
export interface CellResult {
  status: CellStatus;
  blockedBy?: string | null;
  stdout?: string;
  stderr?: string;
  outputs?: Output[];
  error?: CellError | null;
  executionCount?: number | null;
  lastRunMs?: number | null;
}

/** The notebook's SQL connection as the sql layer stores it: an opaque encrypted secret and what may be shown. */
export interface NotebookDatabase {
  secret: string;
  info: Omit<DatabaseInfo, "configured">;
}

/** The first use of an idempotency key: the request it was for and, once answered, its answer. */
export type IdempotencyClaim =
  | { state: "claimed" }
  | { state: "in_progress" }
  | { state: "mismatch" }
  | { state: "answered"; statusCode: number; body: string };

export interface IdempotencyKeys {
  /**
   * Claims `key` for this request (`fingerprint`: method, path and body hash). Answers `claimed` the first
   * time (the caller runs the request, then `answer`s or `release`s), else what the first use left.
   */
  claim(userId: string, key: string, fingerprint: string, ttlMs: number): Promise<IdempotencyClaim>;
  /** Stores the answer of a claimed key; later claims with the same fingerprint get it back. */
  answer(userId: string, key: string, statusCode: number, body: string): Promise<void>;
  /** Forgets a claimed key whose request failed in a way a retry may fix (5xx, 429). */
  release(userId: string, key: string): Promise<void>;
}

/** Thrown by a write given `ifRevision` when the notebook has moved on; nothing was changed. */
export class RevisionConflictError extends Error {
  constructor(readonly currentRevision: number) {
    super(`the notebook is at revision ${currentRevision}`);
    this.name = "RevisionConflictError";
  }
}

/**
 * Durable storage of notebooks and cells. Every method resolves only after its write is committed.
 * Methods addressing a notebook or cell answer null (or false) when it does not exist; ownership is
 * the caller's check (`ownerOf`). `revision` moves on every structural, code or name change, never on
 * run results.
 */
export interface NotebookStore {
  readonly driver: StoreDriver;
  /** The owner's notebooks, newest first, with their cell counts. */
  listNotebooks(ownerId: string): Promise<NotebookSummary[]>;
  createNotebook(ownerId: string, input: NewNotebookInput): Promise<StoredNotebook>;
  getNotebook(notebookId: string): Promise<StoredNotebook | null>;
  /** Same as getNotebook; the name the runtime's store port uses. */
  loadNotebook(notebookId: string): Promise<StoredNotebook | null>;
  /** The owner's id, or null when the notebook does not exist. */
  ownerOf(notebookId: string): Promise<string | null>;
  renameNotebook(notebookId: string, name: string): Promise<StoredNotebook | null>;
  /** Deletes the notebook and its cells; false when there was none. */
  deleteNotebook(notebookId: string): Promise<boolean>;
  getCell(notebookId: string, cellId: string): Promise<StoredCell | null>;
  /** Inserts at `index` (clamped to the end; appended when omitted). */
  createCell(
    notebookId: string,
    input: NewCellInput,
    index?: number,
  ): Promise<{ cell: StoredCell; index: number; revision: number } | null>;
  /** Throws RevisionConflictError when `ifRevision` is given and is not the current revision. */
  updateCell(
    notebookId: string,
    cellId: string,
    edit: CellEdit,
    options?: { ifRevision?: number },
  ): Promise<{ cell: StoredCell; revision: number } | null>;
  deleteCell(notebookId: string, cellId: string): Promise<{ revision: number; order: string[] } | null>;
  /** Moves the cell to `index` (clamped to the last position); answers the new display order. */
  moveCell(
    notebookId: string,
    cellId: string,
    index: number,
  ): Promise<{ order: string[]; index: number; revision: number } | null>;
  /**
   * Saves a run's result with the cell (a vanished cell is ignored). Results are group-committed: a write
   * waits up to GROUP_COMMIT_WINDOW_MS (or until `commitResults()`, or any other write of the store) and is
   * committed with the others of that window; each resolves once its own write is durable. With `fence`,
   * the write is refused (silently) when a newer kernel lease was claimed on the notebook.
   */
  saveCellResult(notebookId: string, cellId: string, result: CellResult, fence?: number): Promise<void>;
  /** Ends the current group-commit window now (a run finished: nothing is worth waiting for). */
  commitResults(): void;
  /**
   * Rewrites a cell's stored outputs with `change` (a control's new value), group-committed in order with
   * `saveCellResult`; with `fence`, refused like it. A vanished cell is ignored.
   */
  updateCellOutputs(
    notebookId: string,
    cellId: string,
    change: (outputs: Output[]) => Output[],
    fence?: number,
  ): Promise<void>;
  /**
   * The kernel that ran these cells is gone: every cell that is neither idle nor in an analysis error
   * becomes `stale` — all notebooks' at start (one instance), or one notebook's when it was left running by
   * an instance that is gone; with `ifFence`, only while the notebook's kernel fence is still that value
   * (no instance has claimed it since). Answers how many.
   */
  markRunningStale(notebookId?: string, ifFence?: number): Promise<number>;
  /**
   * This instance took the notebook's kernel lease with fencing `token`: records the token (refusing from
   * now on results saved under older ones) and makes the cells of the previous kernel stale. False when a
   * newer token was already claimed (the lease moved on again): nothing changed.
   */
  claimKernel(notebookId: string, token: number): Promise<boolean>;
  /** Idempotency keys of POST/PUT requests (API.md "Idempotency"), kept 24 h. */
  readonly idempotency: IdempotencyKeys;
  setDatabase(notebookId: string, database: NotebookDatabase | null): Promise<boolean>;
  /** The stored encrypted secret, or null when none is set or the notebook does not exist. */
  getDatabaseSecret(notebookId: string): Promise<string | null>;
  close(): Promise<void>;
}
