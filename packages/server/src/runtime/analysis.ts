// Reads and writes of any cell type: python through the kernel sandbox's `ast` analysis, sql from its
// `{name}` placeholders and result name, markdown none (API.md "Reactive semantics" §1).
import type { Analysis } from "../kernel/index.js";
import type { CellType } from "../reactive/index.js";

const PLACEHOLDER = /\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The variable names an SQL cell's `{name}` placeholders refer to; `{{` and `}}` are literal braces. */
export function sqlPlaceholderNames(code: string): string[] {
  const names = new Set<string>();
  for (const match of code.matchAll(PLACEHOLDER)) {
    if (match[1] !== undefined) names.add(match[1]);
  }
  return [...names];
}

const isPublic = (name: string) => !name.startsWith("_");

export async function analyzeCell(
  cell: { type: CellType; code: string; name?: string | null },
  analyzePython: (code: string) => Promise<Analysis>,
): Promise<Analysis> {
  switch (cell.type) {
    case "python":
      return analyzePython(cell.code);
    case "sql":
      return {
        reads: sqlPlaceholderNames(cell.code).filter(isPublic).sort(),
        writes: cell.name && isPublic(cell.name) ? [cell.name] : [],
        error: null,
      };
    case "markdown":
      return { reads: [], writes: [], error: null };
  }
}
