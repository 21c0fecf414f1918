// Reads an nbformat 4 document into cells to create. Code cells are python, or sql when they start with the
// `%%sql [name]` magic or carry `metadata.reactive_notebook.type = "sql"`; markdown stays markdown; raw cells
// become markdown cells showing their text verbatim (in a code fence), so nothing is lost or rendered.
// Cells that showed results come in `stale`: the results are shown until the cell runs in our kernel.
import { IPYNB_METADATA_KEY, type IpynbCell, type IpynbNotebook } from "@reactive-notebook/protocol";
import type { NewCellInput } from "../store/index.js";
import { resultsFromIpynb } from "./outputs.js";
import { joinSource } from "./text.js";

const SQL_MAGIC = /^%%sql(?:[ \t]+([A-Za-z_][A-Za-z0-9_]*))?[ \t]*(?:\n|$)/;

export interface ImportedNotebook {
  /** The name kept in the document's metadata by our export, if any. */
  name: string | undefined;
  cells: NewCellInput[];
}

function ourMetadata(holder: { metadata?: Record<string, unknown> }): Record<string, unknown> {
  const value = holder.metadata?.[IPYNB_METADATA_KEY];
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function fenced(text: string): string {
  const longestRun = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  return `${fence}\n${text}${text.endsWith("\n") || text === "" ? "" : "\n"}${fence}`;
}

function importCell(cell: IpynbCell): NewCellInput {
  const source = joinSource(cell.source);
  if (cell.cell_type === "markdown") return { type: "markdown", code: source };
  if (cell.cell_type === "raw") return { type: "markdown", code: fenced(source) };
  const results = resultsFromIpynb(cell.outputs);
  const ran =
    results.outputs.length > 0 || results.error !== null || results.stdout !== "" || results.stderr !== "";
  const shown = {
    ...results,
    status: ran ? ("stale" as const) : ("idle" as const),
    executionCount: cell.execution_count ?? null,
  };
  const meta = ourMetadata(cell);
  const magic = SQL_MAGIC.exec(source);
  if (magic || meta.type === "sql") {
    const metaName = typeof meta.name === "string" ? meta.name : null;
    return {
      type: "sql",
      code: magic ? source.slice(magic[0].length) : source,
      name: magic?.[1] ?? metaName,
      ...shown,
    };
  }
  return { type: "python", code: source, ...shown };
}

export function notebookFromIpynb(document: IpynbNotebook): ImportedNotebook {
  const name = ourMetadata(document).name;
  return {
    name: typeof name === "string" ? name : undefined,
    cells: document.cells.map(importCell),
  };
}
