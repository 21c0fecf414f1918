/** A JSON value as a collapsible tree: `<details>`/`<summary>` give expand/collapse and keyboard use for free. */
import { html, nothing, type TemplateResult } from "lit";

/** Levels open when first shown. */
const OPEN_DEPTH = 2;
/** Children listed per object or array before "… N more". */
const MAX_CHILDREN = 200;

/** Renders `value` as a tree; `label` names it for assistive technology. */
export function renderJsonTree(value: unknown, label: string): TemplateResult {
  return html`<div part="output-json" class="json" role="group" aria-label=${label}>
    ${renderNode(undefined, value, 0)}
  </div>`;
}

function renderNode(key: string | undefined, value: unknown, depth: number): TemplateResult {
  if (value !== null && typeof value === "object") {
    const entries = Array.isArray(value)
      ? value.map((item, index) => [String(index), item] as const)
      : Object.entries(value as Record<string, unknown>);
    const isArray = Array.isArray(value);
    const shown = entries.slice(0, MAX_CHILDREN);
    return html`<details ?open=${depth < OPEN_DEPTH}>
      <summary>
        ${renderKey(key)}<span class="json-brace">${isArray ? "[" : "{"}</span
        ><span class="json-count">${countText(entries.length, isArray)}</span
        ><span class="json-brace">${isArray ? "]" : "}"}</span>
      </summary>
      <ul>
        ${shown.map(([childKey, child]) => html`<li>${renderNode(childKey, child, depth + 1)}</li>`)}
        ${
          entries.length > shown.length
            ? html`<li class="json-more">… ${entries.length - shown.length} more</li>`
            : nothing
        }
      </ul>
    </details>`;
  }
  return html`<span class="json-leaf">${renderKey(key)}${renderPrimitive(value)}</span>`;
}

function renderKey(key: string | undefined) {
  return key === undefined ? nothing : html`<span class="json-key">${key}</span>: `;
}

function renderPrimitive(value: unknown): TemplateResult {
  if (typeof value === "string") return html`<span class="json-string">${JSON.stringify(value)}</span>`;
  if (typeof value === "number" || typeof value === "bigint")
    return html`<span class="json-number">${String(value)}</span>`;
  if (typeof value === "boolean") return html`<span class="json-boolean">${String(value)}</span>`;
  return html`<span class="json-null">null</span>`;
}

function countText(count: number, isArray: boolean): string {
  if (isArray) return ` ${count} ${count === 1 ? "item" : "items"} `;
  return ` ${count} ${count === 1 ? "key" : "keys"} `;
}
