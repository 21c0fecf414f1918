// Where a notebook's kernel and scheduler live, and how a command reaches them. Exactly one instance holds a
// notebook's kernel lease; a command that needs the scheduler (a run, an interrupt, a restart, an edit it
// must see) runs there: here when this instance holds the lease or takes it (nobody held it), else it is
// forwarded to the holder and answered as if local. Alone (no Redis), this instance holds every lease.

import type { ControlValue, ServerEvent } from "@reactive-notebook/protocol";
import {
  type CommandBus,
  type CommandReply,
  type ForwardedCommand,
  type KernelLeases,
  type LeaseHolder,
  OwnerUnreachableError,
} from "../cluster/index.js";
import { ApiError, kernelUnavailable } from "../http/index.js";
import type { NotebookStore } from "../store/index.js";
import type { SessionCell } from "./ports.js";
import type { NotebookSession } from "./session.js";
import type { NotebookSessions } from "./sessions.js";

/**
 * A change made durable by whichever instance received it, for the owner to announce (in order with its
 * runs' events) and, for cells, to apply to its scheduler.
 */
export type NotebookChange =
  | { kind: "cell_created"; cell: SessionCell; index: number; event: ServerEvent }
  | { kind: "cell_edited"; cell: SessionCell; event: ServerEvent }
  | { kind: "cell_deleted"; cellId: string; event: ServerEvent }
  | { kind: "cell_moved"; cellId: string; index: number; event: ServerEvent }
  | { kind: "renamed"; event: ServerEvent };

/** What `dispatch` answers when nobody runs the notebook and the command did not take its lease. */
export const NOT_RUNNING = Symbol("nobody runs this notebook");

/** What the owner is asked to do. Every value is plain JSON, so it can cross instances. */
export type OwnerCommand =
  | { name: "run"; cellId: string | null; waitMs: number | null }
  | { name: "set_control"; cellId: string; controlId: string; value: ControlValue; waitMs: number | null }
  | { name: "interrupt" }
  | { name: "restart" }
  | { name: "change"; change: NotebookChange }
  | { name: "stop" };

/** The answer of a run: its id, and its end when the caller waited and it ended in time. */
export interface RunStarted {
  runId: string;
  finished: { cells: string[]; ms: number } | null;
}

/** Longest a forwarded command may go unanswered (beyond its own wait) before the owner counts as gone. */
const FORWARD_MARGIN_MS = 3_000;

export interface NotebookRouterOptions {
  sessions: NotebookSessions;
  leases: KernelLeases;
  /** Null alone: there is nobody to forward to. */
  bus: CommandBus | null;
  store: Pick<NotebookStore, "claimKernel">;
  log: { warn(o: object, msg?: string): void };
}

/** 503 with Retry-After: the instance holding the lease is gone or silent until the lease expires. */
function ownerGone(holder: LeaseHolder | null) {
  const seconds = Math.max(1, Math.ceil((holder?.ttlMs ?? 1000) / 1000));
  const error = kernelUnavailable(
    `The instance running this notebook's kernel does not answer; another takes over within ${seconds} s. Retry then.`,
  );
  error.headers["retry-after"] = String(seconds);
  return error;
}

export class NotebookRouter {
  constructor(private readonly options: NotebookRouterOptions) {
    options.leases.onLost((notebookId) => {
      options.log.warn({ notebookId }, "kernel lease lost: the notebook is closed here");
      void options.sessions.stop(notebookId);
    });
  }

