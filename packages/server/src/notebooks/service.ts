// The one application service of notebooks: every command any transport carries (REST, the WebSocket, MCP)
// goes through here, as ownership → validation and analysis → durable write → scheduler → publish. Routes
// and sockets only translate; they never touch the store, the scheduler or the event hub themselves.
import {
  type Cell,
  type ControlValue,
  type CreateCellBody,
  type CreateNotebookBody,
  type DatabaseInfo,
  IPYNB_METADATA_KEY,
  type IpynbNotebook,
  MAX_CELLS_PER_NOTEBOOK,
  MAX_CODE_LENGTH,
  MAX_NAME_LENGTH,
  type Notebook,
  type NotebookSummary,
  type RunAccepted,
  type RunCompleted,
  type ServerEvent,
  type UpdateCellBody,
  WsCloseCode,
} from "@reactive-notebook/protocol";
import type { KernelLeases } from "../cluster/index.js";
import type { Config } from "../config/index.js";
import { conflict, forbidden, invalidRequest, notFound, payloadTooLarge } from "../http/index.js";
import { notebookFromIpynb, notebookToIpynb } from "../ipynb/index.js";
import { checkConnectionString, type SecretBox } from "../sql/index.js";
import {
  type NewCellInput,
  type NotebookStore,
  RevisionConflictError,
  type StoredCell,
  type StoredNotebook,
} from "../store/index.js";
import { analyzeCell, type CellAnalysis } from "./analysis.js";
import type { SessionCell } from "./ports.js";
import {
  NOT_RUNNING,
  type NotebookChange,
  type NotebookRouter,
  type OwnerCommand,
  type RunStarted,
} from "./router.js";
import { checkCode, checkName } from "./validation.js";

/** The name of a notebook created without one. */
export const DEFAULT_NOTEBOOK_NAME = "Untitled notebook";
/** The name of an imported notebook whose document does not carry one. */
export const IMPORTED_NOTEBOOK_NAME = "Imported notebook";
/** Longest `?wait=` a run may ask for, in seconds (API.md). */
export const MAX_RUN_WAIT_SECONDS = 60;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** What the service needs of the realtime layer: fan an event out, and close a deleted notebook's sockets. */
export interface NotebookEvents {
  publish(notebookId: string, event: ServerEvent): void;
  disconnect(notebookId: string, code: number, reason: string): void;
}

export interface NotebookServiceOptions {
  store: NotebookStore;
  /** Carries commands to the instance running the notebook's kernel (this one, alone). */
  router: NotebookRouter;
  leases: KernelLeases;
  events: NotebookEvents;
  /** Python analysis in the sandboxed analysis kernels, on behalf of `userId`. */
  analyzePython(code: string, userId: string): Promise<CellAnalysis>;
  secrets: SecretBox;
  config: Pick<Config, "sqlAllowedHosts">;
}

/** A run command's options: wait up to `waitMs` for the run to end and answer its cells. */
export interface RunOptions {
  waitMs?: number;
}

export function cellResource(stored: StoredCell): Cell {
  const { analysisError: _analysis, ...cell } = stored;
  return cell;
}

/** The API resource of a stored notebook: everything but its owner, its fence and the cells' analysis. */
export function notebookResource(stored: StoredNotebook): Notebook {
  const { ownerId: _owner, kernelFence: _fence, cells, ...notebook } = stored;
  return { ...notebook, cells: cells.map(cellResource) };
}

/** What a session needs of a stored cell (it crosses instances as JSON, so nothing more). */
function sessionCell(cell: StoredCell): SessionCell {
  const { id, type, code, name, status, reads, writes, analysisError } = cell;
  return { id, type, code, name: name ?? null, status, reads, writes, analysisError };
}

const notebookNotFound = (notebookId: string) => notFound(`No notebook ${notebookId}.`);
const cellNotFound = (notebookId: string, cellId: string) =>
  notFound(`No cell ${cellId} in notebook ${notebookId}.`);

function revisionConflict(given: number | undefined, currentRevision: number) {
  return conflict(
    `The notebook changed: ifRevision is ${given} but the notebook is at revision ${currentRevision}. Reload and retry.`,
    { currentRevision },
  );
}

export class NotebookService {
  readonly #store: NotebookStore;
  readonly #router: NotebookRouter;
  readonly #events: NotebookEvents;

  constructor(private readonly options: NotebookServiceOptions) {
    this.#store = options.store;
    this.#router = options.router;
    this.#events = options.events;
  }

  // ── ownership ────────────────────────────────────────────────────────────────────────────────────────

