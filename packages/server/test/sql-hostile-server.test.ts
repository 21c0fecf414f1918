// A notebook's database is whatever server its owner points it at — so these tests point SQL cells at a
// scripted hostile PostgreSQL server on loopback: malformed, duplicated and out-of-order messages, abrupt
// closes, huge rows, endless streams, slow drips, silence, TLS tricks, and a resolver that rebinds. Each
// case asserts the cell gets a clear error (never the driver's or the OS's raw text), the connection is
// closed rather than reused, and the engine keeps serving cells; an unhandled 'error' anywhere would
// crash this test process.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { ResolveHost, SqlCellResult } from "../src/sql/index.js";
import {
  type HostileServer,
  hostilePostgres,
  message,
  pgMessages,
  type Script,
  type ScriptedConnection,
  textResult,
} from "./helpers/hostile-postgres.js";
import { testSqlEngine } from "./helpers/sql.js";

/** These tests never reach the sample database, so its sandbox layers do not matter. */
const noSandbox = {
  sandbox: { networkNamespace: false, unprivilegedUser: false, codeGenerationDisallowed: true } as const,
};
const MAX_RESULT_BYTES = 1024 * 1024;

const resolved: string[] = [];
/** "db.hostile.test" is loopback; "rebind.hostile.test" answers a public address once, then loopback. */
const resolver: ResolveHost = async (host) => {
  resolved.push(host);
  if (host === "db.hostile.test") return [{ address: "127.0.0.1", family: 4 }];
  if (host === "rebind.hostile.test") {
    const first = resolved.filter((h) => h === host).length === 1;
    return [{ address: first ? "93.184.216.34" : "127.0.0.1", family: 4 }];
  }
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
};

const sql = testSqlEngine(noSandbox, {
  sql: { timeoutMs: 1_000, maxResultBytes: MAX_RESULT_BYTES },
  resolveHost: resolver,
});
after(() => sql.engine.close());

let counter = 0;
async function cell(url: string, code = "SELECT 1", signal?: AbortSignal): Promise<SqlCellResult> {
  const notebookId = `hostile-${++counter}`;
  sql.connect(notebookId, url);
  return sql.engine.runCell({
    notebookId,
    userId: "mallory",
    code,
    name: null,
    kernel: async () => {
      throw new Error("no Python here");
    },
    signal,
  });
}

/** A server that behaves: the proof, after each hostile case, that the engine still serves cells. */
let good: HostileServer;
const wellBehaved: Script = async (c) => {
  await c.startup();
  c.handshake();
  for (;;) {
    await c.query();
    c.send(textResult(["fine"]));
  }
};
before(async () => {
  good = await hostilePostgres(wellBehaved);
});
after(() => good.close());

async function stillServes(): Promise<void> {
  const result = await cell(`postgres://u:p@127.0.0.1:${good.port}/db?sslmode=disable`);
  assert.equal(result.status, "success", JSON.stringify(result.error));
}

/** Startup and handshake, then the first query; the script's answer follows. */
function answering(answer: (c: ScriptedConnection) => Promise<void> | void): Script {
  return async (c) => {
    await c.startup();
    c.handshake();
    await c.query();
    await answer(c);
  };
}

const rowsOf = (result: SqlCellResult) =>
  (result.outputs[0]?.data as { rows?: unknown[][] } | undefined)?.rows;

const hang = () => new Promise<void>(() => {});

interface HostileCase {
  name: string;
  script: Script;
  /** The connection string's query (default sslmode=disable). */
  query?: string;
  error: { name: string; message: RegExp } | null;
}

