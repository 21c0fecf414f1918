/**
 * The `wait` option of the run routes (`POST …/run?wait=S`): the service holds its answer until the run ends
 * (200 with every cell the run touched) or S seconds pass (202 with the run id), so the attempt's timeout
 * must outlast S.
 */
import type { RequestOptions, RequestSender } from "../request.js";

/** Options of a run call that waits for the run to end. */
export interface RunWaitOptions extends RequestOptions {
  /** Seconds to wait for the run to end before answering with just its id (at most 60, as API.md says). */
  wait: number;
}

/** Time the service gets to answer after its wait runs out (it still has to write the answer). */
const ANSWER_MARGIN_MS = 15_000;

/** The query and per-attempt timeout of a run request, with or without `wait`. */
export function runRequestParts(
  sender: RequestSender,
  options: RequestOptions | RunWaitOptions | undefined,
): { query?: Record<string, string>; options?: RequestOptions } {
  if (options === undefined || !("wait" in options) || options.wait === undefined) return { options };
  const { wait, ...rest } = options;
  const timeoutMs = Math.max(rest.timeoutMs ?? sender.config.timeoutMs, wait * 1000 + ANSWER_MARGIN_MS);
  return { query: { wait: String(wait) }, options: { ...rest, timeoutMs } };
}
