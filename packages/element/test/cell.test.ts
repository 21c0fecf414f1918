/**
 * `<rn-cell>` drawn from data, as the notebook hands it a cell: what a waiting cell says, Run turning into
 * Stop, an interrupted run, the empty cell's placeholder, long lines, and the blocked reason.
 */
import { expect, fixture, html } from "@open-wc/testing";
import type { Cell } from "@reactive-notebook/sdk";
import {
  blockerLabel,
  type CellCommandDetail,
  type CellWait,
  defineCell,
  type NotebookCellElement,
} from "../src/notebook-cell/index.js";
import { button, press, statusText, waitFor } from "./helpers.js";

defineCell();

function cellOf(extra: Partial<Cell> = {}): Cell {
  return {
    id: "00000000-0000-4000-8000-000000000001",
    type: "python",
    code: "x = 1",
    status: "idle",
    stdout: "",
    stderr: "",
    outputs: [],
    error: null,
    reads: [],
    writes: ["x"],
    executionCount: null,
    lastRunMs: null,
    ...extra,
  };
}

async function mountCell(
  cell: Cell,
  props: { wait?: CellWait | null; elapsedMs?: number | null; readonly?: boolean } = {},
): Promise<NotebookCellElement> {
  const element = await fixture<NotebookCellElement>(
    html`<rn-cell
      .cell=${cell}
      .position=${3}
      .wait=${props.wait ?? null}
      .elapsedMs=${props.elapsedMs ?? null}
      .readonly=${props.readonly ?? false}
    ></rn-cell>`,
  );
  await waitFor(() => element.shadowRoot?.querySelector(".cm-content"), "the editor");
  return element;
}

function commandsOf(element: NotebookCellElement): CellCommandDetail[] {
  const seen: CellCommandDetail[] = [];
  element.addEventListener("rn-cell-command", (event) => seen.push(event.detail));
  return seen;
}

