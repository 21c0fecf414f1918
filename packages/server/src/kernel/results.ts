// Turns what run_cell sends while it runs into the kernel's stream events and the cell's outputs, within the
// per-cell caps: each message is checked once (kernel-input.ts) and costs O(its size); past a cap a message
// is dropped without being read, so a flooding cell costs the server almost nothing.
import { MAX_CELL_OUTPUT_BYTES, MAX_CELL_OUTPUTS, TRUNCATED_MARKER } from "@reactive-notebook/protocol";
import { KERNEL_MESSAGE_LIMITS, KernelMessageError, readDisplay, readStreamText } from "./kernel-input.js";
import type { CellErrorInfo, ExecutionResult, KernelStreamEvent, OutputInfo } from "./types.js";

/** Most stdout+stderr text one cell may stream (1 MiB); it also counts against MAX_CELL_OUTPUT_BYTES. */
export const STREAM_LIMIT_CHARS = 1024 * 1024;

/** The one note a cell gets when it shows more outputs than it may keep. */
export const OUTPUT_TRUNCATED_NOTE: OutputInfo = {
  mimeType: "text/plain",
  data: `[output truncated: a cell keeps at most ${MAX_CELL_OUTPUTS} outputs and ${MAX_CELL_OUTPUT_BYTES / 1024 / 1024} MiB of output; later outputs are not shown]`,
  metadata: { truncated: true },
};

export function errorResult(name: string, message: string, traceback?: string): Omit<ExecutionResult, "ms"> {
  const error: CellErrorInfo = traceback ? { name, message, traceback } : { name, message };
  return { status: "error", outputs: [], error };
}

/** One cell run's outputs: relays run_cell's emits as stream events and keeps the outputs, within the caps. */
export class CellOutputs {
  /** The outputs the cell keeps, in order (with the truncation note last when it was cut). */
  readonly outputs: OutputInfo[] = [];
  /** Characters of kept outputs and stream text. */
  private chars = 0;
  private streamChars = 0;
  private streamTruncated = false;
  private outputsTruncated = false;
  private emits = 0;

  constructor(private readonly onEvent: (e: KernelStreamEvent) => void) {}

  /** One emit of run_cell; throws KernelMessageError for anything the kernel may not send. */
  emit(kind: string, payload: string): void {
    if (++this.emits > KERNEL_MESSAGE_LIMITS.emitsPerCall)
      throw new KernelMessageError(`the cell sent more than ${KERNEL_MESSAGE_LIMITS.emitsPerCall} messages`);
    if (kind === "display") this.display(payload);
    else if (kind === "stdout" || kind === "stderr") this.stream(kind, payload);
    else throw new KernelMessageError("an output has an unknown kind");
  }

  private display(payload: string): void {
    if (this.outputsTruncated) return;
    const output = readDisplay(payload);
    if (this.outputs.length >= MAX_CELL_OUTPUTS || this.chars + payload.length > MAX_CELL_OUTPUT_BYTES) {
      this.outputsTruncated = true;
      this.outputs.push(OUTPUT_TRUNCATED_NOTE);
      this.onEvent({ type: "display", output: OUTPUT_TRUNCATED_NOTE });
      return;
    }
    this.chars += payload.length;
    this.outputs.push(output);
    this.onEvent({ type: "display", output });
  }

  private stream(stream: "stdout" | "stderr", payload: string): void {
    if (this.streamTruncated) return;
    let text = readStreamText(payload);
    const room = Math.min(STREAM_LIMIT_CHARS - this.streamChars, MAX_CELL_OUTPUT_BYTES - this.chars);
    if (text.length > room) {
      // The same marker a stored stream starts with once it is capped: clients recognise one marker.
      text = `${text.slice(0, Math.max(0, room))}\n${TRUNCATED_MARKER} more than ${STREAM_LIMIT_CHARS / 1024 / 1024} MiB was printed; the rest is not shown\n`;
      this.streamTruncated = true;
    }
    this.streamChars += text.length;
    this.chars += text.length;
    this.onEvent({ type: "stdout", stream, text });
  }
}
