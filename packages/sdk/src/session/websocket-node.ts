/** Loads the `ws` package for Node versions without a global WebSocket (Node 20). Never bundled for browsers. */
import type { WebSocketConstructor } from "./websocket.js";

/** The `ws` package's WebSocket class, imported on first use only. */
export async function loadNodeWebSocket(): Promise<WebSocketConstructor> {
  const module = (await import("ws")) as unknown as { default: WebSocketConstructor };
  return module.default;
}
