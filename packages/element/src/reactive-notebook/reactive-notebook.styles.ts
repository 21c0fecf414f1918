/** The styles of `<reactive-notebook>`: its `--rn-*` theme tokens (light, dark, auto) and its layout. */
import { css } from "lit";
import { controlStyles } from "../internal/index.js";

/** Light tokens: every text colour keeps WCAG AA contrast (4.5:1) on the backgrounds it is used on. */
const lightTokens = css`
  --rn-color-background: #ffffff;
  --rn-color-surface: #f6f7f9;
  --rn-color-code-background: #f6f8fa;
  --rn-color-text: #1f2328;
  --rn-color-muted: #59636e;
  --rn-color-border: #d1d9e0;
  --rn-color-accent: #0969da;
  --rn-color-on-accent: #ffffff;
  --rn-color-link: #0757b8;
  --rn-color-focus: #0969da;
  --rn-color-success: #1a7f37;
  --rn-color-warning: #bf8700;
  --rn-color-warning-text: #875c00;
  --rn-color-danger: #c4212b;
  --rn-color-danger-surface: #fff1f0;
  --rn-color-active-line: #eaeef2;
  --rn-color-selection: #cce2ff;
  --rn-syntax-keyword: #c4212b;
  --rn-syntax-string: #0a3069;
  --rn-syntax-number: #0550ae;
  --rn-syntax-comment: #57606a;
  --rn-syntax-function: #6639ba;
  --rn-syntax-type: #953800;
`;

const darkTokens = css`
  --rn-color-background: #0d1117;
  --rn-color-surface: #161b22;
  --rn-color-code-background: #151a21;
  --rn-color-text: #e6edf3;
  --rn-color-muted: #9ea7b1;
  --rn-color-border: #3d444d;
  --rn-color-accent: #4493f8;
  --rn-color-on-accent: #0d1117;
  --rn-color-link: #6cb0ff;
  --rn-color-focus: #6cb0ff;
  --rn-color-success: #3fb950;
  --rn-color-warning: #d29922;
  --rn-color-warning-text: #e3b341;
  --rn-color-danger: #ff6b63;
  --rn-color-danger-surface: #2b1416;
  --rn-color-active-line: #1f2630;
  --rn-color-selection: #264f78;
  --rn-syntax-keyword: #ff7b72;
  --rn-syntax-string: #a5d6ff;
  --rn-syntax-number: #79c0ff;
  --rn-syntax-comment: #9ea7b1;
  --rn-syntax-function: #d2a8ff;
  --rn-syntax-type: #ffa657;
`;

export const styles = [
  controlStyles,
  css`
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
      flex-wrap: wrap;
      align-items: center;
      gap: 0.6em 1em;
      padding: 0.5em 1em;
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
      font-size: 0.9em;
    }

    [part="status"][data-state="error"] {
      color: var(--rn-color-danger);
    }

    [part="user"] {
      margin-left: auto;
      display: flex;
      align-items: center;
      gap: 0.5em;
      font-size: 0.9em;
    }

    [part="body"] {
      display: block;
    }

    .message {
      padding: 1em;
      margin: 0;
    }

    .message.error {
      color: var(--rn-color-danger);
    }

    [part="sign-in"] {
      padding: 1.5em 1em;
      display: flex;
      flex-direction: column;
      align-items: flex-start;
      gap: 0.6em;
    }

    [part="sign-in"] h2 {
      font-size: 1.1em;
      margin: 0;
    }

    [part="sign-in"] form {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5em;
    }

    .hint {
      color: var(--rn-color-muted);
      font-size: 0.9em;
      margin: 0;
    }
  `,
];
