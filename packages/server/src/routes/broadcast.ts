// Sends a notebook change to every socket of that notebook through the realtime layer, when it is loaded.
import { type ServerEvent, WsCloseCode } from "@reactive-notebook/protocol";
import type { FastifyInstance } from "fastify";

/** Publishes `event` for `notebookId`; a no-op on an app without `app.realtime` (tools, partial apps). */
export function broadcast(app: FastifyInstance, notebookId: string, event: ServerEvent): void {
  if (app.hasDecorator("realtime")) app.realtime.publish(notebookId, event);
}

/** Closes the sockets of a deleted notebook with 4404, as if they had asked for a missing one. */
export function disconnectDeleted(app: FastifyInstance, notebookId: string): void {
  if (app.hasDecorator("realtime"))
    app.realtime.disconnect(notebookId, WsCloseCode.notFound, "notebook deleted");
}
