// SQL cells on a notebook's own PostgreSQL. Every cell parses the connection string (ours, not pg's),
// resolves the host once and holds every answer to the host policy, then connects (or reuses an idle
// connection made to that same checked address) through a WireSocket. Each pg client has an 'error'
// listener from creation to its end, so nothing a server sends can raise an unhandled 'error'; a broken
// connection is destroyed and the cell gets a clear error. A cell's time is bounded by PostgreSQL's
// statement_timeout and, should the server ignore it, by a deadline of our own; an interrupt sends a
// CancelRequest and, if the server ignores that too, drops the connection.
import pg from "pg";
import { type ConnectionTarget, parseConnectionString } from "../connection-string.js";
import {
  type CheckedAddress,
  type HostPolicy,
  type ResolveHost,
  resolveAllowedHost,
} from "../host-policy.js";
import {
  fromPostgresError,
  type RawResult,
  type RunOptions,
  SqlExecutionError,
  type SqlTarget,
  type StatementInput,
} from "../result.js";
import { NUMERIC_TYPES, parseNumeric, TEXT_TYPES, toJsonValue } from "../values.js";
import { sendCancel, WireError, WireSocket, type WireTarget } from "./wire.js";

const IDLE_MS = 60_000;
const MAX_IDLE_PER_TARGET = 2;
const MAX_IDLE = 64;
const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
/** What a server may send while connecting (authentication, parameters): far more than any real one. */
const CONNECT_BYTES = 1024 * 1024;
/** Past the statement timeout, how long a server that ignores it gets before the connection is dropped. */
const DEADLINE_GRACE_MS = 2_000;
/** After an interrupt, how long a server that ignores the cancel request gets. */
const CANCEL_GRACE_MS = 2_000;

const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (TEXT_TYPES.includes(oid)) return (text: string) => text;
    if (NUMERIC_TYPES.includes(oid)) return parseNumeric;
    return pg.types.getTypeParser(oid, format ?? "text");
  },
};

interface Connection {
  key: string;
  client: pg.Client;
  wire: WireSocket;
  backend: { processId: number; secretKey: number } | null;
  broken: boolean;
  idleTimer: NodeJS.Timeout | null;
}

export class PostgresTargets {
  readonly #idle = new Map<string, Connection[]>();
  #closed = false;

  constructor(
    private readonly policy: HostPolicy,
    private readonly resolver: ResolveHost,
  ) {}

  /** The target for one connection string; it is parsed and its host checked on every run. */
  target(connectionString: string): SqlTarget {
    return { run: (statements, options) => this.#run(connectionString, statements, options) };
  }

  async #run(
    connectionString: string,
    statements: StatementInput[],
    options: RunOptions,
  ): Promise<RawResult> {
    let target: ConnectionTarget;
    let checked: CheckedAddress;
    try {
      target = parseConnectionString(connectionString);
      checked = await resolveAllowedHost(target.host, this.policy, this.resolver);
    } catch (error) {
      // A string stored before a rule existed is refused here too, with the same sentence as at PUT.
      throw new SqlExecutionError((error as Error).message, { kind: "refused" });
    }
    const wireTarget: WireTarget = {
      ...checked,
      port: target.port,
      host: target.host,
      sslmode: target.sslmode,
    };
    const key = JSON.stringify([checked.address, connectionString, options.timeoutMs]);
    const connection = this.#takeIdle(key) ?? (await this.#connect(key, target, wireTarget, options));
    return this.#execute(connection, wireTarget, statements, options);
  }

