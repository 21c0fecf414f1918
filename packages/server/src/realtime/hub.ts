// The sockets of each notebook on this instance, and delivery of one serialized event to all of them.
// Delivery never waits on a socket: each one queues the frame or, when too far behind, is closed.

/** What the hub needs from a socket's session. */
export interface Subscriber {
  /** Queues one serialized event (never blocks); `revision` is the notebook revision it carries. */
  deliver(data: string, revision: number): void;
}

export class NotebookHub<S extends Subscriber = Subscriber> {
  readonly #notebooks = new Map<string, Set<S>>();

  /** Adds a subscriber; true when it is the notebook's first on this instance. */
  add(notebookId: string, subscriber: S): boolean {
    let set = this.#notebooks.get(notebookId);
    const first = !set;
    if (!set) {
      set = new Set();
      this.#notebooks.set(notebookId, set);
    }
    set.add(subscriber);
    return first;
  }

  /** Removes a subscriber; true when it was the notebook's last on this instance. */
  remove(notebookId: string, subscriber: S): boolean {
    const set = this.#notebooks.get(notebookId);
    if (!set?.delete(subscriber)) return false;
    if (set.size > 0) return false;
    this.#notebooks.delete(notebookId);
    return true;
  }

  deliver(notebookId: string, data: string, revision: number): void {
    const set = this.#notebooks.get(notebookId);
    if (!set) return;
    // A copy: a subscriber closed for being slow leaves the set while we iterate.
    for (const subscriber of [...set]) subscriber.deliver(data, revision);
  }

  count(notebookId: string): number {
    return this.#notebooks.get(notebookId)?.size ?? 0;
  }

  subscribers(notebookId: string): S[] {
    return [...(this.#notebooks.get(notebookId) ?? [])];
  }
}
