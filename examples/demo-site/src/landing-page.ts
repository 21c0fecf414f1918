/**
 * `<rn-demo-landing>`: what the product is, in one screen, and the way in. Dev mode shows a "sign in as"
 * form; Clerk mode mounts the element, whose own Clerk sign-in hands the app a signed-in client.
 *
 * @event dev-sign-in - `{ userId }`: the visitor asked to sign in as that user (dev mode).
 * @event clerk-signed-in - `{ element }`: the element's Clerk sign-in completed (its `auth-change` said signedIn).
 */
import type { ClientConfig } from "@reactive-notebook/sdk";
import { css, html, LitElement, nothing } from "lit";
import { property, query } from "lit/decorators.js";
import { sharedStyles } from "./shared-styles.js";
import type { SiteTheme } from "./theme.js";

export class LandingPage extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      .hero {
        display: grid;
        grid-template-columns: minmax(0, 1.05fr) minmax(0, 1fr);
        gap: 3.5rem;
        align-items: center;
        padding-top: 1.5rem;
      }
      .eyebrow {
        display: inline-block;
        font-size: 0.8rem;
        font-weight: 700;
        letter-spacing: 0.08em;
        text-transform: uppercase;
        color: var(--site-accent);
        background: var(--site-accent-soft);
        border-radius: 999px;
        padding: 0.25rem 0.7rem;
        margin-bottom: 1.1rem;
      }
      h1 {
        font-size: clamp(2.2rem, 4.6vw, 3.4rem);
        font-weight: 800;
        letter-spacing: -0.03em;
      }
      .nowrap {
        white-space: nowrap;
      }
      .lede {
        margin-top: 1.1rem;
        font-size: 1.15rem;
        color: var(--site-muted);
        max-width: 34rem;
      }
      .signin {
        margin-top: 2rem;
        padding: 1.25rem;
        max-width: 30rem;
      }
      .signin h2 {
        font-size: 1.05rem;
        margin-bottom: 0.75rem;
      }
      form .row {
        display: flex;
        gap: 0.6rem;
      }
      .hint {
        margin-top: 0.6rem;
        font-size: 0.85rem;
      }
      .alert {
        margin-top: 0.75rem;
        font-size: 0.92rem;
      }
      reactive-notebook {
        display: block;
        min-height: 8rem;
      }
      .demo {
        padding: 1.25rem;
        display: grid;
        gap: 0.65rem;
        box-shadow: var(--site-shadow-lg);
      }
      .cell {
        display: grid;
        grid-template-columns: 2.2rem 1fr auto;
        align-items: center;
        gap: 0.75rem;
        border: 1px solid var(--site-border);
        border-radius: 10px;
        padding: 0.7rem 0.85rem;
        background: var(--site-surface-2);
        font-family: var(--site-font-code);
        font-size: 0.95rem;
      }
      .cell .n {
        color: var(--site-muted);
        font-size: 0.75rem;
      }
      .cell .out {
        font-weight: 700;
        color: var(--site-success);
      }
      .cell.edited {
        border-color: var(--site-accent);
        background: var(--site-accent-soft);
      }
      .flow {
        font-size: 0.82rem;
        color: var(--site-muted);
        padding-left: 3rem;
      }
      .features {
        margin-top: 4rem;
        display: grid;
        grid-template-columns: repeat(3, minmax(0, 1fr));
        gap: 1.25rem;
      }
      .feature {
        padding: 1.25rem 1.35rem;
      }
      .feature h2 {
        font-size: 1.05rem;
        margin-bottom: 0.4rem;
      }
      .feature p {
        color: var(--site-muted);
        font-size: 0.95rem;
      }
      .notice {
        margin-bottom: 1.5rem;
        padding: 0.8rem 1rem;
        border-radius: 10px;
        background: var(--site-accent-soft);
        color: var(--site-text);
      }
      @media (max-width: 56rem) {
        .hero,
        .features {
          grid-template-columns: 1fr;
        }
        .hero {
          gap: 2.5rem;
        }
        .features {
          margin-top: 2.5rem;
        }
      }
    `,
  ];

  /** The service's auth mode and publishable key. */
  @property({ attribute: false }) config?: ClientConfig;
  /** The service's base URL (the element's `api-url` in Clerk mode). */
  @property({ attribute: false }) apiUrl = location.origin;
  @property() theme: SiteTheme = "light";
  /** A sign-in is in flight. */
  @property({ type: Boolean }) busy = false;
  /** Why the last sign-in failed. */
  @property() error = "";
  /** Shown above the hero, e.g. "Sign in to open this notebook." */
  @property() notice = "";
  @property({ attribute: false }) lastUser = "";

  @query("#user") private userInput?: HTMLInputElement;

  override render() {
    return html`
      <div class="page">
        ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : nothing}
        <section class="hero" aria-labelledby="title">
          <div>
            <span class="eyebrow">Python · SQL · Reactive</span>
            <h1 id="title" tabindex="-1">Notebooks that <span class="nowrap">re-run</span> themselves.</h1>
            <p class="lede">
              Reactive Notebook runs Python and SQL cells in a sandboxed kernel and keeps them consistent, like a
              spreadsheet: change <code>x</code>, and every cell that reads <code>x</code> updates on its own.
              Use it here, or embed it in any page with one tag.
            </p>
            <div class="signin card">${this.renderSignIn()}</div>
          </div>
          ${this.renderDemo()}
        </section>
        <section class="features" aria-label="What you get">
          <div class="feature card">
            <h2>Reactive by construction</h2>
            <p>Cells form a dependency graph. Running one re-runs exactly the cells downstream of it, in order — no
              stale outputs, no hidden state.</p>
          </div>
          <div class="feature card">
            <h2>Python and SQL together</h2>
            <p>Query the built-in sample database with SQL, bind the result to a Python variable, and draw it. Values
              flow back into queries as bind parameters.</p>
          </div>
          <div class="feature card">
            <h2>Embeddable anywhere</h2>
            <p>Drop <code>&lt;reactive-notebook&gt;</code> into any page, or drive notebooks from code with the
              TypeScript SDK. See the <a href="/examples/host-page/">host page example</a>.</p>
          </div>
        </section>
      </div>
    `;
  }

  private renderSignIn() {
    if (!this.config) return html`<p class="muted" role="status">Connecting to the notebook service…</p>`;
    if (this.config.authMode === "clerk") {
      return html`
        <h2>Sign in to start</h2>
        <reactive-notebook
          api-url=${this.apiUrl}
          publishable-key=${this.config.publishableKey ?? ""}
          theme=${this.theme}
          @auth-change=${this.onAuthChange}
        ></reactive-notebook>
        ${this.error ? html`<p class="alert" role="alert">${this.error}</p>` : nothing}
      `;
    }
    return html`
      <h2 id="signin-title">Sign in to start</h2>
      <form @submit=${this.onSubmit} aria-labelledby="signin-title">
        <label class="visually-hidden" for="user">Your user name</label>
        <div class="row">
          <input
            id="user"
            type="text"
            name="user"
            autocomplete="username"
            placeholder="Your name, e.g. ada"
            maxlength="128"
            required
            .value=${this.lastUser}
            ?disabled=${this.busy}
          />
          <button class="button primary" type="submit" ?disabled=${this.busy}>
            ${this.busy ? "Signing in…" : "Sign in"}
          </button>
        </div>
        <p class="hint muted">
          Development sign-in: no password, any name is its own account on this server. New accounts get a
          starter notebook.
        </p>
        ${this.error ? html`<p class="alert" role="alert">${this.error}</p>` : nothing}
      </form>
    `;
  }

  private renderDemo() {
    return html`
      <figure class="demo card" aria-label="Example: editing x updates y and z">
        <div class="cell edited"><span class="n">[1]</span><span>x = 20</span><span class="muted">edited</span></div>
        <div class="flow" aria-hidden="true">↓ reads x</div>
        <div class="cell"><span class="n">[2]</span><span>y = x + 5</span><span class="out">25</span></div>
        <div class="flow" aria-hidden="true">↓ reads y</div>
        <div class="cell"><span class="n">[3]</span><span>z = y * 2</span><span class="out">50</span></div>
        <figcaption class="muted">Edit <code>x</code>: <code>y</code> and <code>z</code> re-run by themselves.</figcaption>
      </figure>
    `;
  }

  private onSubmit(event: SubmitEvent) {
    event.preventDefault();
    const userId = this.userInput?.value.trim() ?? "";
    if (!userId) return;
    this.dispatchEvent(new CustomEvent("dev-sign-in", { detail: { userId }, bubbles: true, composed: true }));
  }

  private onAuthChange(event: CustomEvent<{ signedIn?: boolean }>) {
    if (!event.detail?.signedIn) return;
    this.dispatchEvent(
      new CustomEvent("clerk-signed-in", {
        detail: { element: event.target },
        bubbles: true,
        composed: true,
      }),
    );
  }
}
