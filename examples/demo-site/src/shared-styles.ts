/** Styles the site's components share: buttons, fields, cards, headings, visually hidden text. */
import { css } from "lit";

export const sharedStyles = css`
  :host {
    display: block;
  }
  h1,
  h2,
  h3 {
    line-height: 1.2;
    letter-spacing: -0.015em;
    margin: 0;
  }
  h1:focus {
    outline: none;
  }
  p {
    margin: 0;
  }
  a {
    color: var(--site-accent);
    text-underline-offset: 2px;
  }
  a:focus-visible,
  button:focus-visible,
  input:focus-visible {
    outline: none;
    box-shadow: var(--site-focus);
  }
  code {
    font-family: var(--site-font-code);
    font-size: 0.9em;
    background: var(--site-surface-2);
    border: 1px solid var(--site-border);
    border-radius: 5px;
    padding: 0.05em 0.35em;
  }
  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.45rem;
    min-height: 2.5rem;
    padding: 0 1rem;
    border: 1px solid transparent;
    border-radius: 9px;
    font: inherit;
    font-weight: 600;
    font-size: 0.95rem;
    line-height: 1;
    text-decoration: none;
    cursor: pointer;
    white-space: nowrap;
    transition:
      background-color 120ms ease,
      border-color 120ms ease,
      color 120ms ease;
  }
  .button[disabled] {
    opacity: 0.6;
    cursor: progress;
  }
  .primary {
    background: var(--site-accent);
    color: var(--site-on-accent);
  }
  .primary:hover:not([disabled]) {
    background: var(--site-accent-hover);
  }
  .secondary {
    background: var(--site-surface);
    color: var(--site-text);
    border-color: var(--site-border);
  }
  .secondary:hover:not([disabled]) {
    background: var(--site-surface-2);
  }
  .ghost {
    background: transparent;
    color: var(--site-muted);
    padding: 0 0.6rem;
  }
  .ghost:hover:not([disabled]) {
    color: var(--site-text);
    background: var(--site-surface-2);
  }
  .danger {
    background: var(--site-danger);
    color: var(--site-surface);
  }
  .small {
    min-height: 2rem;
    padding: 0 0.7rem;
    font-size: 0.875rem;
  }
  input[type="text"] {
    font: inherit;
    color: var(--site-text);
    background: var(--site-surface);
    border: 1px solid var(--site-border);
    border-radius: 9px;
    min-height: 2.5rem;
    padding: 0 0.8rem;
    width: 100%;
  }
  input[type="text"]:focus {
    border-color: var(--site-accent);
  }
  .card {
    background: var(--site-surface);
    border: 1px solid var(--site-border);
    border-radius: var(--site-radius);
    box-shadow: var(--site-shadow);
  }
  .alert {
    border-radius: 10px;
    padding: 0.85rem 1rem;
    background: var(--site-danger-soft);
    color: var(--site-danger);
    border: 1px solid color-mix(in srgb, var(--site-danger) 35%, transparent);
  }
  .muted {
    color: var(--site-muted);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  .page {
    max-width: 72rem;
    margin: 0 auto;
    padding: 2.5rem 1.5rem 4rem;
  }
  @media (prefers-reduced-motion: reduce) {
    * {
      animation: none;
      transition: none;
    }
  }
  @media (max-width: 40rem) {
    .page {
      padding: 1.5rem 1rem 3rem;
    }
  }
`;
