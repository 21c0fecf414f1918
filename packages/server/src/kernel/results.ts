// Turns what the Python runtime sends (JSON strings) into the kernel's typed results and events,
// capping the streamed text of one cell so a print loop cannot flood the server.
import type { CellErrorInfo, ExecutionResult, KernelStreamEvent, OutputInfo } from "./types.js";

/** Most stdout+stderr text one cell may stream (1 MiB). */
export const STREAM_LIMIT_CHARS = 1024 * 1024;

export function errorResult(name: string, message: string, traceback?: string): Omit<ExecutionResult, "ms"> {
  const error: CellErrorInfo = traceback ? { name, message, traceback } : { name, message };
  return { status: "error", outputs: [], error };
}

export function parseRunResult(raw: string | null): Omit<ExecutionResult, "ms"> {
  try {
    const parsed = JSON.parse(raw ?? "null") as Partial<ExecutionResult> | null;
    if (!parsed || (parsed.status !== "success" && parsed.status !== "error")) throw new Error("no status");
    return {
      status: parsed.status,
      outputs: Array.isArray(parsed.outputs) ? parsed.outputs : [],
      error: parsed.error ?? null,
    };
  } catch {
    return errorResult("KernelError", "the kernel returned a result that could not be read");
  }
}

/** Relays run_cell's emits as stream events, dropping text past the limit with one notice. */
export class StreamLimiter {
  private chars = 0;
  private truncated = false;

  constructor(private readonly onEvent: (e: KernelStreamEvent) => void) {}

  emit(kind: string, payload: string): void {
    let data: { text?: string } & Partial<OutputInfo>;
    try {
      data = JSON.parse(payload) as typeof data;
    } catch {
      return;
    }
    if (kind === "display" && data.mimeType) {
      this.onEvent({ type: "display", output: data as OutputInfo });
      return;
    }
    if ((kind !== "stdout" && kind !== "stderr") || typeof data.text !== "string") return;
    if (this.truncated) return;
    let text = data.text;
    if (this.chars + text.length > STREAM_LIMIT_CHARS) {
      text = `${text.slice(0, STREAM_LIMIT_CHARS - this.chars)}\n[output truncated: more than 1 MiB]\n`;
      this.truncated = true;
    }
    this.chars += text.length;
    this.onEvent({ type: "stdout", stream: kind, text });
  }
}
