// The messages between the server and a sample database process (over the IPC channel): one cell to run,
// and its result. The snapshot itself travels on the process's stdin (serve) or stdout (build).

export interface RunMessage {
  type: "run";
  id: number;
  statements: { text: string; params: unknown[] }[];
  maxRows: number;
  /** The kept rows may take at most this many bytes as JSON. */
  maxBytes: number;
}

export interface CellFailure {
  message: string;
  statementIndex?: number;
  position?: number;
  code?: string;
  detail?: string;
  hint?: string;
  kind?: "query" | "too-large";
}

export type ResultMessage =
  | {
      type: "result";
      id: number;
      ok: true;
      command: string;
      columns: { name: string; typeOid: number }[];
      rows: unknown[][];
      rowCount: number | null;
    }
  | { type: "result"; id: number; ok: false; error: CellFailure };

export type FromSample = { type: "ready"; ms: number } | ResultMessage;
