// The analysis-only kernel: a sandboxed process that runs rn_kernel.analyze (Python's ast) on cell
// code for the reactive graph. No user code executes there; it is replaced if it dies or hangs.
import { KernelDiedError, type KernelProcess } from "./kernel-process.js";
import type { Analysis } from "./types.js";

/** Longest an analysis may take before the process is replaced (hostile nesting, huge input). */
const ANALYSIS_TIMEOUT_MS = 10_000;

export class AnalysisKernel {
  private proc: Promise<KernelProcess> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly startProcess: () => Promise<KernelProcess>) {}

  async start(): Promise<void> {
    await this.process();
  }

  analyze(code: string): Promise<Analysis> {
    const task = async (): Promise<Analysis> => {
      const proc = await this.process();
      const timer = setTimeout(() => proc.kill("analysis took too long"), ANALYSIS_TIMEOUT_MS);
      try {
        return JSON.parse((await proc.call("analyze", [code])) ?? "null") as Analysis;
      } catch (error) {
        const message =
          error instanceof KernelDiedError
            ? "the code could not be analysed (the analysis kernel stopped)"
            : (error as Error).message;
        return { reads: [], writes: [], error: { name: "AnalysisError", message } };
      } finally {
        clearTimeout(timer);
      }
    };
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => {});
    return run;
  }

  close(): void {
    this.closed = true;
    void this.proc?.then((proc) => proc.kill("server closing")).catch(() => {});
  }

  private process(): Promise<KernelProcess> {
    if (this.closed) return Promise.reject(new Error("the kernel manager is closed"));
    if (!this.proc) {
      const started = this.startProcess();
      this.proc = started;
      started.then(
        (proc) =>
          proc.onExit(() => {
            if (this.proc === started) this.proc = null;
          }),
        () => {
          if (this.proc === started) this.proc = null;
        },
      );
    }
    return this.proc;
  }
}
