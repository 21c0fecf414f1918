// What a notebook's session needs from the rest of the server, as narrow interfaces: the stored notebook, a
// place to save what runs leave on cells, and somewhere to publish events. The store and realtime layers
// implement them; tests can hand in plain objects.
import type { Output, ServerEvent } from "@reactive-notebook/protocol";
import type { CellResult, StoredCell, StoredNotebook } from "../store/index.js";

/** What a session reads of a stored cell: its source, analysis and last status. */
export type SessionCell = Pick<
  StoredCell,
  "id" | "type" | "code" | "name" | "status" | "reads" | "writes" | "analysisError"
>;

/** What a session reads of a stored notebook: its cells, with their last outputs (controls live there). */
export interface SessionNotebook extends Pick<StoredNotebook, "id" | "ownerId" | "revision"> {
  cells: (SessionCell & { outputs?: Output[] })[];
}

export interface SessionStore {
  loadNotebook(notebookId: string): Promise<SessionNotebook | null>;
  /** With `fence`, refused once a newer kernel lease was claimed on the notebook. */
  saveCellResult(notebookId: string, cellId: string, result: CellResult, fence?: number): Promise<void>;
  commitResults(): void;
  /** Rewrites a cell's stored outputs with `change` (a control's new value); with `fence`, as above. */
  updateCellOutputs(
    notebookId: string,
    cellId: string,
    change: (outputs: Output[]) => Output[],
    fence?: number,
  ): Promise<void>;
}

/** Sends one event to every socket of the notebook (here and on other instances). Never waits on sockets. */
export type Publish = (notebookId: string, event: ServerEvent) => void;

export interface SessionLogger {
  error(o: object, msg?: string): void;
  warn(o: object, msg?: string): void;
}
