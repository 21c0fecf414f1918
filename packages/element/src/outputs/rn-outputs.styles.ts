/** The styles of `<rn-outputs>`: private tokens that follow the notebook's `--rn-*` properties, then each output kind. */
import { css } from "lit";

/** Fallbacks for a standalone `<rn-outputs>`; inside `<reactive-notebook>` the inherited `--rn-*` win. */
const light = css`
  --_rn-background: var(--rn-color-background, #ffffff);
  --_rn-surface: var(--rn-color-surface, #f6f7f9);
  --_rn-text: var(--rn-color-text, #1f2328);
  --_rn-muted: var(--rn-color-muted, #59636e);
  --_rn-border: var(--rn-color-border, #d1d9e0);
  --_rn-accent: var(--rn-color-accent, #0969da);
  --_rn-danger: var(--rn-color-danger, #cf222e);
  --_rn-json-key: #953800;
  --_rn-json-string: #116329;
  --_rn-json-number: #0550ae;
  --_rn-json-literal: #6639ba;
  --_rn-ansi-black: #24292f;
  --_rn-ansi-red: #cf222e;
  --_rn-ansi-green: #116329;
  --_rn-ansi-yellow: #7d4e00;
  --_rn-ansi-blue: #0550ae;
  --_rn-ansi-magenta: #8250df;
  --_rn-ansi-cyan: #1b7c83;
  --_rn-ansi-white: #59636e;
`;

const dark = css`
  --_rn-background: var(--rn-color-background, #0d1117);
  --_rn-surface: var(--rn-color-surface, #161b22);
  --_rn-text: var(--rn-color-text, #e6edf3);
  --_rn-muted: var(--rn-color-muted, #9198a1);
  --_rn-border: var(--rn-color-border, #3d444d);
  --_rn-accent: var(--rn-color-accent, #4493f8);
  --_rn-danger: var(--rn-color-danger, #f85149);
  --_rn-json-key: #ffa657;
  --_rn-json-string: #7ee787;
  --_rn-json-number: #79c0ff;
  --_rn-json-literal: #d2a8ff;
  --_rn-ansi-black: #9198a1;
  --_rn-ansi-red: #ff7b72;
  --_rn-ansi-green: #3fb950;
  --_rn-ansi-yellow: #d29922;
  --_rn-ansi-blue: #58a6ff;
  --_rn-ansi-magenta: #bc8cff;
  --_rn-ansi-cyan: #39c5cf;
  --_rn-ansi-white: #c9d1d9;
`;

