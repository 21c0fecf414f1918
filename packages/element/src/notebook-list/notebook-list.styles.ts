/** The styles of `<rn-notebook-list>`. */
import { css } from "lit";

export const styles = css`
  :host {
    display: block;
  }

  .list {
    padding: 0.5em 1em 1em;
  }

  .head {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.6em;
  }

  h2 {
    font-size: 1.1em;
    margin: 0.4em 0;
  }

  .create,
  .rename {
    display: flex;
    gap: 0.4em;
    flex-wrap: wrap;
  }

  .items {
    list-style: none;
    margin: 0.6em 0 0;
    padding: 0;
    border: 1px solid var(--rn-color-border);
    border-radius: var(--rn-radius);
  }

  .item {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.6em;
    padding: 0.5em 0.8em;
  }

  .item + .item {
    border-top: 1px solid var(--rn-color-border);
  }

  .open {
    font: inherit;
    border: none;
    background: none;
    color: var(--rn-color-link);
    font-weight: 600;
    padding: 0;
    text-decoration: underline;
  }

  .meta,
  .muted {
    color: var(--rn-color-muted);
    font-size: 0.9em;
  }

  .actions {
    margin-left: auto;
    display: flex;
    align-items: center;
    gap: 0.4em;
  }

  .problem {
    color: var(--rn-color-danger);
  }
`;
