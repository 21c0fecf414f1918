// GET /api/v1/notebooks/:id/ws: the notebook's event stream. Transport only: it authenticates the socket
// by its first frame, answers frames through `app.notebooks`, applies the per-user rate limit to frames
// (the same budget as HTTP requests) and caps how many unauthenticated sockets one address may hold.
import websocket from "@fastify/websocket";
import { API_PREFIX, NotebookParams, ref, WS_AUTH_TIMEOUT_MS } from "@reactive-notebook/protocol";
import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { rateLimited, toApiError } from "../http/index.js";
import { type ConnectionContext, type FrameError, NotebookConnection } from "../realtime/index.js";

export interface SocketOptions {
  /** Time a socket has to send its first auth frame (default 5000 ms, API.md). */
  authTimeoutMs?: number;
  /** Interval of keepalive pings; a socket that misses one pong is dropped (default 30 s). */
  pingIntervalMs?: number;
  /** A socket with more unsent bytes than this is closed with 1013 (default 4 MiB). */
  maxBufferedBytes?: number;
  /** Sockets one address may hold open before they authenticate (default 16); more are refused with 429. */
  maxAnonymousPerAddress?: number;
}

export const DEFAULT_PING_INTERVAL_MS = 30_000;
export const DEFAULT_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
export const DEFAULT_MAX_ANONYMOUS_PER_ADDRESS = 16;
/** Client frames are small (the largest is an auth frame with a JWT). */
const MAX_FRAME_BYTES = 64 * 1024;

function describe(error: unknown): FrameError | null {
  const apiError = toApiError(error as Error);
  if (!apiError) return null;
  return {
    code: apiError.code,
    message: apiError.message,
    status: apiError.status,
    ...(apiError.details ? { details: apiError.details as Record<string, unknown> } : {}),
  };
}

export const socketRoutes = fp(
  async (app: FastifyInstance, options: SocketOptions) => {
    const connections = new Set<NotebookConnection>();
    const anonymous = new Map<string, number>();
    const maxAnonymous = options.maxAnonymousPerAddress ?? DEFAULT_MAX_ANONYMOUS_PER_ADDRESS;
    // With rate limiting on, each frame of a user counts against the same budget as their HTTP requests.
    const checkRate = app.hasDecorator("createRateLimit") ? app.createRateLimit() : null;

    const admit = async (request: FastifyRequest, userId: string): Promise<FrameError | null> => {
      if (!checkRate) return null;
      request.userId = userId;
      const verdict = await checkRate(request);
      if (verdict.isAllowed || !verdict.isExceeded) return null;
      const error = rateLimited(
        `Too many requests: at most ${verdict.max} in ${verdict.timeWindow / 1000} s. Retry in ${verdict.ttlInSeconds} s.`,
        verdict.ttlInSeconds,
      );
      return describe(error);
    };

    const keepalive = setInterval(() => {
      for (const connection of connections) connection.keepalive();
    }, options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS);
    keepalive.unref();
    app.addHook("onClose", async () => clearInterval(keepalive));

    await app.register(websocket, { options: { maxPayload: MAX_FRAME_BYTES } });
    app.get<{ Params: NotebookParams }>(
      `${API_PREFIX}/notebooks/:id/ws`,
      {
        websocket: true,
        config: { auth: false, rateLimit: false }, // the first frame authenticates; frames are limited one by one
        schema: {
          summary: "Notebook events (WebSocket upgrade)",
          description:
            'Send {"type":"auth","token"} first (within 5 s); then receive hello and every event of the notebook. ' +
            "Closes 4401 (no/invalid/expired token), 4403 (not the owner), 4404 (no such notebook), 1013 (too slow). " +
            "Frames count against the user's request rate limit; an address may hold a few unauthenticated sockets (429 past that).",
          tags: ["realtime"],
          params: ref(NotebookParams),
        },
        preValidation: async (request) => {
          if ((anonymous.get(request.ip) ?? 0) >= maxAnonymous) {
            throw rateLimited(
              `Too many unauthenticated sockets from this address (at most ${maxAnonymous}); authenticate or close some.`,
              5,
            );
          }
        },
      },
      (socket, request) => {
        const address = request.ip;
        let counted = true;
        anonymous.set(address, (anonymous.get(address) ?? 0) + 1);
        const uncount = () => {
          if (!counted) return;
          counted = false;
          const left = (anonymous.get(address) ?? 1) - 1;
          if (left > 0) anonymous.set(address, left);
          else anonymous.delete(address);
        };
        const context: ConnectionContext = {
          verifyToken: (token) => app.auth.verifyToken(token),
          open: (userId, notebookId) => app.notebooks.open(userId, notebookId),
          async command(userId, notebookId, frame) {
            if (frame.type === "run_cell") await app.notebooks.runCell(userId, notebookId, frame.cellId);
            else if (frame.type === "run_all") await app.notebooks.runAll(userId, notebookId);
            else if (frame.type === "set_control") {
              const { cellId, controlId, value } = frame;
              await app.notebooks.setControl(userId, notebookId, cellId, controlId, value);
            } else await app.notebooks.interrupt(userId, notebookId);
          },
          admit: (userId) => admit(request, userId),
          describe,
          join: (notebookId, connection) => app.realtime.join(notebookId, connection),
          leave: (notebookId, connection) => app.realtime.leave(notebookId, connection),
          authenticated: uncount,
          authTimeoutMs: options.authTimeoutMs ?? WS_AUTH_TIMEOUT_MS,
          maxBufferedBytes: options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES,
          log: app.log,
        };
        const connection = new NotebookConnection(socket, request.params.id, context);
        connections.add(connection);
        socket.on("close", () => {
          connections.delete(connection);
          uncount();
        });
      },
    );
  },
  { name: "socket-routes", dependencies: ["auth", "notebooks", "realtime"] },
);
