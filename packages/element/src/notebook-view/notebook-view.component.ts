/** `<rn-notebook-view>`: one open notebook — its header (kernel, run all, interrupt, restart) and its cells. */
import type { Cell, CellType, Notebook, NotebookClient, ServerEvent } from "@reactive-notebook/sdk";
import { html, nothing } from "lit";
import { property } from "lit/decorators.js";
import { repeat } from "lit/directives/repeat.js";
import { NotebookElement } from "../internal/index.js";
import {
  CELL_PARTS,
  type CellCommandDetail,
  defineCell,
  type NotebookCellElement,
  readableTraceback,
} from "../notebook-cell/index.js";
import { NotebookSessionController } from "./notebook-session.controller.js";
import { styles } from "./notebook-view.styles.js";
import { type Shortcut, ShortcutsController } from "./shortcuts.controller.js";

defineCell();

/** The part names of the notebook view and its cells (forwarded by `<reactive-notebook>`). */
export const NOTEBOOK_PARTS = [
  "notebook",
  "notebook-header",
  "notebook-name",
  "kernel-status",
  "kernel-progress",
  "toolbar",
  "shortcuts-help",
  "insert-bar",
  "problem",
  ...CELL_PARTS,
] as const;

const KERNEL_TEXT: Record<string, string> = {
  unknown: "Kernel not started",
  starting: "Kernel starting…",
  ready: "Kernel ready",
  busy: "Kernel busy",
  restarting: "Kernel restarting…",
  dead: "Kernel stopped",
};

const TYPES: { type: CellType; label: string }[] = [
  { type: "python", label: "Python" },
  { type: "sql", label: "SQL" },
  { type: "markdown", label: "Markdown" },
];

/**
 * The notebook editor. Its session controller owns the connection and every service call; its shortcuts
 * controller owns the command-mode keys; this class lays out what they hold and routes cell commands.
 *
 * @event notebook-loaded - The live session said hello.
 * @event cell-run - A cell finished running.
 * @event cell-error - A cell raised.
 * @event notebook-open - The user went back to the list (`{notebookId: null}`).
 */
export class NotebookViewElement extends NotebookElement {
  static override styles = styles;

  @property({ attribute: false }) client: NotebookClient | undefined;
  @property({ attribute: "notebook-id" }) notebookId = "";
  @property({ type: Boolean }) readonly = false;
  @property() theme: "light" | "dark" = "light";
  /** Show a "Notebooks" button that goes back to the list. */
  @property({ type: Boolean, attribute: "show-back" }) showBack = false;

  readonly session = new NotebookSessionController(this, () => [this.client, this.notebookId] as const, {
    event: (event, notebook) => this.#onSessionEvent(event, notebook),
  });

  readonly shortcuts = new ShortcutsController(
    this,
    () => this.#shortcuts(),
    () => this.readonly,
  );

  /** The shortcuts dialog's module, once loaded (`?`), and whether the dialog is open. */
  #help: typeof import("./shortcuts-help.js") | undefined;
  #helpOpen = false;

  /** A cell to focus once it is rendered (after it was created or moved). */
  #pendingFocus: { cellId: string; mode: "editor" | "cell" } | undefined;
  #ticker: ReturnType<typeof setInterval> | undefined;

