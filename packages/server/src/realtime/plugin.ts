// The realtime plugin: `app.realtime.publish` fans each notebook event out to every socket of that notebook
// on this instance, and across instances through Redis when REDIS_URL is set. Sockets join and leave it; the
// socket route itself (transport) lives with the other routes.
import type { ServerEvent } from "@reactive-notebook/protocol";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { type EventBus, localBus, redisBus } from "./bus.js";
import type { NotebookConnection } from "./connection.js";
import { NotebookHub } from "./hub.js";

/** `app.realtime`: what the notebooks service and the socket route call to reach the sockets. */
export interface Realtime {
  /** Sends the event to every socket of the notebook, here and on other instances. Never waits on sockets. */
  publish(notebookId: string, event: ServerEvent): void;
  /** Joins a socket to the notebook's hub (subscribing across instances); resolves once events flow. */
  join(notebookId: string, connection: NotebookConnection): Promise<void>;
  leave(notebookId: string, connection: NotebookConnection): void;
  /** Open, authenticated sockets of the notebook on this instance. */
  socketCount(notebookId: string): number;
  /** Closes every socket of the notebook, here and on other instances (e.g. 4404 once it was deleted). */
  disconnect(notebookId: string, code: number, reason: string): void;
}

export const realtimePlugin = fp(
  async (app: FastifyInstance) => {
    const hub = new NotebookHub<NotebookConnection>();
    const deliver = (notebookId: string, data: string, revision: number) =>
      hub.deliver(notebookId, data, revision);
    const closeHere = (notebookId: string, code: number, reason: string) => {
      for (const connection of hub.subscribers(notebookId)) connection.close(code, reason);
    };
    const { redisUrl, redisKeyPrefix } = app.config;
    const bus: EventBus = redisUrl
      ? redisBus(redisUrl, redisKeyPrefix, deliver, closeHere, app.log)
      : localBus;

    const realtime: Realtime = {
      publish(notebookId, event) {
        const data = JSON.stringify(event);
        const revision = "revision" in event && typeof event.revision === "number" ? event.revision : 0;
        hub.deliver(notebookId, data, revision);
        bus.publish(notebookId, data, revision);
      },
      async join(notebookId, connection) {
        if (hub.add(notebookId, connection)) await bus.subscribe(notebookId);
      },
      leave(notebookId, connection) {
        if (hub.remove(notebookId, connection)) {
          bus
            .unsubscribe(notebookId)
            .catch((error: unknown) => app.log.warn({ err: error }, "redis unsubscribe failed"));
        }
      },
      socketCount: (notebookId) => hub.subscribers(notebookId).filter((s) => s.userId !== null).length,
      disconnect(notebookId, code, reason) {
        closeHere(notebookId, code, reason);
        bus.disconnect(notebookId, code, reason);
      },
    };
    app.decorate("realtime", realtime);
    app.addHook("onClose", async () => {
      await bus.close();
    });
  },
  { name: "realtime" },
);

declare module "fastify" {
  interface FastifyInstance {
    realtime: Realtime;
  }
}
