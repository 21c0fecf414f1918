/** Styles shared by this package's elements: buttons, inputs, focus rings — all drawn from the `--rn-*` tokens. */
import { css } from "lit";

export const controlStyles = css`
  :host {
    font-family: var(--rn-font-family);
    font-size: var(--rn-font-size);
    color: var(--rn-color-text);
  }

  [hidden] {
    display: none !important;
  }

  button,
  select,
  input {
    font: inherit;
    color: var(--rn-color-text);
    background: var(--rn-color-surface);
    border: 1px solid var(--rn-color-border);
    border-radius: calc(var(--rn-radius) - 2px);
    padding: 0.2em 0.6em;
    min-height: 1.9em;
  }

  button {
    cursor: pointer;
  }

  button:hover:not(:disabled) {
    border-color: var(--rn-color-accent);
  }

  button:disabled {
    cursor: default;
    opacity: 0.6;
  }

  button.primary {
    background: var(--rn-color-accent);
    border-color: var(--rn-color-accent);
    color: var(--rn-color-on-accent);
  }

  button.danger {
    color: var(--rn-color-danger);
  }

  input {
    background: var(--rn-color-background);
  }

  :focus-visible {
    outline: 2px solid var(--rn-color-focus);
    outline-offset: 2px;
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;
