// The tables of the notebook store as Kysely sees them. Both drivers share these shapes: times are ISO-8601
// text, JSON values are stored as text, so SQLite and PostgreSQL rows read back identically.
export interface NotebooksTable {
  id: string;
  owner_id: string;
  name: string;
  revision: number;
  created_at: string;
  updated_at: string;
  /** The notebook's encrypted SQL connection string (opaque text written by the sql layer), or null. */
  database_secret: string | null;
  /** JSON of DatabaseInfo without `configured` (host, database, user), or null when none is set. */
  database_info: string | null;
  /**
   * The fencing token of the newest kernel lease taken on this notebook (0: never, or one instance alone).
   * Results saved under an older token are refused: their writer lost the lease.
   */
  kernel_fence: number;
}

export interface CellsTable {
  id: string;
  notebook_id: string;
  position: number;
  type: string;
  code: string;
  name: string | null;
  status: string;
  stdout: string;
  stderr: string;
  /** JSON array of Output. */
  outputs: string;
  /** JSON of the CellError of the cell's last run or graph state, or null. */
  error: string | null;
  /**
   * JSON of the CellError the analysis of the cell's source found (SyntaxError, ImportStarError...), or
   * null. Set and cleared by analysis alone; while set the cell is in `error` and cannot run.
   */
  analysis_error: string | null;
  /** With status `blocked`: the upstream cell whose error stops this one. */
  blocked_by: string | null;
  /** JSON arrays of names. */
  reads: string;
  writes: string;
  execution_count: number | null;
  last_run_ms: number | null;
  created_at: string;
  updated_at: string;
}

/** One `Idempotency-Key` a user sent with a POST/PUT: the request it was first used for and its answer. */
export interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  /** Method, path and a hash of the body of the first request, so a reuse for another request is caught. */
  fingerprint: string;
  /** Null while the first request is still being answered. */
  status_code: number | null;
  /** The first answer's body (JSON text, or "" for none). */
  response_body: string | null;
  created_at: string;
  /** ISO time after which the key is forgotten (24 h after first use). */
  expires_at: string;
}

export interface StoreSchema {
  notebooks: NotebooksTable;
  cells: CellsTable;
  idempotency_keys: IdempotencyKeysTable;
}
