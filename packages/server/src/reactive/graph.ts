// The notebook's dependency graph: cells in notebook order, which cells define and read each name, and the
// edges that follow (A → B when B reads a name A writes). Updated incrementally; edges are derived lazily.
import { graphErrors } from "./graph-errors.js";
import type { CellError, CellPatch, GraphView, SchedulerCell } from "./types.js";

/**
 * Owns the cells and the name → cells indexes. Every change clears the derived caches (edges, order
 * index, errors), which are rebuilt on demand, so a burst of edits costs one recomputation.
 */
export class DependencyGraph implements GraphView {
  #order: string[] = [];
  #cells = new Map<string, SchedulerCell>();
  #writers = new Map<string, Set<string>>();
  #readers = new Map<string, Set<string>>();
  #index: Map<string, number> | null = null;
  #parents = new Map<string, string[]>();
  #children = new Map<string, string[]>();
  #errors: Map<string, CellError> | null = null;

  constructor(cells: Iterable<SchedulerCell> = []) {
    for (const cell of cells) this.insert(cell);
  }

  ids(): readonly string[] {
    return this.#order;
  }

  has(id: string): boolean {
    return this.#cells.has(id);
  }

  cell(id: string): SchedulerCell | undefined {
    return this.#cells.get(id);
  }

  indexOf(id: string): number {
    if (!this.#index) this.#index = new Map(this.#order.map((cellId, i) => [cellId, i]));
    return this.#index.get(id) ?? -1;
  }

  parents(id: string): readonly string[] {
    let parents = this.#parents.get(id);
    if (!parents) {
      parents = this.#edges(id, this.#cells.get(id)?.reads ?? [], this.#writers);
      this.#parents.set(id, parents);
    }
    return parents;
  }

  children(id: string): readonly string[] {
    let children = this.#children.get(id);
    if (!children) {
      children = this.#edges(id, this.#cells.get(id)?.writes ?? [], this.#readers);
      this.#children.set(id, children);
    }
    return children;
  }

  definers(name: string): readonly string[] {
    return this.#inOrder(this.#writers.get(name) ?? []);
  }

  errors(): ReadonlyMap<string, CellError> {
    if (!this.#errors) this.#errors = graphErrors(this);
    return this.#errors;
  }

  /** Adds a cell at `index` (default: the end). */
  insert(cell: SchedulerCell, index = this.#order.length): void {
    if (this.#cells.has(cell.id)) throw new Error(`cell ${cell.id} is already in the graph`);
    const frozen = freeze(cell);
    this.#cells.set(cell.id, frozen);
    this.#order.splice(clamp(index, this.#order.length), 0, cell.id);
    this.#index = null;
    this.#indexNames(frozen, +1);
    this.#invalidate();
  }

  /** Applies an edit; returns false (and changes nothing) when the patch changes nothing. */
  update(id: string, patch: CellPatch): boolean {
    const current = this.#require(id);
    const next = freeze({ ...current, ...patch });
    if (sameCell(current, next)) return false;
    this.#indexNames(current, -1);
    this.#cells.set(id, next);
    this.#indexNames(next, +1);
    this.#invalidate();
    return true;
  }

  remove(id: string): SchedulerCell {
    const cell = this.#require(id);
    this.#indexNames(cell, -1);
    this.#cells.delete(id);
    this.#order.splice(this.#order.indexOf(id), 1);
    this.#index = null;
    this.#invalidate();
    return cell;
  }

  /** Moves a cell to `index`; only tie-breaks (and the wording of graph errors) can change. */
  move(id: string, index: number): void {
    this.#require(id);
    this.#order.splice(this.#order.indexOf(id), 1);
    this.#order.splice(clamp(index, this.#order.length), 0, id);
    this.#index = null;
    this.#invalidate();
  }

  #require(id: string): SchedulerCell {
    const cell = this.#cells.get(id);
    if (!cell) throw new Error(`no cell ${id} in the graph`);
    return cell;
  }

  #indexNames(cell: SchedulerCell, delta: 1 | -1): void {
    for (const name of cell.writes) adjust(this.#writers, name, cell.id, delta);
    for (const name of cell.reads) adjust(this.#readers, name, cell.id, delta);
  }

  #invalidate(): void {
    this.#parents.clear();
    this.#children.clear();
    this.#errors = null;
  }

  #edges(id: string, names: readonly string[], index: Map<string, Set<string>>): string[] {
    const found = new Set<string>();
    for (const name of names) for (const other of index.get(name) ?? []) if (other !== id) found.add(other);
    return this.#inOrder(found);
  }

  #inOrder(ids: Iterable<string>): string[] {
    return [...ids].sort((a, b) => this.indexOf(a) - this.indexOf(b));
  }
}

function freeze(cell: SchedulerCell): SchedulerCell {
  return Object.freeze({
    ...cell,
    reads: Object.freeze([...new Set(cell.reads)].sort()) as string[],
    writes: Object.freeze([...new Set(cell.writes)].sort()) as string[],
  });
}

function sameCell(a: SchedulerCell, b: SchedulerCell): boolean {
  return (
    a.type === b.type &&
    a.code === b.code &&
    (a.name ?? null) === (b.name ?? null) &&
    a.reads.join("\0") === b.reads.join("\0") &&
    a.writes.join("\0") === b.writes.join("\0") &&
    a.analysisError?.name === b.analysisError?.name &&
    a.analysisError?.message === b.analysisError?.message
  );
}

function adjust(index: Map<string, Set<string>>, name: string, id: string, delta: 1 | -1): void {
  let ids = index.get(name);
  if (delta > 0) {
    if (!ids) {
      ids = new Set();
      index.set(name, ids);
    }
    ids.add(id);
  } else if (ids) {
    ids.delete(id);
    if (ids.size === 0) index.delete(name);
  }
}

function clamp(index: number, length: number): number {
  return Math.max(0, Math.min(Math.trunc(index), length));
}
