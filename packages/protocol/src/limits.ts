/** The numeric limits and fixed codes of the wire contract (API.md), shared by the schemas, the server and the SDK. */

/** Version of this wire contract; bumped on any incompatible change (new enum values included). */
export const PROTOCOL_VERSION = "1.0.0" as const;

/** Every REST route except `/health` lives under this prefix. */
export const API_PREFIX = "/api/v1" as const;

/** Longest accepted cell `code`, in characters (API.md: 256 KiB). */
export const MAX_CODE_LENGTH = 262_144;

/** Longest accepted notebook or cell name, in characters (our choice; API.md is silent). */
export const MAX_NAME_LENGTH = 200;

/** Longest accepted user id in the dev token request, in characters. */
export const MAX_USER_ID_LENGTH = 200;

/** Longest accepted database connection string, in characters. */
export const MAX_CONNECTION_STRING_LENGTH = 4096;

/** Most cells accepted in one `POST /notebooks` body. */
export const MAX_CELLS_PER_NOTEBOOK = 1000;

/** Default limit of a request body, in bytes (API.md: 1 MiB). */
export const MAX_BODY_BYTES = 1_048_576;

/** Default cap of a cell's `stdout`/`stderr`, in bytes; the tail is kept behind a marker. */
export const STREAM_CAP_BYTES = 262_144;

/**
 * Most rich outputs (displays) one cell run keeps. Past it, or past MAX_CELL_OUTPUT_BYTES, the cell shows one
 * "output truncated" note and later displays are dropped.
 */
export const MAX_CELL_OUTPUTS = 1000;

/** Most characters of outputs (each output's JSON) and streamed text one cell run keeps, together (8 MiB). */
export const MAX_CELL_OUTPUT_BYTES = 8 * 1024 * 1024;

/** Largest single output, as JSON text (4 MiB); the kernel shows a note instead of a larger one. */
export const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

/** Deepest JSON nesting of one output (its data and metadata together). */
export const MAX_OUTPUT_DEPTH = 64;

/** The marker that starts a capped `stdout`/`stderr`. */
export const TRUNCATED_MARKER = "[truncated]";

/** Default number of rows an SQL cell's table output shows. */
export const SQL_ROW_LIMIT = 1000;

/** Time a WebSocket client has to send its first `auth` frame. */
export const WS_AUTH_TIMEOUT_MS = 5000;

/** WebSocket close codes of the contract. */
export const WsCloseCode = {
  /** No valid `auth` frame in time, or the token expired without being refreshed. */
  unauthorized: 4401,
  /** The notebook belongs to another user. */
  forbidden: 4403,
  /** No such notebook. */
  notFound: 4404,
} as const;
export type WsCloseCode = (typeof WsCloseCode)[keyof typeof WsCloseCode];
