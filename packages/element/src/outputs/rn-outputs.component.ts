/** `<rn-outputs>`: one cell's outputs, each drawn by its MIME type, untrusted ones inside sandboxed frames. */
import type { Output, TableData } from "@reactive-notebook/protocol";
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from "lit";
import { property } from "lit/decorators.js";
import { keyed } from "lit/directives/keyed.js";
import { styleMap } from "lit/directives/style-map.js";
import { unsafeHTML } from "lit/directives/unsafe-html.js";
import { hasAnsi, parseAnsi } from "./ansi.js";
import {
  type ChartKind,
  chartDocument,
  contentDocument,
  type FrameDocument,
  type FrameMessage,
  type FrameTheme,
  frameUrl,
} from "./frame.js";
import { renderJsonTree } from "./json-tree.js";
import { renderMarkdown } from "./markdown.js";
import { styles } from "./rn-outputs.styles.js";
import { isTableData, PAGE_SIZES, renderTable, type TablePage } from "./table.js";
import { resolveVendorBase } from "./vendor.js";

/** The colour scheme of the outputs; `auto` follows `prefers-color-scheme`. */
export type OutputsTheme = "light" | "dark" | "auto";

const TABLE_MIME = "application/vnd.reactive-notebook.table+json";
const CHART_MIME: Record<string, ChartKind> = {
  "application/vnd.vegalite.v5+json": "vega-lite",
  "application/vnd.plotly.v1+json": "plotly",
};
/** A frame's height before its document reports one. */
const INITIAL_FRAME_HEIGHT: Record<"content" | ChartKind, number> = {
  content: 40,
  "vega-lite": 320,
  plotly: 450,
};
const MIN_FRAME_HEIGHT = 16;
/** How long a frame may take to load the frame page before the output shows an error. */
const FRAME_LOAD_TIMEOUT_MS = 15_000;
/** After the frame's `load` event, how long its page has to say it is ready (it says so while parsing). */
const FRAME_READY_GRACE_MS = 1_000;

