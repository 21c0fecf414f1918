/** The browser bundle's stand-in for `websocket-node.js`: pages always have a WebSocket, so reaching this is a misconfiguration. */
import type { WebSocketConstructor } from "./websocket.js";

/** Throws: there is no global WebSocket and the browser build cannot load `ws`. */
export async function loadNodeWebSocket(): Promise<WebSocketConstructor> {
  throw new TypeError(
    "This environment has no global WebSocket; pass one as the `WebSocket` option of client.connect().",
  );
}
