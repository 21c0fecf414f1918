/**
 * The app view of a notebook (`view="app"`): each cell's outputs and controls in notebook order — markdown
 * cells as their rendering, a failed cell's error as its name and message — with no code or cell chrome.
 */
import type { Cell, Notebook, Output } from "@reactive-notebook/sdk";
import { html, nothing } from "lit";
import { repeat } from "lit/directives/repeat.js";
import type { ControlChangeDetail } from "../control/index.js";
import { exportParts } from "../internal/index.js";

const OUTPUT_PARTS = exportParts("rn-outputs");

/**
 * What the app view shows of each cell: its outputs, or — while it runs and has none yet (a run starts
 * from a blank page) — the ones it showed before, so a dashboard does not jump (nor drop its controls)
 * while its cells re-run.
 */
export class AppOutputs {
  readonly #last = new Map<string, Output[]>();

  of(cell: Cell): Output[] {
    if (cell.type === "markdown")
      return cell.code.trim() ? [{ mimeType: "text/markdown", data: cell.code }] : [];
    const waiting = cell.status === "running" && cell.outputs.length === 0 && !cell.error;
    if (waiting) return this.#last.get(cell.id) ?? [];
    this.#last.set(cell.id, cell.outputs);
    return cell.outputs;
  }
}

/** The cells with something to show, each in an `app-cell` block (cells with nothing take no room). */
export function renderApp(
  notebook: Notebook,
  appOutputs: AppOutputs,
  theme: "light" | "dark",
  onControlChange: (event: CustomEvent<ControlChangeDetail>) => void,
) {
  const outputs = new Map(notebook.cells.map((cell) => [cell.id, appOutputs.of(cell)]));
  const shown = notebook.cells.filter((cell) => (outputs.get(cell.id)?.length ?? 0) > 0 || cell.error);
  return html`<div class="app" @rn-control-change=${onControlChange}>
    ${repeat(
      shown,
      (cell) => cell.id,
      (cell) => html`<section
        part="app-cell"
        class="app-cell"
        data-cell-id=${cell.id}
        data-status=${cell.status}
        aria-busy=${cell.status === "running" || cell.status === "queued" ? "true" : "false"}
      >
        ${
          cell.error
            ? html`<p part="app-error" class="app-error" role="alert">
                <strong>${cell.error.name}:</strong> ${cell.error.message}</p>`
            : nothing
        }
        <rn-outputs exportparts=${OUTPUT_PARTS} .outputs=${outputs.get(cell.id)} theme=${theme}></rn-outputs>
      </section>`,
    )}
    ${shown.length === 0 ? html`<p class="empty">Nothing to show yet: run the notebook.</p>` : nothing}
  </div>`;
}
