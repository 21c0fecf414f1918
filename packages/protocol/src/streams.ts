/** How a cell's streamed stdout/stderr is capped, the same on the server (what it stores) and in the SDK (what it shows). */
import { STREAM_CAP_BYTES, TRUNCATED_MARKER } from "./limits.js";

/** The line a capped stream starts with; the newest text follows it. */
export const TRUNCATED_LINE = `${TRUNCATED_MARKER}\n`;

/**
 * `current` with `text` appended, keeping the newest text behind {@link TRUNCATED_LINE} once the whole
 * passes `cap` (API.md: 256 KiB by default). The cap counts UTF-16 code units, a close, cheap stand-in for bytes.
 */
export function appendCapped(current: string, text: string, cap: number = STREAM_CAP_BYTES): string {
  const joined = current + text;
  if (joined.length <= cap) return joined;
  const body = joined.startsWith(TRUNCATED_LINE) ? joined.slice(TRUNCATED_LINE.length) : joined;
  return TRUNCATED_LINE + body.slice(body.length - (cap - TRUNCATED_LINE.length));
}
