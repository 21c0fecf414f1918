// REST changes reach the notebook's sockets (API.md: "a second tab sees the first tab's edits"): a real
// WebSocket client watches while cells and the notebook are changed over HTTP.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Notebook, ServerEvent } from "@reactive-notebook/protocol";
import WebSocket from "ws";
import { startApi } from "./notebooks-fixtures.js";

const NOTEBOOKS = "/api/v1/notebooks";

test("every REST change is broadcast with the notebook revision after it; deleting closes sockets 4404", async (t) => {
  const api = await startApi(t);
  const address = await api.app.listen({ host: "127.0.0.1", port: 0 });
  const notebook = (await api.request("alice", "POST", NOTEBOOKS, { name: "live" })).json() as Notebook;
  const first = notebook.cells[0]?.id as string;

  const socket = new WebSocket(`${address.replace("http", "ws")}${NOTEBOOKS}/${notebook.id}/ws`);
  const events: ServerEvent[] = [];
  const waiters: (() => void)[] = [];
  socket.on("message", (data) => {
    events.push(JSON.parse(String(data)) as ServerEvent);
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<number>((resolve) => socket.on("close", (code) => resolve(code)));
  const until = async (count: number) => {
    const deadline = Date.now() + 5000;
    while (events.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} events, got ${JSON.stringify(events)}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  };
  await new Promise((resolve) => socket.once("open", resolve));
  socket.send(JSON.stringify({ type: "auth", token: await api.token("alice") }));
  await until(1);
  assert.equal(events[0]?.type, "hello");

  const created = (
    await api.request("alice", "POST", `${NOTEBOOKS}/${notebook.id}/cells`, {
      type: "python",
      code: "y = 2",
      index: 0,
    })
  ).json();
  await api.request("alice", "PATCH", `${NOTEBOOKS}/${notebook.id}/cells/${first}`, { code: "x = 1" });
  await api.request("alice", "POST", `${NOTEBOOKS}/${notebook.id}/cells/${first}/move`, { index: 0 });
  await api.request("alice", "DELETE", `${NOTEBOOKS}/${notebook.id}/cells/${created.id}`);
  await api.request("alice", "PATCH", `${NOTEBOOKS}/${notebook.id}`, { name: "renamed" });
  await until(6);
  const changes = events.slice(1).map((event) => {
    const { notebookId, ...rest } = event as ServerEvent & { notebookId: string };
    assert.equal(notebookId, notebook.id);
    return rest;
  });
  assert.deepEqual(
    changes.map((event) => [event.type, event.revision]),
    [
      ["cell_created", 1],
      ["cell_updated", 2],
      ["cells_moved", 3],
      ["cell_deleted", 4],
      ["notebook_updated", 5],
    ],
  );
  assert.deepEqual(changes[0], { type: "cell_created", revision: 1, cell: created, index: 0 });
  assert.equal((changes[1] as { cell: { code: string } }).cell.code, "x = 1");
  assert.deepEqual((changes[2] as { order: string[] }).order, [first, created.id]);
  assert.deepEqual(changes[3], { type: "cell_deleted", revision: 4, cellId: created.id });
  assert.deepEqual(changes[4], { type: "notebook_updated", revision: 5, name: "renamed" });

  assert.equal((await api.request("alice", "DELETE", `${NOTEBOOKS}/${notebook.id}`)).statusCode, 204);
  assert.equal(await closed, 4404);
});
