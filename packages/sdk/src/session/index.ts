/** Live notebook sessions over the WebSocket; this file is the folder's only door. */
export type { RunResult } from "./runs.js";
export { type ConnectOptions, NotebookSession, type RunOptions, type SessionStatus } from "./session.js";
export type { WebSocketConstructor, WebSocketLike } from "./websocket.js";