describe("<rn-cell>", () => {
  it("a cell waiting for the sample database says so, with a progress bar that fills when the fraction is known", async () => {
    const element = await mountCell(cellOf({ type: "sql", status: "running" }), {
      wait: { kind: "database", message: "Starting the sample database…" },
      elapsedMs: 2400,
    });
    expect(statusText(element)).to.equal("Waiting for the sample database… 2.4 s");
    const progress = element.shadowRoot?.querySelector('[part~="cell-progress"]');
    expect(progress?.textContent).to.contain("Starting the sample database…");
    const bar = progress?.querySelector("progress");
    expect(bar?.getAttribute("aria-label")).to.equal("Waiting for the sample database");
    expect(bar?.hasAttribute("value"), "no fraction: an indeterminate bar").to.equal(false);

    element.wait = { kind: "packages", message: "Loading numpy (2 of 4)…", fraction: 0.5 };
    await element.updateComplete;
    expect(statusText(element)).to.match(/^Waiting for Python packages… /);
    expect(bar?.value).to.equal(0.5);
    expect(progress?.textContent).to.contain("50%");
    expect(progress?.getAttribute("data-kind")).to.equal("packages");
  });

  it("a running cell with nothing to wait for says Running, and shows no progress", async () => {
    const element = await mountCell(cellOf({ status: "running" }), { elapsedMs: 1200 });
    expect(statusText(element)).to.equal("Running… 1.2 s");
    expect(element.shadowRoot?.querySelector('[part~="cell-progress"]')).to.equal(null);
  });

  it("Run becomes Stop while the cell runs (the same button, so the focus stays), and Stop sends stop", async () => {
    const element = await mountCell(cellOf());
    const commands = commandsOf(element);
    const run = button(element.shadowRoot, "Run cell 3");
    expect(run.textContent?.trim()).to.equal("▶ Run");
    run.focus();
    element.cell = cellOf({ status: "running" });
    await element.updateComplete;
    const stop = button(element.shadowRoot, "Stop cell 3");
    expect(stop).to.equal(run);
    expect(stop.textContent?.trim()).to.equal("■ Stop");
    expect(element.shadowRoot?.activeElement).to.equal(stop);
    stop.click();
    expect(commands.map((c) => c.command)).to.deep.equal(["stop"]);

    element.cell = cellOf({ status: "success", lastRunMs: 10 });
    await element.updateComplete;
    button(element.shadowRoot, "Run cell 3").click();
    expect(commands.map((c) => c.command)).to.deep.equal(["stop", "run"]);
  });

  it("Ctrl+. in the editor stops the cell", async () => {
    const element = await mountCell(cellOf({ status: "running" }));
    const commands = commandsOf(element);
    element.focusEditor();
    await waitFor(() => element.shadowRoot?.activeElement, "the editor focused");
    await press(["Control"], ".");
    expect(commands.map((c) => c.command)).to.deep.equal(["stop"]);
  });

  it("an interrupted run says Interrupted, not an empty KeyboardInterrupt", async () => {
    const element = await mountCell(
      cellOf({
        status: "error",
        lastRunMs: 2100,
        error: { name: "KeyboardInterrupt", message: "", traceback: 'File "<cell 1>", line 2' },
      }),
    );
    expect(statusText(element)).to.equal("Interrupted after 2.1 s");
    const error = element.shadowRoot?.querySelector('[part~="cell-error"]');
    expect(error?.querySelector("strong")?.textContent).to.equal("Interrupted");
    expect(error?.textContent).not.to.contain("KeyboardInterrupt");
    expect(error?.querySelector("pre")?.textContent).to.contain("line 2");
  });

  it("an empty cell shows what to write and how to run it; a readonly one shows nothing", async () => {
    const empty = await mountCell(cellOf({ code: "" }));
    expect(empty.shadowRoot?.querySelector(".cm-placeholder")?.textContent).to.equal(
      "Write Python — Shift+Enter runs",
    );
    const sql = await mountCell(cellOf({ type: "sql", code: "" }));
    expect(sql.shadowRoot?.querySelector(".cm-placeholder")?.textContent).to.match(/^Write SQL/);
    const readonly = await mountCell(cellOf({ code: "" }), { readonly: true });
    expect(readonly.shadowRoot?.querySelector(".cm-placeholder")).to.equal(null);
  });

  it("a long line wraps inside the cell instead of running past its right edge", async () => {
    const long = `message = "${"a fairly long sentence that keeps going ".repeat(12)}"`;
    const element = await fixture<NotebookCellElement>(
      html`<div style="width: 480px"><rn-cell .cell=${cellOf({ code: long })}></rn-cell></div>`,
    ).then((wrapper) => wrapper.querySelector("rn-cell") as NotebookCellElement);
    const line = await waitFor(() => element.shadowRoot?.querySelector<HTMLElement>(".cm-line"), "a line");
    const scroller = element.shadowRoot?.querySelector<HTMLElement>(".cm-scroller");
    expect(scroller!.scrollWidth).to.be.at.most(scroller!.clientWidth);
    const lineHeight = Number.parseFloat(getComputedStyle(line).lineHeight);
    expect(line.getBoundingClientRect().height).to.be.above(
      lineHeight * 2,
      "the line wraps onto several rows",
    );
  });

  it("a blocked cell names the cell that blocks it by position and the names it defines", async () => {
    const a = cellOf({ id: "a", writes: ["f", "z"] });
    const b = cellOf({ id: "b", status: "blocked", blockedBy: "a" });
    const c = cellOf({ id: "c", status: "blocked", blockedBy: null });
    expect(blockerLabel(b, [cellOf({ id: "first" }), a, b])).to.equal("cell 2 (f, z)");
    expect(blockerLabel(c, [a, c])).to.equal("");
    expect(blockerLabel(cellOf({ id: "d", blockedBy: "a" }), [a]), "only while blocked").to.equal("");

    const element = await mountCell(b);
    element.blockedBy = blockerLabel(b, [cellOf({ id: "first" }), a, b]);
    await element.updateComplete;
    expect(statusText(element)).to.equal("Blocked by cell 2 (f, z)");
    element.blockedBy = "";
    await element.updateComplete;
    expect(statusText(element)).to.equal("Blocked by an upstream error");
  });
});