  /** The keyboard shortcuts of command mode, for docs and help. */
  #shortcuts(): Shortcut[] {
    const act = (fn: (cellId: string) => void) => fn;
    return [
      {
        keys: "Enter",
        description: "Edit the cell",
        readonly: true,
        run: act((id) => this.#cellEl(id)?.focusEditor()),
      },
      {
        keys: "Shift+Enter",
        description: "Run, then go to the next cell",
        readonly: true,
        run: (id) => void this.#runNext(id, "cell"),
      },
      { keys: "Mod+Enter", description: "Run the cell", readonly: true, run: (id) => void this.#run(id) },
      {
        keys: "Alt+Enter",
        description: "Run, then insert a cell below",
        run: (id) => void this.#runInsert(id),
      },
      {
        keys: "ArrowUp",
        description: "Previous cell",
        readonly: true,
        run: (id) => this.#focusNeighbour(id, -1),
      },
      {
        keys: "ArrowDown",
        description: "Next cell",
        readonly: true,
        run: (id) => this.#focusNeighbour(id, 1),
      },
      { keys: "K", description: "Previous cell", readonly: true, run: (id) => this.#focusNeighbour(id, -1) },
      { keys: "J", description: "Next cell", readonly: true, run: (id) => this.#focusNeighbour(id, 1) },
      {
        keys: "A",
        description: "Insert a Python cell above",
        run: (id) => void this.#add(id, "above", "python"),
      },
      {
        keys: "B",
        description: "Insert a Python cell below",
        run: (id) => void this.#add(id, "below", "python"),
      },
      { keys: "D D", description: "Delete the cell", run: (id) => void this.#delete(id) },
      { keys: "Delete", description: "Delete the cell", run: (id) => void this.#delete(id) },
      { keys: "Alt+ArrowUp", description: "Move the cell up", run: (id) => void this.#move(id, -1) },
      { keys: "Alt+ArrowDown", description: "Move the cell down", run: (id) => void this.#move(id, 1) },
      { keys: "Y", description: "Make it a Python cell", run: (id) => void this.#changeType(id, "python") },
      { keys: "S", description: "Make it an SQL cell", run: (id) => void this.#changeType(id, "sql") },
      {
        keys: "M",
        description: "Make it a Markdown cell",
        run: (id) => void this.#changeType(id, "markdown"),
      },
      {
        keys: "?",
        description: "Show these shortcuts",
        readonly: true,
        run: () => void this.openShortcuts(),
      },
    ];
  }

  /** Opens the keyboard shortcuts dialog (its module loads on first use). Closing it returns the focus. */
  async openShortcuts(): Promise<void> {
    this.#help ??= await import("./shortcuts-help.js");
    this.#helpOpen = true;
    this.requestUpdate();
    await this.updateComplete;
    const dialog = this.renderRoot.querySelector<HTMLDialogElement>("dialog.shortcuts-help");
    if (dialog && !dialog.open) dialog.showModal();
  }

  #renderShortcutsHelp() {
    if (!this.#help || !this.#helpOpen) return nothing;
    const shortcuts = this.#shortcuts().filter((shortcut) => !this.readonly || shortcut.readonly);
    return this.#help.renderShortcutsHelp(shortcuts, () => {
      this.#helpOpen = false;
      this.requestUpdate();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopTicker();
  }

  override updated(): void {
    // Running cells show their elapsed time: re-render ten times a second while any runs.
    if (this.session.runningSince.size > 0 && !this.#ticker) {
      this.#ticker = setInterval(() => this.requestUpdate(), 100);
    } else if (this.session.runningSince.size === 0) {
      this.#stopTicker();
    }
    const pending = this.#pendingFocus;
    if (pending) {
      const cell = this.#cellEl(pending.cellId);
      if (cell) {
        this.#pendingFocus = undefined;
        void cell.updateComplete.then(() =>
          pending.mode === "editor" ? cell.focusEditor() : cell.focusCell(),
        );
      }
    }
  }

  override render() {
    const notebook = this.session.notebook;
    return html`
      <section part="notebook" class="notebook" aria-label=${notebook ? `Notebook ${notebook.name}` : "Notebook"}>
        ${this.renderHeader(notebook)}
        ${
          this.session.problem
            ? html`<p part="problem" class="problem" role="alert">${this.session.problem}</p>`
            : nothing
        }
        ${
          notebook
            ? this.renderCells(notebook)
            : this.session.task.render({
                pending: () => html`<p class="loading" role="status">Opening the notebook…</p>`,
                error: (error) =>
                  html`<p part="problem" class="problem" role="alert">Cannot open the notebook: ${
                    error instanceof Error ? error.message : String(error)
                  }</p>`,
              })
        }
      </section>
    `;
  }

  private renderHeader(notebook: Notebook | undefined) {
    const kernel = this.session.kernelStatus;
    const connection = this.session.connection;
    const busy = kernel === "starting" || kernel === "restarting";
    const running = notebook?.cells.some((cell) => cell.status === "running" || cell.status === "queued");
    return html`
      <div part="notebook-header" class="header">
        ${
          this.showBack
            ? html`<button part="button" class="back" @click=${() => this.emit("notebook-open", { notebookId: null }, { composed: false })}>
                ← Notebooks</button>`
            : nothing
        }
        <h2 part="notebook-name" class="name">${notebook?.name ?? ""}</h2>
        <span part="kernel-status" class="kernel" role="status" data-kernel=${kernel} data-connection=${connection}>
          ${connection === "reconnecting" ? "Reconnecting…" : connection === "closed" && notebook ? "Disconnected" : KERNEL_TEXT[kernel]}
          ${this.session.saving ? html` · <span class="saving">Saving…</span>` : nothing}
        </span>
        ${
          busy
            ? html`<span
                part="kernel-progress"
                class="progress"
                role="progressbar"
                aria-label=${kernel === "starting" ? "Starting the Python kernel" : "Restarting the Python kernel"}
              ></span>`
            : nothing
        }
        <span class="spacer"></span>
        <div part="toolbar" class="toolbar" role="toolbar" aria-label="Notebook actions">
          <button part="button" class="primary" ?disabled=${!notebook} @click=${() => void this.session.runAll()}>
            Run all
          </button>
          <button part="button" ?disabled=${!notebook || !running} @click=${() => void this.session.interrupt()}>
            Interrupt
          </button>
          <button part="button" ?disabled=${!notebook} @click=${() => void this.session.restartKernel()}>
            Restart kernel
          </button>
          <button part="button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" @click=${() => void this.openShortcuts()}>
            ?
          </button>
        </div>
        ${this.#renderShortcutsHelp()}
      </div>
    `;
  }

  private renderCells(notebook: Notebook) {
    const cells = notebook.cells;
    const positions = new Map(cells.map((cell, index) => [cell.id, index + 1]));
    return html`
      ${this.renderInsertBar(0, "at the top")}
      <ol class="cells" aria-label="Cells">
        ${repeat(
          cells,
          (cell) => cell.id,
          (cell, index) => html`<li>
            <rn-cell
              exportparts=${CELL_PARTS.join(", ")}
              data-cell-id=${cell.id}
              .cell=${cell}
              .position=${index + 1}
              .theme=${this.theme}
              .readonly=${this.readonly}
              .localEdits=${this.session.hasLocalEdits(cell.id)}
              .blockedBy=${this.#blockerLabel(cell, notebook, positions)}
              .traceback=${cell.error?.traceback ? readableTraceback(cell.error.traceback, positions) : ""}
              .elapsedMs=${this.#elapsed(cell)}
              .ranMs=${this.session.ranFor.get(cell.id) ?? null}
              .first=${index === 0}
              .last=${index === cells.length - 1}
              @rn-cell-command=${this.#onCellCommand}
            ></rn-cell>
            ${this.renderInsertBar(index + 1, `after cell ${index + 1}`)}
          </li>`,
        )}
      </ol>
      ${cells.length === 0 ? html`<p class="empty">This notebook has no cells yet.</p>` : nothing}
    `;
  }

  private renderInsertBar(index: number, where: string) {
    if (this.readonly) return nothing;
    return html`<div part="insert-bar" class="insert" role="group" aria-label=${`Insert a cell ${where}`}>
      ${TYPES.map(
        ({ type, label }) => html`<button
          part="button"
          aria-label=${`Insert a ${label} cell ${where}`}
          @click=${() => void this.#insertAt(index, type)}
        >+ ${label}</button>`,
      )}
    </div>`;
  }

  #blockerLabel(cell: Cell, notebook: Notebook, positions: Map<string, number>): string {
    if (cell.status !== "blocked") return "";
    const blockerId = this.session.blockedBy.get(cell.id);
    const blocker = blockerId ? notebook.cells.find((other) => other.id === blockerId) : undefined;
    if (!blocker) return "";
    const names = blocker.writes.length ? ` (${blocker.writes.join(", ")})` : "";
    return `cell ${positions.get(blocker.id)}${names}`;
  }

  #elapsed(cell: Cell): number | null {
    const since = this.session.runningSince.get(cell.id);
    return since === undefined ? null : performance.now() - since;
  }

  #onCellCommand = (event: CustomEvent<CellCommandDetail>): void => {
    const detail = event.detail;
    const id = detail.cellId;
    switch (detail.command) {
      case "edit":
        this.session.edit(id, detail.code);
        return;
      case "run":
        void this.#run(id);
        return;
      case "run-next":
        void this.#runNext(id, "editor");
        return;
      case "run-insert":
        void this.#runInsert(id);
        return;
      case "add":
        void this.#add(id, detail.where, detail.type);
        return;
      case "delete":
        void this.#delete(id);
        return;
      case "move":
        void this.#move(id, detail.delta);
        return;
      case "change-type":
        void this.#changeType(id, detail.type);
        return;
      case "rename-result":
        void this.session.renameResult(id, detail.name);
        return;
      case "show-definition":
        this.#showDefinition(detail.name);
        return;
    }
  };

  #cells(): Cell[] {
    return this.session.notebook?.cells ?? [];
  }

  #indexOf(cellId: string): number {
    return this.#cells().findIndex((cell) => cell.id === cellId);
  }

  #cellEl(cellId: string): NotebookCellElement | null {
    return this.renderRoot.querySelector<NotebookCellElement>(
      `rn-cell[data-cell-id="${CSS.escape(cellId)}"]`,
    );
  }

  async #run(cellId: string): Promise<void> {
    const cell = this.#cells()[this.#indexOf(cellId)];
    if (!cell) return;
    if (cell.type === "markdown") {
      this.#cellEl(cellId)?.showRendered();
      await this.session.flush();
      return;
    }
    await this.session.run(cellId);
  }

  async #runNext(cellId: string, mode: "editor" | "cell"): Promise<void> {
    const index = this.#indexOf(cellId);
    const next = this.#cells()[index + 1];
    const running = this.#run(cellId);
    if (next) this.#focus(next.id, mode);
    else if (!this.readonly) await this.#insertAt(index + 1, "python");
    await running;
  }

  async #runInsert(cellId: string): Promise<void> {
    const running = this.#run(cellId);
    await this.#add(cellId, "below", "python");
    await running;
  }

  async #add(cellId: string, where: "above" | "below", type: CellType): Promise<void> {
    const index = this.#indexOf(cellId);
    if (index < 0) return;
    await this.#insertAt(where === "above" ? index : index + 1, type);
  }

  async #insertAt(index: number, type: CellType): Promise<void> {
    const created = await this.session.addCell(index, type);
    if (created) this.#focus(created.id, "editor");
  }

  async #delete(cellId: string): Promise<void> {
    const cells = this.#cells();
    const index = this.#indexOf(cellId);
    const neighbour = cells[index + 1] ?? cells[index - 1];
    await this.session.deleteCell(cellId);
    if (neighbour) this.#focus(neighbour.id, "cell");
  }

  async #move(cellId: string, delta: -1 | 1): Promise<void> {
    await this.session.moveCell(cellId, delta);
    this.#focus(cellId, "cell");
  }

