/** `<rn-outputs>`: one cell's outputs, each drawn by its MIME type, untrusted ones inside sandboxed frames. */
import type { Output, TableData } from "@reactive-notebook/protocol";
import { html, LitElement, nothing, type TemplateResult } from "lit";
import { property } from "lit/decorators.js";
import { unsafeHTML } from "lit/directives/unsafe-html.js";
import { readControl } from "../control/index.js";
import { exportParts } from "../internal/index.js";
import { hasAnsi, parseAnsi } from "./ansi.js";
import {
  type ChartKind,
  chartDocument,
  contentDocument,
  type FrameDocument,
  type FrameTheme,
  frameUrl,
} from "./frame.js";
import { type FrameKind, OutputFramesController } from "./frames.controller.js";
import { renderJsonTree } from "./json-tree.js";
import { renderMarkdown } from "./markdown.js";
import { styles } from "./rn-outputs.styles.js";
import { isTableData, PAGE_SIZES, renderTable, type TablePage } from "./table.js";
import { resolveVendorBase } from "./vendor.js";

/** The colour scheme of the outputs; `auto` follows `prefers-color-scheme`. */
export type OutputsTheme = "light" | "dark" | "auto";

const TABLE_MIME = "application/vnd.reactive-notebook.table+json";
const CONTROL_MIME = "application/vnd.reactive-notebook.control+json";
const CONTROL_PARTS = exportParts("rn-control");
const CHART_MIME: Record<string, ChartKind> = {
  "application/vnd.vegalite.v5+json": "vega-lite",
  "application/vnd.plotly.v1+json": "plotly",
};
/**
 * @summary Renders an array of `Output`s (API.md "Resources") by MIME type.
 *
 * - `text/plain`: preformatted text; ANSI colours are drawn, other escapes dropped.
 * - `text/markdown`: rendered by `marked`, sanitized by DOMPurify; links open in a new tab.
 * - `text/html`, `image/svg+xml`: a `sandbox="allow-scripts"` iframe (never `allow-same-origin`) whose
 *   document blocks the network by CSP and reports its height; the frame is sized to it, clamped to
 *   `max-frame-height`. The frame loads `frame.html` from the vendor folder and is sent its document by
 *   `postMessage`, so the host page's own CSP (which `srcdoc` frames would inherit) does not apply.
 * - `image/png`: an image; alt text from `metadata.alt` (or `metadata["image/png"].alt`).
 * - `application/json`: a collapsible tree.
 * - `application/vnd.reactive-notebook.table+json`: a table with typed headers, row count and pages.
 * - `application/vnd.reactive-notebook.control+json`: an `<rn-control>` — a native form control in this
 *   element's own DOM (a control carries data, not markup), which sends `rn-control-change` events.
 * - `application/vnd.vegalite.v5+json`, `application/vnd.plotly.v1+json`: a sandboxed iframe that loads
 *   the vendor scripts from the vendor folder (see `setVendorBase`, or `vendor-url`) — only when such an
 *   output is shown.
 * - anything else: a note naming the type.
 *
 * Parts: `output` (with `data-mime-type`) and one per kind, listed in `internal/parts.ts`.
 *
 * @cssproperty --rn-color-background - Background; also painted inside frames.
 * @cssproperty --rn-color-surface - Table headers, code blocks, pager buttons.
 * @cssproperty --rn-color-text - Main text colour; also used inside frames.
 * @cssproperty --rn-color-muted - Row counts, column types, nulls.
 * @cssproperty --rn-color-border - Table and frame borders.
 * @cssproperty --rn-color-accent - Links and focus rings.
 * @cssproperty --rn-color-danger - Chart load errors.
 * @cssproperty --rn-font-family - Text font.
 * @cssproperty --rn-font-family-code - Code font (text, JSON, column types).
 * @cssproperty --rn-font-size - Base font size.
 * @cssproperty --rn-radius - Corner radius.
 */
export class RnOutputsElement extends LitElement {
  static override styles = styles;

  /** The outputs to show, in order. */
  @property({ attribute: false }) outputs: Output[] = [];

  /** Light, dark, or `auto` (follows `prefers-color-scheme`). */
  @property({ reflect: true }) theme: OutputsTheme = "light";

  /** A vendor folder for this element's chart frames; overrides `setVendorBase` when set. */
  @property({ attribute: "vendor-url" }) vendorUrl = "";

