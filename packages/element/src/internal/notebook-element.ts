/** The base class of this package's elements: a LitElement with one typed `emit()` for its events. */
import { LitElement } from "lit";

/** Event names this package fires, with the `detail` each carries (declared by each component). */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by declaration merging in each component's events file.
export interface NotebookEventMap {}

/**
 * Shared behaviour of every element here. Events leave through `emit()`, which bubbles and
 * crosses shadow roots by default, so a host page can listen on any ancestor.
 */
export class NotebookElement extends LitElement {
  /** Fires `name` with `detail`; bubbles and is composed unless `init` says otherwise. Returns the event. */
  protected emit<K extends keyof NotebookEventMap>(
    name: K,
    detail: NotebookEventMap[K],
    init: Omit<CustomEventInit, "detail"> = {},
  ): CustomEvent<NotebookEventMap[K]> {
    const event = new CustomEvent(name, {
      bubbles: true,
      composed: true,
      cancelable: false,
      ...init,
      detail,
    });
    this.dispatchEvent(event);
    return event;
  }
}
