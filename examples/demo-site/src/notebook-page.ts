/**
 * `<rn-demo-notebook>`: one notebook at `/n/:id`. Checks the notebook first (so another user's notebook or
 * a missing one gets a clear page and none of its content), then hosts `<reactive-notebook>` with the
 * site's signed-in client, and a toggle between its notebook view (the editor) and its app view (only
 * outputs and controls, as a host page would embed it as a dashboard).
 *
 * @event site-navigate - `{ path }`: the element opened another notebook, or the user went back to the list.
 * @event notebook-named - `{ name }`: the notebook's name is known (the app puts it in the document title).
 */
import { ForbiddenError, type Notebook, NotFoundError } from "@reactive-notebook/sdk";
import { css, html, LitElement, type PropertyValues, svg, type TemplateResult } from "lit";
import { property, state } from "lit/decorators.js";
import { messageOf } from "./errors.js";
import { followLink, notebookPath } from "./router.js";
import type { Session } from "./session.js";
import { sharedStyles } from "./shared-styles.js";
import type { SiteTheme } from "./theme.js";

type Load =
  | { state: "loading" }
  | { state: "ready"; notebook: Notebook }
  | { state: "forbidden" }
  | { state: "missing" }
  | { state: "failed"; message: string };

export class NotebookPage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      .page {
        max-width: 80rem;
        padding-top: 1.5rem;
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: 0.75rem;
        margin-bottom: 0.75rem;
      }
      nav {
        font-size: 0.92rem;
      }
      .views {
        display: inline-flex;
        border: 1px solid var(--site-border);
        border-radius: 9px;
        overflow: hidden;
      }
      .views button {
        min-height: 2.25rem;
        border: 0;
        border-radius: 0;
        padding: 0 0.9rem;
        font-size: 0.9rem;
        background: var(--site-surface);
        color: var(--site-text);
      }
      .views button[aria-pressed="true"] {
        background: var(--site-accent);
        color: var(--site-on-accent);
      }
      nav a {
        color: var(--site-muted);
        text-decoration: none;
      }
      nav a:hover {
        color: var(--site-accent);
        text-decoration: underline;
      }
      h1 {
        font-size: 1.7rem;
        font-weight: 800;
        margin-bottom: 1.25rem;
        overflow-wrap: anywhere;
      }
      reactive-notebook {
        display: block;
        min-height: 20rem;
        border-radius: var(--site-radius);
        border: 1px solid var(--site-border);
        background: var(--site-surface);
        box-shadow: var(--site-shadow);
        overflow: hidden;
      }
      .problem {
        max-width: 38rem;
        margin: 2rem auto;
        padding: 2rem;
        display: grid;
        gap: 0.9rem;
      }
      .problem h1 {
        margin: 0;
      }
      .problem .icon {
        display: inline-grid;
        place-items: center;
        width: 3rem;
        height: 3rem;
        border-radius: 12px;
        background: var(--site-accent-soft);
        color: var(--site-accent);
      }
      .problem .icon svg {
        width: 1.6rem;
        height: 1.6rem;
      }
    `,
  ];

  @property({ attribute: false }) session!: Session;
  @property({ attribute: "notebook-id" }) notebookId = "";
  @property() theme: SiteTheme = "light";
  @property({ type: Boolean }) autofocusHeading = false;

  @state() private load: Load = { state: "loading" };
  /** Which view of the notebook shows: the editor, or only its outputs and controls. */
  @state() private view: "notebook" | "app" = "notebook";
  private loadCount = 0;

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has("notebookId") || changed.has("session")) void this.check();
  }

  protected override updated(changed: PropertyValues) {
    const wasLoading = (changed.get("load") as Load | undefined)?.state === "loading";
    if (wasLoading && this.autofocusHeading) this.renderRoot.querySelector<HTMLElement>("h1")?.focus();
  }

  private async check() {
    const count = ++this.loadCount;
    this.load = { state: "loading" };
    let load: Load;
    try {
      load = { state: "ready", notebook: await this.session.client.notebooks.get(this.notebookId) };
      this.named(load.notebook.name);
    } catch (error) {
      if (error instanceof ForbiddenError) load = { state: "forbidden" };
      else if (error instanceof NotFoundError) load = { state: "missing" };
      else load = { state: "failed", message: messageOf(error) };
    }
    if (count === this.loadCount) this.load = load;
  }

  override render() {
    return html`<div class="page">
      <div class="bar">
        <nav aria-label="Breadcrumb"><a href="/" @click=${followLink}>← All notebooks</a></nav>
        ${this.load.state === "ready" ? this.renderViewToggle() : ""}
      </div>
      ${this.renderBody()}
    </div>`;
  }

  /** Two toggle buttons (one pressed), so screen readers hear "Notebook, toggle button, pressed". */
  private renderViewToggle() {
    const choice = (view: "notebook" | "app", label: string) =>
      html`<button class="button" type="button" aria-pressed=${this.view === view ? "true" : "false"}
        @click=${() => {
          this.view = view;
        }}>${label}</button>`;
    return html`<div class="views" role="group" aria-label="View">
      ${choice("notebook", "Notebook")}${choice("app", "App")}
    </div>`;
  }

  private renderBody() {
    switch (this.load.state) {
      case "loading":
        return html`<p class="muted" role="status">Opening the notebook…</p>`;
      case "forbidden":
        return this.problem(
          icons.lock,
          "This notebook is not yours",
          html`It belongs to another account, so you cannot see or change it. You are signed in as
            <strong>${this.session.userId}</strong>.`,
        );
      case "missing":
        return this.problem(
          icons.search,
          "No such notebook",
          html`It may have been deleted, or the link is wrong.`,
        );
      case "failed":
        return this.problem(icons.warning, "Could not open this notebook", html`${this.load.message}`);
      case "ready":
        return html`
          <!-- The element shows the name in its own header; the page keeps a heading for its outline. -->
          <h1 class="visually-hidden" tabindex="-1">${this.load.notebook.name}</h1>
          <reactive-notebook
            no-header
            api-url=${this.session.client.baseUrl}
            notebook-id=${this.notebookId}
            theme=${this.theme}
            view=${this.view}
            vendor-url=${new URL("/element/vendor/", this.session.client.baseUrl).href}
            .client=${this.session.client}
            .getToken=${this.session.getToken}
            @notebook-loaded=${this.onLoaded}
            @notebook-renamed=${this.onLoaded}
            @notebook-open=${this.onOpen}
          ></reactive-notebook>
        `;
    }
  }

  private problem(icon: TemplateResult, title: string, body: unknown) {
    this.named(title);
    return html`<section class="problem card" role="alert" aria-labelledby="problem-title">
      <span class="icon" aria-hidden="true">${icon}</span>
      <h1 id="problem-title" tabindex="-1">${title}</h1>
      <p class="muted">${body}</p>
      <p><a class="button primary" href="/" @click=${followLink}>Go to your notebooks</a></p>
    </section>`;
  }

  /** `notebook-loaded` and `notebook-renamed` both carry the name: the title and the heading follow it. */
  private onLoaded(event: CustomEvent<{ name?: string }>) {
    const name = event.detail?.name;
    if (!name) return;
    if (this.load.state === "ready")
      this.load = { state: "ready", notebook: { ...this.load.notebook, name } };
    this.named(name);
  }

  private onOpen(event: CustomEvent<{ notebookId: string }>) {
    if (!event.detail?.notebookId || event.detail.notebookId === this.notebookId) return;
    this.dispatchEvent(
      new CustomEvent("site-navigate", {
        detail: { path: notebookPath(event.detail.notebookId) },
        bubbles: true,
        composed: true,
      }),
    );
  }

  private named(name: string) {
    this.dispatchEvent(
      new CustomEvent("notebook-named", { detail: { name }, bubbles: true, composed: true }),
    );
  }
}

const icon = (paths: ReturnType<typeof svg>) =>
  html`<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"
    stroke-linejoin="round" aria-hidden="true">${paths}</svg>`;

const icons = {
  lock: icon(svg`<rect x="4" y="11" width="16" height="10" rx="2" /><path d="M8 11V7a4 4 0 0 1 8 0v4" />`),
  search: icon(svg`<circle cx="11" cy="11" r="7" /><path d="m20 20-3.5-3.5" />`),
  warning: icon(svg`<path d="M12 3 2 20h20L12 3z" /><path d="M12 10v4M12 17.5v.01" />`),
};
