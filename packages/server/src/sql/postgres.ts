// SQL cells on a notebook's own PostgreSQL: a small pool per connection string (kept while in use, closed
// when idle), PostgreSQL's statement_timeout, and the host policy checked again at connect time against
// the resolved address, which the pool then connects to (so a DNS answer cannot change between the check
// and the connection).
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import pg from "pg";
import { parse } from "pg-connection-string";
import type { Config } from "../config/index.js";
import { checkHostPolicy, parseConnectionString } from "./connection.js";
import {
  fromPostgresError,
  type RawResult,
  type RunOptions,
  SqlExecutionError,
  type SqlTarget,
  type StatementInput,
} from "./result.js";
import { NUMERIC_TYPES, parseNumeric, TEXT_TYPES, toJsonValue } from "./values.js";

const POOL_MAX_CONNECTIONS = 3;
const POOL_IDLE_MS = 60_000;
const MAX_POOLS = 64;
const CONNECT_TIMEOUT_MS = 5_000;

const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (TEXT_TYPES.includes(oid)) return (text: string) => text;
    if (NUMERIC_TYPES.includes(oid)) return parseNumeric;
    return pg.types.getTypeParser(oid, format ?? "text");
  },
};

interface PoolEntry {
  pool: pg.Pool;
  config: pg.PoolConfig;
  lastUsed: number;
}

export class PostgresTargets {
  readonly #pools = new Map<string, PoolEntry>();
  readonly #sweeper: NodeJS.Timeout;

  constructor(private readonly policy: Config["sqlAllowedHosts"]) {
    this.#sweeper = setInterval(() => this.#sweep(), POOL_IDLE_MS);
    this.#sweeper.unref();
  }

  /** The target for one connection string; the policy is checked (again) when it connects. */
  target(connectionString: string): SqlTarget {
    return { run: (statements, options) => this.#run(connectionString, statements, options) };
  }

  async #pool(connectionString: string, timeoutMs: number): Promise<PoolEntry> {
    const info = parseConnectionString(connectionString);
    await checkHostPolicy(info.host, this.policy).catch((error: Error) => {
      throw new SqlExecutionError(error.message, { kind: "refused" });
    });
    const address = await this.#pinnedAddress(info.host);
    const key = `${address}\u0000${timeoutMs}\u0000${connectionString}`;
    let entry = this.#pools.get(key);
    if (!entry) {
      const parsed = parse(connectionString) as pg.PoolConfig & { ssl?: unknown };
      const config: pg.PoolConfig = {
        ...(parsed as pg.PoolConfig),
        port: Number(parsed.port ?? info.port),
        host: address,
        max: POOL_MAX_CONNECTIONS,
        idleTimeoutMillis: POOL_IDLE_MS,
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
        statement_timeout: timeoutMs,
        query_timeout: timeoutMs + 5_000,
        application_name: "reactive-notebook",
      };
      // Connecting to the checked address keeps TLS checking the name the user gave.
      if (parsed.ssl && typeof parsed.ssl === "object" && address !== info.host) {
        config.ssl = { ...(parsed.ssl as object), servername: info.host };
      }
      const pool = new pg.Pool(config);
      pool.on("error", () => {}); // an idle client's connection dropped: the pool replaces it
      entry = { pool, config, lastUsed: Date.now() };
      this.#pools.set(key, entry);
      this.#evictOldest();
    }
    entry.lastUsed = Date.now();
    return entry;
  }

  /** Under the "public" policy the connection goes to the address that was checked; otherwise as given. */
  async #pinnedAddress(host: string): Promise<string> {
    if (this.policy !== "public" || isIP(host)) return host;
    return (await lookup(host)).address;
  }

  async #run(
    connectionString: string,
    statements: StatementInput[],
    options: RunOptions,
  ): Promise<RawResult> {
    const entry = await this.#pool(connectionString, options.timeoutMs);
    let client: pg.PoolClient;
    try {
      client = await entry.pool.connect();
    } catch (error) {
      const e = error as Error;
      throw new SqlExecutionError(`Could not connect to the notebook's database: ${e.message}`, {
        kind: "connection",
      });
    }
    const onAbort = () => void cancelBackend(entry.config, client);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    let broken = false;
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
          if (options.signal?.aborted) throw new SqlExecutionError("Interrupted.", { kind: "interrupted" });
          const failure = fromPostgresError(error, index);
          if (failure.details.code === "57014") {
            throw new SqlExecutionError(
              `The statement ran longer than ${options.timeoutMs} ms and was stopped.`,
              {
                ...failure.details,
                kind: "timeout",
              },
            );
          }
          broken = failure.details.kind === "connection";
          throw failure;
        }
      }
      return toRawResult(last, options.maxRows);
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
      client.release(broken);
    }
  }

  #evictOldest(): void {
    while (this.#pools.size > MAX_POOLS) {
      const [oldest] = [...this.#pools.entries()].sort((a, b) => a[1].lastUsed - b[1].lastUsed);
      if (!oldest) return;
      this.#pools.delete(oldest[0]);
      void oldest[1].pool.end().catch(() => {});
    }
  }

  #sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.#pools) {
      if (now - entry.lastUsed > POOL_IDLE_MS && entry.pool.totalCount === entry.pool.idleCount) {
        this.#pools.delete(key);
        void entry.pool.end().catch(() => {});
      }
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((entry) => entry.pool.end().catch(() => {})));
  }
}

/** Asks PostgreSQL to cancel what `client` is running (an interrupt), over a connection of its own. */
async function cancelBackend(config: pg.PoolConfig, client: pg.PoolClient): Promise<void> {
  const pid = (client as unknown as { processID?: number }).processID;
  if (!pid) return;
  const canceller = new pg.Client({ ...config, statement_timeout: 5_000 });
  try {
    await canceller.connect();
    await canceller.query("SELECT pg_cancel_backend($1)", [pid]);
  } catch {
    // the statement timeout still bounds the query
  } finally {
    await canceller.end().catch(() => {});
  }
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