  /** Resolves when `userId` owns the notebook; 404 when it does not exist, 403 when it is someone else's. */
  async authorize(userId: string, notebookId: string): Promise<void> {
    const owner = await this.#store.ownerOf(notebookId);
    if (owner === null) throw notebookNotFound(notebookId);
    if (owner !== userId) throw forbidden(`Notebook ${notebookId} belongs to another user.`);
  }

  // ── notebooks ────────────────────────────────────────────────────────────────────────────────────────

  list(userId: string): Promise<NotebookSummary[]> {
    return this.#store.listNotebooks(userId);
  }

  async create(userId: string, body: CreateNotebookBody): Promise<Notebook> {
    const name = body.name === undefined ? DEFAULT_NOTEBOOK_NAME : checkName(body.name, "/name");
    const given = body.cells ?? [{ type: "python" as const, code: "" }];
    for (const [i, cell] of given.entries()) checkCode(cell.code, `/cells/${i}/code`);
    const cells: NewCellInput[] = [];
    for (const cell of given) cells.push(await this.#analyzed(userId, cell));
    return notebookResource(await this.#store.createNotebook(userId, { name, cells }));
  }

  async import(userId: string, document: IpynbNotebook): Promise<Notebook> {
    const imported = notebookFromIpynb(document);
    if (imported.cells.length > MAX_CELLS_PER_NOTEBOOK) {
      throw invalidRequest(`A notebook holds at most ${MAX_CELLS_PER_NOTEBOOK} cells.`, { field: "/cells" });
    }
    const nameField = `/metadata/${IPYNB_METADATA_KEY}/name`;
    if (imported.name !== undefined && imported.name.length > MAX_NAME_LENGTH) {
      throw invalidRequest(`${nameField} is longer than ${MAX_NAME_LENGTH} characters.`, {
        field: nameField,
      });
    }
    const name = imported.name === undefined ? IMPORTED_NOTEBOOK_NAME : checkName(imported.name, nameField);
    const cells: NewCellInput[] = [];
    for (const [i, cell] of imported.cells.entries()) {
      const field = `/cells/${i}/source`;
      if ((cell.code ?? "").length > MAX_CODE_LENGTH) {
        throw payloadTooLarge(`Cell code at ${field} is over the limit of ${MAX_CODE_LENGTH} characters.`);
      }
      checkCode(cell.code ?? "", field);
      if (cell.name != null && (!IDENTIFIER.test(cell.name) || cell.name.length > MAX_NAME_LENGTH)) {
        throw invalidRequest(`The sql cell name at /cells/${i} must be a Python identifier.`, {
          field: `/cells/${i}/metadata/${IPYNB_METADATA_KEY}/name`,
        });
      }
      cells.push(await this.#analyzed(userId, cell));
    }
    return notebookResource(await this.#store.createNotebook(userId, { name, cells }));
  }

  async get(userId: string, notebookId: string): Promise<Notebook> {
    await this.authorize(userId, notebookId);
    let notebook = await this.#require(notebookId);
    if (await this.#orphaned(notebook)) {
      // Left queued or running by an instance that is gone: no kernel holds those runs any more.
      await this.#store.markRunningStale(notebookId, notebook.kernelFence);
      notebook = await this.#require(notebookId);
    }
    return notebookResource(notebook);
  }

  async export(userId: string, notebookId: string): Promise<{ name: string; document: IpynbNotebook }> {
    const notebook = await this.get(userId, notebookId);
    return { name: notebook.name, document: notebookToIpynb(notebook) };
  }

  async rename(userId: string, notebookId: string, name: string): Promise<Notebook> {
    await this.authorize(userId, notebookId);
    const renamed = await this.#store.renameNotebook(notebookId, checkName(name, "/name"));
    if (!renamed) throw notebookNotFound(notebookId);
    const event = {
      type: "notebook_updated" as const,
      notebookId,
      revision: renamed.revision,
      name: renamed.name,
    };
    // Through the notebook's owner when it has one, so its events stay in order; nobody needs it otherwise.
    const shown = await this.#router.dispatch(
      notebookId,
      { name: "change", change: { kind: "renamed", event } },
      false,
    );
    if (shown === NOT_RUNNING) this.#events.publish(notebookId, event);
    return notebookResource(renamed);
  }

  async delete(userId: string, notebookId: string): Promise<void> {
    await this.authorize(userId, notebookId);
    if (!(await this.#store.deleteNotebook(notebookId))) throw notebookNotFound(notebookId);
    this.#events.disconnect(notebookId, WsCloseCode.notFound, "notebook deleted");
    await this.#router.dispatch(notebookId, { name: "stop" }, false);
  }

  async setDatabase(
    userId: string,
    notebookId: string,
    connectionString: string | null,
  ): Promise<DatabaseInfo> {
    await this.authorize(userId, notebookId);
    if (connectionString === null) {
      if (!(await this.#store.setDatabase(notebookId, null))) throw notebookNotFound(notebookId);
      return { configured: false };
    }
    const info = await checkConnectionString(connectionString, this.options.config.sqlAllowedHosts);
    const shown = { host: info.host, database: info.database, user: info.user };
    const secret = this.options.secrets.seal(connectionString);
    if (!(await this.#store.setDatabase(notebookId, { secret, info: shown }))) {
      throw notebookNotFound(notebookId);
    }
    return { configured: true, ...shown };
  }

  // ── cells ────────────────────────────────────────────────────────────────────────────────────────────

  async createCell(userId: string, notebookId: string, body: CreateCellBody): Promise<Cell> {
    await this.authorize(userId, notebookId);
    const { type, code = "", name, index } = body;
    const input = await this.#analyzed(userId, { type, code: checkCode(code, "/code"), name });
    const created = await this.#store.createCell(notebookId, input, index);
    if (!created) throw notebookNotFound(notebookId);
    const cell = cellResource(created.cell);
    await this.#change(notebookId, {
      kind: "cell_created",
      cell: sessionCell(created.cell),
      index: created.index,
      event: { type: "cell_created", notebookId, revision: created.revision, cell, index: created.index },
    });
    return cell;
  }

  /** Changes a cell's code or name (analysed again), and with `run` schedules it; answers the cell. */
  async editCell(userId: string, notebookId: string, cellId: string, body: UpdateCellBody): Promise<Cell> {
    await this.authorize(userId, notebookId);
    const { code, name, run, ifRevision } = body;
    const current = await this.#store.getCell(notebookId, cellId);
    if (!current) throw cellNotFound(notebookId, cellId);
    let cell = current;
    if (code !== undefined || name !== undefined) {
      if (code !== undefined) checkCode(code, "/code");
      const nextName = name === undefined ? (current.name ?? null) : name;
      const analysis = await this.#analyze(userId, {
        type: current.type,
        code: code ?? current.code,
        name: nextName,
      });
      const edit = {
        code,
        name,
        reads: analysis.reads,
        writes: analysis.writes,
        analysisError: analysis.error,
      };
      let edited: Awaited<ReturnType<NotebookStore["updateCell"]>>;
      try {
        edited = await this.#store.updateCell(notebookId, cellId, edit, { ifRevision });
      } catch (error) {
        if (error instanceof RevisionConflictError) throw revisionConflict(ifRevision, error.currentRevision);
        throw error;
      }
      if (!edited) throw cellNotFound(notebookId, cellId);
      cell = edited.cell;
      // Editing changes what its readers see: the scheduler must know even if nothing runs the notebook yet.
      await this.#change(notebookId, {
        kind: "cell_edited",
        cell: sessionCell(cell),
        event: { type: "cell_updated", notebookId, revision: edited.revision, cell: cellResource(cell) },
      });
    } else if (ifRevision !== undefined) {
      const notebook = await this.#require(notebookId);
      if (notebook.revision !== ifRevision) throw revisionConflict(ifRevision, notebook.revision);
    }
    if (run) await this.#run(notebookId, cellId, {});
    return cellResource(cell);
  }

  async deleteCell(userId: string, notebookId: string, cellId: string): Promise<void> {
    await this.authorize(userId, notebookId);
    const deleted = await this.#store.deleteCell(notebookId, cellId);
    if (!deleted) throw cellNotFound(notebookId, cellId);
    await this.#change(notebookId, {
      kind: "cell_deleted",
      cellId,
      event: { type: "cell_deleted", notebookId, revision: deleted.revision, cellId },
    });
  }

