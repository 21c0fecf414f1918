/** `<reactive-notebook>`: the embeddable notebook element — sign-in, the notebook list, and the notebook itself. */
import type { NotebookClient, TokenProvider } from "@reactive-notebook/sdk";
import { html, nothing, type PropertyValues } from "lit";
import { property, state } from "lit/decorators.js";
import { exportParts, NotebookElement, setOutputsVendorBase } from "../internal/index.js";
import { defineNotebookList } from "../notebook-list/index.js";
import { defineNotebookView, type NotebookViewMode } from "../notebook-view/index.js";
import { AuthController, type AuthState } from "./auth.controller.js";
import type { NotebookOpenDetail, ServiceStatus } from "./reactive-notebook.events.js";
import { styles } from "./reactive-notebook.styles.js";

defineNotebookView();

/** The colour scheme: fixed light or dark, or `auto` to follow the user's system setting. */
export type Theme = "light" | "dark" | "auto";

const PRODUCT_NAME = "Reactive Notebook";
const VIEW_PARTS = exportParts("rn-notebook-view");
const LIST_PARTS = exportParts("rn-notebook-list");
const darkQuery = () => globalThis.matchMedia?.("(prefers-color-scheme: dark)");

/**
 * @summary A reactive Python/SQL notebook served by a Reactive Notebook service.
 *
 * Signs the user in (the host's `client`/`getToken`, Clerk, or the dev "sign in as" form), then shows
 * the notebook `notebook-id` — or, without one, the user's notebooks to open, create, rename and delete.
 * Signed-out users see no notebook content. All talk with the service goes through the SDK.
 *
 * @event notebook-loaded - The notebook's live session opened: `{notebookId, name, cellCount, revision}`.
 * @event notebook-renamed - The notebook's name changed, here or in another client: `{notebookId, name}`.
 * @event cell-run - A cell finished running: `{notebookId, cellId, status: "success" | "error"}`.
 * @event cell-error - A cell raised: `{notebookId, cellId, error: {name, message, traceback?}}`.
 * @event auth-change - Signed in or out: `{signedIn, userId, method: "host" | "clerk" | "dev" | null}`.
 * @event notebook-open - The user opened a notebook from the list (`{notebookId}`), or went back to it
 *   (`{notebookId: null}`); hosts use it for routing (e.g. `/n/:id`).
 * @event service-status - `GET /api/v1/config` settled: `{state: "connected", apiUrl, version, authMode}`
 *   or `{state: "error", apiUrl, message}`.
 *
 * @slot clerk-sign-in - Filled by the element itself with Clerk's sign-in (light DOM, so Clerk's styles apply).
 * @slot clerk-user - Filled by the element itself with Clerk's user button.
 *
 * Parts (`::part(...)`): see `internal/parts.ts`, from which the manifest lists them with descriptions.
 *
 * @cssproperty --rn-color-background - Background of the element.
 * @cssproperty --rn-color-surface - Header, toolbars and other raised areas.
 * @cssproperty --rn-color-code-background - The code editor's background.
 * @cssproperty --rn-color-text - Main text colour.
 * @cssproperty --rn-color-muted - Secondary text.
 * @cssproperty --rn-color-border - Borders.
 * @cssproperty --rn-color-accent - Primary buttons, the focused cell's edge.
 * @cssproperty --rn-color-on-accent - Text on accent backgrounds.
 * @cssproperty --rn-color-link - Links and reads chips.
 * @cssproperty --rn-color-focus - Focus rings.
 * @cssproperty --rn-color-success - Successful cells.
 * @cssproperty --rn-color-warning - Edge of queued/running cells.
 * @cssproperty --rn-color-warning-text - Queued/running/stale status text.
 * @cssproperty --rn-color-danger - Errors.
 * @cssproperty --rn-color-danger-surface - Background of errors and stderr.
 * @cssproperty --rn-color-active-line - The editor's current line.
 * @cssproperty --rn-color-selection - Selected text in the editor.
 * @cssproperty --rn-syntax-keyword - Code: keywords.
 * @cssproperty --rn-syntax-string - Code: strings.
 * @cssproperty --rn-syntax-number - Code: numbers, booleans, None.
 * @cssproperty --rn-syntax-comment - Code: comments.
 * @cssproperty --rn-syntax-function - Code: function and definition names.
 * @cssproperty --rn-syntax-type - Code: class and type names.
 * @cssproperty --rn-font-family - Text font.
 * @cssproperty --rn-font-family-code - Code font.
 * @cssproperty --rn-font-size - Base font size.
 * @cssproperty --rn-radius - Corner radius.
 * @cssproperty --rn-control-width - The width of a control's slider, text field or drop-down (default 16em).
 */
export class ReactiveNotebookElement extends NotebookElement {
  static override styles = styles;

  /** The base URL of the notebook service, e.g. `https://notebooks.example.com`. */
  @property({ attribute: "api-url" }) apiUrl = "";

  /** The notebook to show; without it the element lists the user's notebooks. */
  @property({ attribute: "notebook-id", reflect: true }) notebookId = "";

