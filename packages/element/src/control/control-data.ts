/**
 * Reads a control output's data (`ControlData`, API.md) into what `<rn-control>` draws. Output data comes
 * from a kernel, so every field is checked: a malformed control is reported, never half drawn.
 */
import type { ControlData, ControlKind, ControlValue } from "@reactive-notebook/protocol";

/** A control as drawn: its kind with exactly the props that kind has. */
export type Control = { id: string; label: string; value: ControlValue } & (
  | { kind: "slider" | "number"; start: number | null; stop: number | null; step: number }
  | { kind: "text" | "textarea"; placeholder: string }
  | { kind: "dropdown" | "radio"; options: string[] }
  | { kind: "checkbox" | "button" }
);

/** The label a control without one shows, so every control has a visible, accessible name. */
export const DEFAULT_LABELS: Record<ControlKind, string> = {
  slider: "Slider",
  number: "Number",
  text: "Text",
  textarea: "Text",
  dropdown: "Choice",
  checkbox: "Checkbox",
  radio: "Choice",
  button: "Button",
};

/** The control in `data`, or a sentence saying what is wrong with it. */
export function readControl(data: unknown): Control | string {
  if (!isRecord(data)) return "the data is not an object";
  const { id, kind, label, value, props } = data as Partial<ControlData>;
  if (typeof id !== "string" || !id) return "the control has no id";
  if (typeof kind !== "string" || !(kind in DEFAULT_LABELS)) return `unknown control kind ${String(kind)}`;
  if (!["number", "string", "boolean"].includes(typeof value)) return "the control has no value";
  if (!isRecord(props)) return "the control has no props";
  const base = { id, label: typeof label === "string" ? label : "", value: value as ControlValue };
  switch (kind as ControlKind) {
    case "slider":
    case "number": {
      const {
        start = null,
        stop = null,
        step,
      } = props as { start?: unknown; stop?: unknown; step?: unknown };
      const bound = (x: unknown) => x === null || (typeof x === "number" && Number.isFinite(x));
      if (!bound(start) || !bound(stop)) return "the control's start or stop is not a number";
      if (kind === "slider" && (start === null || stop === null)) return "a slider needs a start and a stop";
      if (typeof step !== "number" || !(step > 0)) return "the control's step is not a positive number";
      return { ...base, kind: kind as "slider" | "number", start, stop, step } as Control;
    }
    case "text":
    case "textarea": {
      const placeholder = typeof props.placeholder === "string" ? props.placeholder : "";
      return { ...base, kind: kind as "text" | "textarea", placeholder };
    }
    case "dropdown":
    case "radio": {
      const options = props.options;
      if (!Array.isArray(options) || !options.every((option) => typeof option === "string")) {
        return "the control's options are not a list of strings";
      }
      return { ...base, kind: kind as "dropdown" | "radio", options };
    }
    default:
      return { ...base, kind: kind as "checkbox" | "button" };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
