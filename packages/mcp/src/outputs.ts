/**
 * How a cell's outputs, printed streams and errors read to a model: every output becomes a short text (a
 * Markdown table, tag-stripped HTML, a one-line chart description…), PNG images travel as MCP image content,
 * and anything long is capped with a note of how much was cut, so one big output cannot flood a context.
 */
import type { CellError, Output, TableData } from "@reactive-notebook/sdk";
import { readableTraceback } from "@reactive-notebook/sdk";

/** The caps applied; documented in docs/agents.md. */
export const OUTPUT_LIMITS = {
  /** Rows of a table shown as Markdown. */
  tableRows: 20,
  /** Characters of one table cell's value. */
  tableCellChars: 80,
  /** Characters of one text output (plain, stripped HTML, JSON…). */
  textChars: 4000,
  /** Characters kept from the start and from the end of stdout/stderr. */
  streamHeadChars: 1000,
  streamTailChars: 3000,
  /** Characters of a traceback (its end is kept: that is where the error is). */
  tracebackChars: 4000,
  /** Bytes of one image sent as image content; a larger one is described instead. */
  imageBytes: 1_000_000,
} as const;

/** An image sent to the model as MCP image content. */
export interface ModelImage {
  type: "image";
  /** Base64. */
  data: string;
  mimeType: string;
}

/** One output as a model reads it: always a text; for an image, the image too. */
export interface RenderedOutput {
  mimeType: string;
  text: string;
  image?: ModelImage;
}

const TABLE_MIME = "application/vnd.reactive-notebook.table+json";
const IMAGE_MIMES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

/** One output for a model. Never throws: outputs come from user code, so any shape may arrive. */
export function renderOutput(output: Output): RenderedOutput {
  const { mimeType, data } = output;
  if (IMAGE_MIMES.has(mimeType) && typeof data === "string") return renderImage(mimeType, data);
  switch (mimeType) {
    case "text/plain":
      return { mimeType, text: capText(asText(data)) };
    case "text/html":
    case "text/markdown":
    case "image/svg+xml": {
      const stripped = stripTags(asText(data));
      return { mimeType, text: `[${mimeType}, tags stripped] ${capText(stripped || "(no text)")}` };
    }
    case TABLE_MIME:
      return { mimeType, text: isTable(data) ? renderTable(data) : `[table] ${capText(asText(data))}` };
    case "application/vnd.vegalite.v5+json":
    case "application/vnd.vegalite.v4+json":
      return { mimeType, text: describeVegaLite(data) };
    case "application/vnd.plotly.v1+json":
      return { mimeType, text: describePlotly(data) };
    case "application/vnd.reactive-notebook.control+json":
      return { mimeType, text: describeControl(data) };
    default:
      return { mimeType, text: `[${mimeType}] ${capText(asText(data))}` };
  }
}

/** stdout or stderr with its middle cut when long: the start says what began, the end what happened last. */
export function capStream(text: string): string {
  const { streamHeadChars: head, streamTailChars: tail } = OUTPUT_LIMITS;
  if (text.length <= head + tail) return text;
  const cut = text.length - head - tail;
  return `${text.slice(0, head)}\n[… ${cut.toLocaleString("en-US")} characters cut …]\n${text.slice(-tail)}`;
}

/** A cell's error with cells in its traceback named by position, the traceback's end kept when long. */
export function renderError(error: CellError, positions: ReadonlyMap<string, number>): CellError {
  if (error.traceback === undefined) return { name: error.name, message: error.message };
  const traceback = readableTraceback(error.traceback, positions);
  const limit = OUTPUT_LIMITS.tracebackChars;
  const kept =
    traceback.length <= limit
      ? traceback
      : `[… ${(traceback.length - limit).toLocaleString("en-US")} characters cut …]\n${traceback.slice(-limit)}`;
  return { name: error.name, message: error.message, traceback: kept };
}

/** A table output as "N rows, columns: …" and a Markdown table of its first rows. */
export function renderTable(table: TableData): string {
  const shown = table.rows.slice(0, OUTPUT_LIMITS.tableRows);
  const columns = table.columns.map((column) =>
    column.type ? `${column.name} (${column.type})` : column.name,
  );
  const rows = table.rowCount === 1 ? "1 row" : `${table.rowCount.toLocaleString("en-US")} rows`;
  const lines = [`${rows}, columns: ${columns.join(", ") || "none"}`];
  if (table.columns.length > 0 && shown.length > 0) {
    lines.push(
      `| ${table.columns.map((column) => tableCell(column.name)).join(" | ")} |`,
      `|${table.columns.map(() => " --- |").join("")}`,
      ...shown.map((row) => `| ${table.columns.map((_, i) => tableCell(row[i])).join(" | ")} |`),
    );
  }
  if (shown.length < table.rowCount) {
    lines.push(`(first ${shown.length} of ${table.rowCount.toLocaleString("en-US")} rows shown)`);
  }
  return lines.join("\n");
}

