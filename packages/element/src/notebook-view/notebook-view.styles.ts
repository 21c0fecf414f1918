/** The styles of `<rn-notebook-view>`. */
import { css } from "lit";
import { controlStyles } from "../internal/index.js";

export const styles = [
  controlStyles,
  css`
    :host {
      display: block;
    }

    .header {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.6em;
      padding: 0.5em 1em;
      border-bottom: 1px solid var(--rn-color-border);
    }

    .name {
      font-size: 1.1em;
      margin: 0;
    }

    /* The name reads as a heading and renames in place: a button that looks like the text it is. */
    .rename-button {
      font: inherit;
      font-weight: inherit;
      border-color: transparent;
      background: transparent;
      padding: 0 0.3em;
      margin-left: -0.3em;
      /* One line: a long name ends in an ellipsis (its full text is the button's accessible name). */
      max-width: 32rem;
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
    }

    .rename-button:hover:not(:disabled) {
      border-color: var(--rn-color-border);
    }

    input.rename {
      font: inherit;
      font-weight: inherit;
      width: min(30ch, 60vw);
    }

    .kernel {
      color: var(--rn-color-muted);
      font-size: 0.9em;
    }

    .kernel[data-kernel="dead"],
    .kernel[data-connection="closed"] {
      color: var(--rn-color-danger);
    }

    .progress {
      display: inline-block;
      width: 6em;
      height: 4px;
      border-radius: 2px;
      background: linear-gradient(90deg, transparent, var(--rn-color-accent), transparent) 0 0 / 50% 100%
        no-repeat var(--rn-color-border);
      animation: slide 1.2s linear infinite;
    }

    @keyframes slide {
      from {
        background-position: -50% 0;
      }
      to {
        background-position: 150% 0;
      }
    }

    @media (prefers-reduced-motion: reduce) {
      .progress {
        animation: none;
        background: var(--rn-color-accent);
      }
    }

    .spacer {
      flex: 1;
    }

    .toolbar {
      display: flex;
      gap: 0.4em;
    }

    .problem {
      margin: 0.5em 1em;
      padding: 0.4em 0.8em;
      border-radius: var(--rn-radius);
      background: var(--rn-color-danger-surface);
      color: var(--rn-color-text);
      border: 1px solid var(--rn-color-danger);
    }

    .loading,
    .empty {
      padding: 1em;
      color: var(--rn-color-muted);
    }

    .cells {
      list-style: none;
      margin: 0;
      padding: 0 1em 1em;
    }

    /*
     * Insert bars: between cells they take their room but show only on hover or when one of their buttons
     * has the focus (they stay in the tab order, with the same names); after the last cell, always.
     */
    .insert {
      display: flex;
      justify-content: center;
      gap: 0.4em;
      padding: 0.25em 1em;
      font-size: 0.8em;
    }

    .insert button {
      min-height: 1.6em;
      padding: 0 0.6em;
      background: transparent;
      border-color: transparent;
      color: var(--rn-color-muted);
    }

    .insert:not(.last) {
      opacity: 0;
      transition: opacity 120ms ease-out;
    }

    .insert:hover,
    .insert:focus-within {
      opacity: 1;
    }

    .insert:hover button,
    .insert:focus-within button,
    .insert.last button {
      border-color: var(--rn-color-border);
      color: var(--rn-color-text);
    }

    @media (prefers-reduced-motion: reduce) {
      .insert:not(.last) {
        transition: none;
      }
    }
  
    /* The app view: outputs and controls only, one block per cell, no chrome. */
    .app {
      display: flex;
      flex-direction: column;
      gap: 0.75em;
      padding: 1em;
    }

    .app-cell[aria-busy="true"] rn-outputs {
      opacity: 0.6;
      transition: opacity 150ms ease-out;
    }

    .app-error {
      margin: 0 0 0.4em;
      padding: 0.4em 0.8em;
      border-radius: var(--rn-radius);
      background: var(--rn-color-danger-surface);
      border: 1px solid var(--rn-color-danger);
    }

    @media (prefers-reduced-motion: reduce) {
      .app-cell[aria-busy="true"] rn-outputs {
        transition: none;
      }
    }
  `,
];
