// The one notation the reactive tests write cells in, so a table of cases reads like the notebook it describes.
import type { Output } from "@reactive-notebook/protocol";
import type { SchedulerCell } from "../../src/reactive/index.js";

/**
 * A cell from a spec: "b: x -> y" is python cell b reading x and writing y ("b: x, z -> y, w" for several);
 * "m: md" is a markdown cell; "s: !SyntaxError" is a cell whose analysis failed with that error.
 */
export function cell(spec: string): SchedulerCell {
  const [id, rest = ""] = spec.split(":").map((s) => s.trim()) as [string, string?];
  if (rest === "md")
    return { id, type: "markdown", code: "# title", reads: [], writes: [], analysisError: null };
  if (rest.startsWith("!")) {
    const analysisError = { name: rest.slice(1), message: "invalid syntax (line 1)" };
    return { id, type: "python", code: spec, reads: [], writes: [], analysisError };
  }
  const [reads = "", writes = ""] = rest.split("->");
  const names = (s: string) =>
    s
      .split(",")
      .map((n) => n.trim())
      .filter(Boolean);
  return { id, type: "python", code: spec, reads: names(reads), writes: names(writes), analysisError: null };
}

/** A text/plain output showing `text`: the scripted runners' outputs. */
export const text = (data: string): Output => ({ mimeType: "text/plain", data });