/** What the element knows about one frame document, keyed by its `FrameDocument.id`. */
interface FrameState {
  height: number;
  state: "loading" | "rendered" | "error";
  message?: string;
  marks?: number;
}

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
 * - `application/vnd.vegalite.v5+json`, `application/vnd.plotly.v1+json`: a sandboxed iframe that loads
 *   the vendor scripts from the vendor folder (see `setVendorBase`, or `vendor-url`) — only when such an
 *   output is shown.
 * - anything else: a note naming the type.
 *
 * @csspart output - The wrapper of each output; `data-mime-type` names its type.
 * @csspart output-text - A `text/plain` output (`<pre>`).
 * @csspart output-markdown - A rendered `text/markdown` output.
 * @csspart output-frame - The sandboxed `<iframe>` of an HTML, SVG, Vega-Lite or Plotly output.
 * @csspart output-image - A `image/png` output (`<img>`).
 * @csspart output-json - An `application/json` tree.
 * @csspart output-table - A table output with its pager.
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

  private readonly frameStates = new Map<string, FrameState>();
  /** The document each shown frame is sent once its frame page says it is ready, by `FrameDocument.id`. */
  private readonly frameSources = new Map<string, string>();
  /** Frames already sent their document: a frame page that loads again (it navigated) gets nothing more. */
  private readonly servedFrames = new WeakSet<Window>();
  /** Documents whose frame page said it was ready. */
  private readonly readyDocs = new Set<string>();
  private readonly frameTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly tablePages = new WeakMap<object, TablePage>();
  private readonly darkQuery = window.matchMedia("(prefers-color-scheme: dark)");

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener("message", this.onMessage);
    this.darkQuery.addEventListener("change", this.onSchemeChange);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener("message", this.onMessage);
    this.darkQuery.removeEventListener("change", this.onSchemeChange);
    for (const timer of this.frameTimers.values()) clearTimeout(timer);
    this.frameTimers.clear();
  }

  /** The document a frame of this element shows (or is about to), e.g. to inspect its policy. */
  documentOf(frame: HTMLIFrameElement): string | undefined {
    return this.frameSources.get(frame.dataset.doc ?? "");
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

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    // Forget frame documents that are no longer shown; give the new ones a deadline to load.
    const shown = new Set(Array.from(this.frames(), (frame) => frame.dataset.doc ?? ""));
    for (const key of this.frameStates.keys()) if (!shown.has(key)) this.frameStates.delete(key);
    for (const key of this.frameSources.keys()) if (!shown.has(key)) this.frameSources.delete(key);
    for (const key of this.readyDocs) if (!shown.has(key)) this.readyDocs.delete(key);
    for (const [key, timer] of this.frameTimers) {
      if (shown.has(key)) continue;
      clearTimeout(timer);
      this.frameTimers.delete(key);
    }
    for (const frame of this.frames()) {
      const key = frame.dataset.doc ?? "";
      if (this.frameTimers.has(key) || this.frameStates.get(key)?.state !== "loading") continue;
      this.frameTimers.set(
        key,
        setTimeout(() => this.frameDidNotLoad(key, frame.src), FRAME_LOAD_TIMEOUT_MS),
      );
    }
  }

  private frameDidNotLoad(key: string, src: string): void {
    const current = this.frameStates.get(key);
    if (current?.state !== "loading" || !this.frameSources.has(key) || this.readyDocs.has(key)) return;
    this.frameStates.set(key, {
      ...current,
      state: "error",
      message: `its frame page did not load from ${src} (see setVendorBase)`,
    });
    this.requestUpdate();
  }

  private renderOutput(output: Output, index: number): TemplateResult | typeof nothing {
    const { mimeType, data } = output;
    const chart = CHART_MIME[mimeType];
    if (chart)
      return this.renderFrame(
        chartDocument(chart, data, this.frameTheme(), resolveVendorBase(this.vendorUrl)),
        chart,
        chartTitle(chart, output),
      );
    switch (mimeType) {
      case "text/plain":
        return renderText(textOf(data));
      case "text/markdown":
        return html`<div part="output-markdown">${unsafeHTML(renderMarkdown(textOf(data)))}</div>`;
      case "text/html":
        return this.renderFrame(
          contentDocument(textOf(data), this.frameTheme()),
          "content",
          titleOf(output, "HTML output"),
        );
      case "image/svg+xml":
        return this.renderFrame(
          contentDocument(textOf(data), this.frameTheme()),
          "content",
          titleOf(output, "SVG image"),
        );
      case "image/png":
        return renderPng(output);
      case "application/json":
        return renderJsonTree(parseJson(data), titleOf(output, `JSON output ${index + 1}`));
      case TABLE_MIME:
        return this.renderTableOutput(output, index);
      default:
        return renderUnsupported(mimeType);
    }
  }

  private renderFrame(
    frameDocument: FrameDocument,
    kind: "content" | ChartKind,
    title: string,
  ): TemplateResult {
    const state = this.frameStates.get(frameDocument.id) ?? {
      height: INITIAL_FRAME_HEIGHT[kind],
      state: "loading",
    };
    if (!this.frameStates.has(frameDocument.id)) this.frameStates.set(frameDocument.id, state);
    this.frameSources.set(frameDocument.id, frameDocument.srcdoc);
    // A new document gets a new frame: a frame page is sent exactly one document.
    return html`<div class="frame-box" data-state=${state.state} data-marks=${state.marks ?? nothing}>
      ${keyed(
        frameDocument.id,
        html`<iframe
          part="output-frame"
          sandbox="allow-scripts"
          referrerpolicy="no-referrer"
          title=${title}
          data-kind=${kind}
          data-doc=${frameDocument.id}
          style=${styleMap({ height: `${state.height}px` })}
          src=${frameUrl(resolveVendorBase(this.vendorUrl))}
          @load=${this.onFrameLoad}
        ></iframe>`,
      )}
      ${
        state.state === "error"
          ? html`<p class="frame-error" role="alert">Could not draw this ${kind === "content" ? "output" : "chart"}: ${state.message}</p>`
          : nothing
      }
    </div>`;
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

  private frames(): HTMLIFrameElement[] {
    return Array.from(this.renderRoot.querySelectorAll<HTMLIFrameElement>("iframe[part~='output-frame']"));
  }

  /**
   * Accepts a message only from one of this element's own frames (`event.source` is its `contentWindow`,
   * and its origin is opaque), with a known shape, from the document the frame shows now (`doc`); clamps
   * heights. Anything else is ignored.
   */
  private readonly onMessage = (event: MessageEvent): void => {
    if (event.source === null || event.origin !== "null") return;
    const frame = this.frames().find((candidate) => candidate.contentWindow === event.source);
    if (!frame) return;
    if (isReady(event.data)) {
      const key = frame.dataset.doc ?? "";
      const source = this.frameSources.get(key);
      if (source === undefined || this.servedFrames.has(event.source as Window)) return;
      this.servedFrames.add(event.source as Window);
      this.readyDocs.add(key);
      // The frame's origin is opaque, so "*" is the only target origin that reaches it; it is this
      // element's own frame (checked above) and is sent only the document it was created for.
      (event.source as Window).postMessage({ type: "rn-output-render", html: source }, "*");
      return;
    }
    const message = frameMessage(event.data);
    if (!message || message.doc !== frame.dataset.doc) return;
    const key = message.doc;
    const kind = (frame.dataset.kind ?? "content") as "content" | ChartKind;
    const current = this.frameStates.get(key) ?? { height: INITIAL_FRAME_HEIGHT[kind], state: "loading" };
    if (message.type === "rn-output-height") {
      const height = Math.min(Math.max(Math.ceil(message.height), MIN_FRAME_HEIGHT), this.maxFrameHeight);
      this.frameStates.set(key, {
        ...current,
        height,
        state: current.state === "loading" && kind === "content" ? "rendered" : current.state,
      });
    } else {
      this.frameStates.set(key, {
        ...current,
        state: message.state,
        message: message.message,
        marks: message.marks,
      });
    }
    this.requestUpdate();
  };

  /** A frame whose page loaded but never said it was ready is not showing the frame page (a 404, say). */
  private readonly onFrameLoad = (event: Event): void => {
    const frame = event.target as HTMLIFrameElement;
    const key = frame.dataset.doc ?? "";
    setTimeout(() => this.frameDidNotLoad(key, frame.src), FRAME_READY_GRACE_MS);
  };

  private readonly onSchemeChange = (): void => {
    if (this.theme === "auto") this.requestUpdate();
  };
}

/** The frame page's first message: it is listening for its document. */
function isReady(data: unknown): boolean {
  return typeof data === "object" && data !== null && (data as { type?: unknown }).type === "rn-output-ready";
}

function frameMessage(data: unknown): FrameMessage | undefined {
  if (data === null || typeof data !== "object") return undefined;
  const message = data as Record<string, unknown>;
  if (typeof message.doc !== "string") return undefined;
  if (message.type === "rn-output-height") {
    return typeof message.height === "number" && Number.isFinite(message.height)
      ? { type: "rn-output-height", doc: message.doc, height: message.height }
      : undefined;
  }
  if (message.type === "rn-output-status" && (message.state === "rendered" || message.state === "error")) {
    return {
      type: "rn-output-status",
      doc: message.doc,
      state: message.state,
      message: typeof message.message === "string" ? message.message.slice(0, 500) : undefined,
      marks: typeof message.marks === "number" ? message.marks : undefined,
    };
  }
  return undefined;
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