const cases: HostileCase[] = [
  {
    name: "two ErrorResponse messages in one packet answer the first query",
    script: answering((c) =>
      c.send(
        pgMessages.error("first failure", "22000"),
        pgMessages.error("second failure", "22000"),
        pgMessages.ready(),
      ),
    ),
    error: { name: "PostgresError", message: /^first failure \(SQLSTATE 22000\)$/ },
  },
  {
    name: "an ErrorResponse with no query running, right after the handshake",
    script: async (c) => {
      await c.startup();
      c.handshake();
      c.send(pgMessages.error("unsolicited", "22000"));
      await hang();
    },
    error: { name: "DatabaseConnectionError", message: /./ },
  },
  {
    name: "a DataRow before its RowDescription",
    script: answering((c) =>
      c.send(pgMessages.dataRow(["x"]), pgMessages.commandComplete("SELECT 1"), pgMessages.ready()),
    ),
    error: { name: "DatabaseConnectionError", message: /./ },
  },
  {
    name: "CommandComplete and ReadyForQuery sent twice",
    script: answering((c) =>
      c.send(textResult(["once"]), pgMessages.commandComplete("SELECT 1"), pgMessages.ready()),
    ),
    error: null,
  },
  {
    name: "a message of an unknown type",
    script: answering((c) => c.send(message("~", Buffer.from("??")), pgMessages.ready())),
    error: { name: "DatabaseConnectionError", message: /./ },
  },
  {
    name: "a DataRow that claims more fields than it carries",
    script: answering((c) =>
      c.send(
        pgMessages.rowDescription(["a"]),
        Buffer.from([0x44, 0, 0, 0, 6, 0x7f, 0xff]),
        pgMessages.ready(),
      ),
    ),
    error: { name: "DatabaseConnectionError", message: /could not read|closed|failed/ },
  },
  {
    name: "a RowDescription whose length says 4 bytes but whose body says 1,000 columns",
    script: answering((c) => c.send(Buffer.from([0x54, 0, 0, 0, 6, 0x03, 0xe8]), pgMessages.ready())),
    error: { name: "DatabaseConnectionError", message: /could not read|closed|failed/ },
  },
  {
    name: "an authentication request of a kind that does not exist",
    script: async (c) => {
      await c.startup();
      c.send(message("R", Buffer.from([0, 0, 0, 99])));
      await hang();
    },
    error: { name: "DatabaseConnectionError", message: /could not read/ },
  },
  {
    name: "an abrupt close right after the startup packet",
    script: async (c) => {
      await c.startup();
      c.destroy();
    },
    error: { name: "DatabaseConnectionError", message: /closed the connection/ },
  },
  {
    name: "an abrupt close in the middle of a DataRow",
    script: answering((c) => {
      c.send(pgMessages.rowDescription(["a"]), pgMessages.dataRow(["a long value"]).subarray(0, 9));
      setTimeout(() => c.destroy(), 50);
    }),
    error: { name: "DatabaseConnectionError", message: /closed the connection/ },
  },
  {
    name: "one row bigger than a cell may receive",
    script: answering((c) => c.send(textResult(["x".repeat(3 * MAX_RESULT_BYTES)]))),
    error: { name: "ResultTooLargeError", message: /more data than a cell may receive/ },
  },
  {
    name: "a message that declares 1 GB and keeps coming",
    script: answering(async (c) => {
      c.send(
        pgMessages.rowDescription(["a"]),
        Buffer.from([0x44, 0x3f, 0xff, 0xff, 0xff, 0, 1, 0x3f, 0xff, 0xff, 0xf9]),
      );
      const chunk = Buffer.alloc(256 * 1024, 0x61);
      for (let i = 0; i < 4096 && !c.stream.destroyed; i++) {
        c.send(chunk);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }),
    error: { name: "ResultTooLargeError", message: /more data than a cell may receive/ },
  },
  {
    name: "an endless stream of notices",
    script: answering(async (c) => {
      const notices = Buffer.concat(Array.from({ length: 2000 }, () => pgMessages.notice("spam")));
      while (!c.stream.destroyed) {
        c.send(notices);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }),
    error: { name: "ResultTooLargeError", message: /more data than a cell may receive/ },
  },
  {
    name: "a slow drip: one byte of a valid result every 50 ms, ignoring statement_timeout",
    script: answering(async (c) => {
      const bytes = textResult(Array.from({ length: 10_000 }, () => "drip"));
      for (const byte of bytes) {
        if (c.stream.destroyed) return;
        c.send(Buffer.from([byte]));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }),
    error: { name: "TimeoutError", message: /longer than 1000 ms/ },
  },
  {
    name: "silence after the startup packet",
    query: "sslmode=disable&connect_timeout=1",
    script: async (c) => {
      await c.startup();
      await hang();
    },
    error: { name: "DatabaseConnectionError", message: /did not complete the connection within 1 s/ },
  },
  {
    name: "bytes after the answer to the TLS request (buffer injection)",
    query: "sslmode=require",
    script: async (c) => {
      await c.startup(Buffer.concat([Buffer.from("S"), pgMessages.authOk(), pgMessages.ready()]));
      await hang();
    },
    error: { name: "DatabaseConnectionError", message: /unexpected data in answer to the TLS request/ },
  },
  {
    name: "no TLS under sslmode=require",
    query: "sslmode=require",
    script: async (c) => {
      await c.startup("N");
      await hang();
    },
    error: {
      name: "DatabaseConnectionError",
      message: /does not accept TLS connections \(sslmode=require\)/,
    },
  },
];

describe("a hostile PostgreSQL server", () => {
  for (const hostile of cases) {
    test(`${hostile.name}: ${hostile.error ? hostile.error.name : "the result"}, the connection closed, the service up`, async (t) => {
      const server = await hostilePostgres(hostile.script);
      t.after(() => server.close());
      const url = `postgres://u:p@127.0.0.1:${server.port}/db?${hostile.query ?? "sslmode=disable"}`;
      const result = await cell(url);
      if (hostile.error) {
        assert.equal(result.status, "error", JSON.stringify(result.outputs));
        assert.equal(result.error?.name, hostile.error.name, JSON.stringify(result.error));
        assert.match(result.error?.message ?? "", hostile.error.message);
        assert.doesNotMatch(JSON.stringify(result.error), /ECONN|EPIPE|ERR_|at \w+ \(|node:/);
      } else {
        assert.equal(result.status, "success", JSON.stringify(result.error));
      }
      await server.allClosed();
      await stillServes();
    });
  }

  test("an unsolicited error while a connection is idle drops it; the next cell connects afresh", async (t) => {
    const server = await hostilePostgres(async (c, index) => {
      await c.startup();
      c.handshake();
      await c.query();
      c.send(textResult([`connection ${index}`]));
      if (index === 0) setTimeout(() => c.send(pgMessages.error("shutting down", "57P01")), 20);
      await c.query();
      c.send(textResult([`connection ${index} again`]));
    });
    t.after(() => server.close());
    const url = `postgres://u:p@127.0.0.1:${server.port}/db?sslmode=disable`;
    const first = await cell(url);
    assert.deepEqual(rowsOf(first), [["connection 0"]]);
    while (server.recorded.closed < 1) await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await cell(url);
    assert.deepEqual(rowsOf(second), [["connection 1"]]);
    assert.equal(server.recorded.connections, 2);
  });

  test("an interrupt sends a CancelRequest with the backend's key; a server that ignores it loses the connection", async (t) => {
    const server = await hostilePostgres(async (c) => {
      const startup = await c.startup();
      if (startup === null) return c.destroy();
      c.handshake(31337, 24680);
      await c.query();
      await hang();
    });
    t.after(() => server.close());
    const controller = new AbortController();
    const pending = cell(
      `postgres://u:p@127.0.0.1:${server.port}/db?sslmode=disable`,
      "SELECT pg_sleep(60)",
      controller.signal,
    );
    while (server.recorded.queries.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    const result = await pending;
    assert.equal(result.error?.name, "KeyboardInterrupt");
    assert.deepEqual(server.recorded.cancels, [{ pid: 31337, key: 24680 }]);
    await server.allClosed();
  });

  test("cells reuse an idle connection to the same checked address", async (t) => {
    const server = await hostilePostgres(wellBehaved);
    t.after(() => server.close());
    const url = `postgres://u:p@127.0.0.1:${server.port}/db?sslmode=disable`;
    for (let i = 0; i < 3; i++) assert.equal((await cell(url)).status, "success");
    assert.equal(server.recorded.connections, 1);
    assert.equal(server.recorded.queries.length, 3);
  });

  test("a password request gets the connection string's password, never the server's PGPASSWORD or .pgpass", async (t) => {
    const server = await hostilePostgres(async (c) => {
      await c.startup();
      c.send(pgMessages.askCleartextPassword());
      await c.password();
      c.handshake();
      await c.query();
      c.send(textResult(["ok"]));
    });
    t.after(() => server.close());
    const dir = mkdtempSync(path.join(tmpdir(), "rn-pgpass-"));
    const passfile = path.join(dir, "pgpass");
    writeFileSync(passfile, "*:*:*:*:the-servers-pgpass-secret\n", { mode: 0o600 });
    const saved = { PGPASSWORD: process.env.PGPASSWORD, PGPASSFILE: process.env.PGPASSFILE };
    process.env.PGPASSWORD = "the-servers-own-secret";
    process.env.PGPASSFILE = passfile;
    t.after(() => {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      rmSync(dir, { recursive: true, force: true });
    });
    const result = await cell(
      `postgres://u@127.0.0.1:${server.port}/db?sslmode=disable&application_name=probe`,
    );
    assert.equal(result.status, "success", JSON.stringify(result.error));
    assert.deepEqual(server.recorded.passwords, [""]);
    assert.equal(server.recorded.startups[0]?.application_name, "probe");
    assert.equal(server.recorded.startups[0]?.statement_timeout, "1000");
  });
});

describe("TLS to a notebook's database", () => {
  let certificate: { key: string; cert: string } | null = null;
  before(() => {
    const dir = mkdtempSync(path.join(tmpdir(), "rn-tls-"));
    try {
      execFileSync(
        "openssl",
        [
          "req",
          "-x509",
          "-newkey",
          "ec",
          "-pkeyopt",
          "ec_paramgen_curve:prime256v1",
          "-nodes",
          "-days",
          "1",
          "-subj",
          "/CN=db.hostile.test",
          "-keyout",
          path.join(dir, "key.pem"),
          "-out",
          path.join(dir, "cert.pem"),
        ],
        { stdio: "ignore" },
      );
      certificate = {
        key: readFileSync(path.join(dir, "key.pem"), "utf8"),
        cert: readFileSync(path.join(dir, "cert.pem"), "utf8"),
      };
    } catch (error) {
      if (process.env.CI === "true") throw error;
    }
  });

  const tlsServer = () =>
    hostilePostgres(async (c) => {
      await c.startup("S");
      c.handshake();
      for (;;) {
        await c.query();
        c.send(textResult(["over tls"]));
      }
    }, certificate);

  test("sslmode=require encrypts; the server name sent is the host from the string, not the address connected to", async (t) => {
    if (!certificate) return t.skip("openssl is not available");
    const server = await tlsServer();
    t.after(() => server.close());
    const result = await cell(`postgres://u:p@db.hostile.test:${server.port}/db?sslmode=require`);
    assert.equal(result.status, "success", JSON.stringify(result.error));
    assert.deepEqual(server.recorded.serverNames, ["db.hostile.test"]);
  });

  test("sslmode=verify-full refuses a certificate no trusted authority signed", async (t) => {
    if (!certificate) return t.skip("openssl is not available");
    const server = await tlsServer();
    t.after(() => server.close());
    const result = await cell(`postgres://u:p@db.hostile.test:${server.port}/db?sslmode=verify-full`);
    assert.equal(result.error?.name, "DatabaseConnectionError");
    assert.match(
      result.error?.message ?? "",
      /TLS certificate that was not accepted \(DEPTH_ZERO_SELF_SIGNED_CERT\)/,
    );
    assert.equal(server.recorded.startups.length, 0, "nothing was sent over the unverified connection");
  });
});

describe("one DNS resolution per connection", () => {
  test("a name that rebinds to loopback after the check is connected to at the checked address only", async (t) => {
    const server = await hostilePostgres(wellBehaved);
    t.after(() => server.close());
    const publicOnly = testSqlEngine(noSandbox, { sqlAllowedHosts: "public", resolveHost: resolver });
    t.after(() => publicOnly.engine.close());
    publicOnly.connect("rebind", `postgres://u:p@rebind.hostile.test:${server.port}/db?connect_timeout=1`);
    const before = resolved.length;
    const result = await publicOnly.engine.runCell({
      notebookId: "rebind",
      userId: "mallory",
      code: "SELECT inet_server_addr()",
      name: null,
      kernel: async () => {
        throw new Error("no Python here");
      },
    });
    assert.equal(result.error?.name, "DatabaseConnectionError", JSON.stringify(result));
    assert.deepEqual(resolved.slice(before), ["rebind.hostile.test"], "resolved exactly once");
    assert.equal(server.recorded.connections, 0, "the loopback server was never reached");
  });

  test("the connection goes to the address the check saw (an operator-listed name)", async (t) => {
    const server = await hostilePostgres(wellBehaved);
    t.after(() => server.close());
    const answers = ["127.0.0.1", "10.255.255.1"];
    const listed = testSqlEngine(noSandbox, {
      sqlAllowedHosts: ["db.listed.test"],
      resolveHost: async () => [{ address: answers.shift() ?? "10.255.255.1", family: 4 }],
    });
    t.after(() => listed.engine.close());
    listed.connect("listed", `postgres://u:p@db.listed.test:${server.port}/db?sslmode=disable`);
    const result = await listed.engine.runCell({
      notebookId: "listed",
      userId: "alice",
      code: "SELECT 1",
      name: null,
      kernel: async () => {
        throw new Error("no Python here");
      },
    });
    assert.equal(result.status, "success", JSON.stringify(result.error));
    assert.equal(server.recorded.connections, 1);
    assert.deepEqual(answers, ["10.255.255.1"], "one resolution");
  });
});
