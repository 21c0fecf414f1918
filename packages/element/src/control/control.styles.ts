/** The styles of `<rn-control>`: native fields drawn from the `--rn-*` tokens (through `<rn-outputs>`' private ones). */
import { css } from "lit";

export const styles = css`
  :host {
    display: block;
    font-family: var(--_rn-font, var(--rn-font-family, system-ui, sans-serif));
    color: var(--_rn-text, var(--rn-color-text, #1f2328));
    --_rn-field-width: var(--rn-control-width, 16em);
  }

  .control {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.4em 0.75em;
    padding: 0.25em 0;
  }

  label,
  legend {
    font-weight: 600;
  }

  input,
  select,
  textarea,
  button {
    font: inherit;
    color: inherit;
    accent-color: var(--_rn-accent, var(--rn-color-accent, #0969da));
  }

  input[type="text"],
  input[type="number"],
  select,
  textarea {
    width: var(--_rn-field-width);
    max-width: 100%;
    box-sizing: border-box;
    padding: 0.25em 0.5em;
    background: var(--_rn-background, var(--rn-color-background, #ffffff));
    border: 1px solid var(--_rn-border, var(--rn-color-border, #d1d9e0));
    border-radius: calc(var(--_rn-radius, var(--rn-radius, 6px)) - 2px);
  }

  input[type="number"] {
    width: 8em;
  }

  textarea {
    min-height: 4em;
    resize: vertical;
  }

  input[type="range"] {
    width: var(--_rn-field-width);
    max-width: 100%;
    margin: 0;
  }

  output {
    min-width: 3ch;
    font-variant-numeric: tabular-nums;
    font-family: var(--_rn-font-code, var(--rn-font-family-code, ui-monospace, monospace));
  }

  button {
    min-height: 1.9em;
    padding: 0.2em 0.9em;
    cursor: pointer;
    background: var(--_rn-surface, var(--rn-color-surface, #f6f7f9));
    border: 1px solid var(--_rn-border, var(--rn-color-border, #d1d9e0));
    border-radius: calc(var(--_rn-radius, var(--rn-radius, 6px)) - 2px);
  }

  button:hover {
    border-color: var(--_rn-accent, var(--rn-color-accent, #0969da));
  }

  fieldset {
    display: flex;
    flex-wrap: wrap;
    gap: 0.3em 1em;
    margin: 0;
    padding: 0.3em 0.6em 0.5em;
    border: 1px solid var(--_rn-border, var(--rn-color-border, #d1d9e0));
    border-radius: var(--_rn-radius, var(--rn-radius, 6px));
  }

  fieldset label {
    font-weight: normal;
  }

  .option {
    display: inline-flex;
    align-items: center;
    gap: 0.3em;
  }

  :focus-visible {
    outline: 2px solid var(--rn-color-focus, var(--_rn-accent, #0969da));
    outline-offset: 2px;
  }

  [aria-invalid="true"] {
    border-color: var(--_rn-danger, var(--rn-color-danger, #cf222e));
  }

  .error {
    flex-basis: 100%;
    margin: 0;
    color: var(--_rn-danger, var(--rn-color-danger, #cf222e));
  }
`;