  async #connect(
    key: string,
    target: ConnectionTarget,
    wireTarget: WireTarget,
    options: RunOptions,
  ): Promise<Connection> {
    if (options.signal?.aborted) throw new SqlExecutionError("Interrupted.", { kind: "interrupted" });
    const wire = new WireSocket(wireTarget, CONNECT_BYTES);
    const connectTimeoutMs = target.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const client = new pg.Client({
      host: target.host,
      port: target.port,
      user: target.user,
      database: target.database,
      // A function, so pg never falls back to PGPASSWORD or ~/.pgpass of the server's own user.
      password: async () => target.password,
      ssl: false, // TLS is the WireSocket's, from the parsed sslmode
      stream: () => wire,
      application_name: target.applicationName ?? "reactive-notebook",
      statement_timeout: options.timeoutMs,
      connectionTimeoutMillis: connectTimeoutMs,
      keepAlive: true,
    });
    const connection: Connection = { key, client, wire, backend: null, broken: false, idleTimer: null };
    const lost = () => {
      connection.broken = true;
      this.#forget(connection);
    };
    client.on("error", lost);
    client.on("end", lost);
    client.connection.on("backendKeyData", (message: { processID: number; secretKey: number }) => {
      connection.backend = { processId: message.processID, secretKey: message.secretKey };
    });
    const onAbort = () => wire.destroy();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      await client.connect();
    } catch (error) {
      wire.destroy();
      if (options.signal?.aborted) throw new SqlExecutionError("Interrupted.", { kind: "interrupted" });
      if (isServerError(error)) throw fromPostgresError(error, 0);
      throw new SqlExecutionError(connectionFailure(error, target, connectTimeoutMs), { kind: "connection" });
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
    }
    return connection;
  }

  async #execute(
    connection: Connection,
    wireTarget: WireTarget,
    statements: StatementInput[],
    options: RunOptions,
  ): Promise<RawResult> {
    const { client, wire } = connection;
    let stopped: SqlExecutionError | null = null;
    const stop = (error: SqlExecutionError) => {
      stopped ??= error;
      wire.destroy();
    };
    const deadline = setTimeout(
      () => stop(timeoutError(options.timeoutMs)),
      options.timeoutMs + DEADLINE_GRACE_MS,
    );
    let cancelGrace: NodeJS.Timeout | null = null;
    const onAbort = () => {
      if (connection.backend) void sendCancel(wireTarget, connection.backend, CANCEL_GRACE_MS);
      cancelGrace = setTimeout(
        () => stop(new SqlExecutionError("Interrupted.", { kind: "interrupted" })),
        CANCEL_GRACE_MS,
      );
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });
    wire.expect(options.maxResultBytes);
    try {
      let last: pg.QueryArrayResult | null = null;
      for (const [index, statement] of statements.entries()) {
        if (options.signal?.aborted) throw new SqlExecutionError("Interrupted.", { kind: "interrupted" });
        try {
          last = await client.query({
            text: statement.text,
            values: statement.params,
            rowMode: "array",
            types,
          } as pg.QueryArrayConfig);
        } catch (error) {
          if (stopped) throw stopped;
          if (options.signal?.aborted) throw new SqlExecutionError("Interrupted.", { kind: "interrupted" });
          if (error instanceof WireError) {
            throw new SqlExecutionError(error.message, {
              statementIndex: index,
              kind: error.failure === "too-large" ? "too-large" : "connection",
            });
          }
          if (!isServerError(error)) {
            connection.broken = true;
            throw new SqlExecutionError(connectionFailure(error, null, 0), {
              statementIndex: index,
              kind: "connection",
            });
          }
          const failure = fromPostgresError(error, index);
          if (failure.details.code === "57014") throw timeoutError(options.timeoutMs, failure);
          throw failure;
        }
      }
      if (stopped) throw stopped;
      return toRawResult(last, options.maxRows);
    } finally {
      clearTimeout(deadline);
      if (cancelGrace) clearTimeout(cancelGrace);
      options.signal?.removeEventListener("abort", onAbort);
      this.#release(connection, stopped === null && !options.signal?.aborted);
    }
  }

  #takeIdle(key: string): Connection | null {
    const list = this.#idle.get(key);
    let connection = list?.pop() ?? null;
    while (connection?.broken) connection = list?.pop() ?? null;
    if (list?.length === 0) this.#idle.delete(key);
    if (connection?.idleTimer) clearTimeout(connection.idleTimer);
    if (connection) connection.idleTimer = null;
    return connection;
  }

  #release(connection: Connection, reusable: boolean): void {
    const list = this.#idle.get(connection.key) ?? [];
    const idleCount = [...this.#idle.values()].reduce((sum, l) => sum + l.length, 0);
    if (
      !reusable ||
      connection.broken ||
      this.#closed ||
      list.length >= MAX_IDLE_PER_TARGET ||
      idleCount >= MAX_IDLE
    ) {
      this.#end(connection);
      return;
    }
    // An idle connection expects nothing: a server that sends anything now loses the connection.
    connection.wire.expect(0);
    connection.idleTimer = setTimeout(() => {
      this.#forget(connection);
      this.#end(connection);
    }, IDLE_MS);
    connection.idleTimer.unref();
    list.push(connection);
    this.#idle.set(connection.key, list);
  }

  #forget(connection: Connection): void {
    const list = this.#idle.get(connection.key);
    if (!list) return;
    const at = list.indexOf(connection);
    if (at >= 0) list.splice(at, 1);
    if (list.length === 0) this.#idle.delete(connection.key);
    if (connection.idleTimer) clearTimeout(connection.idleTimer);
  }

  #end(connection: Connection): void {
    connection.broken = true;
    if (connection.idleTimer) clearTimeout(connection.idleTimer);
    void connection.client.end().catch(() => {});
    // end() waits for the server to close; a hostile one might not.
    setTimeout(() => connection.wire.destroy(), 1_000).unref();
  }

  async close(): Promise<void> {
    this.#closed = true;
    const all = [...this.#idle.values()].flat();
    this.#idle.clear();
    for (const connection of all) this.#end(connection);
  }
}

