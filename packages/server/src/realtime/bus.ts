// Carries events between server instances. Alone, an instance needs no bus; with REDIS_URL, every event is
// published on the notebook's Redis channel and each instance delivers what other instances published to
// its own sockets. An instance delivers its own events directly, and skips them when Redis echoes them back,
// so every socket sees every event once.
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";

/** Called with events other instances published. */
export type Deliver = (notebookId: string, data: string, revision: number) => void;
/** Called when another instance closes a notebook's sockets (the notebook was deleted there). */
export type Disconnect = (notebookId: string, code: number, reason: string) => void;

export interface EventBus {
  publish(notebookId: string, data: string, revision: number): void;
  /** Asks the other instances to close their sockets of the notebook. */
  disconnect(notebookId: string, code: number, reason: string): void;
  /** Starts receiving the notebook's events from other instances (resolves once subscribed). */
  subscribe(notebookId: string): Promise<void>;
  unsubscribe(notebookId: string): Promise<void>;
  close(): Promise<void>;
}

/** A single instance: nothing to carry. */
export const localBus: EventBus = {
  publish() {},
  disconnect() {},
  async subscribe() {},
  async unsubscribe() {},
  async close() {},
};

export interface RedisBusLogger {
  warn(o: object, msg: string): void;
}

/**
 * Redis pub/sub, one channel per notebook, subscribed only while this instance has a socket of it.
 * Messages are `<origin instance id>|<revision>|<event JSON>`, so the event is serialized once, or
 * `<origin>|close|<code>|<reason>` to close the notebook's sockets everywhere.
 */
export function redisBus(
  url: string,
  keyPrefix: string,
  deliver: Deliver,
  disconnect: Disconnect,
  logger: RedisBusLogger,
): EventBus {
  const CHANNEL_PREFIX = `${keyPrefix}notebook:`;
  const instanceId = randomUUID();
  const publisher = new Redis(url, { maxRetriesPerRequest: 2 });
  const subscriber = new Redis(url, { maxRetriesPerRequest: 2 });
  for (const client of [publisher, subscriber]) {
    client.on("error", (error) => logger.warn({ err: error }, "realtime redis error"));
  }
  subscriber.on("message", (channel: string, message: string) => {
    if (!channel.startsWith(CHANNEL_PREFIX)) return;
    const first = message.indexOf("|");
    const second = message.indexOf("|", first + 1);
    if (first < 0 || second < 0 || message.slice(0, first) === instanceId) return;
    const notebookId = channel.slice(CHANNEL_PREFIX.length);
    if (message.slice(first + 1, second) === "close") {
      const third = message.indexOf("|", second + 1);
      if (third > 0)
        disconnect(notebookId, Number(message.slice(second + 1, third)), message.slice(third + 1));
      return;
    }
    deliver(notebookId, message.slice(second + 1), Number(message.slice(first + 1, second)));
  });
  return {
    publish(notebookId, data, revision) {
      publisher
        .publish(`${CHANNEL_PREFIX}${notebookId}`, `${instanceId}|${revision}|${data}`)
        .catch((error: unknown) =>
          logger.warn({ err: error, notebookId }, "could not publish an event to redis"),
        );
    },
    disconnect(notebookId, code, reason) {
      publisher
        .publish(`${CHANNEL_PREFIX}${notebookId}`, `${instanceId}|close|${code}|${reason}`)
        .catch((error: unknown) =>
          logger.warn({ err: error, notebookId }, "could not publish a close to redis"),
        );
    },
    async subscribe(notebookId) {
      await subscriber.subscribe(`${CHANNEL_PREFIX}${notebookId}`);
    },
    async unsubscribe(notebookId) {
      await subscriber.unsubscribe(`${CHANNEL_PREFIX}${notebookId}`);
    },
    async close() {
      await Promise.allSettled([publisher.quit(), subscriber.quit()]);
    },
  };
}
