// Why a cell cannot run because of the graph alone: its analysis failed, it shares a name, or it is on a cycle.
import { type CycleThrough, findCycles } from "./cycles.js";
import type { CellError, GraphView } from "./types.js";

/**
 * The graph errors of every cell, at most one per cell, in this order of precedence: the analysis error
 * (e.g. a SyntaxError), `MultipleDefinitionError` (names each shared name and the other cells), then
 * `CycleError` (lists the cycle through the cell and the names it flows through).
 */
export function graphErrors(graph: GraphView): Map<string, CellError> {
  const errors = new Map<string, CellError>();
  for (const id of graph.ids()) {
    const analysisError = graph.cell(id)?.analysisError;
    if (analysisError) errors.set(id, { name: analysisError.name, message: analysisError.message });
  }

  const shared = new Map<string, string[]>();
  for (const id of graph.ids()) {
    if (errors.has(id)) continue;
    for (const name of graph.cell(id)?.writes ?? []) {
      const others = graph.definers(name).filter((other) => other !== id);
      if (others.length > 0) shared.set(id, [...(shared.get(id) ?? []), describeShared(name, others)]);
    }
  }
  for (const [id, parts] of shared) {
    errors.set(id, { name: "MultipleDefinitionError", message: parts.join("; ") });
  }

  for (const [id, cycle] of findCycles(graph)) {
    if (errors.has(id)) continue;
    errors.set(id, { name: "CycleError", message: describeCycle(cycle) });
  }
  return errors;
}

function describeShared(name: string, others: readonly string[]): string {
  const cells = others.length === 1 ? `cell ${others[0]}` : `cells ${others.join(", ")}`;
  return `name '${name}' is also defined by ${cells}`;
}

/** "cells a → b → a form a cycle through names x, y"; long cycles and name lists are abbreviated. */
function describeCycle({ cells, at, names }: CycleThrough): string {
  const n = cells.length;
  const step = (k: number) => cells[(at + k) % n]!;
  const shown =
    n > LONG
      ? [...Array.from({ length: LONG - 2 }, (_, k) => step(k)), "…", step(n - 1), step(0)]
      : [...Array.from({ length: n }, (_, k) => step(k)), step(0)];
  const size = n > LONG ? ` (${n} cells)` : "";
  const listed = names.length > LONG ? [...names.slice(0, LONG), `… (${names.length} names)`] : names;
  return `cells ${shown.join(" → ")}${size} form a cycle through ${names.length === 1 ? "name" : "names"} ${listed.join(", ")}`;
}

/** Cycles longer than this are abbreviated, so a message stays readable and a ring of n cells costs O(n). */
const LONG = 8;
