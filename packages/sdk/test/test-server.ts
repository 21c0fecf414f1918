/** A real loopback HTTP server whose answers each test scripts, recording every request it receives. */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the server saw it. */
export interface RecordedRequest {
  method: string;
  /** Path and query, e.g. `/api/v1/notebooks/nb1/export?format=ipynb`. */
  url: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, or undefined when there was none. */
  body: unknown;
}

/** What the server answers; `delayMs` holds the answer back, `hangUp` drops the connection instead. */
export interface ScriptedResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  delayMs?: number;
  hangUp?: boolean;
}

/** A running test server. */
export interface TestServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts a server that answers the n-th request (0-based) with `respond(request, n)`. */
export async function startTestServer(
  respond: (request: RecordedRequest, n: number) => ScriptedResponse,
): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  // Held-back answers are dropped on close, so a slow answer never keeps the test process alive.
  const heldBack = new Set<ReturnType<typeof setTimeout>>();
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const request: RecordedRequest = {
      method: req.method ?? "",
      url: req.url ?? "",
      headers: req.headers,
      body: text === "" ? undefined : JSON.parse(text),
    };
    requests.push(request);
    const answer = respond(request, requests.length - 1);
    if (answer.delayMs) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          heldBack.delete(timer);
          resolve();
        }, answer.delayMs);
        heldBack.add(timer);
      });
    }
    if (answer.hangUp) {
      req.socket.destroy();
      return;
    }
    const hasBody = answer.body !== undefined;
    res.writeHead(answer.status ?? 200, {
      ...(hasBody ? { "content-type": "application/json" } : {}),
      ...answer.headers,
    });
    res.end(hasBody ? JSON.stringify(answer.body) : undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        for (const timer of heldBack) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An error body as the service sends it. */
export function errorBody(code: string, message: string, details?: Record<string, unknown>) {
  return { error: { code, message, ...(details ? { details } : {}) } };
}
