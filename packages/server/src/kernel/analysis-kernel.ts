// The analysis pool: a few sandboxed processes that run rn_kernel.analyze (Python's ast) on cell code for
// the reactive graph. No user code executes there; a process is replaced if it dies or hangs. Work is
// shared fairly: each user has a queue, a user has at most one analysis running, and free processes take
// users in turn, so one user's heavy sources delay another user's edit by at most one analysis.
import { readAnalysis } from "./kernel-input.js";
import { KernelDiedError, KernelInvalidMessageError, type KernelProcess } from "./kernel-process.js";
import type { Analysis } from "./types.js";

/** Longest an analysis may take before its process is replaced (hostile nesting, huge input). */
export const ANALYSIS_TIMEOUT_MS = 10_000;
/** Sources longer than this get the lower budget below: they are where hostile input lives. */
export const LARGE_SOURCE_CHARS = 64 * 1024;
export const LARGE_SOURCE_TIMEOUT_MS = 5_000;

interface Task {
  code: string;
  resolve(analysis: Analysis): void;
}

class AnalysisSlot {
  proc: Promise<KernelProcess> | null = null;
  busy = false;
}

function failed(message: string): Analysis {
  return { reads: [], writes: [], error: { name: "AnalysisError", message } };
}

export class AnalysisKernel {
  private readonly slots: AnalysisSlot[];
  /** Each user's waiting analyses, in order; `turns` is the round-robin order of users with work. */
  private readonly queues = new Map<string, Task[]>();
  private turns: string[] = [];
  private readonly running = new Set<string>();
  private closed = false;

  constructor(
    private readonly startProcess: () => Promise<KernelProcess>,
    size = 2,
  ) {
    this.slots = Array.from({ length: Math.max(1, size) }, () => new AnalysisSlot());
  }

  /** Starts the first process; the others start when two users' analyses overlap. */
  async start(): Promise<void> {
    await this.process(this.slots[0] as AnalysisSlot);
  }

  analyze(code: string, userId: string): Promise<Analysis> {
    if (this.closed) return Promise.resolve(failed("the kernel manager is closed"));
    return new Promise<Analysis>((resolve) => {
      let queue = this.queues.get(userId);
      if (!queue) {
        queue = [];
        this.queues.set(userId, queue);
        this.turns.push(userId);
      }
      queue.push({ code, resolve });
      this.dispatch();
    });
  }

  close(): void {
    this.closed = true;
    for (const slot of this.slots)
      void slot.proc?.then((proc) => proc.kill("server closing")).catch(() => {});
    for (const queue of this.queues.values())
      for (const task of queue) task.resolve(failed("the server is closing"));
    this.queues.clear();
    this.turns = [];
  }

  /** Gives free slots to the next users in turn who have work and nothing running. */
  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.busy || this.closed) continue;
      const userId = this.turns.find((user) => !this.running.has(user));
      if (userId === undefined) return;
      const queue = this.queues.get(userId) as Task[];
      const task = queue.shift() as Task;
      // The user goes to the back of the line; a user with nothing left leaves it.
      this.turns = this.turns.filter((user) => user !== userId);
      if (queue.length > 0) this.turns.push(userId);
      else this.queues.delete(userId);
      slot.busy = true;
      this.running.add(userId);
      void this.run(slot, task.code).then((analysis) => {
        slot.busy = false;
        this.running.delete(userId);
        task.resolve(analysis);
        if (this.queues.has(userId) && !this.turns.includes(userId)) this.turns.push(userId);
        this.dispatch();
      });
    }
  }

  private async run(slot: AnalysisSlot, code: string): Promise<Analysis> {
    let proc: KernelProcess;
    try {
      proc = await this.process(slot);
    } catch (error) {
      return failed(`the code could not be analysed (${(error as Error).message})`);
    }
    const budget = code.length > LARGE_SOURCE_CHARS ? LARGE_SOURCE_TIMEOUT_MS : ANALYSIS_TIMEOUT_MS;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      proc.kill("analysis took too long");
    }, budget);
    try {
      return await proc.call("analyze", [code], readAnalysis);
    } catch (error) {
      if (timedOut)
        return failed(
          `the code could not be analysed within ${budget / 1000} s; split this cell into smaller cells`,
        );
      if (error instanceof KernelInvalidMessageError) return failed(error.message);
      if (error instanceof KernelDiedError)
        return failed("the code could not be analysed (the analysis kernel stopped)");
      return failed((error as Error).message);
    } finally {
      clearTimeout(timer);
      // A process stopped here (time limit, invalid answer) is not used again, even before its exit is seen.
      if (!proc.alive) slot.proc = null;
    }
  }

  private process(slot: AnalysisSlot): Promise<KernelProcess> {
    if (this.closed) return Promise.reject(new Error("the kernel manager is closed"));
    if (!slot.proc) {
      const started = this.startProcess();
      slot.proc = started;
      started.then(
        (proc) =>
          proc.onExit(() => {
            if (slot.proc === started) slot.proc = null;
          }),
        () => {
          if (slot.proc === started) slot.proc = null;
        },
      );
    }
    return slot.proc;
  }
}
