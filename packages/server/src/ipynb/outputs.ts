// Maps cell results between nbformat outputs (stream, display_data, execute_result, error) and ours
// (stdout, stderr, Output[] with one MIME type each, CellError).
import { appendCapped, type CellError, type IpynbOutput, type Output } from "@reactive-notebook/protocol";
import { joinSource, splitLines, stripAnsi } from "./text.js";

/** A MIME type whose data nbformat stores as JSON rather than text. */
export function isJsonMime(mimeType: string): boolean {
  return mimeType === "application/json" || mimeType.endsWith("+json");
}

/**
 * Which entry of a Jupyter MIME bundle we keep (one output per bundle, as our kernel produces): the
 * richest one the element renders, else the first entry.
 */
const PREFERENCE = [
  "application/vnd.reactive-notebook.table+json",
  "application/vnd.plotly.v1+json",
  "application/vnd.vegalite.v5+json",
  "application/vnd.vegalite.v4+json",
  "image/svg+xml",
  "image/png",
  "text/html",
  "text/markdown",
  "application/json",
  "text/plain",
];

function pickMime(data: Record<string, unknown>): string | undefined {
  const types = Object.keys(data);
  return PREFERENCE.find((mime) => types.includes(mime)) ?? types[0];
}

function outputData(mimeType: string, value: unknown): Output["data"] {
  if (isJsonMime(mimeType) && typeof value === "object" && value !== null) return value as Output["data"];
  if (typeof value === "string" || Array.isArray(value)) {
    const text = joinSource(value as string | string[]);
    // base64 images are often wrapped over several lines in .ipynb files.
    return mimeType === "image/png" ? text.replace(/\s+/g, "") : text;
  }
  return JSON.stringify(value);
}

export interface CellResults {
  stdout: string;
  stderr: string;
  outputs: Output[];
  error: CellError | null;
}

/** What a Jupyter cell's outputs show, in our shape. Unknown output types are skipped. */
export function resultsFromIpynb(outputs: IpynbOutput[] | undefined): CellResults {
  const results: CellResults = { stdout: "", stderr: "", outputs: [], error: null };
  for (const output of outputs ?? []) {
    switch (output.output_type) {
      case "stream":
        // Capped like a run's streams: an imported notebook is stored no larger than one that ran here.
        if (output.name === "stderr") results.stderr = appendCapped(results.stderr, joinSource(output.text));
        else results.stdout = appendCapped(results.stdout, joinSource(output.text));
        break;
      case "display_data":
      case "execute_result": {
        const data = output.data ?? {};
        const mimeType = pickMime(data);
        if (mimeType === undefined) break;
        const metadata = output.metadata?.[mimeType];
        results.outputs.push({
          mimeType,
          data: outputData(mimeType, data[mimeType]),
          ...(metadata && typeof metadata === "object"
            ? { metadata: metadata as Record<string, unknown> }
            : {}),
        });
        break;
      }
      case "error":
        results.error = {
          name: output.ename ?? "Error",
          message: output.evalue ?? "",
          ...(output.traceback && output.traceback.length > 0
            ? { traceback: stripAnsi(output.traceback.join("\n")) }
            : {}),
        };
        break;
    }
  }
  return results;
}

/** A cell's results as nbformat outputs: streams first, then each output as display_data, then the error. */
export function resultsToIpynb(cell: CellResults): IpynbOutput[] {
  const outputs: IpynbOutput[] = [];
  if (cell.stdout) outputs.push({ output_type: "stream", name: "stdout", text: splitLines(cell.stdout) });
  if (cell.stderr) outputs.push({ output_type: "stream", name: "stderr", text: splitLines(cell.stderr) });
  for (const output of cell.outputs) {
    const data =
      typeof output.data === "string" && !isJsonMime(output.mimeType) && output.mimeType !== "image/png"
        ? splitLines(output.data)
        : output.data;
    outputs.push({
      output_type: "display_data",
      data: { [output.mimeType]: data },
      metadata: output.metadata ? { [output.mimeType]: output.metadata } : {},
    });
  }
  if (cell.error) {
    outputs.push({
      output_type: "error",
      ename: cell.error.name,
      evalue: cell.error.message,
      traceback: cell.error.traceback === undefined ? [] : cell.error.traceback.split("\n"),
    });
  }
  return outputs;
}
