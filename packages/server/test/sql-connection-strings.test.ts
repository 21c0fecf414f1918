// Connection strings and the host policy as tables: what a string may say (fields read by us, parameters
// on an allow-list, no TLS files, one host), which addresses count as public (IPv4, IPv6 and every IPv6
// form that carries an IPv4 address), and one resolution whose every answer is checked.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { ApiError } from "../src/http/index.js";
import {
  checkConnectionString,
  nonPublicReason,
  parseConnectionString,
  type ResolveHost,
  resolveAllowedHost,
} from "../src/sql/index.js";

describe("a connection string is read field by field", () => {
  const accepted: [string, Partial<ReturnType<typeof parseConnectionString>>][] = [
    [
      "postgres://analyst:s3cr%40t@db.example.com:6543/sales",
      {
        host: "db.example.com",
        port: 6543,
        user: "analyst",
        password: "s3cr@t",
        database: "sales",
        sslmode: "prefer",
      },
    ],
    ["postgresql://u@db.example.com/d", { port: 5432, password: "", sslmode: "prefer" }],
    ["postgres://u@[2001:db8::1]/d", { host: "2001:db8::1" }],
    ["postgres://u@93.184.216.34/d?sslmode=verify-full", { host: "93.184.216.34", sslmode: "verify-full" }],
    [
      "postgres://u@h/d?sslmode=disable&application_name=my%20report",
      { sslmode: "disable", applicationName: "my report" },
    ],
    ["postgres://u@h/d?connect_timeout=10", { connectTimeoutMs: 10_000 }],
    ["postgres://u@h/my%2Fdb", { database: "my/db" }],
  ];
  for (const [value, expected] of accepted) {
    test(`${value} is read as ${JSON.stringify(expected)}`, () => {
      const target = parseConnectionString(value);
      for (const [key, want] of Object.entries(expected)) {
        assert.deepEqual(target[key as keyof typeof target], want, key);
      }
    });
  }

  const refused: [string, string, RegExp, string?][] = [
    ["not a URL", "host=db user=x", /not a URL/],
    ["another scheme", "mysql://u@h/d", /must start with postgres:\/\//],
    ["no host", "postgres://u@/d", /not a URL|no host/],
    ["no user", "postgres://h/d", /names no user/],
    ["no database", "postgres://u@h", /names no database/],
    [
      "a TLS certificate file",
      "postgres://u@h/d?sslcert=/etc/ssl/cert.pem",
      /"sslcert" is not allowed/,
      "sslcert",
    ],
    ["a TLS key file", "postgres://u@h/d?sslkey=/dev/zero", /"sslkey" is not allowed/, "sslkey"],
    [
      "a TLS root certificate file",
      "postgres://u@h/d?sslrootcert=/etc/shadow",
      /"sslrootcert" is not allowed/,
      "sslrootcert",
    ],
    ["a CRL file", "postgres://u@h/d?sslcrl=/etc/passwd", /"sslcrl" is not allowed/, "sslcrl"],
    ["a TLS key password", "postgres://u@h/d?sslpassword=x", /"sslpassword" is not allowed/, "sslpassword"],
    ["a second host as a parameter", "postgres://u@h/d?host=127.0.0.1", /"host" is not allowed/, "host"],
    [
      "a host address as a parameter",
      "postgres://u@h/d?hostaddr=10.0.0.1",
      /"hostaddr" is not allowed/,
      "hostaddr",
    ],
    ["a password file", "postgres://u@h/d?passfile=/root/.pgpass", /"passfile" is not allowed/, "passfile"],
    ["a service file entry", "postgres://u@h/d?service=prod", /"service" is not allowed/, "service"],
    [
      "server options",
      "postgres://u@h/d?options=-c%20search_path%3Devil",
      /"options" is not allowed/,
      "options",
    ],
    ["replication", "postgres://u@h/d?replication=database", /"replication" is not allowed/, "replication"],
    ["an sslmode outside the set", "postgres://u@h/d?sslmode=allow", /sslmode must be one of/, "sslmode"],
    ["a parameter given twice", "postgres://u@h/d?sslmode=require&sslmode=disable", /given twice/, "sslmode"],
    [
      "a connect_timeout that is not seconds",
      "postgres://u@h/d?connect_timeout=0",
      /connect_timeout/,
      "connect_timeout",
    ],
    [
      "an application_name with control characters",
      "postgres://u@h/d?application_name=a%0Ab",
      /application_name/,
      "application_name",
    ],
    ["a Unix socket path as the host", "postgres://u@%2Ftmp%2F.s.PGSQL.5432/d", /not a host name/],
    ["two hosts", "postgres://u@h1:5432,h2:5432/d", /./],
    ["an IPv6 zone", "postgres://u@[fe80::1%25eth0]/d", /./],
    ["a port out of range", "postgres://u@h:0/d", /./],
    ["a NUL in the user", "postgres://u%00x@h/d", /control characters/],
    ["a malformed escape", "postgres://u%zz@h/d", /malformed %-escape/],
    ["a fragment", "postgres://u@h/d#x", /fragment/],
  ];
  for (const [name, value, message, parameter] of refused) {
    test(`refused with invalid_connection: ${name}`, () => {
      assert.throws(
        () => parseConnectionString(value),
        (error: unknown) => {
          assert.ok(error instanceof ApiError, String(error));
          assert.equal(error.code, "invalid_connection");
          assert.equal(error.status, 422);
          assert.match(error.message, message);
          const details = error.details as { field?: string; parameter?: string };
          assert.equal(details.field, "/connectionString");
          if (parameter) assert.equal(details.parameter, parameter);
          return true;
        },
      );
    });
  }

  test("a TLS file parameter pointing at a FIFO is refused at once: nothing reads it", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "rn-fifo-"));
    try {
      const fifo = path.join(dir, "fifo");
      execFileSync("mkfifo", [fifo]);
      for (const name of ["sslcert", "sslkey", "sslrootcert"]) {
        assert.throws(
          () => parseConnectionString(`postgres://u@h/d?${name}=${fifo}`),
          new RegExp(`"${name}" is not allowed`),
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("which addresses are public", () => {
  const table: [string, RegExp | null][] = [
    ["93.184.216.34", null],
    ["8.8.8.8", null],
    ["2606:2800:220:1:248:1893:25c8:1946", null],
    ["::ffff:93.184.216.34", null],
    ["64:ff9b::808:808", null],
    ["2002:5db8:d822::1", null],
    ["0.0.0.0", /this network/],
    ["10.1.2.3", /private/],
    ["100.64.0.1", /carrier-grade NAT/],
    ["100.100.100.200", /metadata/],
    ["127.0.0.1", /loopback/],
    ["127.255.255.254", /loopback/],
    ["169.254.169.254", /metadata/],
    ["169.254.1.1", /link-local/],
    ["172.16.0.1", /private/],
    ["172.31.255.255", /private/],
    ["192.0.0.192", /metadata/],
    ["192.0.2.1", /documentation/],
    ["192.88.99.1", /6to4 relay/],
    ["192.168.1.1", /private/],
    ["198.18.0.1", /benchmarking/],
    ["198.51.100.7", /documentation/],
    ["203.0.113.9", /documentation/],
    ["224.0.0.1", /multicast/],
    ["255.255.255.255", /reserved or broadcast/],
    ["::", /unspecified/],
    ["::1", /loopback/],
    ["::ffff:127.0.0.1", /loopback.*127\.0\.0\.1 inside an IPv6 address/],
    ["::ffff:7f00:1", /loopback/],
    ["::ffff:169.254.169.254", /metadata/],
    ["::ffff:0:10.0.0.1", /private/],
    ["::127.0.0.1", /IPv4-compatible/],
    ["::8.8.8.8", /IPv4-compatible/],
    ["64:ff9b::7f00:1", /loopback/],
    ["64:ff9b::a9fe:a9fe", /metadata/],
    ["64:ff9b:1::1", /local-use NAT64/],
    ["2002:7f00:1::1", /loopback/],
    ["2002:c0a8:101::1", /private/],
    ["2001:0:4136:e378:8000:63bf:80ff:fffe", /loopback.*127\.0\.0\.1/],
    ["2001:0:a00:1::5db8:d822", /private.*10\.0\.0\.1/],
    ["2001:db8::1", /documentation/],
    ["3fff::1", /documentation/],
    ["100::1", /discard-only/],
    ["fc00::1", /unique-local/],
    ["fd00:ec2::254", /unique-local/],
    ["fe80::1", /link-local/],
    ["fec0::1", /site-local/],
    ["ff02::1", /multicast/],
    ["4000::1", /unassigned/],
    ["not-an-ip", /not a plain IP address/],
  ];
  for (const [address, reason] of table) {
    test(`${address} is ${reason ? `refused (${reason.source})` : "public"}`, () => {
      const got = nonPublicReason(address);
      if (reason === null) assert.equal(got, null);
      else assert.match(got ?? "(public)", reason);
    });
  }
});

describe("one resolution, every answer checked", () => {
  const answers =
    (list: string[]): ResolveHost =>
    async () =>
      list.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

  test("under 'public' a name is refused if any of its addresses is not public", async () => {
    await assert.rejects(
      resolveAllowedHost("db.example.test", "public", answers(["93.184.216.34", "127.0.0.1"])),
      /resolves to 127\.0\.0\.1, a loopback address; notebooks may only connect to public hosts/,
    );
    await assert.rejects(
      resolveAllowedHost("db.example.test", "public", answers(["2606:4700::1", "::ffff:10.0.0.5"])),
      /private/,
    );
  });

  test("the address connected to is the first answer of the one resolution that was checked", async () => {
    let calls = 0;
    const rebinding: ResolveHost = async () => {
      calls++;
      return [{ address: calls === 1 ? "93.184.216.34" : "127.0.0.1", family: 4 }];
    };
    const checked = await resolveAllowedHost("rebind.example.test", "public", rebinding);
    assert.deepEqual(checked, { address: "93.184.216.34", family: 4 });
    assert.equal(calls, 1);
  });

  test("IP literals are checked as they are, without a resolver", async () => {
    const never: ResolveHost = async () => assert.fail("resolved an IP literal");
    await assert.rejects(resolveAllowedHost("::ffff:127.0.0.1", "public", never), /loopback/);
    assert.deepEqual(await resolveAllowedHost("93.184.216.34", "public", never), {
      address: "93.184.216.34",
      family: 4,
    });
  });

  test("a name that does not resolve is refused with a sentence, not the resolver's error text", async () => {
    const failing: ResolveHost = async () => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND nowhere.test"), { code: "ENOTFOUND" });
    };
    await assert.rejects(
      resolveAllowedHost("nowhere.test", "public", failing),
      /^HostRefused: Host nowhere.test could not be resolved\.$/,
    );
  });

  test("a listed name is the only name allowed, whatever it resolves to", async () => {
    const loopback = answers(["127.0.0.1"]);
    assert.deepEqual(await resolveAllowedHost("DB.internal.", ["db.internal"], loopback), {
      address: "127.0.0.1",
      family: 4,
    });
    await assert.rejects(
      resolveAllowedHost("other.internal", ["db.internal"], loopback),
      /not in SQL_ALLOWED_HOSTS/,
    );
  });

  test("at PUT, a refused host is a 422 invalid_connection naming it", async () => {
    await assert.rejects(
      checkConnectionString("postgres://u@db.example.test/d", "public", answers(["169.254.169.254"])),
      (error: unknown) => {
        assert.ok(error instanceof ApiError);
        assert.equal(error.code, "invalid_connection");
        assert.deepEqual(error.details, { field: "/connectionString", host: "db.example.test" });
        assert.match(error.message, /cloud metadata address/);
        return true;
      },
    );
    assert.deepEqual(
      await checkConnectionString(
        "postgres://u:p@db.example.test:6000/d",
        "public",
        answers(["93.184.216.34"]),
      ),
      {
        host: "db.example.test",
        port: 6000,
        database: "d",
        user: "u",
      },
    );
  });
});