function timeoutError(timeoutMs: number, cause?: SqlExecutionError): SqlExecutionError {
  return new SqlExecutionError(`The statement ran longer than ${timeoutMs} ms and was stopped.`, {
    ...cause?.details,
    kind: "timeout",
  });
}

/** An ErrorResponse from the server (it carries a SQLSTATE), as opposed to a failure of the connection. */
function isServerError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && !(error instanceof WireError);
}

const NETWORK: Record<string, string> = {
  ECONNREFUSED: "refused the connection",
  ECONNRESET: "closed the connection",
  EPIPE: "closed the connection",
  ETIMEDOUT: "did not answer in time",
  EHOSTUNREACH: "could not be reached",
  ENETUNREACH: "could not be reached",
  ENETDOWN: "could not be reached",
  EHOSTDOWN: "could not be reached",
};

/**
 * The sentence a cell shows for a failed connection: what happened, never the driver's or the operating
 * system's raw text (which can describe the server's own files or network).
 */
function connectionFailure(
  error: unknown,
  target: ConnectionTarget | null,
  connectTimeoutMs: number,
): string {
  const where = target ? `The database server at ${target.host}:${target.port}` : "The database server";
  if (error instanceof WireError) return error.message;
  const e = error as { code?: string; message?: string };
  const code = typeof e?.code === "string" ? e.code : "";
  if (NETWORK[code]) return `${where} ${NETWORK[code]}.`;
  if (e?.message === "timeout expired" || e?.message === "Connection terminated due to connection timeout") {
    return `${where} did not complete the connection within ${connectTimeoutMs / 1000} s.`;
  }
  if (/^(ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_SSL_)/.test(code)) {
    return `${where} presented a TLS certificate that was not accepted (${code}).`;
  }
  if (/^Connection terminated/.test(e?.message ?? "")) return `${where} closed the connection.`;
  if (/^Received unexpected \w+ message from backend\.$/.test(e?.message ?? "")) {
    return `${where} sent a message out of order; the connection was closed.`;
  }
  return `The connection to ${target ? `${target.host}:${target.port}` : "the database server"} failed.`;
}

function toRawResult(result: pg.QueryArrayResult | null, maxRows: number): RawResult {
  if (!result) return { command: "", columns: [], rows: [], rowCount: null };
  const rows = result.rows.slice(0, maxRows).map((row) => row.map(toJsonValue));
  const hasRows = result.fields.length > 0;
  return {
    command: result.command ?? "",
    columns: result.fields.map((field) => ({ name: field.name, typeOid: field.dataTypeID })),
    rows,
    rowCount: hasRows ? result.rows.length : (result.rowCount ?? null),
  };
}
