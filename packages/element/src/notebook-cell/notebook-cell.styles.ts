/** The styles of `<rn-cell>`. */
import { css } from "lit";
import { controlStyles } from "../internal/index.js";

export const styles = [
  controlStyles,
  css`
    :host {
      display: block;
    }

    .cell {
      border: 1px solid var(--rn-color-border);
      border-left: 4px solid var(--rn-color-border);
      border-radius: var(--rn-radius);
      background: var(--rn-color-background);
      overflow: hidden;
    }

    .cell:focus-within {
      border-left-color: var(--rn-color-accent);
    }

    .cell:focus-visible {
      outline: 2px solid var(--rn-color-focus);
      outline-offset: 1px;
    }

    .cell[data-status="error"] {
      border-left-color: var(--rn-color-danger);
    }

    .cell[data-status="running"],
    .cell[data-status="queued"] {
      border-left-color: var(--rn-color-warning);
    }

    .toolbar {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.4em;
      padding: 0.3em 0.5em;
      background: var(--rn-color-surface);
      border-bottom: 1px solid var(--rn-color-border);
      font-size: 0.9em;
    }

    .toolbar .spacer {
      flex: 1;
    }

    .count {
      font-family: var(--rn-font-family-code);
      color: var(--rn-color-muted);
      min-width: 3ch;
    }

    .result-name {
      display: inline-flex;
      align-items: center;
      gap: 0.3em;
      color: var(--rn-color-muted);
    }

    .result-name input {
      width: 10ch;
      font-family: var(--rn-font-family-code);
    }

    .editor {
      background: var(--rn-color-code-background);
    }

    .markdown {
      padding: 0.3em 1em;
      min-height: 1.5em;
    }

    .placeholder {
      color: var(--rn-color-muted);
      font-style: italic;
    }

    .status {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5em;
      padding: 0.3em 0.6em;
      border-top: 1px solid var(--rn-color-border);
      color: var(--rn-color-muted);
      font-size: 0.85em;
    }

    .status[data-status="success"] .badge {
      color: var(--rn-color-success);
    }

    .status[data-status="error"] .badge,
    .status[data-status="blocked"] .badge {
      color: var(--rn-color-danger);
    }

    .status[data-status="running"] .badge,
    .status[data-status="queued"] .badge,
    .status[data-status="stale"] .badge {
      color: var(--rn-color-warning-text);
    }

    .wait {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.6em;
      padding: 0.4em 0.8em;
      border-top: 1px solid var(--rn-color-border);
      font-size: 0.9em;
    }

    .wait progress {
      flex: 1 1 8em;
      max-width: 20em;
      height: 0.5em;
      accent-color: var(--rn-color-accent);
    }

    .wait .fraction {
      font-variant-numeric: tabular-nums;
      color: var(--rn-color-muted);
    }

    button.stop {
      color: var(--rn-color-danger);
      border-color: var(--rn-color-danger);
    }

    .chips {
      display: inline-flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.3em;
      margin-left: auto;
    }

    .chip {
      font-family: var(--rn-font-family-code);
      font-size: 0.95em;
      padding: 0 0.5em;
      min-height: 1.6em;
      border-radius: 999px;
      border: 1px solid var(--rn-color-border);
      background: var(--rn-color-surface);
      color: var(--rn-color-text);
      display: inline-flex;
      align-items: center;
    }

    .chip.read {
      color: var(--rn-color-link);
    }

    .stream,
    .error pre {
      margin: 0;
      padding: 0.4em 0.8em;
      font-family: var(--rn-font-family-code);
      font-size: 0.9em;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
      max-height: 30em;
      overflow: auto;
    }

    .stream {
      border-top: 1px solid var(--rn-color-border);
    }

    .stderr {
      background: var(--rn-color-danger-surface);
      color: var(--rn-color-text);
    }

    .error {
      border-top: 1px solid var(--rn-color-border);
      padding: 0.4em 0.8em;
      background: var(--rn-color-danger-surface);
      color: var(--rn-color-text);
    }

    .error strong {
      color: var(--rn-color-danger);
    }

    rn-outputs {
      display: block;
      border-top: 1px solid var(--rn-color-border);
      padding: 0.4em 0.8em;
    }

    .markdown rn-outputs {
      border-top: none;
      padding: 0;
    }
  `,
];
