/**
 * Spaces out a stream of values: the first goes at once, then at most one per `intervalMs` (always the
 * latest), and `flush()` sends the newest value now. A dragged slider fires dozens of `input` events a
 * second; each value sent re-runs the cells that read the control, so the service gets a few a second and
 * always the value the person let go at.
 */
export class Throttle<T> {
  readonly #intervalMs: number;
  readonly #send: (value: T) => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastSentAt = Number.NEGATIVE_INFINITY;
  #waiting: { value: T } | undefined;

  constructor(intervalMs: number, send: (value: T) => void) {
    this.#intervalMs = intervalMs;
    this.#send = send;
  }

  /** Whether a value waits for its turn. */
  get pending(): boolean {
    return this.#waiting !== undefined;
  }

  /** Offers a value: sent now when the last send is `intervalMs` old, else when it is (unless replaced). */
  push(value: T): void {
    this.#waiting = { value };
    const wait = this.#lastSentAt + this.#intervalMs - performance.now();
    if (wait <= 0) this.flush();
    else this.#timer ??= setTimeout(() => this.flush(), wait);
  }

  /** Sends the waiting value, if any, now. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const waiting = this.#waiting;
    if (!waiting) return;
    this.#waiting = undefined;
    this.#lastSentAt = performance.now();
    this.#send(waiting.value);
  }

  /** Drops the waiting value. */
  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#waiting = undefined;
  }
}
