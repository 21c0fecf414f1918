// PUT /notebooks/:id/database: connection strings are validated, held to the host policy, encrypted at rest,
// and the password never comes back.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import type { Notebook } from "@reactive-notebook/protocol";
import { SecretBox } from "../src/sql/index.js";
import { freshUsers, openApi } from "./notebooks-fixtures.js";

const api = await openApi({ SQL_ALLOWED_HOSTS: "public" });
after(() => api.close());

async function notebook(owner: string): Promise<Notebook> {
  return (await api.request(owner, "POST", "/api/v1/notebooks", {})).json() as Notebook;
}

test("a public host is stored encrypted and shown without its password", async () => {
  const { alice } = freshUsers();
  const { id } = await notebook(alice);
  const url = `/api/v1/notebooks/${id}/database`;
  const set = await api.request(alice, "PUT", url, {
    connectionString: "postgres://analyst:hunter2-secret@93.184.216.34:5432/sales",
  });
  assert.equal(set.statusCode, 200, set.body);
  assert.deepEqual(set.json(), {
    configured: true,
    host: "93.184.216.34",
    database: "sales",
    user: "analyst",
  });
  const got = await api.request(alice, "GET", `/api/v1/notebooks/${id}`);
  assert.deepEqual(got.json().database, {
    configured: true,
    host: "93.184.216.34",
    database: "sales",
    user: "analyst",
  });
  assert.ok(!got.body.includes("hunter2"));
  const sealed = await api.app.store.getDatabaseSecret(id);
  assert.ok(sealed && !sealed.includes("hunter2"), "stored in plain text");
  const box = SecretBox.open(undefined, api.dataDir);
  assert.equal(box.open(sealed), "postgres://analyst:hunter2-secret@93.184.216.34:5432/sales");
  const exported = await api.request(alice, "GET", `/api/v1/notebooks/${id}/export?format=ipynb`);
  assert.ok(!exported.body.includes("hunter2"));
  const cleared = await api.request(alice, "PUT", url, { connectionString: null });
  assert.deepEqual(cleared.json(), { configured: false });
  assert.equal(await api.app.store.getDatabaseSecret(id), null);
});

for (const [name, connectionString] of [
  ["not a URL", "host=db user=x"],
  ["another scheme", "mysql://u:p@db.example.com/x"],
  ["no database", "postgres://u:p@93.184.216.34"],
  ["no user", "postgres://93.184.216.34/db"],
  ["loopback", "postgres://u:p@127.0.0.1:5432/test"],
  ["localhost by name", "postgres://u:p@localhost/test"],
  ["a private network", "postgres://u:p@10.1.2.3/db"],
  ["the cloud metadata address", "postgres://u:p@169.254.169.254/db"],
  ["IPv6 loopback", "postgres://u:p@[::1]/db"],
  ["IPv4-mapped loopback", "postgres://u:p@[::ffff:127.0.0.1]/db"],
  ["IPv4-compatible loopback", "postgres://u:p@[::127.0.0.1]/db"],
  ["NAT64 loopback", "postgres://u:p@[64:ff9b::7f00:1]/db"],
  ["6to4 of a private network", "postgres://u:p@[2002:c0a8:101::1]/db"],
  ["IPv6 unique-local (AWS metadata)", "postgres://u:p@[fd00:ec2::254]/db"],
  ["a decimal IPv4 name for loopback", "postgres://u:p@2130706433/db"],
] as const) {
  test(`a connection string is refused with 422 invalid_connection: ${name}`, async () => {
    const { alice } = freshUsers();
    const { id } = await notebook(alice);
    const response = await api.request(alice, "PUT", `/api/v1/notebooks/${id}/database`, {
      connectionString,
    });
    assert.equal(response.statusCode, 422, response.body);
    assert.equal(response.json().error.code, "invalid_connection");
    assert.equal(response.json().error.details.field, "/connectionString");
    assert.equal(await api.app.store.getDatabaseSecret(id), null, "nothing stored");
  });
}

test("another user's notebook is 403 and nothing changes", async () => {
  const { alice, bob } = freshUsers();
  const { id } = await notebook(alice);
  const response = await api.request(bob, "PUT", `/api/v1/notebooks/${id}/database`, {
    connectionString: "postgres://u:p@93.184.216.34/db",
  });
  assert.equal(response.statusCode, 403);
  assert.equal(await api.app.store.getDatabaseSecret(id), null);
});

test("sealed secrets use a fresh IV and refuse tampering", () => {
  const box = new SecretBox(Buffer.alloc(32, 7));
  const a = box.seal("postgres://u:p@h/d");
  assert.notEqual(a, box.seal("postgres://u:p@h/d"));
  const parts = a.split(".");
  parts[3] = Buffer.from("tampered").toString("base64url");
  assert.throws(() => box.open(parts.join(".")));
});

test("under the dev policy (SQL_ALLOWED_HOSTS=*) private, loopback and metadata hosts are accepted", async (t) => {
  const dev = await openApi({});
  t.after(() => dev.close());
  const owner = freshUsers().alice;
  const { id } = (await dev.request(owner, "POST", "/api/v1/notebooks", {})).json() as Notebook;
  for (const host of ["169.254.169.254", "10.0.0.1", "localhost", "127.0.0.1"]) {
    const response = await dev.request(owner, "PUT", `/api/v1/notebooks/${id}/database`, {
      connectionString: `postgres://u:p@${host}:5432/db`,
    });
    assert.equal(response.statusCode, 200, `${host}: ${response.body}`);
    assert.equal(response.json().host, host);
  }
});

for (const [parameter, value] of [
  ["sslrootcert", "/etc/shadow"],
  ["sslcert", "/dev/zero"],
  ["sslkey", "/proc/self/environ"],
  ["host", "127.0.0.1"],
  ["options", "-c role=postgres"],
  ["passfile", "/root/.pgpass"],
] as const) {
  test(`a connection string with ${parameter}= is 422 invalid_connection naming the parameter; nothing is read or stored`, async () => {
    const { alice } = freshUsers();
    const { id } = await notebook(alice);
    const response = await api.request(alice, "PUT", `/api/v1/notebooks/${id}/database`, {
      connectionString: `postgres://u:p@93.184.216.34/db?sslmode=require&${parameter}=${encodeURIComponent(value)}`,
    });
    assert.equal(response.statusCode, 422, response.body);
    const error = response.json().error;
    assert.equal(error.code, "invalid_connection");
    assert.deepEqual(error.details, { field: "/connectionString", parameter });
    assert.match(error.message, new RegExp(`"${parameter}" is not allowed`));
    assert.equal(await api.app.store.getDatabaseSecret(id), null, "nothing stored");
  });
}
