// Free functions over the graph's edges: reachability and a deterministic topological order.
import { stronglyConnectedComponents } from "./cycles.js";
import type { GraphView } from "./types.js";

/** Every cell reachable from `ids` along child (descendants) or parent (ancestors) edges, `ids` included. */
export function transitiveClosure(
  graph: GraphView,
  ids: Iterable<string>,
  direction: "children" | "parents",
): Set<string> {
  const seen = new Set<string>();
  const pending = [...ids].filter((id) => graph.has(id));
  for (const id of pending) seen.add(id);
  while (pending.length > 0) {
    const id = pending.pop()!;
    const next = direction === "children" ? graph.children(id) : graph.parents(id);
    for (const other of next) {
      if (!seen.has(other)) {
        seen.add(other);
        pending.push(other);
      }
    }
  }
  return seen;
}

/**
 * Kahn's algorithm over the cells `ids` and the edges among them; of the cells that are ready, the one
 * earliest in the notebook goes first, so the same notebook always runs in the same order. If cycles
 * leave cells unready, the earliest cycle is released whole (its cells in notebook order) and the sort goes
 * on, so every cell is returned and every edge outside a cycle is respected.
 */
export function topologicalSort(graph: GraphView, ids: Iterable<string>): string[] {
  const members = new Set([...ids].filter((id) => graph.has(id)));
  const waitingOn = new Map<string, number>();
  const ready = new MinHeap();
  for (const id of members) {
    let count = 0;
    for (const parent of graph.parents(id)) if (members.has(parent)) count++;
    waitingOn.set(id, count);
    if (count === 0) ready.push(graph.indexOf(id), id);
  }
  const order: string[] = [];
  const release = (id: string) => {
    if (!waitingOn.delete(id)) return; // already released with its cycle
    order.push(id);
    for (const child of graph.children(id)) {
      const count = waitingOn.get(child);
      if (count === undefined) continue;
      waitingOn.set(child, count - 1);
      if (count === 1) ready.push(graph.indexOf(child), child);
    }
  };
  while (waitingOn.size > 0) {
    const id = ready.pop();
    if (id !== undefined) release(id);
    else for (const member of firstCycle(graph, new Set(waitingOn.keys()))) release(member);
  }
  return order;
}

/**
 * When only cycles (and what they feed) remain: the cycle nothing else remaining feeds, earliest in the
 * notebook. Releasing it whole keeps every cell downstream of it after it.
 */
function firstCycle(graph: GraphView, remaining: ReadonlySet<string>): string[] {
  let best: string[] | undefined;
  for (const component of stronglyConnectedComponents(graph, remaining)) {
    const inside = new Set(component);
    const fed = component.some((id) => graph.parents(id).some((p) => remaining.has(p) && !inside.has(p)));
    if (!fed && (!best || graph.indexOf(component[0]!) < graph.indexOf(best[0]!))) best = component;
  }
  return best!;
}

/** A binary min-heap of ids keyed by notebook position. */
class MinHeap {
  #keys: number[] = [];
  #ids: string[] = [];

  push(key: number, id: string): void {
    let i = this.#keys.length;
    this.#keys.push(key);
    this.#ids.push(id);
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (this.#keys[up]! <= key) break;
      this.#swap(i, up);
      i = up;
    }
  }

  pop(): string | undefined {
    if (this.#ids.length === 0) return undefined;
    const top = this.#ids[0];
    const lastKey = this.#keys.pop()!;
    const lastId = this.#ids.pop()!;
    if (this.#ids.length > 0) {
      this.#keys[0] = lastKey;
      this.#ids[0] = lastId;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let least = i;
        if (left < this.#keys.length && this.#keys[left]! < this.#keys[least]!) least = left;
        if (right < this.#keys.length && this.#keys[right]! < this.#keys[least]!) least = right;
        if (least === i) break;
        this.#swap(i, least);
        i = least;
      }
    }
    return top;
  }

  #swap(a: number, b: number): void {
    [this.#keys[a], this.#keys[b]] = [this.#keys[b]!, this.#keys[a]!];
    [this.#ids[a], this.#ids[b]] = [this.#ids[b]!, this.#ids[a]!];
  }
}
