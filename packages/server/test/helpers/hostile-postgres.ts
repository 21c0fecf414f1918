// A scripted PostgreSQL server on loopback for hostile tests: each connection is handed to a script that
// speaks (or mangles) the wire protocol — well-formed messages from the encoders below, or any bytes at all.
// It records what clients sent: startup parameters, passwords, queries, cancel requests, TLS server names.
import net from "node:net";
import type { Duplex } from "node:stream";
import tls from "node:tls";

/** Reads exact byte counts from a stream, whatever chunks they arrive in. */
class Reader {
  #buffered = Buffer.alloc(0);
  #want: { bytes: number; resolve: (b: Buffer) => void; reject: (e: Error) => void } | null = null;
  #ended = false;

  constructor(stream: Duplex) {
    const onData = (chunk: Buffer) => {
      this.#buffered = Buffer.concat([this.#buffered, chunk]);
      this.#pump();
    };
    stream.on("data", onData);
    stream.on("close", () => {
      this.#ended = true;
      this.#pump();
    });
    this.detach = () => stream.off("data", onData);
  }

  detach: () => void;

  read(bytes: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.#want = { bytes, resolve, reject };
      this.#pump();
    });
  }

  #pump(): void {
    const want = this.#want;
    if (!want) return;
    if (this.#buffered.length >= want.bytes) {
      this.#want = null;
      const out = this.#buffered.subarray(0, want.bytes);
      this.#buffered = this.#buffered.subarray(want.bytes);
      want.resolve(out);
    } else if (this.#ended) {
      this.#want = null;
      want.reject(new Error("the client closed the connection"));
    }
  }
}

export const message = (type: string, ...parts: Buffer[]): Buffer => {
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(5);
  header.write(type, 0, "latin1");
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
};
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const int16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
};
const cstring = (s: string) => Buffer.from(`${s}\0`);

/** Backend messages, well-formed. */
export const pgMessages = {
  authOk: () => message("R", int32(0)),
  askCleartextPassword: () => message("R", int32(3)),
  parameterStatus: (name: string, value: string) => message("S", cstring(name), cstring(value)),
  backendKeyData: (pid: number, key: number) => message("K", int32(pid), int32(key)),
  ready: (status = "I") => message("Z", Buffer.from(status)),
  rowDescription: (names: string[]) =>
    message(
      "T",
      int16(names.length),
      ...names.map((name) =>
        Buffer.concat([cstring(name), int32(0), int16(0), int32(25), int16(-1), int32(-1), int16(0)]),
      ),
    ),
  dataRow: (values: (string | null)[]) =>
    message(
      "D",
      int16(values.length),
      ...values.map((v) =>
        v === null ? int32(-1) : Buffer.concat([int32(Buffer.byteLength(v)), Buffer.from(v)]),
      ),
    ),
  commandComplete: (tag: string) => message("C", cstring(tag)),
  error: (text: string, code = "XX000") =>
    message(
      "E",
      Buffer.from("SERROR\0"),
      Buffer.from(`C${code}\0`),
      Buffer.from(`M${text}\0`),
      Buffer.from([0]),
    ),
  notice: (text: string) =>
    message("N", Buffer.from("SNOTICE\0"), Buffer.from(`M${text}\0`), Buffer.from([0])),
};

/** A result with one text column named `?column?` and these rows, then ReadyForQuery. */
export function textResult(rows: string[]): Buffer {
  return Buffer.concat([
    pgMessages.rowDescription(["?column?"]),
    ...rows.map((row) => pgMessages.dataRow([row])),
    pgMessages.commandComplete(`SELECT ${rows.length}`),
    pgMessages.ready(),
  ]);
}

export interface Recorded {
  connections: number;
  closed: number;
  startups: Record<string, string>[];
  passwords: string[];
  queries: string[];
  cancels: { pid: number; key: number }[];
  serverNames: (string | false)[];
}

/** One client connection as a script sees it. */
export class ScriptedConnection {
  stream: Duplex;
  #reader: Reader;

  constructor(
    readonly socket: net.Socket,
    private readonly recorded: Recorded,
    private readonly tlsOptions: { key: string; cert: string } | null,
  ) {
    this.stream = socket;
    this.#reader = new Reader(socket);
  }

  send(...buffers: Buffer[]): void {
    if (!this.stream.destroyed) this.stream.write(Buffer.concat(buffers));
  }

