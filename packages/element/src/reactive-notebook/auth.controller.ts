/**
 * The auth controller: decides how `<reactive-notebook>` talks to its service and who the user is.
 * Order: the host's `client` property, else its `getToken` property, else Clerk when there is a
 * publishable key (the attribute, or the service's own from `GET /api/v1/config` in Clerk mode), else
 * the dev "sign in as" form when the service runs in dev mode. The dev user id is remembered in
 * localStorage under `reactive-notebook:dev-user:<api-url>` so a reload stays signed in.
 */
import { Task } from "@lit/task";
import {
  type ClientConfig,
  clerkTokenProvider,
  devTokenProvider,
  NotebookClient,
  type TokenProvider,
} from "@reactive-notebook/sdk";
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { type ClerkInstance, loadClerk } from "./clerk.js";
import type { AuthChangeDetail } from "./reactive-notebook.events.js";

/** Where sign-in stands. */
export type AuthState =
  | { kind: "signed-out"; via: "dev" }
  | { kind: "signed-out"; via: "clerk"; clerk: ClerkInstance }
  | {
      kind: "signed-in";
      client: NotebookClient;
      userId: string | null;
      method: "host" | "clerk" | "dev";
      clerk?: ClerkInstance;
    }
  | { kind: "error"; message: string };

/** What the controller reads from its element. */
export interface AuthInputs {
  apiUrl: string;
  publishableKey: string;
  getToken: TokenProvider | undefined;
  client: NotebookClient | undefined;
}

export interface AuthCallbacks {
  /** The service answered `/api/v1/config` (or could not be reached). */
  config(apiUrl: string, result: { config: ClientConfig } | { error: string }): void;
  /** The signed-in user changed. */
  change(detail: AuthChangeDetail): void;
}

const STORAGE_PREFIX = "reactive-notebook:dev-user:";

/** The storage key of the remembered dev user for `apiUrl`. */
export function devUserKey(apiUrl: string): string {
  return STORAGE_PREFIX + apiUrl;
}

