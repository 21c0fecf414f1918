/** How a session's notebook follows server events, and when it refreshes its token: pure functions, no server. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Cell, Notebook, ServerEvent } from "../src/index.js";
import { applyEvent } from "../src/session/notebook-state.js";
import { refreshDelay, tokenExpiry } from "../src/session/token-refresh.js";

function cell(id: string, extra: Partial<Cell> = {}): Cell {
  return {
    id,
    type: "python",
    code: `${id} = 1`,
    status: "idle",
    stdout: "",
    stderr: "",
    outputs: [],
    error: null,
    reads: [],
    writes: [id],
    executionCount: null,
    lastRunMs: null,
    ...extra,
  };
}

const notebook: Notebook = {
  id: "nb",
  name: "N",
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
  cellCount: 2,
  revision: 4,
  cells: [cell("a"), cell("b", { stdout: "old\n", outputs: [{ mimeType: "text/plain", data: "1" }] })],
  database: { configured: false },
};
const at = { notebookId: "nb", revision: 5 };
const ids = (nb: Notebook) => nb.cells.map((c) => c.id);

describe("applyEvent", () => {
  const cases: [string, ServerEvent, (next: Notebook) => void][] = [
    [
      "notebook_updated renames",
      { type: "notebook_updated", name: "M", ...at },
      (n) => assert.equal(n.name, "M"),
    ],
    [
      "cell_created inserts at its index and counts it",
      { type: "cell_created", cell: cell("c"), index: 1, ...at },
      (n) => {
        assert.deepEqual(ids(n), ["a", "c", "b"]);
        assert.equal(n.cellCount, 3);
      },
    ],
    [
      "cell_updated replaces the cell",
      { type: "cell_updated", cell: cell("a", { code: "a = 2" }), ...at },
      (n) => assert.equal(n.cells[0]?.code, "a = 2"),
    ],
    [
      "cell_deleted removes it",
      { type: "cell_deleted", cellId: "a", ...at },
      (n) => assert.deepEqual(ids(n), ["b"]),
    ],
    [
      "cells_moved reorders",
      { type: "cells_moved", order: ["b", "a"], ...at },
      (n) => assert.deepEqual(ids(n), ["b", "a"]),
    ],
    [
      "cell_status running clears what the last run left",
      { type: "cell_status", cellId: "b", status: "running", runId: "r", ...at },
      (n) => {
        assert.equal(n.cells[1]?.status, "running");
        assert.equal(n.cells[1]?.stdout, "");
        assert.deepEqual(n.cells[1]?.outputs, []);
      },
    ],
    [
      "cell_status blocked keeps what the cell shows",
      { type: "cell_status", cellId: "b", status: "blocked", runId: "r", ...at },
      (n) => assert.equal(n.cells[1]?.stdout, "old\n"),
    ],
    [
      "cell_stdout appends to its stream",
      { type: "cell_stdout", cellId: "b", stream: "stdout", text: "new\n", ...at },
      (n) => assert.equal(n.cells[1]?.stdout, "old\nnew\n"),
    ],
    [
      "cell_outputs replaces the outputs",
      { type: "cell_outputs", cellId: "a", outputs: [{ mimeType: "text/plain", data: "9" }], ...at },
      (n) => assert.deepEqual(n.cells[0]?.outputs, [{ mimeType: "text/plain", data: "9" }]),
    ],
    [
      "cell_output_added appends one displayed output at its index",
      {
        type: "cell_output_added",
        cellId: "b",
        index: 1,
        output: { mimeType: "text/plain", data: "2" },
        ...at,
      },
      (n) =>
        assert.deepEqual(n.cells[1]?.outputs, [
          { mimeType: "text/plain", data: "1" },
          { mimeType: "text/plain", data: "2" },
        ]),
    ],
    [
      "cell_output_added sent again replaces the output at its index and drops what came after it",
      {
        type: "cell_output_added",
        cellId: "b",
        index: 0,
        output: { mimeType: "text/plain", data: "0" },
        ...at,
      },
      (n) => assert.deepEqual(n.cells[1]?.outputs, [{ mimeType: "text/plain", data: "0" }]),
    ],
    [
      "cell_output_added past the end (an event missed) appends, leaving no holes",
      {
        type: "cell_output_added",
        cellId: "a",
        index: 3,
        output: { mimeType: "text/plain", data: "3" },
        ...at,
      },
      (n) => assert.deepEqual(n.cells[0]?.outputs, [{ mimeType: "text/plain", data: "3" }]),
    ],
    [
      "control_value sets the value of that control's output only",
      { type: "control_value", cellId: "a", controlId: "1", value: 7, ...at },
      (n) => {
        const control = (id: string, value: number) => ({
          mimeType: "application/vnd.reactive-notebook.control+json",
          data: { id, kind: "slider", label: "", value, props: { start: 0, stop: 9, step: 1 } },
        });
        const before = applyEvent(
          { ...notebook, cells: [cell("a", { outputs: [control("0", 1), control("1", 1)] })] },
          { type: "control_value", cellId: "a", controlId: "1", value: 7, ...at },
        );
        assert.deepEqual(before.cells[0]?.outputs, [control("0", 1), control("1", 7)]);
        assert.deepEqual(n.cells, notebook.cells, "a cell without that control is unchanged");
      },
    ],
    [
      "cell_status blocked names the blocking cell",
      { type: "cell_status", cellId: "b", status: "blocked", runId: "r", blockedBy: "a", ...at },
      (n) => assert.equal(n.cells[1]?.blockedBy, "a"),
    ],
    [
      "cell_progress changes no cell (it is the UI's to show)",
      { type: "cell_progress", cellId: "a", kind: "database", message: "Starting…", done: false, ...at },
      (n) => assert.deepEqual(n.cells, notebook.cells),
    ],
    [
      "cell_error sets the error",
      { type: "cell_error", cellId: "a", error: { name: "NameError", message: "q" }, ...at },
      (n) => assert.equal(n.cells[0]?.error?.name, "NameError"),
    ],
    [
      "events about unknown cells change nothing",
      { type: "cell_stdout", cellId: "zz", stream: "stderr", text: "x", ...at },
      (n) => assert.equal(n, notebook),
    ],
  ];
  for (const [name, event, check] of cases) {
    test(name, () => {
      const next = applyEvent(notebook, event);
      check(next);
      if (next !== notebook) assert.equal(next.revision, 5);
    });
  }

  test("never mutates the notebook it is given", () => {
    const before = structuredClone(notebook);
    for (const [, event] of cases) applyEvent(notebook, event);
    assert.deepEqual(notebook, before);
  });

  test("blockedBy lasts while the cell is blocked and goes when it runs or settles", () => {
    const blocked = applyEvent(notebook, {
      type: "cell_status",
      cellId: "b",
      status: "blocked",
      runId: "r",
      blockedBy: "a",
      ...at,
    });
    assert.equal(blocked.cells[1]?.blockedBy, "a");
    for (const status of ["running", "success", "error", "stale", "queued"] as const) {
      const next = applyEvent(blocked, { type: "cell_status", cellId: "b", status, runId: "r", ...at });
      assert.equal(next.cells[1]?.blockedBy ?? null, null, status);
    }
  });

  test("outputs displayed one by one while a cell runs add up to the list cell_outputs confirms", () => {
    let state = applyEvent(notebook, {
      type: "cell_status",
      cellId: "b",
      status: "running",
      runId: "r",
      ...at,
    });
    const shown = ["one", "two", "three"].map((data) => ({ mimeType: "text/plain", data }));
    shown.forEach((output, index) => {
      state = applyEvent(state, { type: "cell_output_added", cellId: "b", index, output, ...at });
    });
    assert.deepEqual(state.cells[1]?.outputs, shown);
    const settled = applyEvent(state, { type: "cell_outputs", cellId: "b", outputs: shown, ...at });
    assert.deepEqual(settled.cells[1]?.outputs, shown);
  });

  test("a stream past 256 KiB keeps its tail behind [truncated]", () => {
    const big = applyEvent(notebook, {
      type: "cell_stdout",
      cellId: "a",
      stream: "stdout",
      text: `${"x".repeat(300_000)}END`,
      ...at,
    });
    const stdout = big.cells[0]?.stdout ?? "";
    assert.equal(stdout.length, 262_144);
    assert.ok(stdout.startsWith("[truncated]") && stdout.endsWith("END"));
  });
});

describe("token refresh timing", () => {
  const policy = { marginMs: 60_000, intervalMs: 300_000, minDelayMs: 1000 };
  const jwt = (claims: object) =>
    `e30.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.signature`;
  const now = 1_800_000_000_000;

  test("reads exp from a JWT without verifying it, and nothing from other tokens", () => {
    assert.equal(tokenExpiry(jwt({ exp: 1_800_000_000 })), 1_800_000_000_000);
    assert.equal(tokenExpiry(jwt({ sub: "alice" })), undefined);
    assert.equal(tokenExpiry("opaque-token"), undefined);
    assert.equal(tokenExpiry("a.%%%.c"), undefined);
  });

  test("an hour-long token is refreshed a minute before it expires", () => {
    assert.equal(refreshDelay(jwt({ exp: now / 1000 + 3600 }), policy, now), 3_540_000);
  });

  test("a 60-second token is refreshed halfway, an expired one after the minimum delay", () => {
    assert.equal(refreshDelay(jwt({ exp: now / 1000 + 60 }), policy, now), 30_000);
    assert.equal(refreshDelay(jwt({ exp: now / 1000 - 5 }), policy, now), 1000);
  });

  test("a token without exp is refreshed on the interval", () => {
    assert.equal(refreshDelay("opaque-token", policy, now), 300_000);
  });
});
