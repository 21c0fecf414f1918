/** The public events `<reactive-notebook>` fires (all bubble and cross shadow roots) and the `detail` each carries. */
import type { CellError, CellStatus } from "@reactive-notebook/sdk";

/** Where the element stands with its service, as learnt from `GET /api/v1/config`. */
export type ServiceStatus =
  | { state: "connected"; apiUrl: string; version: string; authMode: "dev" | "clerk" }
  | { state: "error"; apiUrl: string; message: string };

/** `notebook-loaded`: the notebook's live session said hello (also after a reconnect). */
export interface NotebookLoadedDetail {
  notebookId: string;
  name: string;
  cellCount: number;
  revision: number;
}

/** `notebook-renamed`: the notebook's name changed (renamed in place here, or by another client). */
export interface NotebookRenamedDetail {
  notebookId: string;
  name: string;
}

/** `cell-run`: a cell finished running (`success` or `error`). */
export interface CellRunDetail {
  notebookId: string;
  cellId: string;
  status: Extract<CellStatus, "success" | "error">;
}

/** `cell-error`: a cell's run raised (or the graph refused it: a cycle, a name defined twice). */
export interface CellErrorDetail {
  notebookId: string;
  cellId: string;
  error: CellError;
}

/** `auth-change`: the user signed in or out (or the host's `getToken` / `client` changed). */
export interface AuthChangeDetail {
  signedIn: boolean;
  /** The user id the service reports (`GET /api/v1/me`), or null when signed out. */
  userId: string | null;
  /** How the user is signed in: the host's token/client, Clerk, or the dev token route. */
  method: "host" | "clerk" | "dev" | null;
}

/** `notebook-open`: the user opened a notebook from the element's list (or went back to it: `notebookId: null`). */
export interface NotebookOpenDetail {
  notebookId: string | null;
}

declare module "../internal/notebook-element.js" {
  interface NotebookEventMap {
    "service-status": ServiceStatus;
    "notebook-loaded": NotebookLoadedDetail;
    "notebook-renamed": NotebookRenamedDetail;
    "cell-run": CellRunDetail;
    "cell-error": CellErrorDetail;
    "auth-change": AuthChangeDetail;
    "notebook-open": NotebookOpenDetail;
  }
}

declare global {
  interface HTMLElementEventMap {
    "service-status": CustomEvent<ServiceStatus>;
    "notebook-loaded": CustomEvent<NotebookLoadedDetail>;
    "notebook-renamed": CustomEvent<NotebookRenamedDetail>;
    "cell-run": CustomEvent<CellRunDetail>;
    "cell-error": CustomEvent<CellErrorDetail>;
    "auth-change": CustomEvent<AuthChangeDetail>;
    "notebook-open": CustomEvent<NotebookOpenDetail>;
  }
}
