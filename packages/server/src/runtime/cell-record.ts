// What one run leaves on a cell: streamed stdout/stderr (capped, tail kept), outputs, error, timing.
// The session folds scheduler events into these records and persists them when a cell settles.
import { STREAM_CAP_BYTES, TRUNCATED_MARKER } from "@reactive-notebook/protocol";

export interface CellRunRecord {
  stdout: string;
  stderr: string;
  outputs: unknown[];
  error: { name: string; message: string; traceback?: string } | null;
  startedAt: number | null;
}

export function emptyRecord(): CellRunRecord {
  return { stdout: "", stderr: "", outputs: [], error: null, startedAt: null };
}

const MARKER = `${TRUNCATED_MARKER}\n`;

/**
 * Appends `text` to a capped stream (API.md: 256 KiB by default), keeping the newest text behind the
 * truncation marker. The cap counts UTF-16 code units, a close and cheap stand-in for bytes.
 */
export function appendCapped(current: string, text: string, cap = STREAM_CAP_BYTES): string {
  const joined = current + text;
  if (joined.length <= cap) return joined;
  const body = joined.startsWith(MARKER) ? joined.slice(MARKER.length) : joined;
  return MARKER + body.slice(body.length - (cap - MARKER.length));
}
