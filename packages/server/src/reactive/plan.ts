// Choosing what a run executes: one pure function from the graph and what is up to date to an ordered list.

import { topologicalSort, transitiveClosure } from "./topology.js";
import type { GraphView } from "./types.js";

/**
 * The cells a run of `targets` executes, in topological order (ties by notebook order): the targets, every
 * descendant of them, and every ancestor of those that is not fresh (stale, errored, blocked or never run
 * in this kernel) so that inputs exist before they are read. Cells in a graph error are left out: they
 * cannot run, and the scheduler blocks whatever reads from them.
 */
export function planRun(
  graph: GraphView,
  targets: Iterable<string>,
  isFresh: (id: string) => boolean,
): string[] {
  const errors = graph.errors();
  const wanted = transitiveClosure(graph, targets, "children");
  const chosen = new Set(wanted);
  for (const id of transitiveClosure(graph, wanted, "parents"))
    if (!wanted.has(id) && !isFresh(id)) chosen.add(id);
  return topologicalSort(graph, chosen).filter((id) => !errors.has(id));
}
