/**
 * `session.events()`: server events as an async iterator. Events are queued from the moment the iterator is
 * made, so none is missed between two `next()` calls; the iterator ends when its signal aborts, when
 * `return()` is called (a `break` out of `for await`), or when the session closes — throwing the
 * session's error if it closed because of one.
 */
import type { ServerEvent } from "@reactive-notebook/protocol";

/** What the stream needs from its session. */
export interface EventSource {
  /** Calls `listener` with every event until the returned function is called. */
  subscribe(listener: (event: ServerEvent) => void): () => void;
  /** Calls `listener` once when the session closes (at once if it already has), with its error if any. */
  onClose(listener: (error: unknown) => void): () => void;
}

export function eventStream(source: EventSource, signal?: AbortSignal): AsyncIterableIterator<ServerEvent> {
  const queue: ServerEvent[] = [];
  let ended: { error?: unknown } | undefined;
  let wake: (() => void) | undefined;

  const end = (error?: unknown) => {
    if (ended) return;
    ended = error === undefined ? {} : { error };
    unsubscribe();
    offClose();
    signal?.removeEventListener("abort", onAbort);
    wake?.();
  };
  const onAbort = () => {
    queue.length = 0;
    end();
  };
  const unsubscribe = source.subscribe((event) => {
    queue.push(event);
    wake?.();
  });
  const offClose = source.onClose((error) => end(error));
  if (signal?.aborted) onAbort();
  else signal?.addEventListener("abort", onAbort, { once: true });

  const iterator: AsyncIterableIterator<ServerEvent> = {
    async next() {
      for (;;) {
        const event = queue.shift();
        if (event) return { value: event, done: false };
        if (ended) {
          if (ended.error !== undefined) {
            const { error } = ended;
            ended = {};
            throw error;
          }
          return { value: undefined, done: true };
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    },
    async return() {
      end();
      queue.length = 0;
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
