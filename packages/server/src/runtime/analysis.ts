// Reads and writes of any cell type: python through the kernel sandbox's `ast` analysis, sql from its
// `{name}` placeholders and result name, markdown none (API.md "Reactive semantics" §1).
import type { Analysis } from "../kernel/index.js";
import type { CellType } from "../reactive/index.js";
import { placeholderNames } from "../sql/index.js";

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
        reads: placeholderNames(cell.code).filter(isPublic).sort(),
        writes: cell.name && isPublic(cell.name) ? [cell.name] : [],
        error: null,
      };
    case "markdown":
      return { reads: [], writes: [], error: null };
  }
}
