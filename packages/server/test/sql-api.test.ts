// SQL cells through the real service: a notebook connected to the local PostgreSQL runs SQL cells over REST
// and WebSocket, and the connection's password never appears in any API response, socket event, export or
// log line (all of them recorded and searched); a notebook without a connection uses the sample database.
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, before, test } from "node:test";
import type { Cell, Notebook, RunCompleted, ServerEvent } from "@reactive-notebook/protocol";
import { buildApp } from "../src/app.js";
import { listen, TestSocket, testConfig } from "./helpers/index.js";
import { scratchDatabase } from "./helpers/sql.js";

const logLines: string[] = [];
const logStream = new Writable({
  write(chunk, _encoding, done) {
    logLines.push(String(chunk));
    done();
  },
});

const app = await buildApp(testConfig({ SQL_ALLOWED_HOSTS: "*", LOG_LEVEL: "trace" }), {
  logger: { level: "trace", stream: logStream },
  rateLimit: false,
});
const baseUrl = await listen(app);
const responses: string[] = [];
after(() => app.close());

async function call(token: string, method: string, path: string, body?: unknown): Promise<Response> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  responses.push(
    `${response.status} ${JSON.stringify([...response.headers])} ${await response.clone().text()}`,
  );
  return response;
}

async function token(userId: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/v1/dev/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ userId }),
  });
  return ((await response.json()) as { token: string }).token;
}

/** Waits for `cellId` to settle in an event received after the `mark`-th event. */
async function settled(socket: TestSocket, cellId: string, mark: number): Promise<ServerEvent> {
  return socket.until(
    () =>
      socket.events
        .slice(mark)
        .find(
          (event) =>
            event.type === "cell_status" &&
            event.cellId === cellId &&
            ["success", "error", "blocked"].includes(event.status),
        ),
    `cell ${cellId} to settle`,
    60_000,
  );
}

let db: Exclude<Awaited<ReturnType<typeof scratchDatabase>>, string> | null = null;
let skipReason = "";
before(async () => {
  const scratch = await scratchDatabase();
  if (typeof scratch === "string") {
    skipReason = scratch;
    return;
  }
  db = scratch;
  await db.admin(`CREATE TABLE t (v integer); INSERT INTO t SELECT generate_series(1, 40);
                  ALTER TABLE t OWNER TO ${new URL(db.url).username}`);
});
after(() => db?.drop());

test("the password of a notebook's connection never leaves the server", async (t) => {
  if (!db) return t.skip(skipReason);
  const alice = await token("sql-alice");
  const created = (await (
    await call(alice, "POST", "/api/v1/notebooks", { name: "Secrets" })
  ).json()) as Notebook;
  const id = created.id;
  const socket = await TestSocket.open(baseUrl, id);
  t.after(() => socket.terminate());
  await socket.auth(alice);

  const set = await call(alice, "PUT", `/api/v1/notebooks/${id}/database`, { connectionString: db.url });
  assert.equal(set.status, 200);
  const cell = async (body: unknown) =>
    (await (await call(alice, "POST", `/api/v1/notebooks/${id}/cells`, body)).json()) as { id: string };
  const limit = await cell({ type: "python", code: "limit = 30" });
  const query = await cell({
    type: "sql",
    code: "SELECT v FROM t WHERE v > {limit} ORDER BY v",
    name: "rows",
  });
  const count = await cell({ type: "python", code: "len(rows)" });
  const broken = await cell({ type: "sql", code: "SELECT nope FROM t" });

  let mark = socket.events.length;
  await call(alice, "POST", `/api/v1/notebooks/${id}/run`);
  await settled(socket, count.id, mark);
  await settled(socket, broken.id, mark);
  const after = (await (await call(alice, "GET", `/api/v1/notebooks/${id}`)).json()) as Notebook;
  const byId = new Map(after.cells.map((c) => [c.id, c]));
  assert.equal(byId.get(query.id)?.status, "success");
  const shown = byId.get(query.id)?.outputs[0]?.data as { rows: unknown[][] } | undefined;
  assert.deepEqual(
    shown?.rows,
    Array.from({ length: 10 }, (_, i) => [31 + i]),
  );
  assert.equal(byId.get(count.id)?.outputs[0]?.data, "10");
  assert.equal(byId.get(broken.id)?.error?.name, "PostgresError");
  assert.equal(byId.get(limit.id)?.status, "success");

  // A connection that fails (a database that does not exist), with the same password in it.
  await call(alice, "PUT", `/api/v1/notebooks/${id}/database`, {
    connectionString: db.url.replace(/\/[^/]+$/, "/missing_db"),
  });
  mark = socket.events.length;
  await call(alice, "POST", `/api/v1/notebooks/${id}/cells/${query.id}/run`);
  const failed = await settled(socket, query.id, mark);
  assert.equal("status" in failed && failed.status, "error");
  await call(alice, "GET", `/api/v1/notebooks/${id}/export?format=ipynb`);
  await call(alice, "GET", `/api/v1/notebooks/${id}`);
  await call(alice, "GET", "/api/v1/notebooks");

  const everything = [...responses, ...socket.events.map((e) => JSON.stringify(e)), ...logLines].join("\n");
  assert.ok(logLines.length > 10, "logs were recorded");
  assert.ok(socket.events.length > 10, "events were recorded");
  assert.ok(everything.includes("missing_db"), "the failing run was recorded");
  for (const secret of [db.password, encodeURIComponent(db.password)]) {
    assert.ok(!everything.includes(secret), "the password appears in a response, event or log line");
  }
});