  /** The tallest a frame grows to; taller documents scroll inside it. */
  @property({ type: Number, attribute: "max-frame-height" }) maxFrameHeight = 2000;

  /** The sandboxed frames of HTML, SVG and chart outputs: their messages, sizes and deadlines. */
  private readonly frames = new OutputFramesController(this, () => this.maxFrameHeight);
  /**
   * Each output's frame document, built once per output and theme: a running cell appends outputs one by
   * one, and re-rendering the list must not rebuild (and re-hash) every document already shown.
   */
  private readonly documents = new WeakMap<
    Output,
    { theme: FrameTheme; vendorBase: string; document: FrameDocument }
  >();
  private readonly markdown = new WeakMap<Output, string>();
  private readonly tablePages = new WeakMap<object, TablePage>();
  private readonly darkQuery = window.matchMedia("(prefers-color-scheme: dark)");

  override connectedCallback(): void {
    super.connectedCallback();
    this.darkQuery.addEventListener("change", this.onSchemeChange);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.darkQuery.removeEventListener("change", this.onSchemeChange);
  }

  /** The document a frame of this element shows (or is about to), e.g. to inspect its policy. */
  documentOf(frame: HTMLIFrameElement): string | undefined {
    return this.frames.documentOf(frame);
  }

  /** The frame colours for the render in progress, read once per render. */
  private renderTheme: FrameTheme | undefined;

  override render() {
    const outputs = Array.isArray(this.outputs) ? this.outputs : [];
    this.renderTheme = undefined;
    return outputs.map(
      (output, index) =>
        html`<div part="output" data-mime-type=${output.mimeType}>${this.renderOutput(output, index)}</div>`,
    );
  }

  private renderOutput(output: Output, index: number): TemplateResult | typeof nothing {
    const { mimeType, data } = output;
    const chart = CHART_MIME[mimeType];
    if (chart) return this.renderFrame(output, chart, chartTitle(chart, output));
    switch (mimeType) {
      case "text/plain":
        return renderText(textOf(data));
      case "text/markdown":
        return html`<div part="output-markdown">${unsafeHTML(this.markdownOf(output))}</div>`;
      case "text/html":
        return this.renderFrame(output, "content", titleOf(output, "HTML output"));
      case "image/svg+xml":
        return this.renderFrame(output, "content", titleOf(output, "SVG image"));
      case "image/png":
        return renderPng(output);
      case "application/json":
        return renderJsonTree(parseJson(data), titleOf(output, `JSON output ${index + 1}`));
      case TABLE_MIME:
        return this.renderTableOutput(output, index);
      case CONTROL_MIME:
        return this.renderControl(output);
      default:
        return renderUnsupported(mimeType);
    }
  }

  private renderControl(output: Output): TemplateResult {
    const control = readControl(output.data);
    if (typeof control === "string") return renderUnsupported(output.mimeType, control);
    return html`<rn-control exportparts=${CONTROL_PARTS} .control=${control}></rn-control>`;
  }

  /** Markdown rendered and sanitized once per output, not on every render of the list. */
  private markdownOf(output: Output): string {
    let rendered = this.markdown.get(output);
    if (rendered === undefined) {
      rendered = renderMarkdown(textOf(output.data));
      this.markdown.set(output, rendered);
    }
    return rendered;
  }

  private renderFrame(output: Output, kind: FrameKind, title: string): TemplateResult {
    const vendorBase = resolveVendorBase(this.vendorUrl);
    return this.frames.render(
      this.frameDocument(output, kind, vendorBase),
      kind,
      title,
      frameUrl(vendorBase),
    );
  }

  private frameDocument(output: Output, kind: FrameKind, vendorBase: string): FrameDocument {
    const theme = this.frameTheme();
    const cached = this.documents.get(output);
    if (cached && cached.vendorBase === vendorBase && sameTheme(cached.theme, theme)) return cached.document;
    const document =
      kind === "content"
        ? contentDocument(textOf(output.data), theme)
        : chartDocument(kind, output.data, theme, vendorBase);
    this.documents.set(output, { theme, vendorBase, document });
    return document;
  }