  async moveCell(
    userId: string,
    notebookId: string,
    cellId: string,
    index: number,
  ): Promise<{ order: string[] }> {
    await this.authorize(userId, notebookId);
    const moved = await this.#store.moveCell(notebookId, cellId, index);
    if (!moved) throw cellNotFound(notebookId, cellId);
    await this.#change(notebookId, {
      kind: "cell_moved",
      cellId,
      index: moved.index,
      event: { type: "cells_moved", notebookId, revision: moved.revision, order: moved.order },
    });
    return { order: moved.order };
  }

  // ── runs and the kernel ──────────────────────────────────────────────────────────────────────────────

  async runCell(
    userId: string,
    notebookId: string,
    cellId: string,
    options: RunOptions = {},
  ): Promise<RunAccepted | RunCompleted> {
    await this.authorize(userId, notebookId);
    if (!(await this.#store.getCell(notebookId, cellId))) throw cellNotFound(notebookId, cellId);
    return this.#run(notebookId, cellId, options);
  }

  async runAll(
    userId: string,
    notebookId: string,
    options: RunOptions = {},
  ): Promise<RunAccepted | RunCompleted> {
    await this.authorize(userId, notebookId);
    return this.#run(notebookId, null, options);
  }

  /**
   * A person set a control: checked against the control as its cell last showed it (404 unknown control, 422
   * a value that does not fit), set in the kernel without re-running its cell, then the cell's readers re-run.
   */
  async setControl(
    userId: string,
    notebookId: string,
    cellId: string,
    controlId: string,
    value: ControlValue,
    { waitMs }: RunOptions = {},
  ): Promise<RunAccepted | RunCompleted> {
    await this.authorize(userId, notebookId);
    if (!(await this.#store.getCell(notebookId, cellId))) throw cellNotFound(notebookId, cellId);
    return this.#started(notebookId, {
      name: "set_control",
      cellId,
      controlId,
      value,
      waitMs: waitMs ?? null,
    });
  }

  async interrupt(userId: string, notebookId: string): Promise<void> {
    await this.authorize(userId, notebookId);
    await this.#router.dispatch(notebookId, { name: "interrupt" }, false);
  }

  async restartKernel(userId: string, notebookId: string): Promise<void> {
    await this.authorize(userId, notebookId);
    await this.#router.dispatch(notebookId, { name: "restart" });
  }

  /** For a socket about to subscribe: the notebook as its `hello` shows it, after the ownership check. */
  open(userId: string, notebookId: string): Promise<Notebook> {
    return this.get(userId, notebookId);
  }

  // ── internals ────────────────────────────────────────────────────────────────────────────────────────

  async #require(notebookId: string): Promise<StoredNotebook> {
    const notebook = await this.#store.getNotebook(notebookId);
    if (!notebook) throw notebookNotFound(notebookId);
    return notebook;
  }

  #analyze(userId: string, cell: { type: Cell["type"]; code: string; name?: string | null }) {
    return analyzeCell(cell, (code) => this.options.analyzePython(code, userId));
  }

  /** A cell about to be created, with its analysis: reads/writes, or what is wrong with its source. */
  async #analyzed(userId: string, cell: NewCellInput): Promise<NewCellInput> {
    const analysis = await this.#analyze(userId, {
      type: cell.type,
      code: cell.code ?? "",
      name: cell.name ?? null,
    });
    return { ...cell, reads: analysis.reads, writes: analysis.writes, analysisError: analysis.error };
  }

  /** Hands a durable change to the notebook's owner: it announces it and updates its scheduler. */
  async #change(notebookId: string, change: NotebookChange): Promise<void> {
    await this.#router.dispatch(notebookId, { name: "change", change });
  }

  /** Whether cells were left queued or running by an instance that no longer holds the notebook's lease. */
  async #orphaned(notebook: StoredNotebook): Promise<boolean> {
    if (!this.options.leases.shared) return false;
    if (!notebook.cells.some((cell) => cell.status === "queued" || cell.status === "running")) return false;
    return (await this.options.leases.holder(notebook.id)) === null;
  }

  #run(
    notebookId: string,
    cellId: string | null,
    { waitMs }: RunOptions,
  ): Promise<RunAccepted | RunCompleted> {
    return this.#started(notebookId, { name: "run", cellId, waitMs: waitMs ?? null });
  }

  /** Starts a run on the notebook's owner; answers its id, or its cells when it waited and the run ended. */
  async #started(notebookId: string, command: OwnerCommand): Promise<RunAccepted | RunCompleted> {
    const started = (await this.#router.dispatch(notebookId, command)) as RunStarted;
    const { runId, finished } = started;
    if (!finished) return { runId };
    // Saves are durable before a run finishes, so the store holds every touched cell's final state.
    const notebook = await this.#store.getNotebook(notebookId);
    const byId = new Map((notebook?.cells ?? []).map((cell) => [cell.id, cell]));
    const cells = finished.cells.flatMap((id) => {
      const cell = byId.get(id);
      return cell ? [cellResource(cell)] : [];
    });
    return { runId, cells, ms: finished.ms };
  }
}
