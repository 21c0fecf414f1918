/** The styles of `<reactive-notebook>`: its `--rn-*` theme tokens (light, dark, auto) and its layout. */
import { css } from "lit";

const lightTokens = css`
  --rn-color-background: #ffffff;
  --rn-color-surface: #f6f7f9;
  --rn-color-text: #1f2328;
  --rn-color-muted: #59636e;
  --rn-color-border: #d1d9e0;
  --rn-color-accent: #0969da;
  --rn-color-success: #1a7f37;
  --rn-color-danger: #cf222e;
`;

const darkTokens = css`
  --rn-color-background: #0d1117;
  --rn-color-surface: #161b22;
  --rn-color-text: #e6edf3;
  --rn-color-muted: #9198a1;
  --rn-color-border: #3d444d;
  --rn-color-accent: #4493f8;
  --rn-color-success: #3fb950;
  --rn-color-danger: #f85149;
`;

export const styles = css`
  :host {
    ${lightTokens}
    --rn-font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
    --rn-font-family-code: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
    --rn-font-size: 14px;
    --rn-radius: 6px;
    display: block;
    color-scheme: light;
    background: var(--rn-color-background);
    color: var(--rn-color-text);
    font-family: var(--rn-font-family);
    font-size: var(--rn-font-size);
    border: 1px solid var(--rn-color-border);
    border-radius: var(--rn-radius);
  }

  :host([theme="dark"]) {
    ${darkTokens}
    color-scheme: dark;
  }

  @media (prefers-color-scheme: dark) {
    :host([theme="auto"]) {
      ${darkTokens}
      color-scheme: dark;
    }
  }

  :host([hidden]) {
    display: none;
  }

  [part="header"] {
    display: flex;
    align-items: baseline;
    gap: 1em;
    padding: 0.6em 1em;
    background: var(--rn-color-surface);
    border-bottom: 1px solid var(--rn-color-border);
    border-radius: var(--rn-radius) var(--rn-radius) 0 0;
  }

  [part="title"] {
    font-weight: 600;
  }

  [part="status"] {
    color: var(--rn-color-muted);
    overflow-wrap: anywhere;
  }

  [part="status"][data-state="connected"] {
    color: var(--rn-color-success);
  }

  [part="status"][data-state="error"] {
    color: var(--rn-color-danger);
  }
`;