export const styles = css`
  :host {
    ${light}
    --_rn-font: var(--rn-font-family, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
    --_rn-font-code: var(--rn-font-family-code, ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace);
    --_rn-radius: var(--rn-radius, 6px);
    display: block;
    color-scheme: light;
    color: var(--_rn-text);
    font-family: var(--_rn-font);
    font-size: var(--rn-font-size, 14px);
  }

  :host([theme="dark"]) {
    ${dark}
    color-scheme: dark;
  }

  @media (prefers-color-scheme: dark) {
    :host([theme="auto"]) {
      ${dark}
      color-scheme: dark;
    }
  }

  :host([hidden]) {
    display: none;
  }

  [part~="output"] {
    margin: 0 0 8px;
    min-width: 0;
  }

  [part~="output"]:last-child {
    margin-bottom: 0;
  }

  :focus-visible {
    outline: 2px solid var(--_rn-accent);
    outline-offset: 2px;
  }

  /* text/plain */
  pre {
    margin: 0;
    font-family: var(--_rn-font-code);
    font-size: 0.95em;
    line-height: 1.45;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }

  .ansi-bold { font-weight: 700; }
  .ansi-italic { font-style: italic; }
  .ansi-underline { text-decoration: underline; }
  .ansi-black { color: var(--_rn-ansi-black); }
  .ansi-red { color: var(--_rn-ansi-red); }
  .ansi-green { color: var(--_rn-ansi-green); }
  .ansi-yellow { color: var(--_rn-ansi-yellow); }
  .ansi-blue { color: var(--_rn-ansi-blue); }
  .ansi-magenta { color: var(--_rn-ansi-magenta); }
  .ansi-cyan { color: var(--_rn-ansi-cyan); }
  .ansi-white { color: var(--_rn-ansi-white); }
  [class*="ansi-bg-"] { color: var(--_rn-background); }
  .ansi-bg-black { background: var(--_rn-ansi-black); }
  .ansi-bg-red { background: var(--_rn-ansi-red); }
  .ansi-bg-green { background: var(--_rn-ansi-green); }
  .ansi-bg-yellow { background: var(--_rn-ansi-yellow); }
  .ansi-bg-blue { background: var(--_rn-ansi-blue); }
  .ansi-bg-magenta { background: var(--_rn-ansi-magenta); }
  .ansi-bg-cyan { background: var(--_rn-ansi-cyan); }
  .ansi-bg-white { background: var(--_rn-ansi-white); }

  /* text/markdown */
  [part~="output-markdown"] {
    line-height: 1.55;
    overflow-wrap: anywhere;
  }
  [part~="output-markdown"] > :first-child { margin-top: 0; }
  [part~="output-markdown"] > :last-child { margin-bottom: 0; }
  [part~="output-markdown"] a { color: var(--_rn-accent); }
  [part~="output-markdown"] code {
    font-family: var(--_rn-font-code);
    font-size: 0.92em;
    background: var(--_rn-surface);
    border-radius: 4px;
    padding: 0.1em 0.3em;
  }
  [part~="output-markdown"] pre {
    background: var(--_rn-surface);
    border-radius: var(--_rn-radius);
    padding: 8px 12px;
    overflow-x: auto;
  }
  [part~="output-markdown"] pre code { padding: 0; background: none; }
  [part~="output-markdown"] img { max-width: 100%; }
  [part~="output-markdown"] blockquote {
    margin: 0;
    padding-left: 12px;
    border-left: 3px solid var(--_rn-border);
    color: var(--_rn-muted);
  }
  [part~="output-markdown"] table,
  .table table {
    border-collapse: collapse;
  }
  [part~="output-markdown"] th,
  [part~="output-markdown"] td {
    border: 1px solid var(--_rn-border);
    padding: 4px 8px;
  }

  /* sandboxed frames */
  .frame-box {
    position: relative;
  }
  [part~="output-frame"] {
    display: block;
    width: 100%;
    border: 0;
    background: var(--_rn-background);
    color-scheme: inherit;
  }
  .frame-error,
  .unsupported {
    margin: 4px 0 0;
    color: var(--_rn-danger);
  }
  .unsupported {
    color: var(--_rn-muted);
    font-style: italic;
  }
  .unsupported code {
    font-family: var(--_rn-font-code);
    font-style: normal;
    color: var(--_rn-text);
  }

  /* image/png */
  [part~="output-image"] {
    display: block;
    max-width: 100%;
    height: auto;
  }

  /* application/json */
  [part~="output-json"] {
    font-family: var(--_rn-font-code);
    font-size: 0.95em;
    line-height: 1.5;
  }
  [part~="output-json"] ul {
    list-style: none;
    margin: 0;
    padding-left: 18px;
  }
  [part~="output-json"] summary {
    cursor: pointer;
    width: fit-content;
    border-radius: 3px;
  }
  .json-key { color: var(--_rn-json-key); }
  .json-string { color: var(--_rn-json-string); }
  .json-number { color: var(--_rn-json-number); }
  .json-boolean,
  .json-null { color: var(--_rn-json-literal); }
  .json-count,
  .json-more { color: var(--_rn-muted); }

  /* the table type */
  .table-scroll {
    overflow: auto;
    max-height: 480px;
    border: 1px solid var(--_rn-border);
    border-radius: var(--_rn-radius);
  }
  .table table {
    width: max-content;
    min-width: 100%;
    font-variant-numeric: tabular-nums;
  }
  .table caption {
    caption-side: top;
    text-align: left;
    padding: 4px 8px;
    color: var(--_rn-muted);
    background: var(--_rn-surface);
    border-bottom: 1px solid var(--_rn-border);
  }
  .table th,
  .table td {
    padding: 4px 10px;
    border-bottom: 1px solid var(--_rn-border);
    text-align: left;
    vertical-align: top;
    white-space: pre;
  }
  .table th {
    position: sticky;
    top: 0;
    background: var(--_rn-surface);
    font-weight: 600;
    white-space: nowrap;
  }
  .column-type {
    display: block;
    font-weight: 400;
    font-size: 0.85em;
    color: var(--_rn-muted);
    font-family: var(--_rn-font-code);
  }
  .table td.number,
  .table th.number { text-align: right; }
  .table td.null { color: var(--_rn-muted); font-style: italic; }
  .pager {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px;
    margin-top: 6px;
    color: var(--_rn-text);
  }
  .pager label { margin-right: auto; }
  .pager select,
  .pager button {
    font: inherit;
    color: var(--_rn-text);
    background: var(--_rn-surface);
    border: 1px solid var(--_rn-border);
    border-radius: var(--_rn-radius);
    padding: 2px 8px;
  }
  .pager button { min-width: 32px; cursor: pointer; }
  .pager button:disabled { cursor: default; color: var(--_rn-muted); }
  .page-status { color: var(--_rn-muted); }
`;