  /** Starts answering commands other instances forward here. */
  async listen(): Promise<void> {
    await this.options.bus?.listen((command) => this.#answer(command));
  }

  /**
   * Carries `command` out where the notebook's kernel lives. With `take`, an unheld lease is taken here
   * (runs, restarts and edits need a scheduler); without, a notebook nobody runs needs nothing (interrupt).
   */
  async dispatch(notebookId: string, command: OwnerCommand, take = true): Promise<unknown> {
    const { leases, bus } = this.options;
    let lastHolder: LeaseHolder | null = null;
    // A lease can move while we look (its holder just released it, or died): look again, twice at most.
    for (let attempt = 0; attempt < 3; attempt++) {
      if (leases.held(notebookId)) return this.#execute(notebookId, command);
      const acquired = take ? await leases.acquire(notebookId) : { holder: await leases.holder(notebookId) };
      if ("held" in acquired) {
        if (leases.shared && !(await this.options.store.claimKernel(notebookId, acquired.held.token)))
          continue;
        return this.#execute(notebookId, command);
      }
      const holder = acquired.holder;
      if (!holder) return NOT_RUNNING;
      lastHolder = holder;
      if (!bus) throw kernelUnavailable("this notebook's kernel runs elsewhere and no bus reaches it");
      const waitMs = command.name === "run" || command.name === "set_control" ? (command.waitMs ?? 0) : 0;
      let reply: CommandReply;
      try {
        reply = await bus.send(
          holder.instanceId,
          { notebookId, name: command.name, args: command },
          waitMs + FORWARD_MARGIN_MS,
        );
      } catch (error) {
        if (!(error instanceof OwnerUnreachableError)) throw error;
        throw ownerGone(holder);
      }
      if ("notOwner" in reply) continue;
      if (!reply.ok) {
        throw new ApiError(
          reply.error.status,
          reply.error.code as ApiError["code"],
          reply.error.message,
          reply.error.details as object | undefined,
        );
      }
      return reply.value;
    }
    // The holder answers nothing (a dead instance's lease not yet expired): say when another can take over.
    throw ownerGone(lastHolder);
  }

  /** A command another instance forwarded: carried out only while this instance still holds the lease. */
  async #answer(forwarded: ForwardedCommand): Promise<CommandReply> {
    if (!this.options.leases.held(forwarded.notebookId)) return { ok: false, notOwner: true };
    try {
      const value = await this.#execute(forwarded.notebookId, forwarded.args as OwnerCommand);
      return { ok: true, value: value ?? null };
    } catch (error) {
      if (error instanceof ApiError) {
        return {
          ok: false,
          error: { status: error.status, code: error.code, message: error.message, details: error.details },
        };
      }
      throw error;
    }
  }

  async #execute(notebookId: string, command: OwnerCommand): Promise<unknown> {
    const { sessions } = this.options;
    switch (command.name) {
      case "run": {
        const session = await this.#session(notebookId);
        const runId =
          command.cellId === null ? session.scheduler.runAll() : session.scheduler.runCell(command.cellId);
        return this.#started(session, runId, command.waitMs);
      }
      case "set_control": {
        const session = await this.#session(notebookId);
        const runId = session.setControl(command.cellId, command.controlId, command.value);
        return this.#started(session, runId, command.waitMs);
      }
      case "interrupt":
        (await sessions.open(notebookId))?.scheduler.interrupt();
        return null;
      case "restart":
        await (await this.#session(notebookId)).restartKernel();
        return null;
      case "change":
        (await this.#session(notebookId)).apply(command.change);
        return null;
      case "stop":
        await sessions.stop(notebookId);
        await this.options.leases.release(notebookId);
        return null;
    }
  }

  /** A run's answer: its id, and its end when the caller waits `waitMs` and it ends in time. */
  async #started(session: NotebookSession, runId: string, waitMs: number | null): Promise<RunStarted> {
    if (waitMs === null) return { runId, finished: null };
    const finished = await session.waitForRun(runId, waitMs);
    return { runId, finished: finished && { cells: finished.cells, ms: finished.ms } };
  }

  async #session(notebookId: string): Promise<NotebookSession> {
    const session = await this.options.sessions.session(notebookId);
    if (!session) throw new ApiError(404, "not_found", `No notebook ${notebookId}.`);
    return session;
  }
}