  /** A Clerk publishable key (`pk_…`); without it the service's own (from `/api/v1/config`) is used in Clerk mode. */
  @property({ attribute: "publishable-key" }) publishableKey = "";

  /** Light, dark, or `auto` (follows `prefers-color-scheme`). */
  @property({ reflect: true }) theme: Theme = "auto";

  /**
   * `notebook` (the default): the notebook editor. `app`: only the notebook's outputs and controls, in
   * notebook order, without code, cell chrome, insert bars or editing toolbars — a dashboard a host page
   * can embed; moving a control still re-runs the cells that read it.
   */
  @property({ reflect: true }) view: NotebookViewMode = "notebook";

  /** Code cannot be edited and cells cannot be added, deleted or moved; cells can still run. */
  @property({ type: Boolean, reflect: true }) readonly = false;

  /**
   * Hides the element's own top bar (product name, service version, user, sign-out), for hosts that show
   * who is signed in themselves. The service's version stays in the notebook's help dialog ("?").
   */
  @property({ type: Boolean, reflect: true, attribute: "no-header" }) noHeader = false;

  /**
   * The host's URL of a notebook, `{id}` standing for its id (e.g. `/n/{id}`): the list then shows each
   * notebook as a link to it (a plain click still just fires `notebook-open`).
   */
  @property({ attribute: "notebook-href" }) notebookHref = "";

  /** Where chart outputs load vega/plotly from (default: `vendor/` next to the bundle). */
  @property({ attribute: "vendor-url" }) vendorUrl = "";

  /** Returns a bearer token for the service; overrides Clerk and dev sign-in. */
  @property({ attribute: false }) getToken: TokenProvider | undefined;

  /** A ready SDK client; overrides everything else (its base URL and token are used as they are). */
  @property({ attribute: false }) client: NotebookClient | undefined;

  /** The service status shown in the header. */
  @state() private service: ServiceStatus | undefined;
  @state() private prefersDark = darkQuery()?.matches ?? false;
  /** The notebook was opened from the element's own list (so it offers the way back). */
  @state() private openedFromList = false;
  /** Why the notebook list's code could not be loaded, if it could not. */
  @state() private listFailed = "";

  readonly auth = new AuthController(
    this,
    () => ({
      apiUrl: this.apiUrl,
      publishableKey: this.publishableKey,
      getToken: this.getToken,
      client: this.client,
    }),
    {
      config: (apiUrl, result) => {
        this.service =
          "config" in result
            ? { state: "connected", apiUrl, version: result.config.version, authMode: result.config.authMode }
            : { state: "error", apiUrl, message: result.error };
        this.emit("service-status", this.service);
      },
      change: (detail) => this.emit("auth-change", detail),
    },
  );

