/**
 * Which WebSocket a session uses: the caller's constructor, else the platform's (browsers, Node ≥ 22),
 * else the `ws` package, loaded lazily by `websocket-node.js` — a module the browser bundle swaps for
 * `websocket-browser.js` (see rollup.config.mjs), so no `ws` import ever reaches a page.
 */
import { loadNodeWebSocket } from "./websocket-node.js";

/**
 * The part of the WHATWG WebSocket a session uses; `ws`'s class has it too. Handlers take `never` so that
 * both the DOM's and `ws`'s event types fit; the session reads `data` of message events and `code` and
 * `reason` of close events, which both have.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: never) => void) | null;
  onmessage: ((event: never) => void) | null;
  onclose: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
}

/** A WebSocket constructor: the global `WebSocket`, `ws`'s default export, or a compatible class. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** WebSocket's OPEN readyState (the same number in every implementation). */
export const OPEN = 1;

/** Resolves the constructor to use, in the order the file comment gives. */
export async function resolveWebSocket(
  given: WebSocketConstructor | undefined,
): Promise<WebSocketConstructor> {
  if (given) return given;
  const platform = (globalThis as { WebSocket?: unknown }).WebSocket;
  if (typeof platform === "function") return platform as WebSocketConstructor;
  return loadNodeWebSocket();
}
