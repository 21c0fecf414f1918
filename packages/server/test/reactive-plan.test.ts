// Choosing what a run executes, as a table: notebook + which cells are fresh + targets → cells in run order.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DependencyGraph, planRun } from "../src/reactive/index.js";
import { cell } from "./helpers/cells.js";

interface PlanCase {
  name: string;
  cells: string[];
  /** Cells that succeeded in this kernel (all others are stale, errored or never ran). */
  fresh: string[] | "all";
  run: string[];
  expect: string[];
}

const chain = ["a: -> x", "b: x -> y", "c: y -> z"];
const diamond = ["a: -> x", "b: x -> y", "c: x -> z", "d: y, z -> w"];

const cases: PlanCase[] = [
  {
    name: "running the root of a fresh chain runs the whole chain",
    cells: chain,
    fresh: "all",
    run: ["a"],
    expect: ["a", "b", "c"],
  },
  {
    name: "running the middle of a fresh chain runs it and below",
    cells: chain,
    fresh: "all",
    run: ["b"],
    expect: ["b", "c"],
  },
  {
    name: "running the leaf of a fresh chain runs only the leaf",
    cells: chain,
    fresh: "all",
    run: ["c"],
    expect: ["c"],
  },
  {
    name: "a leaf whose ancestors never ran runs them first",
    cells: chain,
    fresh: [],
    run: ["c"],
    expect: ["a", "b", "c"],
  },
  { name: "only the stale ancestors run first", cells: chain, fresh: ["a"], run: ["c"], expect: ["b", "c"] },
  {
    name: "a stale grandparent runs even if the parent is fresh",
    cells: chain,
    fresh: ["b"],
    run: ["c"],
    expect: ["a", "c"],
  },
  {
    name: "a diamond's root runs all four once",
    cells: diamond,
    fresh: "all",
    run: ["a"],
    expect: ["a", "b", "c", "d"],
  },
  {
    name: "one branch of a diamond runs that branch and the join",
    cells: diamond,
    fresh: "all",
    run: ["c"],
    expect: ["c", "d"],
  },
  {
    name: "the join's stale other branch runs before the join",
    cells: diamond,
    fresh: ["a", "c", "d"],
    run: ["c"],
    expect: ["b", "c", "d"],
  },
  {
    name: "siblings of a stale ancestor are not dragged in",
    cells: ["a: -> x", "b: x -> y", "s: x -> q"],
    fresh: [],
    run: ["b"],
    expect: ["a", "b"],
  },
  {
    name: "unrelated cells never run",
    cells: ["a: -> x", "u: -> q", "b: x ->"],
    fresh: [],
    run: ["b"],
    expect: ["a", "b"],
  },
  {
    name: "running everything follows the topological order",
    cells: ["c: y -> z", "b: x -> y", "a: -> x", "u: -> q"],
    fresh: "all",
    run: ["c", "b", "a", "u"],
    expect: ["a", "b", "c", "u"],
  },
  {
    name: "several targets share descendants, each once",
    cells: ["a: -> x", "b: -> y", "c: x, y ->"],
    fresh: "all",
    run: ["b", "a"],
    expect: ["a", "b", "c"],
  },
  {
    name: "cells in a multiple definition are left out; the reader still plans",
    cells: ["a: -> x", "b: -> x", "c: x ->"],
    fresh: [],
    run: ["c"],
    expect: ["c"],
  },
  {
    name: "cells on a cycle are left out but what they feed is planned",
    cells: ["a: y -> x", "b: x -> y", "c: x ->"],
    fresh: [],
    run: ["a"],
    expect: ["c"],
  },
  { name: "a target that does not exist plans nothing", cells: chain, fresh: "all", run: ["zz"], expect: [] },
  { name: "nothing to run plans nothing", cells: chain, fresh: "all", run: [], expect: [] },
];

/** Generated: for chains of every length, running cell k with the first f cells fresh. */
function generated(): PlanCase[] {
  const out: PlanCase[] = [];
  for (let n = 1; n <= 8; n++) {
    const cells = Array.from({ length: n }, (_, i) => `c${i}: ${i === 0 ? "" : `v${i - 1}`} -> v${i}`);
    for (let k = 0; k < n; k++) {
      for (let f = 0; f <= n; f++) {
        const fresh = Array.from({ length: f }, (_, i) => `c${i}`);
        const expect = Array.from({ length: n }, (_, i) => `c${i}`).filter((_, i) => i >= k || i >= f);
        out.push({
          name: `chain of ${n}, run c${k}, first ${f} fresh`,
          cells,
          fresh,
          run: [`c${k}`],
          expect,
        });
      }
    }
  }
  return out;
}

describe("planRun", () => {
  for (const c of [...cases, ...generated()]) {
    test(c.name, () => {
      const graph = new DependencyGraph(c.cells.map(cell));
      const fresh = c.fresh === "all" ? () => true : (id: string) => (c.fresh as string[]).includes(id);
      assert.deepEqual(planRun(graph, c.run, fresh), c.expect);
    });
  }
});
