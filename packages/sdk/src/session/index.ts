/** Live notebook sessions over the WebSocket; this file is the folder's only door. */

/** Where a session is: connecting, open, reconnecting after a drop, or closed for good. */
export type { ConnectionStatus as SessionStatus } from "./connection.js";
export type { RunResult } from "./runs.js";
export { type ConnectOptions, NotebookSession, type RunOptions } from "./session.js";
export type { WebSocketConstructor, WebSocketLike } from "./websocket.js";
