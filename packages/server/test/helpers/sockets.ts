// A WebSocket client for tests (the `ws` package) that records every event and the close, and awaits them.
import { type ServerEvent, WS_AUTH_TIMEOUT_MS } from "@reactive-notebook/protocol";
import WebSocket from "ws";

export interface Closed {
  code: number;
  reason: string;
}

export class TestSocket {
  readonly events: ServerEvent[] = [];
  closed: Closed | null = null;
  readonly #waiters = new Set<() => void>();

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      this.events.push(JSON.parse(String(data)) as ServerEvent);
      this.#wake();
    });
    ws.on("close", (code, reason) => {
      this.closed = { code, reason: String(reason) };
      this.#wake();
    });
    ws.on("error", () => {});
  }

  /** Opens the notebook's socket at `baseUrl` (http://host:port). */
  static async open(baseUrl: string, notebookId: string): Promise<TestSocket> {
    const ws = new WebSocket(
      `${baseUrl.replace(/^http/, "ws")}/api/v1/notebooks/${encodeURIComponent(notebookId)}/ws`,
    );
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    return new TestSocket(ws);
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** Sends the auth frame and waits for the hello; returns it. */
  async auth(token: string): Promise<Extract<ServerEvent, { type: "hello" }>> {
    this.send({ type: "auth", token });
    return (await this.next("hello")) as Extract<ServerEvent, { type: "hello" }>;
  }

  #wake(): void {
    for (const waiter of this.#waiters) waiter();
  }

  /** Resolves when `predicate` holds, re-checked on every event and on close; rejects after `timeoutMs`. */
  async until<T>(predicate: () => T | undefined | false, what: string, timeoutMs = 3000): Promise<T> {
    const now = predicate();
    if (now) return now;
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const value = predicate();
        if (value) {
          done();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(
            `timed out waiting for ${what}; events: ${JSON.stringify(this.events.map((e) => e.type))}, closed: ${JSON.stringify(this.closed)}`,
          ),
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
    });
  }

  /** The first event of `type` not yet taken by a previous `next` call. */
  async next(type: ServerEvent["type"], timeoutMs = 3000): Promise<ServerEvent> {
    return this.until(
      () => {
        const index = this.events.findIndex((event) => event.type === type);
        if (index < 0) return undefined;
        return this.events.splice(index, 1)[0];
      },
      `a ${type} event`,
      timeoutMs,
    );
  }

  /** Waits for the server to close the socket. */
  async close(timeoutMs = WS_AUTH_TIMEOUT_MS + 2000): Promise<Closed> {
    return this.until(() => this.closed ?? undefined, "the close", timeoutMs);
  }

  terminate(): void {
    this.ws.terminate();
  }
}