/** HTML (or SVG, or Markdown with HTML in it) as its text: comments, scripts and styles dropped, entities decoded. */
export function stripTags(html: string): string {
  return decodeEntities(
    dropBlocks(html.slice(0, STRIP_INPUT_CHARS))
      .replace(/<\/(t[dh])\s*>/gi, "\t")
      .replace(/<(br|\/p|\/div|\/tr|\/li|\/h[1-6]|\/table|\/text)\b[^>]*>/gi, "\n")
      .replace(/<[^>]*>/g, ""),
  )
    .replace(/[ \t]*\t[ \t]*/g, " | ")
    .replace(/[ \u00a0]+/g, " ")
    .replace(/ *\n */g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Most characters of markup looked at: its text is capped far below this anyway. */
const STRIP_INPUT_CHARS = 200_000;

/** Blocks whose content is not text, with how each ends. */
const BLOCKS = [
  ["<!--", "-->"],
  ["<script", "</script"],
  ["<style", "</style"],
] as const;

/**
 * The markup without its comments, scripts and styles, in one pass (a lazy regex would rescan the rest of
 * the input for every unclosed opening, and this input is whatever user code printed). An unclosed block
 * runs to the end.
 */
function dropBlocks(html: string): string {
  const lower = html.toLowerCase();
  const next = BLOCKS.map(([open]) => lower.indexOf(open));
  let text = "";
  let at = 0;
  for (;;) {
    const found = next.map((position, i) => {
      if (position !== -1 && position < at) next[i] = lower.indexOf(BLOCKS[i]?.[0] ?? "", at);
      return next[i] ?? -1;
    });
    const starts = found.filter((position) => position !== -1);
    if (starts.length === 0) return text + html.slice(at);
    const start = Math.min(...starts);
    const block = BLOCKS[found.indexOf(start)] ?? BLOCKS[0];
    text += html.slice(at, start);
    const close = lower.indexOf(block[1], start + block[0].length);
    if (close === -1) return text;
    const end = block[1] === "-->" ? close + 3 : lower.indexOf(">", close);
    if (end === -1) return text;
    at = block[1] === "-->" ? end : end + 1;
  }
}

/** A Vega-Lite spec in one line: mark, encodings, data size and title. */
export function describeVegaLite(spec: unknown): string {
  if (!isRecord(spec)) return "Vega-Lite chart (its spec is not an object)";
  const parts: string[] = [];
  const layers = Array.isArray(spec.layer) ? spec.layer.filter(isRecord) : [];
  const marks = (layers.length > 0 ? layers : [spec]).map((layer) => markName(layer.mark)).filter(Boolean);
  parts.push(marks.length > 0 ? `${[...new Set(marks)].join(" + ")} chart` : "chart");
  const encoding = isRecord(spec.encoding)
    ? spec.encoding
    : isRecord(layers[0]?.encoding)
      ? layers[0].encoding
      : {};
  const channels = Object.entries(encoding)
    .filter(([, value]) => isRecord(value))
    .map(([channel, value]) => `${channel} = ${encodingText(value as Record<string, unknown>)}`);
  if (channels.length > 0) parts.push(channels.join(", "));
  const values = isRecord(spec.data) && Array.isArray(spec.data.values) ? spec.data.values.length : undefined;
  if (values !== undefined) parts.push(`${values} data rows`);
  const title = titleText(spec.title);
  return `Vega-Lite ${parts.join("; ")}${title ? `; title "${title}"` : ""}`;
}

/** A Plotly figure in one line: its traces (type, name, points) and title. */
export function describePlotly(figure: unknown): string {
  if (!isRecord(figure)) return "Plotly chart (its figure is not an object)";
  const traces = Array.isArray(figure.data) ? figure.data.filter(isRecord) : [];
  const described = traces.slice(0, 5).map((trace) => {
    const type = typeof trace.type === "string" ? trace.type : "scatter";
    const name = typeof trace.name === "string" ? ` "${clip(trace.name, 40)}"` : "";
    const points = [trace.x, trace.y, trace.values, trace.z].find(Array.isArray)?.length;
    return `${type}${name}${points === undefined ? "" : `, ${points} points`}`;
  });
  const more = traces.length > described.length ? `, and ${traces.length - described.length} more` : "";
  const layout = isRecord(figure.layout) ? figure.layout : {};
  const title = titleText(layout.title);
  const count = traces.length === 1 ? "1 trace" : `${traces.length} traces`;
  const list = described.length > 0 ? ` (${described.join("; ")}${more})` : "";
  return `Plotly chart: ${count}${list}${title ? `; title "${title}"` : ""}`;
}

function renderImage(mimeType: string, data: string): RenderedOutput {
  const padding = data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
  const bytes = Math.floor((data.length * 3) / 4) - padding;
  const size = bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`;
  const dimensions = mimeType === "image/png" ? pngSize(data) : undefined;
  const what = `${mimeType}${dimensions ? `, ${dimensions.width}×${dimensions.height} px` : ""}, ${size}`;
  if (bytes > OUTPUT_LIMITS.imageBytes) {
    const limit = `${Math.round(OUTPUT_LIMITS.imageBytes / 1024)} KB`;
    return { mimeType, text: `[image: ${what}; over the ${limit} limit, not sent]` };
  }
  return {
    mimeType,
    text: `[image: ${what}; sent as image content]`,
    image: { type: "image", data, mimeType },
  };
}

/** Width and height from a PNG's IHDR chunk (bytes 16–23), read from the first base64 characters only. */
function pngSize(base64: string): { width: number; height: number } | undefined {
  const head = Buffer.from(base64.slice(0, 44), "base64");
  if (head.length < 24 || head.toString("latin1", 12, 16) !== "IHDR") return undefined;
  return { width: head.readUInt32BE(16), height: head.readUInt32BE(20) };
}

function describeControl(data: unknown): string {
  if (!isRecord(data)) return "[control]";
  const kind = typeof data.kind === "string" ? data.kind : "control";
  const id = typeof data.id === "string" ? ` ${clip(data.id, 20)}` : "";
  const label = typeof data.label === "string" && data.label ? ` "${clip(data.label, 60)}"` : "";
  const accepts = controlAccepts(kind, isRecord(data.props) ? data.props : {});
  return `[control${id}: ${kind}${label} = ${clip(JSON.stringify(data.value) ?? "null", 200)}${accepts}]`;
}

/** What a control accepts, so a model can call set_control with a value that fits. */
function controlAccepts(kind: string, props: Record<string, unknown>): string {
  if (kind === "slider" || kind === "number") {
    const bound = (value: unknown) => (typeof value === "number" ? String(value) : "…");
    if (props.start === undefined && props.stop === undefined) return "";
    return `, ${bound(props.start)} to ${bound(props.stop)} step ${bound(props.step)}`;
  }
  if ((kind === "dropdown" || kind === "radio") && Array.isArray(props.options)) {
    return `, one of ${clip(props.options.map((option) => JSON.stringify(option)).join(", "), 200)}`;
  }
  return "";
}

function markName(mark: unknown): string {
  if (typeof mark === "string") return mark;
  return isRecord(mark) && typeof mark.type === "string" ? mark.type : "";
}

function encodingText(channel: Record<string, unknown>): string {
  const field =
    typeof channel.field === "string" ? channel.field : channel.value !== undefined ? "a constant" : "?";
  const aggregated = typeof channel.aggregate === "string" ? `${channel.aggregate}(${field})` : field;
  return typeof channel.type === "string" ? `${aggregated} (${channel.type})` : aggregated;
}

function titleText(title: unknown): string {
  if (typeof title === "string") return clip(title, 100);
  if (isRecord(title) && typeof title.text === "string") return clip(title.text, 100);
  return "";
}

function isTable(data: unknown): data is TableData {
  return (
    isRecord(data) &&
    Array.isArray(data.columns) &&
    data.columns.every((column) => isRecord(column) && typeof column.name === "string") &&
    Array.isArray(data.rows) &&
    data.rows.every(Array.isArray) &&
    typeof data.rowCount === "number"
  );
}

function tableCell(value: unknown): string {
  const text = typeof value === "string" ? value : value === undefined ? "" : (JSON.stringify(value) ?? "");
  return clip(text, OUTPUT_LIMITS.tableCellChars)
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/\r?\n/g, " ");
}

function asText(data: unknown): string {
  return typeof data === "string" ? data : (JSON.stringify(data, null, 2) ?? String(data));
}

/** A text cut to the text limit, saying how much was cut. */
function capText(text: string): string {
  const limit = OUTPUT_LIMITS.textChars;
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}\n[… ${(text.length - limit).toLocaleString("en-US")} characters cut]`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, body: string) => {
    if (body[0] === "#") {
      const code =
        body[1] === "x" || body[1] === "X" ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
      return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return ENTITIES[body.toLowerCase()] ?? entity;
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
