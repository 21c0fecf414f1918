/** The internal event a control sends when a person changes it (it never leaves the element's shadow DOM). */
import type { ControlValue } from "@reactive-notebook/protocol";

/**
 * A person set a control to `value`. The listener that sends it to the service hands the service's answer
 * to `respond` while the event is dispatched; the control shows the value at once and settles to the
 * service's when that answer comes (back to it, with the error shown, when the answer is a rejection).
 * A control whose event nobody answers settles back at once: there is no one to tell.
 */
export interface ControlChangeDetail {
  controlId: string;
  value: ControlValue;
  respond(answer: Promise<unknown>): void;
}

declare module "../internal/notebook-element.js" {
  interface NotebookEventMap {
    "rn-control-change": ControlChangeDetail;
  }
}

declare global {
  interface HTMLElementEventMap {
    "rn-control-change": CustomEvent<ControlChangeDetail>;
  }
}
