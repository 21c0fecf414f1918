/**
 * The notebook session controller: opens a live SDK session for (client, notebookId), keeps the view's
 * state (the notebook, kernel status, each cell's activity: running time, what it waits for), saves edits
 * debounced and flushes them before any run, and performs the structural commands (add, delete, move,
 * change type, name). Everything goes through the SDK; the notebook only changes through session events,
 * so this tab and every other client see the same thing.
 */
import { Task } from "@lit/task";
import type {
  Cell,
  CellType,
  ControlValue,
  KernelStatus,
  Notebook,
  NotebookClient,
  NotebookSession,
  ServerEvent,
} from "@reactive-notebook/sdk";
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { CellActivity } from "./cell-activity.js";

/** How long typing pauses before the code is saved. */
export const SAVE_DELAY_MS = 300;

/** What the controller tells its host besides re-rendering. */
export interface SessionCallbacks {
  /** Every server event, after `notebook` reflects it. */
  event(event: ServerEvent, notebook: Notebook): void;
}

interface PendingSave {
  code: string;
  timer: ReturnType<typeof setTimeout>;
}

export class NotebookSessionController implements ReactiveController {
  /** The live notebook, once the session said hello. */
  notebook: Notebook | undefined;
  kernelStatus: KernelStatus | "unknown" = "unknown";
  /** The session's connection: connecting, open, reconnecting, closed. */
  connection: "connecting" | "open" | "reconnecting" | "closed" = "connecting";
  /** The last thing that went wrong (a refused save, a lost connection), shown until the next success. */
  problem = "";
  /** Running times, last run times seen here, and what running cells wait for. */
  readonly activity = new CellActivity();

  readonly #host: ReactiveControllerHost;
  readonly #args: () => readonly [NotebookClient | undefined, string];
  readonly #callbacks: SessionCallbacks;
  readonly #pending = new Map<string, PendingSave>();
  /** Saves in flight per cell, chained so a cell's saves reach the service in the order they were typed. */
  readonly #saving = new Map<string, Promise<void>>();
  #session: NotebookSession | undefined;
  #client: NotebookClient | undefined;
  #unsubscribe: (() => void)[] = [];
  #wasDisconnected = false;

  readonly task: Task<readonly [NotebookClient | undefined, string], NotebookSession | undefined>;

  constructor(
    host: ReactiveControllerHost,
    args: () => readonly [NotebookClient | undefined, string],
    callbacks: SessionCallbacks,
  ) {
    this.#host = host;
    this.#args = args;
    this.#callbacks = callbacks;
    host.addController(this);
    // Re-connects when the client or the notebook changes; a newer connect aborts the older one.
    this.task = new Task(host, {
      args: this.#args,
      task: async ([client, notebookId], { signal }) => {
        this.#close();
        if (!client || !notebookId) return undefined;
        const session = await client.connect(notebookId, { signal });
        this.#attach(client, session);
        return session;
      },
    });
  }

  hostConnected(): void {
    // Reconnect when the element is put back into a page (the task only re-runs by itself when its args change).
    if (this.#wasDisconnected) void this.task.run();
    this.#wasDisconnected = false;
  }

  hostDisconnected(): void {
    this.#wasDisconnected = true;
    void this.flush();
    this.#close();
  }

  get notebookId(): string {
    return this.#session?.notebookId ?? "";
  }

  /** Whether the cell has edits not yet confirmed by the service (so its code must not be replaced). */
  hasLocalEdits(cellId: string): boolean {
    return this.#pending.has(cellId) || this.#saving.has(cellId);
  }

  /** Saving is going on (for the "Saving…" indicator). */
  get saving(): boolean {
    return this.#pending.size > 0 || this.#saving.size > 0;
  }

  /** The user typed in a cell: save it once typing pauses. */
  edit(cellId: string, code: string): void {
    const pending = this.#pending.get(cellId);
    if (pending) clearTimeout(pending.timer);
    this.#pending.set(cellId, { code, timer: setTimeout(() => void this.#save(cellId), SAVE_DELAY_MS) });
    this.#host.requestUpdate();
  }

  /** Sends every pending edit now and waits for all saves. */
  async flush(): Promise<void> {
    await Promise.all([...this.#pending.keys()].map((cellId) => this.#save(cellId)));
    await Promise.all(this.#saving.values());
  }

  async run(cellId: string): Promise<void> {
    await this.#act(async (client, notebookId) => {
      await this.flush();
      await client.cells.run(notebookId, cellId);
    });
  }

  async runAll(): Promise<void> {
    await this.#act(async (client, notebookId) => {
      await this.flush();
      await client.notebooks.run(notebookId);
    });
  }

  async interrupt(): Promise<void> {
    await this.#act((client, notebookId) => client.notebooks.interrupt(notebookId));
  }

  async restartKernel(): Promise<void> {
    await this.#act((client, notebookId) => client.notebooks.restartKernel(notebookId));
  }

  /**
   * Sets a control to `value`: the cells that read it re-run. Resolves once that run settled; rejects with
   * the service's refusal (a value out of range, a control that is gone), which the control itself shows.
   */
  async setControl(cellId: string, controlId: string, value: ControlValue): Promise<void> {
    const session = this.#session;
    if (!session) throw new Error("The notebook is not connected.");
    await session.setControl(cellId, controlId, value);
  }

