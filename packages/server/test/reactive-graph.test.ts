// The dependency graph as a table of notebooks: cells (what they read and write) → edges, order, graph errors.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  cyclePath,
  DependencyGraph,
  findCycles,
  type SchedulerCell,
  topologicalSort,
} from "../src/reactive/index.js";
import { cell } from "./helpers/cells.js";

type Change =
  | { edit: string } // a new spec for an existing cell, e.g. { edit: "b: -> z" }
  | { insert: string; at: number }
  | { remove: string }
  | { move: string; to: number };

interface GraphCase {
  name: string;
  cells: string[];
  changes?: Change[];
  /** Parents of each listed cell (cells not listed: none, checked for every cell). */
  parents?: Record<string, string[]>;
  order?: string[];
  /** Cells in each graph error, by error name. */
  multipleDefinition?: string[];
  cycle?: string[];
  analysis?: string[];
  messages?: Record<string, RegExp>;
}

function build(c: GraphCase): DependencyGraph {
  const graph = new DependencyGraph(c.cells.map(cell));
  for (const change of c.changes ?? []) {
    if ("edit" in change) {
      const next = cell(change.edit);
      graph.update(next.id, next);
    } else if ("insert" in change) graph.insert(cell(change.insert), change.at);
    else if ("remove" in change) graph.remove(change.remove);
    else graph.move(change.move, change.to);
  }
  return graph;
}

function cellsWith(graph: DependencyGraph, errorName: string): string[] {
  return [...graph.errors()].filter(([, e]) => e.name === errorName).map(([id]) => id);
}

function check(c: GraphCase): void {
  const graph = build(c);
  for (const id of graph.ids()) {
    const parents = c.parents?.[id] ?? [];
    assert.deepEqual(graph.parents(id), parents, `parents of ${id}`);
    for (const parent of parents)
      assert.ok(graph.children(parent).includes(id), `${parent} → ${id} child edge`);
  }
  const edgeCount = graph.ids().reduce((n, id) => n + graph.children(id).length, 0);
  assert.equal(edgeCount, Object.values(c.parents ?? {}).flat().length, "children mirror parents");
  if (c.order) assert.deepEqual(topologicalSort(graph, graph.ids()), c.order, "topological order");
  assert.deepEqual(
    cellsWith(graph, "MultipleDefinitionError"),
    c.multipleDefinition ?? [],
    "multiple definitions",
  );
  assert.deepEqual(cellsWith(graph, "CycleError"), c.cycle ?? [], "cycles");
  assert.deepEqual(cellsWith(graph, "SyntaxError"), c.analysis ?? [], "analysis errors");
  for (const [id, pattern] of Object.entries(c.messages ?? {}))
    assert.match(graph.errors().get(id)?.message ?? "", pattern);
}

