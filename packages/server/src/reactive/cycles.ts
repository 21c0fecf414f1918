// Finds the cells that sit on a dependency cycle and, for each, the shortest cycle through it.
import type { GraphView } from "./types.js";

/** A cycle as seen from one of its cells: `cells` is the ring once (shared by its cells), `at` is the cell. */
export interface CycleThrough {
  readonly cells: readonly string[];
  readonly at: number;
  /** The names that flow along the ring, sorted. */
  readonly names: readonly string[];
}

/**
 * Every cell on a cycle → a shortest cycle through it. Cells are found with Tarjan's strongly connected
 * components (iterative, so a long chain cannot overflow the stack); a component of two or more cells is a
 * cycle. Self-reads are not edges (a cell reading a name only it writes is `x = x + 1`, not a cycle).
 * A ring found for one cell serves every cell on it, so a ring of n cells costs one search, not n.
 */
export function findCycles(graph: GraphView): Map<string, CycleThrough> {
  const cycles = new Map<string, CycleThrough>();
  for (const component of stronglyConnectedComponents(graph)) {
    if (component.length < 2) continue;
    const members = new Set(component);
    for (const id of component) {
      if (cycles.has(id)) continue;
      const cells = shortestCycle(graph, id, members);
      const names = namesAlong(graph, cells);
      cells.forEach((cell, at) => {
        if (!cycles.has(cell)) cycles.set(cell, { cells, at, names });
      });
    }
  }
  return cycles;
}

/** The cycle starting and ending at its cell, e.g. ["b", "c", "a", "b"]. */
export function cyclePath(cycle: CycleThrough): string[] {
  const { cells, at } = cycle;
  return [...cells.slice(at), ...cells.slice(0, at), cells[at]!];
}

function namesAlong(graph: GraphView, ring: readonly string[]): string[] {
  const names = new Set<string>();
  ring.forEach((from, i) => {
    const reads = new Set(graph.cell(ring[(i + 1) % ring.length]!)?.reads ?? []);
    for (const name of graph.cell(from)?.writes ?? []) if (reads.has(name)) names.add(name);
  });
  return [...names].sort();
}

/**
 * Tarjan's algorithm over the whole graph, or over the cells `within` and the edges among them;
 * components come out in reverse topological order, each sorted by notebook order.
 */
export function stronglyConnectedComponents(graph: GraphView, within?: ReadonlySet<string>): string[][] {
  const childrenOf = (id: string) => {
    const children = graph.children(id);
    return within ? children.filter((child) => within.has(child)) : children;
  };
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;

  for (const root of within ?? graph.ids()) {
    if (index.has(root)) continue;
    // Each frame is a cell and how many of its children have been visited so far.
    const frames: Array<{ id: string; next: number }> = [{ id: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const children = childrenOf(frame.id);
      if (frame.next < children.length) {
        const child = children[frame.next++]!;
        if (!index.has(child)) {
          index.set(child, counter);
          low.set(child, counter++);
          stack.push(child);
          onStack.add(child);
          frames.push({ id: child, next: 0 });
        } else if (onStack.has(child)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(child)!));
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.id);
        components.push(component.sort((a, b) => graph.indexOf(a) - graph.indexOf(b)));
      }
    }
  }
  return components;
}

/** Breadth-first search from `start` back to itself inside its component; ties follow notebook order. */
function shortestCycle(graph: GraphView, start: string, members: ReadonlySet<string>): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head]!;
    for (const child of graph.children(id)) {
      if (!members.has(child)) continue;
      if (child === start) {
        const ring = [];
        for (let at = id; at !== start; at = cameFrom.get(at)!) ring.push(at);
        ring.push(start);
        return ring.reverse();
      }
      if (!cameFrom.has(child)) {
        cameFrom.set(child, id);
        queue.push(child);
      }
    }
  }
  return [start]; // unreachable for a component of two or more cells
}
