/** `<rn-notebook-view>`: one open notebook — its header (name, kernel, run all, interrupt, restart, help) and its cells. */
import type { Cell, CellType, Notebook, NotebookClient, ServerEvent } from "@reactive-notebook/sdk";
import { html, nothing } from "lit";
import { property, state } from "lit/decorators.js";
import { repeat } from "lit/directives/repeat.js";
import type { ControlChangeDetail } from "../control/index.js";
import { exportParts, NotebookElement } from "../internal/index.js";
import {
  blockerLabel,
  CELL_SHORTCUTS,
  type CellCommand,
  type CellCommandDetail,
  type CellCommandName,
  defineCell,
  type NotebookCellElement,
  readableTraceback,
} from "../notebook-cell/index.js";
import { AppOutputs, renderApp } from "./app-view.js";
import { NotebookSessionController } from "./notebook-session.controller.js";
import { styles } from "./notebook-view.styles.js";
import { ShortcutsController } from "./shortcuts.controller.js";

defineCell();

const CELL_PARTS = exportParts("rn-cell");

/** How a notebook is shown: the editor, or only its outputs and controls (a dashboard). */
export type NotebookViewMode = "notebook" | "app";

/** Neutral words for each kernel state: a kernel not started yet is the normal state of a new notebook. */
const KERNEL_TEXT: Record<string, string> = {
  unknown: "Kernel starts on first run",
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

/** The longest notebook name the service accepts (`MAX_NAME_LENGTH` in the protocol). */
const MAX_NAME_LENGTH = 200;

/** Where a command came from: the cell's own editor or buttons, or command-mode keys on its frame. */
type CommandOrigin = "editor" | "cell";

/** How the view performs each cell command: one handler per command, whichever key or button sent it. */
type CommandHandlers = {
  [K in CellCommandName]: (
    cellId: string,
    command: Extract<CellCommand, { command: K }>,
    origin: CommandOrigin,
  ) => unknown;
};

/**
 * The notebook editor. Its session controller owns the connection and every service call; its shortcuts
 * controller turns command-mode keys into cell commands; this class lays out what they hold and performs
 * cell commands from one table, whether a button, an editor key or a command-mode key sent them.
 *
 * @event notebook-loaded - The live session said hello.
 * @event notebook-renamed - The notebook's name changed (here or in another client).
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
  /**
   * `notebook`: the editor. `app`: only the outputs and controls, in notebook order — no code, cell chrome,
   * insert bars or editing toolbars; markdown cells show their rendering and a failed cell its error.
   */
  @property({ reflect: true }) view: NotebookViewMode = "notebook";
  /** Show a "Notebooks" button that goes back to the list. */
  @property({ type: Boolean, attribute: "show-back" }) showBack = false;
  /** A line about the service (its version, where it runs, who is signed in), shown in the help dialog. */
  @property({ attribute: false }) about = "";

  /** The name field is open (rename in place). */
  @state() private renaming = false;
  #renameSaving = false;

  readonly session = new NotebookSessionController(this, () => [this.client, this.notebookId] as const, {
    event: (event, notebook) => this.#onSessionEvent(event, notebook),
  });

  readonly shortcuts = new ShortcutsController(
    this,
    CELL_SHORTCUTS,
    () => this.readonly,
    (cellId, command) => this.#perform(cellId, command, "cell"),
  );

  /** The help dialog's module, once loaded (`?`), and whether the dialog is open. */
  #help: typeof import("./shortcuts-help.js") | undefined;
  #helpOpen = false;

  /** What the app view shows of each cell (a re-running cell keeps its last outputs there). */
  readonly #appOutputs = new AppOutputs();

  /** A cell to focus once it is rendered (after it was created or moved). */
  #pendingFocus: { cellId: string; mode: "editor" | "cell" } | undefined;
  #ticker: ReturnType<typeof setInterval> | undefined;

  /** Every cell command, performed the same way whichever key, button or editor sent it. */
  readonly #commands: CommandHandlers = {
    edit: (id, { code }) => this.session.edit(id, code),
    "open-editor": (id) => this.#cellEl(id)?.focusEditor(),
    focus: (id, { delta }) => this.#focusNeighbour(id, delta),
    run: (id) => this.#run(id),
    "run-next": (id, _, origin) => this.#runNext(id, origin),
    "run-insert": (id) => this.#runInsert(id),
    stop: () => this.session.interrupt(),
    add: (id, { where, type }) => this.#add(id, where, type),
    delete: (id) => this.#delete(id),
    move: (id, { delta }) => this.#move(id, delta),
    "change-type": (id, { type }) => this.#changeType(id, type),
    "rename-result": (id, { name }) => this.session.renameResult(id, name),
    "show-definition": (_, { name }) => this.#showDefinition(name),
    "show-help": () => this.openShortcuts(),
  };

  #perform(cellId: string, command: CellCommand, origin: CommandOrigin): void {
    const handler = this.#commands[command.command] as (
      cellId: string,
      command: CellCommand,
      origin: CommandOrigin,
    ) => unknown;
    void handler(cellId, command, origin);
  }

  /** Opens the help dialog (keyboard shortcuts, about the service); its module loads on first use. Closing it returns the focus. */
  async openShortcuts(): Promise<void> {
    if (!this.#help) {
      this.#help = await import("./shortcuts-help.js");
      const root = this.renderRoot as ShadowRoot;
      const sheet = this.#help.helpStyles.styleSheet;
      if (sheet) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    }
    this.#helpOpen = true;
    this.requestUpdate();
    await this.updateComplete;
    const dialog = this.renderRoot.querySelector<HTMLDialogElement>("dialog.shortcuts-help");
    if (dialog && !dialog.open) dialog.showModal();
  }

  #renderShortcutsHelp() {
    if (!this.#help || !this.#helpOpen) return nothing;
    const shortcuts = CELL_SHORTCUTS.filter((shortcut) => !this.readonly || shortcut.readonly);
    return this.#help.renderShortcutsHelp(shortcuts, this.about, () => {
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
    const running = this.session.activity.runningSince.size > 0;
    if (running && !this.#ticker) this.#ticker = setInterval(() => this.requestUpdate(), 100);
    else if (!running) this.#stopTicker();
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
        ${this.view === "app" ? this.renderAppHeader(notebook) : this.renderHeader(notebook)}
        ${
          this.session.problem
            ? html`<p part="problem" class="problem" role="alert">${this.session.problem}</p>`
            : nothing
        }
        ${
          notebook
            ? this.view === "app"
              ? this.renderApp(notebook)
              : this.renderCells(notebook)
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
    const running = notebook?.cells.some((cell) => cell.status === "running" || cell.status === "queued");
    // A cell waiting for the sample database or packages is the whole story while it lasts, not "Kernel ready".
    const cells = notebook?.cells ?? [];
    const waiting = this.session.activity.firstWait(cells.map((cell) => cell.id));
    const position = waiting ? cells.findIndex((cell) => cell.id === waiting.cellId) + 1 : 0;
    const kernelText =
      connection === "reconnecting"
        ? "Reconnecting…"
        : connection === "closed" && notebook
          ? "Disconnected"
          : KERNEL_TEXT[kernel];
    const progress =
      kernel === "starting"
        ? "Starting the Python kernel"
        : kernel === "restarting"
          ? "Restarting the Python kernel"
          : waiting
            ? `Cell ${position} waits: ${waiting.wait.message}`
            : "";
    return html`
      <div part="notebook-header" class="header">
        ${
          this.showBack
            ? html`<button part="button" class="back" @click=${() => this.emit("notebook-open", { notebookId: null }, { composed: false })}>
                ← Notebooks</button>`
            : nothing
        }
        <h2 part="notebook-name" class="name">${this.renderName(notebook)}</h2>
        <span
          part="kernel-status"
          class="kernel"
          role="status"
          data-kernel=${kernel}
          data-connection=${connection}
          data-waiting=${waiting?.wait.kind ?? nothing}
        >
          ${kernelText}${waiting ? html` · <span class="waiting">${progress}</span>` : nothing}
          ${this.session.saving ? html` · <span class="saving">Saving…</span>` : nothing}
        </span>
        ${
          progress
            ? html`<span part="kernel-progress" class="progress" role="progressbar" aria-label=${progress}></span>`
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
          <button part="button" aria-label="Help and keyboard shortcuts" title="Help and keyboard shortcuts (?)"
            @click=${() => void this.openShortcuts()}>?</button>
        </div>
        ${this.#renderShortcutsHelp()}
      </div>
    `;
  }

  /** The name: plain text when readonly; else a button that opens a field (Enter saves, Escape cancels). */
  private renderName(notebook: Notebook | undefined) {
    if (!notebook) return "";
    if (this.readonly) return notebook.name;
    if (this.renaming) {
      return html`<input
        part="input"
        class="rename"
        aria-label="Notebook name"
        maxlength=${MAX_NAME_LENGTH}
        autocomplete="off"
        spellcheck="false"
        .value=${notebook.name}
        @keydown=${this.#onRenameKey}
        @blur=${this.#onRenameBlur}
      />`;
    }
    return html`<button class="rename-button" title="Rename" aria-label=${`Rename ${notebook.name}`}
      @click=${this.#startRename}>${notebook.name}</button>`;
  }

  private renderCells(notebook: Notebook) {
    const cells = notebook.cells;
    const positions = new Map(cells.map((cell, index) => [cell.id, index + 1]));
    const activity = this.session.activity;
    return html`
      ${this.renderInsertBar(0, "at the top", cells.length === 0)}
      <ol class="cells" aria-label="Cells" @rn-control-change=${this.#onControlChange}>
        ${repeat(
          cells,
          (cell) => cell.id,
          (cell, index) => html`<li>
            <rn-cell
              exportparts=${CELL_PARTS}
              data-cell-id=${cell.id}
              .cell=${cell}
              .position=${index + 1}
              .theme=${this.theme}
              .readonly=${this.readonly}
              .localEdits=${this.session.hasLocalEdits(cell.id)}
              .blockedBy=${blockerLabel(cell, cells)}
              .traceback=${cell.error?.traceback ? readableTraceback(cell.error.traceback, positions) : ""}
              .elapsedMs=${activity.elapsed(cell.id)}
              .wait=${activity.waits.get(cell.id) ?? null}
              .ranMs=${activity.ranFor.get(cell.id) ?? null}
              .first=${index === 0}
              .last=${index === cells.length - 1}
              @rn-cell-command=${this.#onCellCommand}
            ></rn-cell>
            ${this.renderInsertBar(index + 1, `after cell ${index + 1}`, index === cells.length - 1)}
          </li>`,
        )}
      </ol>
      ${cells.length === 0 ? html`<p class="empty">This notebook has no cells yet.</p>` : nothing}
    `;
  }

  /** The app view's bar: the name, the kernel's state and Run all (to refresh outputs left stale). */
  private renderAppHeader(notebook: Notebook | undefined) {
    const kernel = this.session.kernelStatus;
    return html`<div part="notebook-header" class="header">
      <h2 part="notebook-name" class="name">${notebook?.name ?? ""}</h2>
      <span part="kernel-status" class="kernel" role="status" data-kernel=${kernel}
        data-connection=${this.session.connection}>${KERNEL_TEXT[kernel]}</span>
      <span class="spacer"></span>
      <div part="toolbar" class="toolbar" role="toolbar" aria-label="Notebook actions">
        <button part="button" ?disabled=${!notebook} @click=${() => void this.session.runAll()}>Run all</button>
      </div>
    </div>`;
  }

  /** The app view: each cell's outputs and controls (a markdown cell's rendering), in notebook order. */
  private renderApp(notebook: Notebook) {
    return renderApp(notebook, this.#appOutputs, this.theme, this.#onControlChange);
  }

  /** A person changed a control in a cell's outputs: the service sets it and re-runs its readers. */
  readonly #onControlChange = (event: CustomEvent<ControlChangeDetail>): void => {
    event.stopPropagation();
    const holder = event
      .composedPath()
      .find((node): node is HTMLElement => node instanceof HTMLElement && node.dataset.cellId !== undefined);
    const cellId = holder?.dataset.cellId;
    const { controlId, value, respond } = event.detail;
    respond(
      cellId
        ? this.session.setControl(cellId, controlId, value)
        : Promise.reject(new Error("This control's cell is not in the notebook.")),
    );
  };

  /** Between cells the bar shows on hover or focus (its buttons stay in the tab order); after the last, always. */
  private renderInsertBar(index: number, where: string, last: boolean) {
    if (this.readonly) return nothing;
    return html`<div part="insert-bar" class=${last ? "insert last" : "insert"} role="group"
      aria-label=${`Insert a cell ${where}`}>
      ${TYPES.map(
        ({ type, label }) => html`<button
          part="button"
          aria-label=${`Insert a ${label} cell ${where}`}
          @click=${() => void this.#insertAt(index, type)}
        >+ ${label}</button>`,
      )}
    </div>`;
  }

  #onCellCommand = (event: CustomEvent<CellCommandDetail>): void => {
    this.#perform(event.detail.cellId, event.detail, "editor");
  };

  readonly #startRename = async (): Promise<void> => {
    this.renaming = true;
    await this.updateComplete;
    const input = this.renderRoot.querySelector<HTMLInputElement>("input.rename");
    input?.focus();
    input?.select();
  };

  readonly #onRenameKey = (event: KeyboardEvent): void => {
    if (event.key === "Enter") {
      event.preventDefault();
      void this.#finishRename(event.target as HTMLInputElement, true);
    } else if (event.key === "Escape") {
      // Escape belongs to the field here, not to anything around the element.
      event.preventDefault();
      event.stopPropagation();
      void this.#finishRename(event.target as HTMLInputElement, false);
    }
  };

  readonly #onRenameBlur = (event: FocusEvent): void => {
    if (this.renaming) void this.#finishRename(event.target as HTMLInputElement, true, false);
  };

  /** Saves (through the API) or drops the typed name; a refused name keeps the field open to fix it. */
  async #finishRename(input: HTMLInputElement, save: boolean, refocus = true): Promise<void> {
    // Enter then a click elsewhere (blur) while the save is on its way must not save twice.
    if (this.#renameSaving) return;
    const name = input.value.trim();
    const current = this.session.notebook?.name ?? "";
    if (save && name && name !== current) {
      this.#renameSaving = true;
      const saved = await this.session.rename(name);
      this.#renameSaving = false;
      if (!saved) return;
    }
    this.renaming = false;
    await this.updateComplete;
    if (refocus) this.renderRoot.querySelector<HTMLButtonElement>("button.rename-button")?.focus();
  }

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

  async #runNext(cellId: string, mode: CommandOrigin): Promise<void> {
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
    } else if (event.type === "notebook_updated") {
      this.emit("notebook-renamed", { notebookId, name: event.name });
    } else if (event.type === "cell_status" && (event.status === "success" || event.status === "error")) {
      this.emit("cell-run", { notebookId, cellId: event.cellId, status: event.status });
    } else if (event.type === "cell_error") {
      this.emit("cell-error", { notebookId, cellId: event.cellId, error: event.error });
    }
  }
}