const cases: GraphCase[] = [
  { name: "an empty notebook", cells: [], order: [] },
  { name: "a lone cell", cells: ["a: -> x"], order: ["a"] },
  {
    name: "independent cells keep notebook order",
    cells: ["a: -> x", "b: -> y", "c: -> z"],
    order: ["a", "b", "c"],
  },
  {
    name: "a chain x → y → z",
    cells: ["a: -> x", "b: x -> y", "c: y -> z"],
    parents: { b: ["a"], c: ["b"] },
    order: ["a", "b", "c"],
  },
  {
    name: "a chain written bottom-up still runs top-down in the graph's order",
    cells: ["c: y -> z", "b: x -> y", "a: -> x"],
    parents: { b: ["a"], c: ["b"] },
    order: ["a", "b", "c"],
  },
  {
    name: "a diamond",
    cells: ["a: -> x", "b: x -> y", "c: x -> z", "d: y, z -> w"],
    parents: { b: ["a"], c: ["a"], d: ["b", "c"] },
    order: ["a", "b", "c", "d"],
  },
  {
    name: "a diamond whose branches are out of notebook order",
    cells: ["d: y, z -> w", "c: x -> z", "b: x -> y", "a: -> x"],
    parents: { b: ["a"], c: ["a"], d: ["c", "b"] },
    order: ["a", "c", "b", "d"],
  },
  {
    name: "fan-out from one cell",
    cells: ["a: -> x", "b: x ->", "c: x ->", "d: x ->"],
    parents: { b: ["a"], c: ["a"], d: ["a"] },
    order: ["a", "b", "c", "d"],
  },
  {
    name: "fan-in to one cell",
    cells: ["d: x, y, z ->", "a: -> x", "b: -> y", "c: -> z"],
    parents: { d: ["a", "b", "c"] },
    order: ["a", "b", "c", "d"],
  },
  {
    name: "one cell defining several names read by several cells",
    cells: ["a: -> x, y", "b: y ->", "c: x ->"],
    parents: { b: ["a"], c: ["a"] },
    order: ["a", "b", "c"],
  },
  {
    name: "reading a name nobody defines makes no edge",
    cells: ["a: undefined_name -> x", "b: x ->"],
    parents: { b: ["a"] },
    order: ["a", "b"],
  },
  {
    name: "a cell reading a name only it writes is not its own parent (x = x + 1)",
    cells: ["a: x -> x"],
    order: ["a"],
  },
  {
    name: "a ready cell later in the notebook waits for an earlier ready cell",
    cells: ["a: -> x", "b: x -> y", "c: -> z", "d: y ->"],
    parents: { b: ["a"], d: ["b"] },
    order: ["a", "b", "c", "d"],
  },
  {
    name: "ties break by notebook order, not by depth",
    cells: ["c: y ->", "a: -> x", "b: x -> y", "e: -> q"],
    parents: { c: ["b"], b: ["a"] },
    order: ["a", "b", "c", "e"],
  },
  {
    name: "two cells defining a name are both in MultipleDefinitionError",
    cells: ["a: -> x", "b: -> x", "c: x ->"],
    parents: { c: ["a", "b"] },
    multipleDefinition: ["a", "b"],
    messages: { a: /name 'x' is also defined by cell b/, b: /name 'x' is also defined by cell a/ },
  },
  {
    name: "three cells defining a name name the two others",
    cells: ["a: -> x", "b: -> x", "c: -> x"],
    multipleDefinition: ["a", "b", "c"],
    messages: { b: /name 'x' is also defined by cells a, c/ },
  },
  {
    name: "a cell sharing two names lists both",
    cells: ["a: -> x, y", "b: -> x", "c: -> y"],
    multipleDefinition: ["a", "b", "c"],
    messages: { a: /name 'x' is also defined by cell b; name 'y' is also defined by cell c/ },
  },
  {
    name: "a multiple definition appears when an edit writes a taken name",
    cells: ["a: -> x", "b: -> y"],
    changes: [{ edit: "b: -> x" }],
    multipleDefinition: ["a", "b"],
  },
  {
    name: "a multiple definition is fixed by renaming",
    cells: ["a: -> x", "b: -> x", "c: x ->"],
    changes: [{ edit: "b: -> y" }],
    parents: { c: ["a"] },
    order: ["a", "b", "c"],
  },
  {
    name: "a multiple definition is fixed by deleting one definer",
    cells: ["a: -> x", "b: -> x", "c: x ->"],
    changes: [{ remove: "a" }],
    parents: { c: ["b"] },
    order: ["b", "c"],
  },
  {
    name: "a two-cell cycle",
    cells: ["a: y -> x", "b: x -> y"],
    parents: { a: ["b"], b: ["a"] },
    cycle: ["a", "b"],
    messages: {
      a: /^cells a → b → a form a cycle through names x, y$/,
      b: /^cells b → a → b form a cycle through names x, y$/,
    },
  },
  {
    name: "a three-cell cycle, and a cell downstream of it",
    cells: ["a: z -> x", "b: x -> y", "c: y -> z", "d: z ->"],
    parents: { a: ["c"], b: ["a"], c: ["b"], d: ["c"] },
    cycle: ["a", "b", "c"],
    order: ["a", "b", "c", "d"],
    messages: { b: /^cells b → c → a → b form a cycle through names x, y, z$/ },
  },
  {
    name: "two separate cycles",
    cells: ["a: y -> x", "b: x -> y", "c: -> free", "d: q -> p", "e: p -> q"],
    parents: { a: ["b"], b: ["a"], d: ["e"], e: ["d"] },
    cycle: ["a", "b", "d", "e"],
  },
  {
    name: "a figure-eight: each cell gets its own shortest cycle",
    cells: ["a: y, z -> x", "b: x -> y", "c: x -> z"],
    parents: { a: ["b", "c"], b: ["a"], c: ["a"] },
    cycle: ["a", "b", "c"],
    messages: {
      a: /^cells a → b → a form a cycle through names x, y$/,
      c: /^cells c → a → c form a cycle through names x, z$/,
    },
  },
  {
    name: "a cycle appears when an edit closes the loop",
    cells: ["a: -> x", "b: x -> y"],
    changes: [{ edit: "a: y -> x" }],
    parents: { a: ["b"], b: ["a"] },
    cycle: ["a", "b"],
  },
  {
    name: "a cycle is broken by an edit",
    cells: ["a: y -> x", "b: x -> y"],
    changes: [{ edit: "a: -> x" }],
    parents: { b: ["a"] },
    order: ["a", "b"],
  },
  {
    name: "a cycle is broken by deleting a cell on it",
    cells: ["a: z -> x", "b: x -> y", "c: y -> z"],
    changes: [{ remove: "b" }],
    parents: { c: [], a: ["c"] },
    order: ["c", "a"],
  },
  {
    name: "a cell whose analysis failed is in error and defines nothing",
    cells: ["a: !SyntaxError", "b: x ->"],
    analysis: ["a"],
  },
  {
    name: "an analysis error takes precedence over a multiple definition",
    cells: ["a: -> x", "b: -> x"],
    changes: [{ edit: "b: !SyntaxError" }],
    analysis: ["b"],
  },
  {
    name: "inserting a definer at the top gives readers a parent",
    cells: ["b: x -> y", "c: y ->"],
    changes: [{ insert: "a: -> x", at: 0 }],
    parents: { b: ["a"], c: ["b"] },
    order: ["a", "b", "c"],
  },
  {
    name: "inserting in the middle shifts tie-breaks",
    cells: ["a: -> x", "c: -> z"],
    changes: [{ insert: "b: -> y", at: 1 }],
    order: ["a", "b", "c"],
  },
  {
    name: "deleting a definer leaves its readers without a parent",
    cells: ["a: -> x", "b: x -> y", "c: y ->"],
    changes: [{ remove: "a" }],
    parents: { c: ["b"] },
    order: ["b", "c"],
  },
  {
    name: "moving a cell changes tie-breaks only",
    cells: ["a: -> x", "b: -> y", "c: x, y ->"],
    changes: [{ move: "b", to: 0 }],
    parents: { c: ["b", "a"] },
    order: ["b", "a", "c"],
  },
  {
    name: "moving a reader above its definer keeps the edge",
    cells: ["a: -> x", "b: x ->"],
    changes: [{ move: "b", to: 0 }],
    parents: { b: ["a"] },
    order: ["a", "b"],
  },
  {
    name: "moving to an index past the end appends",
    cells: ["a: -> x", "b: -> y", "c: -> z"],
    changes: [{ move: "a", to: 99 }],
    order: ["b", "c", "a"],
  },
  {
    name: "an edit that changes nothing changes nothing",
    cells: ["a: -> x", "b: x ->"],
    changes: [{ edit: "a: -> x" }],
    parents: { b: ["a"] },
    order: ["a", "b"],
  },
  {
    name: "repeated names in reads and writes count once",
    cells: ["a: -> x, x", "b: x, x ->"],
    parents: { b: ["a"] },
    order: ["a", "b"],
  },
];