test("without a connection, SQL cells run on the user's sample database, say so while it starts, and feed Python", async (t) => {
  const bob = await token("sql-bob");
  const created = (await (
    await call(bob, "POST", "/api/v1/notebooks", { name: "Sample" })
  ).json()) as Notebook;
  const socket = await TestSocket.open(baseUrl, created.id);
  t.after(() => socket.terminate());
  await socket.auth(bob);
  const add = async (body: unknown) =>
    (await (await call(bob, "POST", `/api/v1/notebooks/${created.id}/cells`, body)).json()) as { id: string };
  await add({ type: "python", code: "country = 'Japan'" });
  const query = await add({
    type: "sql",
    code: "SELECT id, name FROM customers WHERE country = {country}",
    name: "japan",
  });
  const total = await add({
    type: "python",
    code: "len(japan) > 0 and all(isinstance(r['id'], int) for r in japan)",
  });
  await call(bob, "POST", `/api/v1/notebooks/${created.id}/run`);
  await settled(socket, total.id, 0);
  const outputs = socket.events.flatMap((e) =>
    e.type === "cell_outputs" && e.cellId === total.id ? [e.outputs] : [],
  );
  assert.deepEqual(outputs.at(-1), [{ mimeType: "text/plain", data: "True" }]);
  // This app's sample database had not started: the SQL cell said so, then said it was ready.
  const progress = socket.events.flatMap((e) =>
    e.type === "cell_progress" && e.cellId === query.id ? [e] : [],
  );
  assert.ok(progress.length >= 2, JSON.stringify(progress));
  assert.ok(progress.every((e) => e.kind === "database"));
  assert.match(progress[0]?.message ?? "", /sample database/);
  assert.deepEqual(
    progress.map((e) => e.done),
    [...Array(progress.length - 1).fill(false), true],
  );
});

test("a dashboard: a slider and a dropdown drive an SQL cell through {n.value}; it re-runs when one changes", async () => {
  const bob = await token("sql-bob");
  const response = await call(bob, "POST", "/api/v1/notebooks", {
    name: "dashboard",
    cells: [
      {
        type: "python",
        code: "limit = rn.ui.slider(1, 10, value=3)\ncategory = rn.ui.dropdown(['Displays', 'Furniture'])",
      },
      {
        type: "sql",
        code: "SELECT name FROM products WHERE category = {category.value} ORDER BY price LIMIT {limit.value}",
      },
    ],
  });
  const notebook = (await response.json()) as Notebook;
  const [controls, query] = notebook.cells as [Cell, Cell];
  assert.deepEqual(query.reads, ["category", "limit"]);
  const rows = (run: RunCompleted) =>
    (run.cells.find((cell) => cell.id === query.id)?.outputs[0]?.data as { rows: string[][] } | undefined)
      ?.rows;
  const first = (await (
    await call(bob, "POST", `/api/v1/notebooks/${notebook.id}/run?wait=60`)
  ).json()) as RunCompleted;
  assert.equal(rows(first)?.length, 3, JSON.stringify(first.cells.map((cell) => cell.error)));
  const url = `/api/v1/notebooks/${notebook.id}/cells/${controls.id}/controls`;
  const fewer = (await (await call(bob, "PUT", `${url}/0?wait=60`, { value: 1 })).json()) as RunCompleted;
  assert.deepEqual(
    fewer.cells.map((cell) => cell.id),
    [controls.id, query.id],
  );
  assert.equal(rows(fewer)?.length, 1);
  const other = (await (
    await call(bob, "PUT", `${url}/1?wait=60`, { value: "Furniture" })
  ).json()) as RunCompleted;
  const furniture = rows(other)?.[0]?.[0];
  assert.ok(furniture && furniture !== rows(fewer)?.[0]?.[0], "another category, another product");
});
