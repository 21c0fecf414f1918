/**
 * `<rn-demo-app>`: the demo site's shell. Holds the route, the theme and the signed-in session, draws the
 * header and footer, and shows the page the URL names: the landing page (signed out), the notebook list
 * (`/`), or one notebook (`/n/:id`).
 */
import {
  type ClerkLike,
  type ClientConfig,
  clerkTokenProvider,
  NotebookClient,
} from "@reactive-notebook/sdk";
import { css, html, LitElement, nothing } from "lit";
import { state } from "lit/decorators.js";
import { messageOf } from "./errors.js";
import { followLink, type Route, Router } from "./router.js";
import {
  fetchClientConfig,
  forgetDevUser,
  rememberedDevUser,
  type Session,
  sessionFromClient,
  signInDev,
} from "./session.js";
import { sharedStyles } from "./shared-styles.js";
import { applyTheme, initialTheme, type SiteTheme } from "./theme.js";

const SITE_NAME = "Reactive Notebook";

export class DemoApp extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        min-height: 100vh;
      }
      .skip {
        position: absolute;
        left: 1rem;
        top: -3rem;
        z-index: 10;
        background: var(--site-accent);
        color: var(--site-on-accent);
        padding: 0.5rem 0.9rem;
        border-radius: 8px;
      }
      .skip:focus {
        top: 0.75rem;
      }
      header {
        position: sticky;
        top: 0;
        z-index: 5;
        background: color-mix(in srgb, var(--site-bg) 88%, transparent);
        backdrop-filter: saturate(1.4) blur(10px);
        border-bottom: 1px solid var(--site-border);
      }
      .bar {
        max-width: 80rem;
        margin: 0 auto;
        padding: 0.7rem 1.5rem;
        display: flex;
        align-items: center;
        gap: 1rem;
      }
      .brand {
        display: inline-flex;
        align-items: center;
        gap: 0.6rem;
        font-weight: 800;
        font-size: 1.05rem;
        letter-spacing: -0.01em;
        color: var(--site-text);
        text-decoration: none;
        border-radius: 8px;
        white-space: nowrap;
      }
      .brand svg {
        width: 1.75rem;
        height: 1.75rem;
      }
      .spacer {
        flex: 1;
      }
      .user {
        display: inline-flex;
        align-items: center;
        gap: 0.5rem;
        font-size: 0.92rem;
        color: var(--site-muted);
      }
      .avatar {
        display: inline-grid;
        place-items: center;
        width: 1.9rem;
        height: 1.9rem;
        border-radius: 50%;
        background: var(--site-accent-soft);
        color: var(--site-accent);
        font-weight: 700;
        text-transform: uppercase;
      }
      .theme-toggle {
        width: 2.5rem;
        padding: 0;
      }
      .theme-toggle svg {
        width: 1.2rem;
        height: 1.2rem;
      }
      main {
        flex: 1;
      }
      footer {
        border-top: 1px solid var(--site-border);
        font-size: 0.88rem;
        color: var(--site-muted);
      }
      footer .bar {
        flex-wrap: wrap;
        padding-top: 1.1rem;
        padding-bottom: 1.1rem;
      }
      footer a {
        color: var(--site-muted);
      }
      .problem {
        max-width: 38rem;
        margin: 3rem auto;
        padding: 2rem;
        display: grid;
        gap: 0.9rem;
      }
      @media (max-width: 40rem) {
        .bar {
          padding: 0.6rem 1rem;
          gap: 0.5rem;
        }
        .user .name {
          display: none;
        }
      }
      @media (max-width: 26rem) {
        .brand .label {
          position: absolute;
          width: 1px;
          height: 1px;
          overflow: hidden;
          clip: rect(0 0 0 0);
        }
      }
    `,
  ];

  @state() private route: Route;
  @state() private theme: SiteTheme = initialTheme();
  @state() private config?: ClientConfig;
  @state() private configError = "";
  @state() private session: Session | null = null;
  /** Restoring the remembered dev user on load: show nothing signed-out until it settles. */
  @state() private restoring = false;
  @state() private signingIn = false;
  @state() private signInError = "";
  /** True after the first in-site navigation: pages then move focus to their heading. */
  private navigated = false;
  private readonly router = new Router((route) => {
    this.route = route;
    this.navigated = true;
    scrollTo({ top: 0 });
  });
  private readonly apiUrl = location.origin;

  constructor() {
    super();
    this.route = this.router.current();
    applyTheme(this.theme, false);
  }

  override connectedCallback() {
    super.connectedCallback();
    this.router.start();
    this.addEventListener("site-navigate", this.onNavigate as EventListener);
    this.addEventListener("notebook-named", this.onNamed as EventListener);
    void this.start();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.router.stop();
  }

  private async start() {
    try {
      this.config = await fetchClientConfig(this.apiUrl);
    } catch (error) {
      this.configError = messageOf(error);
      return;
    }
    const remembered = this.config.authMode === "dev" ? rememberedDevUser() : null;
    if (remembered) {
      this.restoring = true;
      try {
        this.session = await signInDev(this.apiUrl, remembered);
      } catch {
        forgetDevUser();
      } finally {
        this.restoring = false;
      }
    }
  }

  protected override updated() {
    if (this.route.page === "home" && !this.session)
      document.title = `${SITE_NAME} — notebooks that re-run themselves`;
    if (this.route.page === "home" && this.session) document.title = `Your notebooks — ${SITE_NAME}`;
    if (this.route.page === "not-found") document.title = `Page not found — ${SITE_NAME}`;
  }

  override render() {
    return html`
      <a class="skip" href="#main" @click=${this.skipToMain}>Skip to content</a>
      <header>
        <div class="bar">
          <a class="brand" href="/" @click=${followLink}>${logo()} <span class="label">${SITE_NAME}</span></a>
          <span class="spacer"></span>
          ${
            this.session
              ? html`<span class="user" data-testid="signed-in-user">
                  <span class="avatar" aria-hidden="true">${this.session.userId.slice(0, 1)}</span>
                  <span class="name"><span class="visually-hidden">Signed in as </span>${this.session.userId}</span>
                </span>
                <button class="button ghost small" @click=${this.signOut}>Sign out</button>`
              : nothing
          }
          <button
            class="button secondary theme-toggle"
            @click=${this.toggleTheme}
            aria-label=${this.theme === "dark" ? "Switch to light theme" : "Switch to dark theme"}
            title=${this.theme === "dark" ? "Light theme" : "Dark theme"}
          >
            ${this.theme === "dark" ? sun() : moon()}
          </button>
        </div>
      </header>
      <main id="main" tabindex="-1">${this.renderPage()}</main>
      <footer>
        <div class="bar">
          <span>${SITE_NAME}${this.config ? ` ${this.config.version}` : ""}</span>
          <span class="spacer"></span>
          <a href="/examples/host-page/">Embedding example</a>
          <a href="/api/v1/openapi.json">API (OpenAPI)</a>
          <a href="/health">Service health</a>
        </div>
      </footer>
    `;
  }

  private renderPage() {
    if (this.configError) {
      return html`<section class="problem card" role="alert">
        <h1>Cannot reach the notebook service</h1>
        <p class="muted">${this.configError}</p>
        <p><button class="button primary" @click=${() => location.reload()}>Try again</button></p>
      </section>`;
    }
    if (this.route.page === "not-found") {
      return html`<section class="problem card">
        <h1 tabindex="-1">Page not found</h1>
        <p class="muted">There is nothing at <code>${this.route.path}</code>.</p>
        <p><a class="button primary" href="/" @click=${followLink}>Go home</a></p>
      </section>`;
    }
    if (!this.config || this.restoring) return html`<p class="visually-hidden" role="status">Loading…</p>`;
    if (!this.session) {
      return html`<rn-demo-landing
        .config=${this.config}
        .apiUrl=${this.apiUrl}
        theme=${this.theme}
        ?busy=${this.signingIn}
        error=${this.signInError}
        notice=${this.route.page === "notebook" ? "Sign in to open this notebook." : ""}
        .lastUser=${rememberedDevUser() ?? ""}
        @dev-sign-in=${this.onDevSignIn}
        @clerk-signed-in=${this.onClerkSignIn}
      ></rn-demo-landing>`;
    }
    if (this.route.page === "notebook") {
      return html`<rn-demo-notebook
        .session=${this.session}
        notebook-id=${this.route.notebookId}
        theme=${this.theme}
        ?autofocusHeading=${this.navigated}
      ></rn-demo-notebook>`;
    }
    return html`<rn-demo-notebooks
      .session=${this.session}
      theme=${this.theme}
      ?autofocusHeading=${this.navigated}
    ></rn-demo-notebooks>`;
  }

  private async onDevSignIn(event: CustomEvent<{ userId: string }>) {
    this.signingIn = true;
    this.signInError = "";
    try {
      this.session = await signInDev(this.apiUrl, event.detail.userId);
      this.navigated = true;
    } catch (error) {
      this.signInError = `Could not sign in: ${messageOf(error)}`;
    } finally {
      this.signingIn = false;
    }
  }

  private async onClerkSignIn(event: CustomEvent<{ element: { client?: NotebookClient } | null }>) {
    // The element's signed-in client; else a client reading the Clerk session the element loaded.
    const clerk = (globalThis as { Clerk?: ClerkLike }).Clerk;
    const client =
      event.detail.element?.client ??
      (clerk ? new NotebookClient({ baseUrl: this.apiUrl, getToken: clerkTokenProvider(clerk) }) : undefined);
    if (!client) {
      this.signInError = "Signed in, but the notebook element did not share its session with the site.";
      return;
    }
    try {
      this.session = await sessionFromClient(client);
      this.navigated = true;
    } catch {
      // Signed out (or not yet signed in): the element keeps showing its sign-in.
    }
  }

  private signOut() {
    if (this.session?.mode === "dev") forgetDevUser();
    // In Clerk mode the element loaded Clerk; signing out there ends the Clerk session too.
    const clerk = (globalThis as { Clerk?: { signOut?: () => Promise<void> } }).Clerk;
    void clerk?.signOut?.();
    this.session = null;
    this.router.navigate("/");
  }

  private toggleTheme() {
    this.theme = this.theme === "dark" ? "light" : "dark";
    applyTheme(this.theme, true);
  }

  private skipToMain(event: Event) {
    event.preventDefault();
    this.renderRoot.querySelector<HTMLElement>("main")?.focus();
  }

  private readonly onNavigate = (event: CustomEvent<{ path: string }>) => {
    this.router.navigate(event.detail.path);
  };

  private readonly onNamed = (event: CustomEvent<{ name: string }>) => {
    document.title = `${event.detail.name} — ${SITE_NAME}`;
  };
}

function logo() {
  return html`<svg viewBox="0 0 32 32" aria-hidden="true">
    <rect width="32" height="32" rx="8" fill="var(--site-accent)" />
    <circle cx="9" cy="16" r="3.5" fill="var(--site-on-accent)" />
    <circle cx="23" cy="9" r="3.5" fill="var(--site-on-accent)" />
    <circle cx="23" cy="23" r="3.5" fill="var(--site-on-accent)" />
    <path d="M12 14.5 20 10.5M12 17.5l8 4" stroke="var(--site-on-accent)" stroke-width="2" stroke-linecap="round" />
  </svg>`;
}

function moon() {
  return html`<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"
    stroke-linejoin="round" aria-hidden="true"><path d="M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z" /></svg>`;
}

function sun() {
  return html`<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"
    stroke-linejoin="round" aria-hidden="true"><circle cx="12" cy="12" r="4" /><path
      d="M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4"
    /></svg>`;
}
