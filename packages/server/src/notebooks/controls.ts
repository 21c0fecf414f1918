// Interactive controls as the service sees them: read from a cell's outputs (the control MIME type, checked
// when the kernel sent it), and the check of a value a person sets against the control's kind and props.
import {
  CONTROL_MIME_TYPE,
  type ControlData,
  type ControlValue,
  type Output,
} from "@reactive-notebook/protocol";
import type { KnownControl } from "../kernel/index.js";

/** One control a cell showed: its data and the hash of its constructor's arguments. */
export interface CellControl {
  data: ControlData;
  args: string;
}

/** Longest text control value (the runtime refuses longer ones too). */
export const MAX_CONTROL_TEXT_CHARS = 100_000;

/** The controls among a cell's outputs, by control id (the first output of an id when shown twice). */
export function controlsOf(outputs: readonly Output[]): Map<string, CellControl> {
  const controls = new Map<string, CellControl>();
  for (const output of outputs) {
    if (output.mimeType !== CONTROL_MIME_TYPE || typeof output.data !== "object" || output.data === null)
      continue;
    const data = output.data as ControlData;
    if (typeof data.id !== "string" || controls.has(data.id)) continue;
    const args = output.metadata?.args;
    controls.set(data.id, { data, args: typeof args === "string" ? args : "" });
  }
  return controls;
}

/** The outputs with control `controlId` showing `value`. */
export function withControlValue(
  outputs: readonly Output[],
  controlId: string,
  value: ControlValue,
): Output[] {
  return outputs.map((output) =>
    output.mimeType === CONTROL_MIME_TYPE &&
    typeof output.data === "object" &&
    output.data !== null &&
    (output.data as ControlData).id === controlId
      ? { ...output, data: { ...(output.data as ControlData), value } }
      : output,
  );
}

/** What the kernel is told of a cell's controls when the cell runs, so unchanged controls keep their values. */
export function knownControls(controls: ReadonlyMap<string, CellControl>): KnownControl[] {
  return [...controls.values()].map(({ data, args }) => ({ id: data.id, args, value: data.value }));
}

function onStep(value: number, base: number, step: number): boolean {
  const steps = (value - base) / step;
  return Math.abs(steps - Math.round(steps)) <= 1e-9 * Math.max(1, Math.abs(steps));
}

function describe(control: ControlData, cellId: string): string {
  const label = control.label ? ` "${control.label.slice(0, 80)}"` : "";
  return `Control ${control.id} (${control.kind}${label}) of cell ${cellId}`;
}

/** Why `value` does not fit `control`, as a sentence naming the control; null when it fits. */
export function controlValueProblem(
  control: ControlData,
  cellId: string,
  value: ControlValue,
): string | null {
  const name = describe(control, cellId);
  const shown = JSON.stringify(value).slice(0, 80);
  const props = control.props as Record<string, unknown>;
  switch (control.kind) {
    case "slider":
    case "number": {
      if (typeof value !== "number" || !Number.isFinite(value))
        return `${name} takes a number, not ${shown}.`;
      const start = typeof props.start === "number" ? props.start : null;
      const stop = typeof props.stop === "number" ? props.stop : null;
      const step = typeof props.step === "number" ? props.step : 1;
      if (start !== null && value < start) return `${name} takes values from ${start}; ${shown} is below.`;
      if (stop !== null && value > stop) return `${name} takes values up to ${stop}; ${shown} is above.`;
      const base = start ?? 0;
      if (!onStep(value, base, step))
        return `${name} moves in steps of ${step} from ${base}; ${shown} is not on one.`;
      return null;
    }
    case "text":
    case "textarea":
      if (typeof value !== "string") return `${name} takes a string, not ${shown}.`;
      if (value.length > MAX_CONTROL_TEXT_CHARS)
        return `${name} takes at most ${MAX_CONTROL_TEXT_CHARS} characters; this value has ${value.length}.`;
      return null;
    case "dropdown":
    case "radio": {
      const options = Array.isArray(props.options) ? (props.options as string[]) : [];
      if (typeof value !== "string" || !options.includes(value))
        return `${name} takes one of its options (${options
          .slice(0, 10)
          .map((o) => JSON.stringify(o))
          .join(", ")}${options.length > 10 ? ", …" : ""}), not ${shown}.`;
      return null;
    }
    case "checkbox":
      return typeof value === "boolean" ? null : `${name} takes true or false, not ${shown}.`;
    case "button":
      return typeof value === "number" && Number.isSafeInteger(value) && value >= 0
        ? null
        : `${name} takes its click count (an integer ≥ 0), not ${shown}.`;
  }
  return `${name} has an unknown kind.`;
}