  private renderTableOutput(output: Output, index: number): TemplateResult {
    const data = output.data;
    if (!isTableData(data)) return renderUnsupported(output.mimeType, "the data is not a table");
    const table = data as TableData;
    const state = this.tablePages.get(table) ?? { page: 0, pageSize: PAGE_SIZES[0] };
    return renderTable(
      table,
      state,
      (next) => {
        const focused = this.shadowRoot?.activeElement;
        this.tablePages.set(table, next);
        this.requestUpdate();
        // A pager button that disables itself (Next on the last page) would drop keyboard focus: move it on.
        void this.updateComplete.then(() => {
          if (focused instanceof HTMLButtonElement && focused.disabled) {
            focused.closest("nav")?.querySelector<HTMLButtonElement>("button:not(:disabled)")?.focus();
          }
        });
      },
      titleOf(output, `Table output ${index + 1}`),
    );
  }

  /** The theme colours passed into frame documents, read from this element's resolved tokens. */
  private frameTheme(): FrameTheme {
    this.renderTheme ??= this.readFrameTheme();
    return this.renderTheme;
  }

  private readFrameTheme(): FrameTheme {
    const computed = getComputedStyle(this);
    const token = (name: string, fallback: string) => computed.getPropertyValue(name).trim() || fallback;
    const dark = this.theme === "dark" || (this.theme === "auto" && this.darkQuery.matches);
    return {
      scheme: dark ? "dark" : "light",
      background: cssValue(token("--_rn-background", dark ? "#0d1117" : "#ffffff")),
      text: cssValue(token("--_rn-text", dark ? "#e6edf3" : "#1f2328")),
      accent: cssValue(token("--_rn-accent", dark ? "#4493f8" : "#0969da")),
      border: cssValue(token("--_rn-border", dark ? "#3d444d" : "#d1d9e0")),
      fontFamily: cssValue(token("--_rn-font", "system-ui, sans-serif")),
    };
  }

  private readonly onSchemeChange = (): void => {
    if (this.theme === "auto") this.requestUpdate();
  };
}

function sameTheme(a: FrameTheme, b: FrameTheme): boolean {
  return (Object.keys(a) as (keyof FrameTheme)[]).every((key) => a[key] === b[key]);
}

function renderText(text: string): TemplateResult {
  if (!hasAnsi(text)) return html`<pre part="output-text">${text}</pre>`;
  return html`<pre part="output-text">${parseAnsi(text).map((span) =>
    span.classes ? html`<span class=${span.classes}>${span.text}</span>` : span.text,
  )}</pre>`;
}

function renderPng(output: Output): TemplateResult {
  const base64 = textOf(output.data).replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64))
    return renderUnsupported(output.mimeType, "the data is not base64");
  const meta = imageMetadata(output);
  const alt = typeof meta.alt === "string" && meta.alt ? meta.alt : "Image output";
  return html`<img
    part="output-image"
    src=${`data:image/png;base64,${base64}`}
    alt=${alt}
    width=${typeof meta.width === "number" ? meta.width : nothing}
    height=${typeof meta.height === "number" ? meta.height : nothing}
  />`;
}

function renderUnsupported(mimeType: string, reason?: string): TemplateResult {
  return html`<p class="unsupported" role="note">
    Cannot display an output of type <code>${mimeType}</code>${reason ? `: ${reason}` : ""}.
  </p>`;
}

/** Jupyter puts per-type metadata under the MIME type (`{"image/png": {width}}`); flat keys work too. */
function imageMetadata(output: Output): Record<string, unknown> {
  const meta = output.metadata ?? {};
  const nested = meta[output.mimeType];
  return nested !== null && typeof nested === "object" ? { ...meta, ...(nested as object) } : meta;
}

function titleOf(output: Output, fallback: string): string {
  const meta = output.metadata ?? {};
  for (const key of ["title", "alt", "label"]) {
    const value = meta[key];
    if (typeof value === "string" && value) return value;
  }
  return fallback;
}

function chartTitle(kind: ChartKind, output: Output): string {
  const spec = output.data as { title?: unknown; layout?: { title?: unknown } };
  const named = typeof spec?.title === "string" ? spec.title : undefined;
  return titleOf(output, named ?? (kind === "plotly" ? "Plotly chart" : "Vega-Lite chart"));
}

function textOf(data: Output["data"]): string {
  return typeof data === "string" ? data : JSON.stringify(data, null, 2);
}

function parseJson(data: Output["data"]): unknown {
  if (typeof data !== "string") return data;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

/** Keeps a token usable inside the frame's `<style>`: no braces, angle brackets or semicolons. */
function cssValue(value: string): string {
  return value.replace(/[{}<>;]/g, "");
}