  /**
   * Reads the startup (answering a TLS request with `tls`: "S" upgrades with the test certificate, "N"
   * refuses, or any bytes given) and returns the startup parameters; a CancelRequest is recorded and null.
   */
  async startup(tlsAnswer: "S" | "N" | Buffer = "N"): Promise<Record<string, string> | null> {
    for (;;) {
      const length = (await this.#reader.read(4)).readInt32BE();
      const body = await this.#reader.read(length - 4);
      const code = body.readInt32BE(0);
      if (code === 80877103) {
        if (tlsAnswer === "S" && this.tlsOptions) {
          this.socket.write("S");
          this.#reader.detach();
          const secure = new tls.TLSSocket(this.socket, { isServer: true, ...this.tlsOptions });
          await new Promise<void>((resolve, reject) => {
            secure.once("secure", () => resolve());
            secure.once("error", reject);
          });
          this.recorded.serverNames.push(
            (secure as { servername?: string | false | null }).servername ?? false,
          );
          this.stream = secure;
          this.#reader = new Reader(secure);
          continue;
        }
        this.socket.write(tlsAnswer === "S" ? "N" : tlsAnswer);
        if (tlsAnswer === "N") continue;
        return null; // a mangled answer: the client gives up
      }
      if (code === 80877102) {
        this.recorded.cancels.push({ pid: body.readInt32BE(4), key: body.readInt32BE(8) });
        return null;
      }
      const parts = body.subarray(4).toString("utf8").split("\0");
      const params: Record<string, string> = {};
      for (let i = 0; i + 1 < parts.length; i += 2)
        if (parts[i]) params[parts[i] as string] = parts[i + 1] as string;
      this.recorded.startups.push(params);
      return params;
    }
  }

  /** Authentication OK, a few parameters, backend key (pid, key), ReadyForQuery. */
  handshake(pid = 4242, key = 777): void {
    this.send(
      pgMessages.authOk(),
      pgMessages.parameterStatus("server_version", "16.0"),
      pgMessages.parameterStatus("client_encoding", "UTF8"),
      pgMessages.backendKeyData(pid, key),
      pgMessages.ready(),
    );
  }

  /** Reads one client message: its type and body. */
  async next(): Promise<{ type: string; body: Buffer }> {
    const header = await this.#reader.read(5);
    const body = await this.#reader.read(header.readInt32BE(1) - 4);
    return { type: header.toString("latin1", 0, 1), body };
  }

  /** Reads client messages up to a simple Query or a Sync; returns the query text. */
  async query(): Promise<string> {
    let text = "";
    for (;;) {
      const { type, body } = await this.next();
      if (type === "X") throw new Error("the client ended the session");
      if (type === "p") this.recorded.passwords.push(body.toString("utf8").replace(/\0$/, ""));
      if (type === "Q") text = body.toString("utf8").replace(/\0$/, "");
      if (type === "P") text = body.toString("utf8").split("\0")[1] ?? "";
      if (type === "Q" || type === "S") {
        this.recorded.queries.push(text);
        return text;
      }
    }
  }

  /** Reads the password message the client sends after being asked for it. */
  async password(): Promise<string> {
    const { type, body } = await this.next();
    const password = type === "p" ? body.toString("utf8").replace(/\0$/, "") : `(got ${type})`;
    this.recorded.passwords.push(password);
    return password;
  }

  end(): void {
    this.stream.end();
  }

  destroy(): void {
    this.stream.destroy();
    this.socket.destroy();
  }
}

export type Script = (connection: ScriptedConnection, index: number) => Promise<void> | void;

export interface HostileServer {
  port: number;
  recorded: Recorded;
  /** Waits until every connection the server accepted has been closed (by the client or the script). */
  allClosed(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the server; connection number `index` (from 0) runs `script(connection, index)`. */
export async function hostilePostgres(
  script: Script,
  tlsOptions: { key: string; cert: string } | null = null,
): Promise<HostileServer> {
  const recorded: Recorded = {
    connections: 0,
    closed: 0,
    startups: [],
    passwords: [],
    queries: [],
    cancels: [],
    serverNames: [],
  };
  const sockets = new Set<net.Socket>();
  let onClosed: () => void = () => {};
  const server = net.createServer((socket) => {
    const index = recorded.connections++;
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => {
      recorded.closed++;
      sockets.delete(socket);
      onClosed();
    });
    Promise.resolve()
      .then(() => script(new ScriptedConnection(socket, recorded, tlsOptions), index))
      .catch(() => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    recorded,
    allClosed: () =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (recorded.closed === recorded.connections) resolve();
        };
        onClosed = check;
        check();
      }),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