  /** Renames the notebook; resolves true once the service took the new name. */
  async rename(name: string): Promise<boolean> {
    const renamed = await this.#act((client, notebookId) => client.notebooks.rename(notebookId, name));
    return renamed !== undefined;
  }

  /** Adds a cell of `type` at `index`; resolves with it. */
  async addCell(index: number, type: CellType, code = ""): Promise<Cell | undefined> {
    return this.#act((client, notebookId) => client.cells.create(notebookId, { type, code, index }));
  }

  async deleteCell(cellId: string): Promise<void> {
    this.#drop(cellId);
    await this.#act((client, notebookId) => client.cells.delete(notebookId, cellId));
  }

  /** Moves a cell by `delta` places (−1 up, +1 down); does nothing at either end. */
  async moveCell(cellId: string, delta: number): Promise<void> {
    const cells = this.notebook?.cells ?? [];
    const from = cells.findIndex((cell) => cell.id === cellId);
    const to = from + delta;
    if (from < 0 || to < 0 || to >= cells.length) return;
    await this.#act((client, notebookId) => client.cells.move(notebookId, cellId, to));
  }

  /** Names the variable an SQL cell's result is bound to (empty: none). */
  async renameResult(cellId: string, name: string): Promise<void> {
    await this.#act((client, notebookId) =>
      client.cells.update(notebookId, cellId, { name: name.trim() || null }),
    );
  }

  /**
   * Changes a cell's type. The API has no type edit, so a cell of the new type with the same code
   * (and SQL name) takes its place; resolves with the new cell.
   */
  async changeType(cellId: string, type: CellType): Promise<Cell | undefined> {
    return this.#act(async (client, notebookId) => {
      await this.flush();
      const cells = this.notebook?.cells ?? [];
      const index = cells.findIndex((cell) => cell.id === cellId);
      const old = cells[index];
      if (!old || old.type === type) return old;
      const body = { type, code: old.code, index, ...(type === "sql" && old.name ? { name: old.name } : {}) };
      const created = await client.cells.create(notebookId, body);
      await client.cells.delete(notebookId, cellId);
      return created;
    });
  }

  async #save(cellId: string): Promise<void> {
    const pending = this.#pending.get(cellId);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.#pending.delete(cellId);
    const previous = this.#saving.get(cellId) ?? Promise.resolve();
    // The target is taken now: a save flushed while the element leaves the page still reaches its notebook.
    const target = { client: this.#client, notebookId: this.notebookId };
    const saved = previous.then(async () => {
      await this.#act(
        (client, notebookId) => client.cells.update(notebookId, cellId, { code: pending.code }),
        target,
      );
    });
    this.#saving.set(cellId, saved);
    try {
      await saved;
    } finally {
      if (this.#saving.get(cellId) === saved) this.#saving.delete(cellId);
      this.#host.requestUpdate();
    }
  }

  /** Runs a service call, turning a failure into `problem` (shown by the view) instead of a rejection. */
  async #act<T>(
    call: (client: NotebookClient, notebookId: string) => Promise<T>,
    { client, notebookId } = { client: this.#client, notebookId: this.notebookId },
  ): Promise<T | undefined> {
    if (!client || !notebookId) return undefined;
    try {
      const result = await call(client, notebookId);
      if (this.problem) {
        this.problem = "";
        this.#host.requestUpdate();
      }
      return result;
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
      this.#host.requestUpdate();
      return undefined;
    }
  }

  #drop(cellId: string): void {
    const pending = this.#pending.get(cellId);
    if (pending) clearTimeout(pending.timer);
    this.#pending.delete(cellId);
  }

  #attach(client: NotebookClient, session: NotebookSession): void {
    this.#client = client;
    this.#session = session;
    this.notebook = session.notebook;
    this.connection = "open";
    this.problem = "";
    this.#unsubscribe = [
      session.on("*", (event) => this.#onEvent(event, session)),
      session.onStatus((status, error) => {
        this.connection = status === "connecting" ? "connecting" : status;
        if (status === "closed" && error)
          this.problem = error instanceof Error ? error.message : String(error);
        this.#host.requestUpdate();
      }),
    ];
    // The hello that opened the session arrived before we subscribed: report it as an event too.
    this.#callbacks.event(
      {
        type: "hello",
        notebookId: session.notebookId,
        revision: session.notebook.revision,
        notebook: session.notebook,
      },
      session.notebook,
    );
  }

  #onEvent(event: ServerEvent, session: NotebookSession): void {
    this.notebook = session.notebook;
    if (event.type === "kernel_status") this.kernelStatus = event.status;
    this.activity.apply(event);
    this.#callbacks.event(event, session.notebook);
    this.#host.requestUpdate();
  }

  #close(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#unsubscribe = [];
    this.#session?.close();
    this.#session = undefined;
    this.#client = undefined;
    this.notebook = undefined;
    this.kernelStatus = "unknown";
    this.connection = "connecting";
    this.activity.clear();
  }
}
