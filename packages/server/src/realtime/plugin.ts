// The realtime plugin: `app.realtime.publish` fans each notebook event out to every socket of that notebook
// (across instances through Redis when REDIS_URL is set), and GET /api/v1/notebooks/:id/ws serves them.
import websocket from "@fastify/websocket";
import {
  API_PREFIX,
  NotebookParams,
  ref,
  type ServerEvent,
  WS_AUTH_TIMEOUT_MS,
} from "@reactive-notebook/protocol";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import type { Config } from "../config/index.js";
import { type EventBus, localBus, redisBus } from "./bus.js";
import { type NotebookAccess, NotebookConnection, type NotebookRunner } from "./connection.js";
import { NotebookHub } from "./hub.js";

export interface RealtimeOptions {
  /** Time a socket has to send its first auth frame (default 5000 ms, API.md). */
  authTimeoutMs?: number;
  /** Interval of keepalive pings; a socket that misses one pong is dropped (default 30 s). */
  pingIntervalMs?: number;
  /** A socket with more unsent bytes than this is closed with 1013 (default 4 MiB). */
  maxBufferedBytes?: number;
  /** Where sockets look up notebooks; defaults to `app.store` (its ownerOf and getNotebook). */
  access?: NotebookAccess;
}

interface RealtimePluginOptions extends RealtimeOptions {
  config: Config;
}

/** `app.realtime`: what routes and the runtime call to reach the sockets. */
export interface Realtime {
  /** Sends the event to every socket of the notebook, here and on other instances. Never waits on sockets. */
  publish(notebookId: string, event: ServerEvent): void;
  /** Open, authenticated sockets of the notebook on this instance. */
  socketCount(notebookId: string): number;
  /** Closes every socket of the notebook on this instance (e.g. 4404 once it was deleted). */
  disconnect(notebookId: string, code: number, reason: string): void;
}

export const DEFAULT_PING_INTERVAL_MS = 30_000;
export const DEFAULT_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** Client frames are small (the largest is an auth frame with a JWT). */
const MAX_FRAME_BYTES = 64 * 1024;

/** The store decorator, reached without importing the store folder (it depends on us, not the reverse). */
function storeAccess(app: FastifyInstance): NotebookAccess {
  const store = (app as unknown as { store?: Partial<NotebookAccess> }).store;
  if (!store || typeof store.ownerOf !== "function" || typeof store.getNotebook !== "function") {
    throw new Error("realtime: no notebook store (app.store with ownerOf and getNotebook) is registered");
  }
  return store as NotebookAccess;
}

export const realtimePlugin = fp(
  async (app: FastifyInstance, options: RealtimePluginOptions) => {
    const hub = new NotebookHub();
    const connections = new Set<NotebookConnection>();
    const deliver = (notebookId: string, data: string, revision: number) =>
      hub.deliver(notebookId, data, revision);
    const bus: EventBus = options.config.redisUrl
      ? redisBus(options.config.redisUrl, deliver, app.log)
      : localBus;

    const realtime: Realtime = {
      publish(notebookId, event) {
        const data = JSON.stringify(event);
        const revision = "revision" in event && typeof event.revision === "number" ? event.revision : 0;
        hub.deliver(notebookId, data, revision);
        bus.publish(notebookId, data, revision);
      },
      socketCount: (notebookId) =>
        hub.subscribers(notebookId).filter((s) => (s as NotebookConnection).userId !== null).length,
      disconnect(notebookId, code, reason) {
        for (const subscriber of hub.subscribers(notebookId))
          (subscriber as NotebookConnection).close(code, reason);
      },
    };
    app.decorate("realtime", realtime);

    const context = {
      verifyToken: (token: string) => app.auth.verifyToken(token),
      access: () => options.access ?? storeAccess(app),
      runner: () => (app as unknown as { notebookRuntime?: NotebookRunner }).notebookRuntime,
      async join(notebookId: string, subscriber: NotebookConnection) {
        if (hub.add(notebookId, subscriber)) await bus.subscribe(notebookId);
      },
      leave(notebookId: string, subscriber: NotebookConnection) {
        if (hub.remove(notebookId, subscriber)) {
          bus
            .unsubscribe(notebookId)
            .catch((error: unknown) => app.log.warn({ err: error }, "redis unsubscribe failed"));
        }
      },
      authTimeoutMs: options.authTimeoutMs ?? WS_AUTH_TIMEOUT_MS,
      maxBufferedBytes: options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES,
      log: app.log,
    };

    const keepalive = setInterval(() => {
      for (const connection of connections) connection.keepalive();
    }, options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS);
    keepalive.unref();
    app.addHook("onClose", async () => {
      clearInterval(keepalive);
      await bus.close();
    });

    await app.register(websocket, { options: { maxPayload: MAX_FRAME_BYTES } });
    app.get<{ Params: NotebookParams }>(
      `${API_PREFIX}/notebooks/:id/ws`,
      {
        websocket: true,
        config: { auth: false }, // the first frame authenticates: browsers cannot set headers on a WebSocket
        schema: {
          summary: "Notebook events (WebSocket upgrade)",
          description:
            'Send {"type":"auth","token"} first (within 5 s); then receive hello and every event of the notebook. ' +
            "Closes 4401 (no/invalid/expired token), 4403 (not the owner), 4404 (no such notebook), 1013 (too slow).",
          tags: ["realtime"],
          params: ref(NotebookParams),
        },
      },
      (socket, request) => {
        const connection = new NotebookConnection(socket, request.params.id, context);
        connections.add(connection);
        socket.on("close", () => connections.delete(connection));
      },
    );
  },
  { name: "realtime", dependencies: ["auth"] },
);

declare module "fastify" {
  interface FastifyInstance {
    realtime: Realtime;
  }
}
