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
  /** JSON of CellError, or null. */
  error: string | null;
  /** JSON arrays of names. */
  reads: string;
  writes: string;
  execution_count: number | null;
  last_run_ms: number | null;
  created_at: string;
  updated_at: string;
}

export interface StoreSchema {
  notebooks: NotebooksTable;
  cells: CellsTable;
}
