// The session's storage port over plain maps, for suites about kernel + scheduler rather than storage.
import type { Output } from "@reactive-notebook/protocol";
import type { SessionNotebook, SessionStore } from "../../src/notebooks/index.js";
import type { CellResult } from "../../src/store/index.js";

export class NotebookTable implements SessionStore {
  readonly notebooks = new Map<string, SessionNotebook>();
  readonly results = new Map<string, CellResult>();
  async loadNotebook(id: string) {
    const notebook = this.notebooks.get(id);
    return notebook ? structuredClone(notebook) : null;
  }
  async saveCellResult(_notebookId: string, cellId: string, result: CellResult) {
    this.results.set(cellId, { ...this.results.get(cellId), ...result });
  }
  commitResults() {}
  async updateCellOutputs(_notebookId: string, cellId: string, change: (outputs: Output[]) => Output[]) {
    const saved = this.results.get(cellId);
    if (saved?.outputs) saved.outputs = change(saved.outputs);
  }
}