  #media: MediaQueryList | undefined;
  readonly #onMedia = (event: MediaQueryListEvent) => {
    this.prefersDark = event.matches;
  };
  #clerkNodes = new Map<string, HTMLDivElement>();

  /** The colour scheme in use: `theme`, with `auto` resolved. */
  get resolvedTheme(): "light" | "dark" {
    if (this.theme === "auto") return this.prefersDark ? "dark" : "light";
    return this.theme;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#media = darkQuery();
    this.#media?.addEventListener("change", this.#onMedia);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#media?.removeEventListener("change", this.#onMedia);
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("vendorUrl") && this.vendorUrl) {
      void setOutputsVendorBase(new URL(this.vendorUrl, document.baseURI).href);
    }
    if (changed.has("notebookId") && changed.get("notebookId") !== undefined && !this.notebookId) {
      this.openedFromList = false;
    }
    // The list is loaded when it is first shown (it is not in the core bundle).
    if (!this.notebookId && this.auth.state?.kind === "signed-in" && !this.listFailed) {
      defineNotebookList().catch((error: unknown) => {
        this.listFailed = error instanceof Error ? error.message : String(error);
      });
    }
  }

  override updated(): void {
    this.#syncClerk(this.auth.state);
  }

  override render() {
    const auth = this.auth.state;
    return html`
      ${
        this.noHeader
          ? this.service?.state === "error"
            ? html`<p part="status" class="message error" role="alert" data-state="error">${this.#serviceProblem(this.service)}</p>`
            : nothing
          : html`<header part="header">
              <span part="title">${PRODUCT_NAME}</span>
              ${this.renderServiceStatus()}
              ${auth?.kind === "signed-in" ? this.renderUser(auth) : nothing}
            </header>`
      }
      <div part="body">
        ${this.auth.task.render({
          initial: () => html`<p class="message" role="status">Connecting…</p>`,
          pending: () =>
            auth
              ? this.renderState(auth)
              : html`<p class="message" role="status">Connecting to the notebook service…</p>`,
          complete: (state) => this.renderState(state),
          error: (error) =>
            html`<p class="message error" role="alert">${error instanceof Error ? error.message : String(error)}</p>`,
        })}
      </div>
    `;
  }

  private renderServiceStatus() {
    const service = this.service;
    if (!service) return html`<span part="status" role="status" data-state="connecting">Connecting…</span>`;
    return service.state === "connected"
      ? html`<span part="status" role="status" data-state="connected">Service v${service.version}</span>`
      : html`<span part="status" role="status" data-state="error">${this.#serviceProblem(service)}</span>`;
  }

  #serviceProblem(service: Extract<ServiceStatus, { state: "error" }>): string {
    return `Cannot reach the notebook service at ${service.apiUrl}: ${service.message}`;
  }

  /** The line the notebook's help dialog shows about the service: where, which version, who. */
  #about(auth: Extract<AuthState, { kind: "signed-in" }>): string {
    const service = this.service?.state === "connected" ? this.service : undefined;
    const where = service ? `${PRODUCT_NAME} service v${service.version} at ${service.apiUrl}` : PRODUCT_NAME;
    return auth.userId ? `${where} · signed in as ${auth.userId}` : where;
  }

  private renderUser(auth: Extract<AuthState, { kind: "signed-in" }>) {
    if (auth.method === "clerk") {
      return html`<span part="user"><slot name="clerk-user"></slot>
        <button part="button" @click=${() => void this.auth.signOut()}>Sign out</button></span>`;
    }
    if (auth.method === "host") {
      return auth.userId
        ? html`<span part="user">Signed in as <strong>${auth.userId}</strong></span>`
        : nothing;
    }
    return html`<span part="user">Signed in as <strong>${auth.userId}</strong>
      <button part="button" @click=${() => void this.auth.signOut()}>Sign out</button></span>`;
  }

  private renderState(state: AuthState) {
    switch (state.kind) {
      case "error":
        return html`<p class="message error" role="alert">${state.message}</p>`;
      case "signed-out":
        return state.via === "dev" ? this.renderDevSignIn() : this.renderClerkSignIn();
      case "signed-in":
        return this.notebookId
          ? html`<rn-notebook-view
              exportparts=${VIEW_PARTS}
              .client=${state.client}
              .about=${this.#about(state)}
              notebook-id=${this.notebookId}
              .readonly=${this.readonly}
              .view=${this.view === "app" ? "app" : "notebook"}
              .theme=${this.resolvedTheme}
              .showBack=${this.openedFromList}
              @notebook-open=${this.#onOpen}
            ></rn-notebook-view>`
          : this.listFailed
            ? html`<p part="problem" role="alert">Could not load the notebook list: ${this.listFailed}</p>`
            : html`<rn-notebook-list
                exportparts=${LIST_PARTS}
                notebook-href=${this.notebookHref}
                .client=${state.client}
                @notebook-open=${this.#onOpen}
              ></rn-notebook-list>`;
    }
  }

  private renderDevSignIn() {
    return html`<section part="sign-in" aria-labelledby="sign-in-heading">
      <h2 id="sign-in-heading">Sign in</h2>
      <p class="hint">This service runs in development mode: pick any user id.</p>
      <form @submit=${this.#onDevSignIn}>
        <label for="dev-user">Sign in as</label>
        <input part="input" id="dev-user" name="userId" required autocomplete="username" placeholder="alice" />
        <button part="button" class="primary" type="submit">Sign in</button>
      </form>
    </section>`;
  }

  private renderClerkSignIn() {
    return html`<section part="sign-in" aria-label="Sign in">
      <slot name="clerk-sign-in"></slot>
    </section>`;
  }

  readonly #onDevSignIn = (event: Event): void => {
    event.preventDefault();
    const userId = String(new FormData(event.target as HTMLFormElement).get("userId") ?? "").trim();
    if (userId) this.auth.signInAsDevUser(userId);
  };

  readonly #onOpen = (event: CustomEvent<NotebookOpenDetail>): void => {
    event.stopPropagation();
    const { notebookId } = event.detail;
    this.openedFromList = notebookId !== null;
    this.notebookId = notebookId ?? "";
    this.emit("notebook-open", { notebookId });
  };

  /** Mounts Clerk's sign-in or user button into light-DOM children slotted into the shadow tree. */
  #syncClerk(state: AuthState | undefined): void {
    const clerk = state && "clerk" in state ? state.clerk : undefined;
    const want =
      clerk && state?.kind === "signed-out"
        ? "clerk-sign-in"
        : clerk && state?.kind === "signed-in"
          ? "clerk-user"
          : "";
    for (const [slot, node] of this.#clerkNodes) {
      if (slot === want) continue;
      if (clerk) {
        if (slot === "clerk-sign-in") clerk.unmountSignIn(node);
        else clerk.unmountUserButton(node);
      }
      node.remove();
      this.#clerkNodes.delete(slot);
    }
    if (!clerk || !want || this.#clerkNodes.has(want)) return;
    const node = document.createElement("div");
    node.slot = want;
    this.append(node);
    this.#clerkNodes.set(want, node);
    if (want === "clerk-sign-in") clerk.mountSignIn(node);
    else clerk.mountUserButton(node);
  }
}
