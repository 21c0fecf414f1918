// Reads and writes of any cell type: python through the kernel sandbox's `ast` analysis, sql from its
// `{name}` placeholders and result name, markdown none (API.md "Reactive semantics" §1).
import type { CellError, CellType } from "@reactive-notebook/protocol";
import { placeholderNames } from "../sql/index.js";

/** What analysis says of a cell's source: the names it reads and writes, or what is wrong with it. */
export interface CellAnalysis {
  reads: string[];
  writes: string[];
  error: CellError | null;
}

const isPublic = (name: string) => !name.startsWith("_");

export async function analyzeCell(
  cell: { type: CellType; code: string; name?: string | null },
  analyzePython: (code: string) => Promise<CellAnalysis>,
): Promise<CellAnalysis> {
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