/** Generated families: chains, fans and cycles of many sizes, to catch size-dependent mistakes. */
function generated(): GraphCase[] {
  const out: GraphCase[] = [];
  for (let n = 1; n <= 40; n++) {
    const ids = Array.from({ length: n }, (_, i) => `c${i}`);
    const chain = ids.map((id, i) => `${id}: ${i === 0 ? "" : `v${i - 1}`} -> v${i}`);
    const parents = Object.fromEntries(ids.slice(1).map((id, i) => [id, [`c${i}`]]));
    out.push({ name: `a chain of ${n}`, cells: chain, parents, order: ids });
    out.push({
      name: `a chain of ${n} written in reverse`,
      cells: [...chain].reverse(),
      parents,
      order: ids,
    });
    const fan = [
      `src: -> x`,
      ...ids.map((id) => `${id}: x -> ${id}_out`),
      `sink: ${ids.map((id) => `${id}_out`).join(", ")} ->`,
    ];
    out.push({
      name: `a fan-out and fan-in of width ${n}`,
      cells: fan,
      parents: { ...Object.fromEntries(ids.map((id) => [id, ["src"]])), sink: ids },
      order: ["src", ...ids, "sink"],
    });
    if (n >= 2) {
      const ring = ids.map((id, i) => `${id}: v${(i + n - 1) % n} -> v${i}`);
      out.push({
        name: `a cycle of ${n}`,
        cells: ring,
        parents: Object.fromEntries(ids.map((id, i) => [id, [`c${(i + n - 1) % n}`]])),
        cycle: ids,
      });
      out.push({
        name: `a cycle of ${n} broken by an edit`,
        cells: ring,
        changes: [{ edit: `c0: -> v0` }],
        parents,
        order: ids,
      });
      out.push({
        name: `${n} cells defining one name`,
        cells: ids.map((id) => `${id}: -> shared`),
        multipleDefinition: ids,
      });
    }
  }
  return out;
}

