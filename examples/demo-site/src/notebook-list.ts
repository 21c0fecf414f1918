/**
 * `<rn-demo-notebooks>`: the signed-in user's notebooks — create, rename, delete, open. On a user's first
 * visit with no notebooks it creates the starter notebook (see starter.ts).
 *
 * @event site-navigate - `{ path }`: open a notebook (a new one, or a card's link).
 */
import type { NotebookSummary } from "@reactive-notebook/sdk";
import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import { property, state } from "lit/decorators.js";
import { followLink, notebookPath } from "./router.js";
import type { Session } from "./session.js";
import { sharedStyles } from "./shared-styles.js";
import { notebooksWithStarter } from "./starter.js";

type Editing = { id: string; mode: "rename" | "delete" } | null;

export class NotebookList extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      .head {
        display: flex;
        align-items: end;
        justify-content: space-between;
        gap: 1rem;
        flex-wrap: wrap;
        margin-bottom: 1.75rem;
      }
      h1 {
        font-size: 2rem;
        font-weight: 800;
      }
      .head p {
        margin-top: 0.35rem;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(18rem, 1fr));
        gap: 1rem;
      }
      li {
        display: flex;
        flex-direction: column;
        gap: 0.9rem;
        padding: 1.1rem 1.2rem 0.9rem;
        min-height: 9.5rem;
        transition:
          border-color 120ms ease,
          box-shadow 120ms ease;
      }
      li:hover {
        border-color: color-mix(in srgb, var(--site-accent) 45%, var(--site-border));
        box-shadow: var(--site-shadow-lg);
      }
      .name {
        font-size: 1.1rem;
        font-weight: 700;
        color: var(--site-text);
        text-decoration: none;
        overflow-wrap: anywhere;
      }
      .name:hover {
        color: var(--site-accent);
        text-decoration: underline;
      }
      .meta {
        font-size: 0.88rem;
        color: var(--site-muted);
      }
      .actions {
        margin-top: auto;
        display: flex;
        gap: 0.35rem;
        border-top: 1px solid var(--site-border);
        padding-top: 0.6rem;
        flex-wrap: wrap;
        align-items: center;
      }
      .actions .spacer {
        flex: 1;
      }
      form {
        display: grid;
        gap: 0.5rem;
      }
      form .row {
        display: flex;
        gap: 0.4rem;
      }
      .confirm {
        font-size: 0.92rem;
      }
      .empty {
        padding: 3rem 1.5rem;
        text-align: center;
        display: grid;
        gap: 1rem;
        justify-items: center;
      }
      .alert {
        margin-bottom: 1rem;
      }
      .skeleton {
        min-height: 9.5rem;
        background: linear-gradient(90deg, var(--site-surface) 0%, var(--site-surface-2) 50%, var(--site-surface) 100%);
        background-size: 200% 100%;
        animation: shimmer 1.4s ease-in-out infinite;
      }
      .preparing .bar {
        margin-top: auto;
        height: 4px;
        border-radius: 2px;
        background: linear-gradient(90deg, transparent, var(--site-accent), transparent);
        background-size: 50% 100%;
        background-repeat: no-repeat;
        animation: slide 1.2s ease-in-out infinite;
      }
      @keyframes slide {
        from {
          background-position: -50% 0;
        }
        to {
          background-position: 150% 0;
        }
      }
      @keyframes shimmer {
        from {
          background-position: 100% 0;
        }
        to {
          background-position: -100% 0;
        }
      }
    `,
  ];

  @property({ attribute: false }) session!: Session;
  /** Focus the heading once rendered (after an in-site navigation). */
  @property({ type: Boolean }) autofocusHeading = false;

  @state() private notebooks: NotebookSummary[] | null = null;
  @state() private error = "";
  @state() private busy = false;
  @state() private editing: Editing = null;
  @state() private announcement = "";
  @state() private preparingStarter = false;

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  protected override firstUpdated(_changed: PropertyValues) {
    if (this.autofocusHeading) this.renderRoot.querySelector<HTMLElement>("h1")?.focus();
  }

  private async load() {
    try {
      const { notebooks, created } = await notebooksWithStarter(
        this.session.client,
        this.session.userId,
        (empty) => {
          this.notebooks = empty;
          this.preparingStarter = true;
        },
      );
      this.preparingStarter = false;
      this.notebooks = notebooks;
      if (created) this.announcement = "We created a starter notebook for you.";
    } catch (error) {
      this.error = `Could not load your notebooks: ${messageOf(error)}`;
      this.notebooks ??= [];
    }
  }

  override render() {
    const count = this.notebooks?.length ?? 0;
    return html`
      <div class="page">
        <div class="head">
          <div>
            <h1 tabindex="-1">Your notebooks</h1>
            <p class="muted">
              ${this.notebooks === null || this.preparingStarter ? "Loading…" : `${count} notebook${count === 1 ? "" : "s"} · signed in as ${this.session.userId}`}
            </p>
          </div>
          <button class="button primary" @click=${this.create} ?disabled=${this.busy}>
            <span aria-hidden="true">+</span> New notebook
          </button>
        </div>
        <p class="visually-hidden" role="status" aria-live="polite">${this.announcement}</p>
        ${this.error ? html`<p class="alert" role="alert">${this.error}</p>` : nothing} ${this.renderNotebooks()}
      </div>
    `;
  }

  private renderNotebooks() {
    if (this.notebooks === null) {
      return html`<ul aria-busy="true" aria-label="Loading notebooks">
        ${[0, 1, 2].map(() => html`<li class="card skeleton"></li>`)}
      </ul>`;
    }
    if (this.preparingStarter) {
      return html`<ul aria-label="Notebooks" aria-busy="true">
        <li class="card preparing" role="status">
          <span class="name">Welcome to Reactive Notebook</span>
          <p class="meta">Preparing your starter notebook…</p>
          <span class="bar" aria-hidden="true"></span>
        </li>
      </ul>`;
    }
    if (this.notebooks.length === 0) {
      return html`<div class="empty card">
        <h2>No notebooks yet</h2>
        <p class="muted">Create one and type <code>x = 10</code> to get going.</p>
        <button class="button primary" @click=${this.create} ?disabled=${this.busy}>New notebook</button>
      </div>`;
    }
    return html`<ul aria-label="Notebooks">
      ${this.notebooks.map((notebook) => this.renderCard(notebook))}
    </ul>`;
  }

  private renderCard(notebook: NotebookSummary) {
    const editing = this.editing?.id === notebook.id ? this.editing.mode : null;
    return html`<li class="card" data-notebook-id=${notebook.id}>
      ${
        editing === "rename"
          ? html`<form @submit=${(event: SubmitEvent) => this.rename(event, notebook)}>
            <label for="rename-${notebook.id}" class="meta">Rename “${notebook.name}”</label>
            <input id="rename-${notebook.id}" type="text" name="name" .value=${notebook.name} maxlength="200" required />
            <div class="row">
              <button class="button primary small" type="submit" ?disabled=${this.busy}>Save</button>
              <button class="button ghost small" type="button" @click=${this.cancelEdit}>Cancel</button>
            </div>
          </form>`
          : html`<a class="name" href=${notebookPath(notebook.id)} @click=${followLink}>${notebook.name}</a>
            <p class="meta">${notebook.cellCount} cell${notebook.cellCount === 1 ? "" : "s"} · edited ${timeAgo(notebook.updatedAt)}</p>`
      }
      <div class="actions">
        ${
          editing === "delete"
            ? html`<span class="confirm" role="alert">Delete this notebook for good?</span>
              <span class="spacer"></span>
              <button class="button danger small" @click=${() => this.deleteNotebook(notebook)} ?disabled=${this.busy}>
                Delete
              </button>
              <button class="button ghost small" @click=${this.cancelEdit}>Keep</button>`
            : editing === "rename"
              ? nothing
              : html`<a class="button secondary small" href=${notebookPath(notebook.id)} @click=${followLink}
                  aria-label="Open ${notebook.name}">Open</a>
                <span class="spacer"></span>
                <button class="button ghost small" @click=${() => this.edit(notebook.id, "rename")}
                  aria-label="Rename ${notebook.name}">Rename</button>
                <button class="button ghost small" @click=${() => this.edit(notebook.id, "delete")}
                  aria-label="Delete ${notebook.name}">Delete</button>`
        }
      </div>
    </li>`;
  }

  private async edit(id: string, mode: "rename" | "delete") {
    this.editing = { id, mode };
    await this.updateComplete;
    const target =
      mode === "rename"
        ? this.renderRoot.querySelector<HTMLInputElement>(`#rename-${CSS.escape(id)}`)
        : this.renderRoot.querySelector<HTMLButtonElement>(
            `li[data-notebook-id="${CSS.escape(id)}"] .danger`,
          );
    target?.focus();
    if (target instanceof HTMLInputElement) target.select();
  }

  private cancelEdit() {
    const id = this.editing?.id;
    this.editing = null;
    void this.updateComplete.then(() =>
      this.renderRoot
        .querySelector<HTMLElement>(`li[data-notebook-id="${CSS.escape(id ?? "")}"] .name`)
        ?.focus(),
    );
  }

  private async create() {
    await this.act(async () => {
      const notebook = await this.session.client.notebooks.create({ name: "Untitled notebook" });
      this.dispatchEvent(
        new CustomEvent("site-navigate", {
          detail: { path: notebookPath(notebook.id) },
          bubbles: true,
          composed: true,
        }),
      );
    }, "Could not create a notebook");
  }

  private async rename(event: SubmitEvent, notebook: NotebookSummary) {
    event.preventDefault();
    const name = new FormData(event.target as HTMLFormElement).get("name")?.toString().trim();
    if (!name) return;
    await this.act(async () => {
      const renamed = await this.session.client.notebooks.rename(notebook.id, name);
      this.notebooks = (this.notebooks ?? []).map((n) =>
        n.id === notebook.id ? { ...n, name: renamed.name, updatedAt: renamed.updatedAt } : n,
      );
      this.announcement = `Renamed to ${renamed.name}.`;
      this.cancelEdit();
    }, "Could not rename the notebook");
  }

  private async deleteNotebook(notebook: NotebookSummary) {
    await this.act(async () => {
      await this.session.client.notebooks.delete(notebook.id);
      this.notebooks = (this.notebooks ?? []).filter((n) => n.id !== notebook.id);
      this.editing = null;
      this.announcement = `Deleted ${notebook.name}.`;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>("h1")?.focus();
    }, "Could not delete the notebook");
  }

  private async act(work: () => Promise<void>, failure: string) {
    this.busy = true;
    this.error = "";
    try {
      await work();
    } catch (error) {
      this.error = `${failure}: ${messageOf(error)}`;
    } finally {
      this.busy = false;
    }
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

/** "just now", "5 minutes ago", "yesterday", … */
export function timeAgo(iso: string, now = Date.now()): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  if (Math.abs(seconds) < 45) return "just now";
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ["minute", 60],
    ["hour", 3600],
    ["day", 86_400],
    ["month", 2_592_000],
    ["year", 31_536_000],
  ];
  let chosen: [Intl.RelativeTimeFormatUnit, number] = units[0]!;
  for (const unit of units) if (Math.abs(seconds) >= unit[1]) chosen = unit;
  return relative.format(Math.round(seconds / chosen[1]), chosen[0]);
}
