// A notebook as an nbformat 4.5 document. Python cells become code cells; sql cells become code cells whose
// first line is the `%%sql` magic (`%%sql name` when the result has a name), marked in
// `metadata.reactive_notebook` too; markdown stays markdown. Last results go into the outputs.
import {
  IPYNB_METADATA_KEY,
  type IpynbCell,
  type IpynbNotebook,
  type Notebook,
} from "@reactive-notebook/protocol";
import { resultsToIpynb } from "./outputs.js";
import { splitLines } from "./text.js";

/** The magic line an exported sql cell starts with. */
export function sqlMagic(name: string | null | undefined): string {
  return name ? `%%sql ${name}` : "%%sql";
}

export function notebookToIpynb(notebook: Notebook): IpynbNotebook {
  const cells: IpynbCell[] = notebook.cells.map((cell) => {
    if (cell.type === "markdown") {
      return { id: cell.id, cell_type: "markdown", source: splitLines(cell.code), metadata: {} };
    }
    const source = cell.type === "sql" ? `${sqlMagic(cell.name)}\n${cell.code}` : cell.code;
    return {
      id: cell.id,
      cell_type: "code",
      source: splitLines(source),
      metadata: cell.type === "sql" ? { [IPYNB_METADATA_KEY]: { type: "sql", name: cell.name ?? null } } : {},
      execution_count: cell.executionCount,
      outputs: resultsToIpynb(cell),
    };
  });
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: "python3", display_name: "Python 3 (Pyodide)", language: "python" },
      language_info: { name: "python" },
      [IPYNB_METADATA_KEY]: { name: notebook.name },
    },
    cells,
  };
}