export class AuthController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #inputs: () => AuthInputs;
  readonly #callbacks: AuthCallbacks;
  /** Bumped to re-resolve (after a dev sign-in/out or a Clerk session change). */
  #generation = 0;
  #stopListening: (() => void) | undefined;
  #last: AuthChangeDetail = { signedIn: false, userId: null, method: null };

  readonly task: Task<
    readonly [string, string, TokenProvider | undefined, NotebookClient | undefined, number],
    AuthState
  >;

  constructor(host: ReactiveControllerHost, inputs: () => AuthInputs, callbacks: AuthCallbacks) {
    this.#host = host;
    this.#inputs = inputs;
    this.#callbacks = callbacks;
    host.addController(this);
    this.task = new Task(host, {
      args: () => {
        const { apiUrl, publishableKey, getToken, client } = this.#inputs();
        return [apiUrl, publishableKey, getToken, client, this.#generation] as const;
      },
      task: ([apiUrl, publishableKey, getToken, client], { signal }) =>
        this.#resolve({ apiUrl, publishableKey, getToken, client }, signal),
      onComplete: (state) => this.#report(state),
      onError: () => this.#report({ kind: "error", message: "" }),
    });
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.#stopListening?.();
    this.#stopListening = undefined;
  }

  /** The current state, once resolved. */
  get state(): AuthState | undefined {
    return this.task.value;
  }

  /** Dev mode: sign in as `userId` (remembered per api-url). */
  signInAsDevUser(userId: string): void {
    const { apiUrl } = this.#inputs();
    try {
      localStorage.setItem(devUserKey(apiUrl), userId);
    } catch {
      // Storage may be disabled; the sign-in then lasts until the page reloads.
      sessionUser.set(apiUrl, userId);
    }
    this.#rerun();
  }

  async signOut(): Promise<void> {
    const state = this.state;
    if (state?.kind === "signed-in" && state.method === "clerk" && state.clerk) {
      await state.clerk.signOut();
    } else {
      const { apiUrl } = this.#inputs();
      sessionUser.delete(apiUrl);
      try {
        localStorage.removeItem(devUserKey(apiUrl));
      } catch {
        // nothing stored
      }
    }
    this.#rerun();
  }

  #rerun(): void {
    this.#generation += 1;
    this.#host.requestUpdate();
  }

  async #resolve(inputs: AuthInputs, signal: AbortSignal): Promise<AuthState> {
    this.#stopListening?.();
    this.#stopListening = undefined;
    const { getToken } = inputs;
    const hostClient =
      inputs.client ??
      (inputs.apiUrl && getToken ? new NotebookClient({ baseUrl: inputs.apiUrl, getToken }) : undefined);
    if (hostClient) {
      // The header still shows the service's version (or that it cannot be reached).
      const apiUrl = inputs.client
        ? inputs.client.baseUrl || globalThis.location?.origin || ""
        : inputs.apiUrl;
      if (apiUrl) void this.#loadConfig(apiUrl, signal).catch(() => undefined);
      return this.#signedIn(hostClient, "host", signal);
    }
    if (!inputs.apiUrl) {
      return {
        kind: "error",
        message: "No service: set the api-url attribute to the notebook service's URL.",
      };
    }
    const config = await this.#loadConfig(inputs.apiUrl, signal);
    if (!config) {
      return { kind: "error", message: `Cannot reach the notebook service at ${inputs.apiUrl}.` };
    }
    const publishableKey =
      inputs.publishableKey || (config.authMode === "clerk" ? (config.publishableKey ?? "") : "");
    if (publishableKey) return this.#clerk(inputs.apiUrl, publishableKey, signal);
    if (config.authMode === "dev") {
      const userId = storedDevUser(inputs.apiUrl);
      if (!userId) return { kind: "signed-out", via: "dev" };
      const client = new NotebookClient({
        baseUrl: inputs.apiUrl,
        getToken: devTokenProvider(inputs.apiUrl, userId),
      });
      return this.#signedIn(client, "dev", signal);
    }
    return {
      kind: "error",
      message:
        "The service signs users in with Clerk but did not say its publishable key: set the publishable-key attribute.",
    };
  }

  async #clerk(apiUrl: string, publishableKey: string, signal: AbortSignal): Promise<AuthState> {
    let clerk: ClerkInstance;
    try {
      clerk = await loadClerk(publishableKey);
    } catch (error) {
      return { kind: "error", message: `Cannot load Clerk sign-in: ${messageOf(error)}` };
    }
    signal.throwIfAborted();
    // Sign-in, sign-out and session switches all re-resolve.
    let signedIn = Boolean(clerk.user);
    this.#stopListening = clerk.addListener(({ user }) => {
      if (Boolean(user) !== signedIn) {
        signedIn = Boolean(user);
        this.#rerun();
      }
    });
    if (!clerk.user) return { kind: "signed-out", via: "clerk", clerk };
    const client = new NotebookClient({ baseUrl: apiUrl, getToken: clerkTokenProvider(clerk) });
    const state = await this.#signedIn(client, "clerk", signal);
    return state.kind === "signed-in" ? { ...state, clerk } : state;
  }

  async #signedIn(
    client: NotebookClient,
    method: "host" | "clerk" | "dev",
    signal: AbortSignal,
  ): Promise<AuthState> {
    try {
      const me = await client.me({ signal, maxRetries: 1 });
      return { kind: "signed-in", client, userId: me.userId, method };
    } catch (error) {
      signal.throwIfAborted();
      // A host-supplied client may use a token the element cannot check; trust it, unknown user.
      if (method === "host") return { kind: "signed-in", client, userId: null, method };
      return { kind: "error", message: `Sign-in failed: ${messageOf(error)}` };
    }
  }

  async #loadConfig(apiUrl: string, signal: AbortSignal): Promise<ClientConfig | undefined> {
    try {
      const config = await fetchConfig(apiUrl, signal);
      this.#callbacks.config(apiUrl, { config });
      return config;
    } catch (error) {
      signal.throwIfAborted();
      this.#callbacks.config(apiUrl, { error: messageOf(error) });
      return undefined;
    }
  }

  #report(state: AuthState): void {
    const detail: AuthChangeDetail =
      state.kind === "signed-in"
        ? { signedIn: true, userId: state.userId, method: state.method }
        : { signedIn: false, userId: null, method: null };
    if (
      detail.signedIn === this.#last.signedIn &&
      detail.userId === this.#last.userId &&
      detail.method === this.#last.method
    ) {
      return;
    }
    this.#last = detail;
    this.#callbacks.change(detail);
  }
}

/** Sign-ins kept in memory when localStorage is unavailable. */
const sessionUser = new Map<string, string>();

function storedDevUser(apiUrl: string): string | null {
  try {
    return localStorage.getItem(devUserKey(apiUrl)) ?? sessionUser.get(apiUrl) ?? null;
  } catch {
    return sessionUser.get(apiUrl) ?? null;
  }
}

/** `GET /api/v1/config` through the SDK (`client.config()`), or directly when the SDK predates it. */
async function fetchConfig(apiUrl: string, signal: AbortSignal): Promise<ClientConfig> {
  const client = new NotebookClient({
    baseUrl: apiUrl,
    maxRetries: 1,
    timeoutMs: 10_000,
  }) as NotebookClient & {
    config?: (options: { signal: AbortSignal }) => Promise<ClientConfig>;
  };
  if (typeof client.config === "function") return client.config({ signal });
  const response = await fetch(`${client.baseUrl}/api/v1/config`, { signal });
  if (!response.ok) throw new Error(`GET /api/v1/config answered HTTP ${response.status}`);
  return (await response.json()) as ClientConfig;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
