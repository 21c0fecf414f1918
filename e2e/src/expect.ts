/** Polling assertions for things that settle over time (a kernel run, a live update), without fixed sleeps. */

/**
 * Polls `read` until `accept` holds or `timeoutMs` passes, then throws with the last value read.
 * Errors from `read` (an element not there yet) count as "not yet".
 */
export async function expect<T>(
  read: () => Promise<T> | T,
  accept: (value: T) => boolean,
  { timeoutMs = 30_000, message = "" }: { timeoutMs?: number; message?: string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  let delay = 50;
  for (;;) {
    try {
      last = await read();
      lastError = undefined;
      if (accept(last)) return last;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const seen = lastError
        ? `error: ${lastError instanceof Error ? lastError.message : String(lastError)}`
        : JSON.stringify(last);
      throw new Error(`${message || "condition"} not met within ${timeoutMs} ms; last seen: ${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 500);
  }
}
