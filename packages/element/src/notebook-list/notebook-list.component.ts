/** `<rn-notebook-list>`: the signed-in user's notebooks — open, create, rename, delete. */
import { Task } from "@lit/task";
import type { NotebookClient, NotebookSummary } from "@reactive-notebook/sdk";
import { html, nothing } from "lit";
import { property, state } from "lit/decorators.js";
import { controlStyles, NotebookElement } from "../internal/index.js";
import { styles } from "./notebook-list.styles.js";

/**
 * The list of notebooks. Opening one fires `notebook-open` (not composed: `<reactive-notebook>` turns it
 * into its public event); creating one opens it. With `notebookHref`, names are links to the host's own
 * notebook URLs (so they open in a new tab, or get copied), and a plain click still fires `notebook-open`.
 *
 * @event notebook-open - `{notebookId}`: the user opened a notebook.
 */
export class NotebookListElement extends NotebookElement {
  static override styles = [controlStyles, styles];

  @property({ attribute: false }) client: NotebookClient | undefined;
  /** The host's URL of a notebook, `{id}` standing for its id (e.g. `/n/{id}`); names are buttons without it. */
  @property({ attribute: "notebook-href" }) notebookHref = "";

  /** The notebook being renamed, or asked about before deleting. */
  @state() private renaming = "";
  @state() private confirmingDelete = "";
  @state() private problem = "";
  @state() private reloads = 0;

  private readonly notebooks = new Task(this, {
    args: () => [this.client, this.reloads] as const,
    task: async ([client], { signal }) => (client ? client.notebooks.list({ signal }) : []),
  });

  override render() {
    return html`
      <section part="notebook-list" class="list" aria-labelledby="notebooks-heading">
        <div class="head">
          <h2 id="notebooks-heading">Your notebooks</h2>
          <form class="create" @submit=${this.#create}>
            <label for="new-name" class="visually-hidden">New notebook name</label>
            <input part="input" id="new-name" name="name" placeholder="New notebook name" autocomplete="off" />
            <button part="button" class="primary" type="submit">New notebook</button>
          </form>
        </div>
        ${this.problem ? html`<p class="problem" role="alert">${this.problem}</p>` : nothing}
        ${this.notebooks.render({
          pending: () => html`<p class="muted" role="status">Loading your notebooks…</p>`,
          complete: (notebooks) => this.renderNotebooks(notebooks),
          error: (error) =>
            html`<p class="problem" role="alert">Cannot list your notebooks: ${
              error instanceof Error ? error.message : String(error)
            }</p>`,
        })}
      </section>
    `;
  }

  private renderNotebooks(notebooks: readonly NotebookSummary[]) {
    if (notebooks.length === 0) return html`<p class="muted">No notebooks yet: create one above.</p>`;
    return html`<ul class="items" aria-label="Notebooks">
      ${notebooks.map((notebook) => this.renderItem(notebook))}
    </ul>`;
  }

  private renderItem(notebook: NotebookSummary) {
    if (this.renaming === notebook.id) {
      return html`<li part="notebook-list-item" class="item" data-notebook-id=${notebook.id}>
        <form class="rename" @submit=${(event: Event) => this.#rename(event, notebook.id)}
          @keydown=${this.#cancelRenameOnEscape}>
          <label class="visually-hidden" for="rename-${notebook.id}">New name for ${notebook.name}</label>
          <input part="input" id="rename-${notebook.id}" name="name" .value=${notebook.name} autocomplete="off" />
          <button part="button" class="primary" type="submit">Save</button>
          <button part="button" type="button" @click=${() => (this.renaming = "")}>Cancel</button>
        </form>
      </li>`;
    }
    const confirming = this.confirmingDelete === notebook.id;
    return html`<li part="notebook-list-item" class="item" data-notebook-id=${notebook.id}>
      ${
        this.notebookHref
          ? html`<a class="open" href=${this.notebookHref.replaceAll("{id}", encodeURIComponent(notebook.id))}
              @click=${(event: MouseEvent) => this.#follow(event, notebook.id)}>${notebook.name}</a>`
          : html`<button part="button" class="open" @click=${() => this.#open(notebook.id)}
              aria-label=${`Open ${notebook.name}`}>${notebook.name}</button>`
      }
      <span class="meta">${notebook.cellCount} ${notebook.cellCount === 1 ? "cell" : "cells"} · updated
        <time datetime=${notebook.updatedAt}>${formatDate(notebook.updatedAt)}</time></span>
      <span class="actions">
        ${
          confirming
            ? html`<span role="alert">Delete “${notebook.name}”?</span>
                <button part="button" class="danger confirm-delete" @click=${() => this.#delete(notebook.id)}>Delete</button>
                <button part="button" @click=${() => (this.confirmingDelete = "")}>Keep</button>`
            : html`<button part="button" class="rename-button" aria-label=${`Rename ${notebook.name}`}
                  @click=${() => this.#startRename(notebook.id)}>Rename</button>
                <button part="button" class="danger delete-button" aria-label=${`Delete ${notebook.name}`}
                  @click=${() => (this.confirmingDelete = notebook.id)}>Delete</button>`
        }
      </span>
    </li>`;
  }

  readonly #cancelRenameOnEscape = (event: KeyboardEvent): void => {
    if (event.key === "Escape") this.renaming = "";
  };

  /** Reloads the list from the service. */
  reload(): void {
    this.reloads += 1;
  }

  /** A plain click opens in place; with a modifier (new tab, new window) the browser follows the link. */
  #follow(event: MouseEvent, notebookId: string): void {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    this.#open(notebookId);
  }

  #open(notebookId: string): void {
    this.emit("notebook-open", { notebookId }, { composed: false });
  }

  async #startRename(notebookId: string): Promise<void> {
    this.renaming = notebookId;
    await this.updateComplete;
    const input = this.renderRoot.querySelector<HTMLInputElement>(`.rename input`);
    input?.focus();
    input?.select();
  }

  #create = async (event: Event): Promise<void> => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const name = (new FormData(form).get("name") as string | null)?.trim();
    await this.#call(async (client) => {
      const notebook = await client.notebooks.create(name ? { name } : {});
      form.reset();
      this.#open(notebook.id);
    });
  };

  async #rename(event: Event, notebookId: string): Promise<void> {
    event.preventDefault();
    const name = (new FormData(event.target as HTMLFormElement).get("name") as string | null)?.trim();
    if (!name) return;
    await this.#call(async (client) => {
      await client.notebooks.rename(notebookId, name);
      this.renaming = "";
      this.reload();
    });
  }

  async #delete(notebookId: string): Promise<void> {
    await this.#call(async (client) => {
      await client.notebooks.delete(notebookId);
      this.confirmingDelete = "";
      this.reload();
    });
  }

  async #call(action: (client: NotebookClient) => Promise<void>): Promise<void> {
    if (!this.client) return;
    try {
      await action(this.client);
      this.problem = "";
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
    }
  }
}

function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
