// Commands between instances: request/reply over Redis pub/sub, one channel per instance. The instance
// holding a notebook's lease answers the commands other instances forward to it (runs, interrupts, edits
// its scheduler must see); a request not answered by its deadline fails, and the caller says 503.
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";

/** A command for the owner of a notebook, as plain JSON. */
export interface ForwardedCommand {
  notebookId: string;
  name: string;
  args: unknown;
}

/** What the owner answers: the command's value, or the error it failed with (API code, status, message). */
export type CommandReply =
  | { ok: true; value: unknown }
  | { ok: false; error: { status: number; code: string; message: string; details?: unknown } }
  | { ok: false; notOwner: true };

/** The owner did not answer in time (it may have died): the caller answers 503 with Retry-After. */
export class OwnerUnreachableError extends Error {
  constructor(
    readonly instanceId: string,
    readonly waitedMs: number,
  ) {
    super(`the instance running this notebook did not answer within ${Math.round(waitedMs / 1000)} s`);
    this.name = "OwnerUnreachableError";
  }
}

interface Envelope {
  id: string;
  from: string;
  command?: ForwardedCommand;
  reply?: CommandReply;
}

/** Largest message accepted from the command channel; a command or reply is small (ids, a cell, a result). */
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

export interface CommandBusOptions {
  instanceId: string;
  keyPrefix: string;
  publisher: Redis;
  subscriber: Redis;
  onError(error: unknown, what: string): void;
}

export class CommandBus {
  readonly #pending = new Map<string, { resolve: (reply: CommandReply) => void }>();
  #handler: ((command: ForwardedCommand) => Promise<CommandReply>) | null = null;
  readonly #channel: string;

  constructor(private readonly options: CommandBusOptions) {
    this.#channel = this.#channelOf(options.instanceId);
    options.subscriber.on("message", (channel: string, message: string) => {
      if (channel === this.#channel) this.#receive(message);
    });
  }

  /** Starts receiving; resolves once this instance's channel is subscribed. */
  async listen(handler: (command: ForwardedCommand) => Promise<CommandReply>): Promise<void> {
    this.#handler = handler;
    await this.options.subscriber.subscribe(this.#channel);
  }

  /** Sends `command` to `instanceId` and waits for its reply at most `timeoutMs`. */
  async send(instanceId: string, command: ForwardedCommand, timeoutMs: number): Promise<CommandReply> {
    const id = randomUUID();
    const reply = new Promise<CommandReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new OwnerUnreachableError(instanceId, timeoutMs));
      }, timeoutMs);
      timer.unref();
      this.#pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
      });
    });
    const envelope: Envelope = { id, from: this.options.instanceId, command };
    const receivers = await this.options.publisher.publish(
      this.#channelOf(instanceId),
      JSON.stringify(envelope),
    );
    // Nobody listens on a dead instance's channel: fail at once instead of waiting out the deadline.
    if (receivers === 0) this.#pending.get(id)?.resolve({ ok: false, notOwner: true });
    return reply;
  }

  async close(): Promise<void> {
    await this.options.subscriber.unsubscribe(this.#channel).catch(() => {});
  }

  #receive(message: string): void {
    if (message.length > MAX_MESSAGE_BYTES) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message) as Envelope;
    } catch {
      return;
    }
    if (typeof envelope?.id !== "string" || typeof envelope.from !== "string") return;
    if (envelope.reply) {
      this.#pending.get(envelope.id)?.resolve(envelope.reply);
      this.#pending.delete(envelope.id);
      return;
    }
    const command = envelope.command;
    if (!command || typeof command.notebookId !== "string" || typeof command.name !== "string") return;
    const handler = this.#handler;
    if (!handler) return;
    void handler(command)
      .catch((error: unknown): CommandReply => {
        this.options.onError(error, "a forwarded command failed");
        return { ok: false, error: { status: 500, code: "internal_error", message: "the command failed" } };
      })
      .then((reply) =>
        this.options.publisher.publish(
          this.#channelOf(envelope.from),
          JSON.stringify({ id: envelope.id, from: this.options.instanceId, reply } satisfies Envelope),
        ),
      )
      .catch((error: unknown) => this.options.onError(error, "could not answer a forwarded command"));
  }

  #channelOf(instanceId: string): string {
    return `${this.options.keyPrefix}instance:${instanceId}`;
  }
}
