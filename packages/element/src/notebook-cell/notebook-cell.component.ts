/** `<rn-cell>`: one notebook cell — its editor, toolbar, status, reads/writes chips, streams, error and outputs. */
import type { Cell, CellProgressEvent, CellType, ProgressKind } from "@reactive-notebook/sdk";
import { html, nothing, type PropertyValues } from "lit";
import { property, query, state } from "lit/decorators.js";
import { CellEditor } from "../editor/index.js";
import { exportParts, loadOutputs, NotebookElement } from "../internal/index.js";
import type { CellCommand } from "./notebook-cell.events.js";
import { styles } from "./notebook-cell.styles.js";
import { EDITOR_SHORTCUTS, editorKey, modKey } from "./shortcuts.js";

void loadOutputs();

const TYPE_LABELS: Record<CellType, string> = { python: "Python", sql: "SQL", markdown: "Markdown" };

/** What an empty cell's editor says, so a new notebook tells its user where to start. */
const PLACEHOLDERS: Record<CellType, string> = {
  python: "Write Python — Shift+Enter runs",
  sql: "Write SQL — {name} reads a Python variable; Shift+Enter runs",
  markdown: "Write Markdown — Shift+Enter shows it",
};

/** What a running cell waits for, as the status line names it. */
const WAIT_LABELS: Record<ProgressKind, string> = {
  database: "the sample database",
  packages: "Python packages",
};

/** What a running cell waits for, from the last `cell_progress` event about it. */
export type CellWait = Pick<CellProgressEvent, "kind" | "message" | "fraction">;

const OUTPUT_PARTS = exportParts("rn-outputs");

/**
 * One cell. It owns its CodeMirror editor (and so its undo history) for as long as the cell exists, and
 * tells its notebook what the user wants through `rn-cell-command` events; it never calls the service.
 * Its parts are listed in `internal/parts.ts` (the manifest is generated from there).
 */
export class NotebookCellElement extends NotebookElement {
  static override styles = styles;

  @property({ attribute: false }) cell!: Cell;
  /** 1-based position, used in labels ("Cell 3"). */
  @property({ type: Number }) position = 1;
  /** The resolved colour scheme, for the outputs' iframes. */
  @property() theme: "light" | "dark" = "light";
  @property({ type: Boolean }) readonly = false;
  /** Edits not yet confirmed by the service: code from the service must not overwrite them. */
  @property({ type: Boolean, attribute: false }) localEdits = false;
  /** The upstream cell that blocks this one, as a label ("cell 2 (x)"). */
  @property({ attribute: false }) blockedBy = "";
  /** The error's traceback as shown, cells named by position (`readableTraceback`); the raw one if unset. */
  @property({ attribute: false }) traceback = "";
  /** Milliseconds since the cell started running, while it runs. */
  @property({ attribute: false }) elapsedMs: number | null = null;
  /** What the running cell waits for (the sample database, Python packages), while it waits. */
  @property({ attribute: false }) wait: CellWait | null = null;
  /** How long the last run took as the notebook saw it; used when the cell has no `lastRunMs`. */
  @property({ attribute: false }) ranMs: number | null = null;
  /** Cells are first among siblings / last: disables move buttons. */
  @property({ type: Boolean, attribute: false }) first = false;
  @property({ type: Boolean, attribute: false }) last = false;

  /** Markdown cells show their rendering until edited. */
  @state() private editingMarkdown = false;

  @query('[part~="cell"]') private frame!: HTMLElement;
  @query(".editor") private editorHost!: HTMLElement;

  #editor: CellEditor | undefined;

