/**
 * Retries are safe against the real service: when the answer to a create or a run is lost on the way back,
 * the SDK retries with the same Idempotency-Key and the service answers the first result again — one
 * notebook, one run. A proxy between them forwards every request but drops the first answer.
 */
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { devTokenProvider, NotebookClient } from "../src/index.js";
import { type RealServer, startRealServer } from "./session-server.js";

let server: RealServer;
before(async () => {
  server = await startRealServer();
});
after(() => server?.dispose());

/** Forwards to `target`; while `drop` says so, the service's answer is read and thrown away. */
async function lossyProxy(target: string, drop: (request: http.IncomingMessage) => boolean) {
  const forwarded: string[] = [];
  const proxy = http.createServer((request, response) => {
    const lose = drop(request);
    forwarded.push(`${request.method} ${request.url} ${request.headers["idempotency-key"] ?? "-"}`);
    const upstream = http.request(
      new URL(request.url ?? "/", target),
      { method: request.method, headers: request.headers },
      (answer) => {
        if (lose) {
          // The work is done and answered; the client never hears of it (a dropped connection).
          answer.resume();
          answer.on("end", () => request.socket.destroy());
          return;
        }
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const { port } = proxy.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    forwarded,
    close: () => new Promise<void>((resolve) => proxy.close(() => resolve())),
  };
}

test("a create whose answer is lost is retried with its key and creates one notebook", async (t) => {
  let lost = 0;
  const proxy = await lossyProxy(
    server.url,
    (request) => request.method === "POST" && request.url?.endsWith("/notebooks") === true && lost++ === 0,
  );
  t.after(() => proxy.close());
  const client = new NotebookClient({
    baseUrl: proxy.url,
    getToken: devTokenProvider(server.url, "retry-create"),
    retryBaseDelayMs: 10,
    retryMaxDelayMs: 20,
  });
  const notebook = await client.notebooks.create({ name: "exactly once" });
  assert.equal(notebook.name, "exactly once");
  const creates = proxy.forwarded.filter((line) => line.startsWith("POST /api/v1/notebooks "));
  assert.equal(creates.length, 2, "the create reached the service twice");
  assert.equal(new Set(creates.map((line) => line.split(" ")[2])).size, 1, "with one key");
  const list = await client.notebooks.list();
  assert.deepEqual(
    list.map((summary) => summary.id),
    [notebook.id],
    "and made one notebook",
  );
});

test("a run whose answer is lost is retried with its key and runs once", async (t) => {
  let lost = 0;
  const proxy = await lossyProxy(
    server.url,
    (request) => request.url?.endsWith("/run") === true && lost++ === 0,
  );
  t.after(() => proxy.close());
  const client = new NotebookClient({
    baseUrl: proxy.url,
    getToken: devTokenProvider(server.url, "retry-run"),
    retryBaseDelayMs: 10,
    retryMaxDelayMs: 20,
  });
  const notebook = await client.notebooks.create({ cells: [{ type: "markdown", code: "# once" }] });
  const { runId } = await client.notebooks.run(notebook.id);
  const runs = proxy.forwarded.filter((line) => line.includes("/run "));
  assert.equal(runs.length, 2);
  assert.equal(new Set(runs.map((line) => line.split(" ")[2])).size, 1);
  // A second run would have a second id; the service answered the first run's id to the retry.
  const direct = new NotebookClient({
    baseUrl: server.url,
    getToken: devTokenProvider(server.url, "retry-run"),
  });
  const replay = await direct.notebooks.run(notebook.id, {
    idempotencyKey: runs[0]?.split(" ")[2] as string,
  });
  assert.equal(replay.runId, runId);
});
