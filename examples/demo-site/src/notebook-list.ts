/**
 * `<rn-demo-notebooks>`: the signed-in user's notebooks, shown by the element's own list
 * (`<reactive-notebook>` without a notebook id: open, create, rename, delete). On a user's first visit with
 * no notebooks the page creates the starter notebook first (see starter.ts). The site's header already says
 * who is signed in, so the element's bar is hidden (`no-header`); names link to `/n/:id`.
 *
 * @event site-navigate - `{ path }`: open a notebook (one from the list, or one just created).
 */
import { css, html, LitElement, nothing, type PropertyValues } from "lit";
import { property, state } from "lit/decorators.js";
import { messageOf } from "./errors.js";
import { notebookPath } from "./router.js";
import type { Session } from "./session.js";
import { sharedStyles } from "./shared-styles.js";
import { notebooksWithStarter, STARTER_NAME } from "./starter.js";
import type { SiteTheme } from "./theme.js";

export class NotebookList extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      .page {
        max-width: 60rem;
      }
      .preparing {
        display: grid;
        gap: 0.6rem;
        padding: 1.1rem 1.2rem;
      }
      .preparing .bar {
        height: 4px;
        border-radius: 2px;
        background: linear-gradient(90deg, transparent, var(--site-accent), transparent) 0 0 / 50% 100%
          no-repeat;
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
      @media (prefers-reduced-motion: reduce) {
        .preparing .bar {
          animation: none;
          background: var(--site-accent);
        }
      }
      .alert {
        margin-bottom: 1rem;
      }
      reactive-notebook {
        display: block;
        border-radius: var(--site-radius);
        border: 1px solid var(--site-border);
        background: var(--site-surface);
        box-shadow: var(--site-shadow);
        overflow: hidden;
        --rn-font-size: 1rem;
      }
    `,
  ];

  @property({ attribute: false }) session!: Session;
  @property() theme: SiteTheme = "light";
  /** Focus the heading once rendered (after an in-site navigation). */
  @property({ type: Boolean }) autofocusHeading = false;

  /** The starter check: running, done, or failed (the list shows anyway). */
  @state() private starter: "checking" | "preparing" | "ready" = "checking";
  @state() private error = "";
  @state() private announcement = "";

  override connectedCallback() {
    super.connectedCallback();
    void this.prepare();
  }

  protected override firstUpdated(_changed: PropertyValues) {
    if (this.autofocusHeading) this.renderRoot.querySelector<HTMLElement>("h1")?.focus();
  }

  private async prepare() {
    try {
      const { created } = await notebooksWithStarter(this.session.client, this.session.userId, () => {
        this.starter = "preparing";
      });
      if (created) this.announcement = "We created a starter notebook for you.";
    } catch (error) {
      this.error = `Could not prepare your starter notebook: ${messageOf(error)}`;
    }
    this.starter = "ready";
  }

  override render() {
    return html`
      <div class="page">
        <!-- The element's list has its own visible heading; the page keeps one for its outline. -->
        <h1 class="visually-hidden" tabindex="-1">Your notebooks</h1>
        <p class="visually-hidden" role="status" aria-live="polite">${this.announcement}</p>
        ${this.error ? html`<p class="alert" role="alert">${this.error}</p>` : nothing}
        ${this.renderBody()}
      </div>
    `;
  }

  private renderBody() {
    if (this.starter === "checking") return html`<p class="muted" role="status">Loading your notebooks…</p>`;
    if (this.starter === "preparing") {
      return html`<div class="card preparing" role="status">
        <strong>${STARTER_NAME}</strong>
        <p class="muted">Preparing your starter notebook…</p>
        <span class="bar" aria-hidden="true"></span>
      </div>`;
    }
    return html`<reactive-notebook
      no-header
      api-url=${this.session.client.baseUrl}
      theme=${this.theme}
      notebook-href="/n/{id}"
      .client=${this.session.client}
      @notebook-open=${this.onOpen}
    ></reactive-notebook>`;
  }

  private onOpen(event: CustomEvent<{ notebookId: string | null }>) {
    const { notebookId } = event.detail;
    if (!notebookId) return;
    this.dispatchEvent(
      new CustomEvent("site-navigate", {
        detail: { path: notebookPath(notebookId) },
        bubbles: true,
        composed: true,
      }),
    );
  }
}
