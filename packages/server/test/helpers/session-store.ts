// The session's storage port over plain maps, and real kernels and sessions on it, for the suites about
// kernel + scheduler rather than storage.
import assert from "node:assert/strict";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Output, ServerEvent } from "@reactive-notebook/protocol";
import { KernelManager } from "../../src/kernel/index.js";
import { NotebookSessions, type SessionNotebook, type SessionStore } from "../../src/notebooks/index.js";
import type { CellResult } from "../../src/store/index.js";
import { testSqlEngine } from "./sql.js";

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

/**
 * Real kernels and sessions over a NotebookTable, for the suites that drive the session directly: every
 * published event goes to `events` (and to `onEvent`); a session error fails the test. Call `close()` after.
 */
export function sessionHarness(options: { cellTimeoutMs: number; onEvent?: (event: ServerEvent) => void }) {
  const kernels = new KernelManager({
    dataDir: path.join(tmpdir(), "rn-kernel-test-data"),
    pyodideIndexUrl: "http://127.0.0.1:9/",
    cellTimeoutMs: options.cellTimeoutMs,
    memoryMb: 512,
    maxKernels: 8,
    idleMs: 600_000,
    poolSize: 1,
  });
  const store = new NotebookTable();
  const events: ServerEvent[] = [];
  const sql = testSqlEngine(kernels);
  const fail = (o: object) => assert.fail(`session error: ${JSON.stringify(o)}`);
  const sessions = new NotebookSessions({
    kernels,
    store,
    publish: (_id, event) => {
      events.push(event);
      options.onEvent?.(event);
    },
    sql: sql.engine,
    log: { error: fail, warn: fail },
  });
  return {
    kernels,
    store,
    events,
    sessions,
    async close() {
      await sessions.close();
      await sql.engine.close();
      await kernels.close();
    },
  };
}