describe("dependency graph cases", () => {
  for (const c of [...cases, ...generated()]) test(c.name, () => check(c));
});

/** A small deterministic PRNG so random cases reproduce. */
function random(seed: number): () => number {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

describe("dependency graph properties", () => {
  const names = ["a", "b", "c", "d", "e", "f", "g", "h"];
  const pick = (rnd: () => number, k: number) => names.filter(() => rnd() < k / names.length);
  const randomCell = (rnd: () => number, id: string): SchedulerCell => ({
    id,
    type: "python",
    code: "",
    reads: pick(rnd, 2),
    writes: pick(rnd, 1),
    analysisError: null,
  });

  for (let seed = 1; seed <= 60; seed++) {
    test(`random edits (seed ${seed}) leave the same graph as building it afresh`, () => {
      const rnd = random(seed);
      const graph = new DependencyGraph();
      let next = 0;
      for (let step = 0; step < 40; step++) {
        const ids = graph.ids();
        const roll = rnd();
        const target = ids[Math.floor(rnd() * ids.length)];
        if (roll < 0.4 || !target)
          graph.insert(randomCell(rnd, `n${next++}`), Math.floor(rnd() * (ids.length + 1)));
        else if (roll < 0.7) graph.update(target, randomCell(rnd, target));
        else if (roll < 0.85) graph.remove(target);
        else graph.move(target, Math.floor(rnd() * ids.length));
        // Interleave reads so caches are exercised between changes.
        if (rnd() < 0.5) topologicalSort(graph, graph.ids());
      }
      const fresh = new DependencyGraph(graph.ids().map((id) => graph.cell(id)!));
      for (const id of graph.ids()) {
        assert.deepEqual(graph.parents(id), fresh.parents(id));
        assert.deepEqual(graph.children(id), fresh.children(id));
      }
      assert.deepEqual([...graph.errors()], [...fresh.errors()]);

      const order = topologicalSort(graph, graph.ids());
      assert.deepEqual([...order].sort(), [...graph.ids()].sort(), "every cell once");
      const cyclic = findCycles(graph);
      const position = new Map(order.map((id, i) => [id, i]));
      for (const id of graph.ids()) {
        for (const parent of graph.parents(id)) {
          if (cyclic.has(id) && cyclic.has(parent)) continue;
          if (cyclic.has(parent)) continue; // cells downstream of a cycle never run
          assert.ok(position.get(parent)! < position.get(id)!, `${parent} before ${id}`);
        }
      }
      for (const [id, through] of cyclic) {
        const cycle = cyclePath(through);
        assert.equal(cycle[0], id);
        assert.equal(cycle.at(-1), id);
        for (let i = 0; i + 1 < cycle.length; i++)
          assert.ok(graph.children(cycle[i]!).includes(cycle[i + 1]!));
      }
    });
  }

  test("a 5,000-cell chain sorts without deep recursion", () => {
    const n = 5000;
    const graph = new DependencyGraph(
      Array.from({ length: n }, (_, i) => cell(`c${i}: ${i === 0 ? `v${n - 1}` : `v${i - 1}`} -> v${i}`)),
    );
    assert.equal(findCycles(graph).size, n);
    assert.match(
      graph.errors().get("c2")!.message,
      /^cells c2 → c3 → c4 → c5 → c6 → c7 → … → c1 → c2 \(5000 cells\) form a cycle through names v0, v1, .*… \(5000 names\)$/,
    );
    graph.update("c0", cell("c0: -> v0"));
    assert.equal(findCycles(graph).size, 0);
    assert.deepEqual(topologicalSort(graph, graph.ids()), graph.ids());
  });
});
