/** The table output (`application/vnd.reactive-notebook.table+json`): typed column headers, a row count and pages. */
import type { TableData } from "@reactive-notebook/protocol";
import { html, nothing, type TemplateResult } from "lit";

/** The page sizes a reader can pick. */
export const PAGE_SIZES = [25, 50, 100] as const;

/** Which page of one table is shown. */
export interface TablePage {
  page: number;
  pageSize: number;
}

/** True when `data` has the shape of `TableData` (columns and rows arrays). */
export function isTableData(data: unknown): data is TableData {
  if (data === null || typeof data !== "object") return false;
  const table = data as Partial<TableData>;
  return Array.isArray(table.columns) && Array.isArray(table.rows);
}

/** "1,234 rows (showing first 1,000)" or "3 rows". */
export function rowCountText(table: TableData): string {
  const total = typeof table.rowCount === "number" ? table.rowCount : table.rows.length;
  const rows = `${total.toLocaleString("en-US")} ${total === 1 ? "row" : "rows"}`;
  return table.truncated || total > table.rows.length
    ? `${rows} (showing first ${table.rows.length.toLocaleString("en-US")})`
    : rows;
}

/** Renders one page of `table`; `onPage` is called with the page the reader asks for. */
export function renderTable(
  table: TableData,
  state: TablePage,
  onPage: (next: TablePage) => void,
  label: string,
): TemplateResult {
  const pageCount = Math.max(1, Math.ceil(table.rows.length / state.pageSize));
  const page = Math.min(Math.max(0, state.page), pageCount - 1);
  const start = page * state.pageSize;
  const rows = table.rows.slice(start, start + state.pageSize);
  const paged = table.rows.length > PAGE_SIZES[0];
  const go = (next: number) => onPage({ page: next, pageSize: state.pageSize });
  // A column of numbers (and nulls) is right-aligned, its header too, so digits line up under the name.
  const numeric = table.columns.map(
    (_, index) =>
      rows.some((row) => isNumber(row[index])) &&
      rows.every((row) => row[index] == null || isNumber(row[index])),
  );
  return html`<div part="output-table" class="table">
    <div class="table-scroll" tabindex="0" role="region" aria-label=${label}>
      <table>
        <caption>${rowCountText(table)}</caption>
        <thead>
          <tr>
            ${table.columns.map(
              (column, index) =>
                html`<th scope="col" class=${numeric[index] ? "number" : ""}><span class="column-name">${column.name}</span>${
                  column.type ? html`<span class="column-type">${column.type}</span>` : nothing
                }</th>`,
            )}
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (row) => html`<tr>
              ${table.columns.map((_, index) => renderValue(row[index]))}
            </tr>`,
          )}
        </tbody>
      </table>
    </div>
    ${
      paged
        ? html`<nav class="pager" aria-label="Table pages">
          <label
            >Rows per page
            <select
              @change=${(event: Event) =>
                onPage({ page: 0, pageSize: Number((event.target as HTMLSelectElement).value) })}
            >
              ${PAGE_SIZES.map(
                (size) => html`<option value=${size} ?selected=${size === state.pageSize}>${size}</option>`,
              )}
            </select>
          </label>
          <button type="button" aria-label="First page" ?disabled=${page === 0} @click=${() => go(0)}>«</button>
          <button type="button" aria-label="Previous page" ?disabled=${page === 0} @click=${() => go(page - 1)}>
            ‹
          </button>
          <span class="page-status" role="status" aria-live="polite"
            >Rows ${start + 1}–${start + rows.length} of ${table.rows.length}, page ${page + 1} of ${pageCount}</span
          >
          <button
            type="button"
            aria-label="Next page"
            ?disabled=${page >= pageCount - 1}
            @click=${() => go(page + 1)}
          >
            ›
          </button>
          <button
            type="button"
            aria-label="Last page"
            ?disabled=${page >= pageCount - 1}
            @click=${() => go(pageCount - 1)}
          >
            »
          </button>
        </nav>`
        : nothing
    }
  </div>`;
}

function isNumber(value: unknown): boolean {
  return typeof value === "number" || typeof value === "bigint";
}

function renderValue(value: unknown): TemplateResult {
  if (value === null || value === undefined) return html`<td class="null">null</td>`;
  if (isNumber(value)) return html`<td class="number">${String(value)}</td>`;
  if (typeof value === "boolean") return html`<td class="boolean">${String(value)}</td>`;
  if (typeof value === "object") return html`<td>${JSON.stringify(value)}</td>`;
  return html`<td>${String(value)}</td>`;
}