  async #changeType(cellId: string, type: CellType): Promise<void> {
    const created = await this.session.changeType(cellId, type);
    if (created && created.id !== cellId) this.#focus(created.id, "cell");
  }

  #showDefinition(name: string): void {
    const definer = this.#cells().find((cell) => cell.writes.includes(name));
    const element = definer && this.#cellEl(definer.id);
    if (!element) return;
    element.scrollIntoView({ block: "nearest", behavior: "smooth" });
    element.focusCell();
  }

  /** Focuses a cell now if it is rendered, else as soon as it is (it may arrive with a later event). */
  #focus(cellId: string, mode: "editor" | "cell"): void {
    this.#pendingFocus = { cellId, mode };
    this.requestUpdate();
  }

  #focusNeighbour(cellId: string, delta: number): void {
    const next = this.#cells()[this.#indexOf(cellId) + delta];
    if (next) this.#cellEl(next.id)?.focusCell();
  }

  #stopTicker(): void {
    if (this.#ticker) clearInterval(this.#ticker);
    this.#ticker = undefined;
  }

  #onSessionEvent(event: ServerEvent, notebook: Notebook): void {
    const notebookId = notebook.id;
    if (event.type === "hello") {
      this.emit("notebook-loaded", {
        notebookId,
        name: notebook.name,
        cellCount: notebook.cells.length,
        revision: notebook.revision,
      });
    } else if (event.type === "cell_status" && (event.status === "success" || event.status === "error")) {
      this.emit("cell-run", { notebookId, cellId: event.cellId, status: event.status });
    } else if (event.type === "cell_error") {
      this.emit("cell-error", { notebookId, cellId: event.cellId, error: event.error });
    }
  }
}
