// Reads a notebook's connection string ourselves, field by field, instead of handing it to a driver:
// `postgres://user:password@host:port/database?param=value`, with only the query parameters on the
// allow-list below. Anything else — TLS file paths (sslcert, sslkey, sslrootcert…), a second host, a Unix
// socket, `options`, `passfile`, `service` — is a 422 invalid_connection naming the parameter, so nothing a
// user writes can make the server open a file or connect somewhere the host policy did not check.
import { isIP } from "node:net";
import { invalidConnection } from "../http/index.js";

/** libpq's TLS modes we support; `allow` (plaintext first) is not offered. */
export const SSL_MODES = ["disable", "prefer", "require", "verify-ca", "verify-full"] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** What a notebook's connection string says, checked; the only input to a connection. */
export interface ConnectionTarget {
  /** A DNS name or an IP literal (brackets removed); never a socket path or a list. */
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  sslmode: SslMode;
  applicationName: string | null;
  connectTimeoutMs: number | null;
}

/** What the API shows of a connection (never the password). */
export interface ConnectionInfo {
  host: string;
  port: number;
  database: string;
  user: string;
}

const PARAMETERS = ["sslmode", "application_name", "connect_timeout"] as const;
const FIELD = "/connectionString";
const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\.?$/;
/** Printable characters; PostgreSQL's startup packet is NUL-terminated and its logs are line-based. */
const PRINTABLE = /^[^\p{Cc}]*$/u;

function refuse(message: string, details: Record<string, unknown> = {}): never {
  throw invalidConnection(message, { field: FIELD, ...details });
}

function decode(part: string, what: string): string {
  let value: string;
  try {
    value = decodeURIComponent(part);
  } catch {
    refuse(`The ${what} in the connection string has a malformed %-escape.`);
  }
  if (!PRINTABLE.test(value)) refuse(`The ${what} in the connection string has control characters.`);
  return value;
}

function parameter(name: (typeof PARAMETERS)[number], value: string): Partial<ConnectionTarget> {
  switch (name) {
    case "sslmode":
      if (!(SSL_MODES as readonly string[]).includes(value)) {
        refuse(`sslmode must be one of ${SSL_MODES.join(", ")} (got "${value}").`, { parameter: name });
      }
      return { sslmode: value as SslMode };
    case "application_name":
      if (value.length > 63 || !/^[\x20-\x7e]*$/.test(value)) {
        refuse("application_name must be at most 63 printable ASCII characters.", { parameter: name });
      }
      return { applicationName: value };
    case "connect_timeout": {
      const seconds = /^\d{1,3}$/.test(value) ? Number(value) : Number.NaN;
      if (!(seconds >= 1 && seconds <= 60)) {
        refuse("connect_timeout must be a whole number of seconds from 1 to 60.", { parameter: name });
      }
      return { connectTimeoutMs: seconds * 1000 };
    }
  }
}

/** Parses and checks a connection string; a 422 invalid_connection saying what is wrong. */
export function parseConnectionString(value: string): ConnectionTarget {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    refuse("The connection string is not a URL like postgres://user:password@host:5432/database.");
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    refuse(`The connection string must start with postgres:// (got ${url.protocol}//).`);
  }
  if (url.hash) refuse("The connection string must not have a #fragment.");
  const bracketed = url.hostname.startsWith("[") && url.hostname.endsWith("]");
  const host = bracketed ? url.hostname.slice(1, -1) : url.hostname;
  if (!host) refuse("The connection string has no host.");
  if (bracketed ? isIP(host) !== 6 : isIP(host) !== 4 && !HOST_NAME.test(host)) {
    refuse(`The host "${host}" is not a host name or an IP address (one host; no socket paths).`, { host });
  }
  const port = url.port ? Number(url.port) : 5432;
  if (!Number.isInteger(port) || port < 1 || port > 65535) refuse("The port must be from 1 to 65535.");
  const database = decode(url.pathname.replace(/^\//, ""), "database name");
  const user = decode(url.username, "user name");
  if (!database) refuse("The connection string names no database.");
  if (!user) refuse("The connection string names no user.");
  const target: ConnectionTarget = {
    host,
    port,
    database,
    user,
    password: decode(url.password, "password"),
    sslmode: "prefer",
    applicationName: null,
    connectTimeoutMs: null,
  };
  const seen = new Set<string>();
  for (const [name, raw] of url.searchParams) {
    if (!(PARAMETERS as readonly string[]).includes(name)) {
      refuse(
        `The connection string parameter "${name}" is not allowed; allowed: ${PARAMETERS.join(", ")}. TLS certificates and keys come from the server's configuration only.`,
        { parameter: name },
      );
    }
    if (seen.has(name)) refuse(`The parameter "${name}" is given twice.`, { parameter: name });
    seen.add(name);
    Object.assign(target, parameter(name as (typeof PARAMETERS)[number], raw));
  }
  return target;
}

/** The parts the API may show. */
export function connectionInfo(target: ConnectionTarget): ConnectionInfo {
  return { host: target.host, port: target.port, database: target.database, user: target.user };
}