  /** Puts the keyboard focus in the editor (edit mode). */
  focusEditor(): void {
    if (this.cell.type === "markdown" && !this.readonly) this.editingMarkdown = true;
    void this.updateComplete.then(() => this.#editor?.focus());
  }

  /** Puts the keyboard focus on the cell frame (command mode). */
  focusCell(): void {
    this.frame?.focus();
  }

  /** The editor's current text. */
  get code(): string {
    return this.#editor?.code ?? this.cell.code;
  }

  /** Leaves markdown editing (after a run) so the rendering shows. */
  showRendered(): void {
    this.editingMarkdown = false;
  }

  override firstUpdated(): void {
    this.#editor = new CellEditor(
      this.editorHost,
      { code: this.cell.code, ...this.#editorOptions() },
      {
        edited: (code) => this.#command({ command: "edit", code }),
        keys: [
          ...EDITOR_SHORTCUTS.map((shortcut) => ({
            key: editorKey(shortcut.keys),
            run: () => this.#command(shortcut.command),
          })),
          {
            key: "Escape",
            run: () => {
              this.focusCell();
              return true;
            },
          },
        ],
      },
    );
  }

  override updated(changed: PropertyValues<this>): void {
    if (!this.#editor) return;
    if (changed.has("cell") || changed.has("readonly") || changed.has("position")) {
      const old = changed.get("cell") as Cell | undefined;
      if (!old || old.type !== this.cell.type || changed.has("readonly") || changed.has("position")) {
        this.#editor.configure(this.#editorOptions());
      }
    }
    // Another client's edit (or our own echo) arrives as cell.code: take it in unless we have unsaved edits.
    if (!this.localEdits) this.#editor.replaceCode(this.cell.code);
  }

  override render() {
    const cell = this.cell;
    const markdownRendered = cell.type === "markdown" && (!this.editingMarkdown || this.readonly);
    return html`
      <div
        part="cell"
        class="cell"
        tabindex="0"
        role="group"
        aria-label=${`Cell ${this.position}, ${TYPE_LABELS[cell.type]}, ${statusWord(cell.status)}`}
        data-status=${cell.status}
        data-type=${cell.type}
      >
        ${this.renderToolbar()}
        <div
          part="cell-editor"
          class="editor"
          ?hidden=${markdownRendered}
        ></div>
        ${markdownRendered ? this.renderMarkdown() : nothing}
        ${cell.type === "markdown" ? nothing : this.renderResult()}
      </div>
    `;
  }

  private renderToolbar() {
    const cell = this.cell;
    const label = `cell ${this.position}`;
    // One button that turns into Stop while the cell runs, so the focus stays on it.
    const running = cell.status === "running";
    return html`
      <div part="cell-toolbar" class="toolbar" role="toolbar" aria-label=${`Cell ${this.position} actions`}>
        <span class="count" aria-hidden="true">[${cell.executionCount ?? " "}]</span>
        ${
          cell.type === "markdown"
            ? nothing
            : html`<button part="button" class=${running ? "stop" : "run"}
                title=${running ? `Stop (${modKey()}+.)` : "Run (Shift+Enter)"}
                aria-label=${running ? `Stop ${label}` : `Run ${label}`}
                @click=${() => this.#command({ command: running ? "stop" : "run" })}
              >${running ? "■ Stop" : "▶ Run"}</button>`
        }
        ${
          this.readonly
            ? html`<span class="type">${TYPE_LABELS[cell.type]}</span>`
            : html`<select
                part="select"
                aria-label=${`Type of ${label}`}
                .value=${cell.type}
                @change=${(event: Event) =>
                  this.#command({
                    command: "change-type",
                    type: (event.target as HTMLSelectElement).value as CellType,
                  })}
              >
                ${(["python", "sql", "markdown"] as const).map(
                  (type) =>
                    html`<option value=${type} ?selected=${type === cell.type}>${TYPE_LABELS[type]}</option>`,
                )}
              </select>`
        }
        ${cell.type === "sql" ? this.renderResultName() : nothing}
        ${
          cell.type === "markdown" && !this.readonly
            ? html`<button part="button" aria-label=${`Edit ${label}`} aria-pressed=${this.editingMarkdown ? "true" : "false"}
                @click=${() => (this.editingMarkdown ? this.#finishMarkdown() : this.focusEditor())}>
                ${this.editingMarkdown ? "Done" : "Edit"}</button>`
            : nothing
        }
        <span class="spacer"></span>
        ${this.readonly ? nothing : this.renderStructureButtons(label)}
      </div>
    `;
  }

  private renderResultName() {
    return html`<label class="result-name">
      <span>Result variable</span>
      <input
        part="input"
        .value=${this.cell.name ?? ""}
        ?readonly=${this.readonly}
        placeholder="df"
        spellcheck="false"
        autocomplete="off"
        @change=${(event: Event) =>
          this.#command({ command: "rename-result", name: (event.target as HTMLInputElement).value })}
      />
    </label>`;
  }

  private renderStructureButtons(label: string) {
    return html`
      <button part="button" title="Move up (Alt+↑)" aria-label=${`Move ${label} up`} ?disabled=${this.first}
        @click=${() => this.#command({ command: "move", delta: -1 })}>↑</button>
      <button part="button" title="Move down (Alt+↓)" aria-label=${`Move ${label} down`} ?disabled=${this.last}
        @click=${() => this.#command({ command: "move", delta: 1 })}>↓</button>
      <button part="button" class="danger" title="Delete (D D)" aria-label=${`Delete ${label}`}
        @click=${() => this.#command({ command: "delete" })}>✕</button>
    `;
  }

  private renderMarkdown() {
    const code = this.code.trim();
    return html`<div
      part="cell-markdown"
      class="markdown"
      @dblclick=${() => !this.readonly && this.focusEditor()}
    >
      ${
        code
          ? html`<rn-outputs
              exportparts=${OUTPUT_PARTS}
              .outputs=${[{ mimeType: "text/markdown", data: this.code }]}
              theme=${this.theme}
            ></rn-outputs>`
          : html`<p class="placeholder">Empty markdown cell${this.readonly ? "" : " — press Enter or Edit to write"}</p>`
      }
    </div>`;
  }

  private renderResult() {
    const cell = this.cell;
    return html`
      <div part="cell-status" class="status" data-status=${cell.status} role="status" aria-live="polite">
        <span class="badge">${this.statusText()}</span>
        ${this.renderChips()}
      </div>
      ${cell.status === "running" && this.wait ? this.renderWait(this.wait) : nothing}
      ${cell.stdout ? html`<pre part="cell-stdout" class="stream" aria-label="Printed output">${cell.stdout}</pre>` : nothing}
      ${cell.stderr ? html`<pre part="cell-stderr" class="stream stderr" aria-label="Standard error">${cell.stderr}</pre>` : nothing}
      ${
        cell.error
          ? html`<div part="cell-error" class="error" role="alert">
              ${
                isInterrupted(cell)
                  ? html`<strong>Interrupted</strong>${cell.error.message ? `: ${cell.error.message}` : ""}`
                  : html`<strong>${cell.error.name}:</strong> ${cell.error.message}`
              }
              ${cell.error.traceback ? html`<pre>${this.traceback || cell.error.traceback}</pre>` : nothing}
            </div>`
          : nothing
      }
      ${
        cell.outputs.length
          ? html`<rn-outputs
              exportparts=${OUTPUT_PARTS}
              .outputs=${cell.outputs}
              theme=${this.theme}
            ></rn-outputs>`
          : nothing
      }
    `;
  }

  private renderWait(wait: CellWait) {
    const fraction = wait.fraction;
    return html`<div part="cell-progress" class="wait" data-kind=${wait.kind} role="status">
      <span>${wait.message}</span>
      <progress
        max="1"
        value=${fraction ?? nothing}
        aria-label=${`Waiting for ${WAIT_LABELS[wait.kind]}`}
      ></progress>
      ${fraction === undefined ? nothing : html`<span class="fraction">${Math.round(fraction * 100)}%</span>`}
    </div>`;
  }

  private renderChips() {
    const { reads, writes } = this.cell;
    if (!reads.length && !writes.length) return nothing;
    return html`<span part="cell-chips" class="chips">
      ${reads.length ? html`<span class="chip-label">reads</span>` : nothing}
      ${reads.map(
        (name) => html`<button
          part="button chip"
          class="chip read"
          title=${`Go to the cell that defines ${name}`}
          aria-label=${`Reads ${name}: go to its cell`}
          @click=${() => this.#command({ command: "show-definition", name })}
        >${name}</button>`,
      )}
      ${writes.length ? html`<span class="chip-label">writes</span>` : nothing}
      ${writes.map((name) => html`<code class="chip write">${name}</code>`)}
    </span>`;
  }

  private statusText(): string {
    const cell = this.cell;
    switch (cell.status) {
      case "idle":
        return "Not run yet";
      case "queued":
        return "Queued";
      case "running": {
        const elapsed = formatMs(this.elapsedMs ?? 0);
        return this.wait ? `Waiting for ${WAIT_LABELS[this.wait.kind]}… ${elapsed}` : `Running… ${elapsed}`;
      }
      case "success": {
        const ms = cell.lastRunMs ?? this.ranMs;
        return ms === null ? "Done" : `Done in ${formatMs(ms)}`;
      }
      case "error": {
        const ms = cell.lastRunMs ?? this.ranMs;
        const word = isInterrupted(cell) ? "Interrupted" : "Error";
        return ms === null ? word : `${word} after ${formatMs(ms)}`;
      }
      case "blocked":
        return this.blockedBy ? `Blocked by ${this.blockedBy}` : "Blocked by an upstream error";
      case "stale":
        return "Stale — edited or restarted since its last run";
    }
  }

  #finishMarkdown(): void {
    this.editingMarkdown = false;
    void this.updateComplete.then(() => this.focusCell());
  }

  #editorOptions() {
    return {
      language: this.cell.type,
      readonly: this.readonly,
      label: `Cell ${this.position} code (${TYPE_LABELS[this.cell.type]})`,
      placeholder: this.readonly ? "" : PLACEHOLDERS[this.cell.type],
    };
  }

  #command(command: CellCommand): boolean {
    if (this.cell.type === "markdown" && command.command.startsWith("run")) {
      // A markdown cell "runs" by showing its rendering.
      this.editingMarkdown = false;
    }
    this.emit("rn-cell-command", { ...command, cellId: this.cell.id }, { composed: false });
    return true;
  }
}

/** The kernel reports a stopped run as `KeyboardInterrupt`, usually with an empty message. */
function isInterrupted(cell: Cell): boolean {
  return cell.error?.name === "KeyboardInterrupt";
}

function statusWord(status: Cell["status"]): string {
  return status === "idle" ? "not run" : status;
}

/** "12 ms", "1.3 s", "2 min 5 s". */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}
