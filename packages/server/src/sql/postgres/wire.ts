// The socket node-postgres talks through to a notebook's database. It connects only to the address the
// host policy checked (pg's own host argument is ignored), negotiates TLS itself from the parsed sslmode
// (server name = the host the user wrote; no certificate or key files from the user), caps the bytes a
// server may send, and hands every chunk to pg inside a try/catch: a malformed message that makes pg's
// parser throw destroys this connection instead of the process.
import net from "node:net";
import { Duplex } from "node:stream";
import tls from "node:tls";
import type { SslMode } from "../connection-string.js";

/** Where and how to connect: the checked address, and the name TLS verifies. */
export interface WireTarget {
  address: string;
  family: 4 | 6;
  port: number;
  /** The host as the user wrote it: TLS server name and certificate check. */
  host: string;
  sslmode: SslMode;
}

export type WireFailure = "tls" | "protocol" | "too-large";

/** A failure of the connection itself, with a sentence for the user. */
export class WireError extends Error {
  constructor(
    message: string,
    readonly failure: WireFailure,
  ) {
    super(message);
    this.name = "WireError";
  }
}

/** PostgreSQL's SSLRequest: length 8, code 80877103. */
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

export class WireSocket extends Duplex {
  #raw: net.Socket | null = null;
  #stream: net.Socket | tls.TLSSocket | null = null;
  #received = 0;
  #limit: number;

  constructor(
    readonly target: WireTarget,
    inboundLimit: number,
  ) {
    super({ allowHalfOpen: false });
    this.#limit = inboundLimit;
  }

  /** From now on the server may send `bytes` more; one byte past that closes the connection. */
  expect(bytes: number): void {
    this.#limit = this.#received + bytes;
  }

  /** pg calls connect(port, host); both are ignored — this socket connects only to the checked address. */
  connect(): this {
    if (this.#raw || this.destroyed) return this;
    const { address, port, family } = this.target;
    const raw = net.connect({ host: address, port, family, noDelay: true });
    this.#raw = raw;
    raw.on("error", (error) => this.destroy(error));
    raw.on("close", () => this.destroy());
    raw.once("connect", () => this.#negotiate(raw));
    return this;
  }

  #negotiate(raw: net.Socket): void {
    const { sslmode } = this.target;
    if (sslmode === "disable") {
      this.#ready(raw);
      return;
    }
    raw.write(SSL_REQUEST);
    raw.once("data", (answer: Buffer) => {
      // Bytes after the one-byte answer would be read as if they came through TLS (CVE-2021-23222).
      if (answer.length !== 1) {
        return this.destroy(
          new WireError("The database server sent unexpected data in answer to the TLS request.", "protocol"),
        );
      }
      if (answer[0] === 0x53) return this.#startTls(raw);
      if (answer[0] === 0x4e && sslmode === "prefer") return this.#ready(raw);
      if (answer[0] === 0x4e) {
        return this.destroy(
          new WireError(`The database server does not accept TLS connections (sslmode=${sslmode}).`, "tls"),
        );
      }
      this.destroy(new WireError("The database server did not answer the TLS request properly.", "protocol"));
    });
  }

  #startTls(raw: net.Socket): void {
    const { host, sslmode } = this.target;
    const secure = tls.connect({
      socket: raw,
      // SNI must not be an IP address (RFC 6066); the certificate is then checked against the IP.
      servername: net.isIP(host) ? undefined : host,
      host,
      rejectUnauthorized: sslmode === "verify-ca" || sslmode === "verify-full",
      checkServerIdentity: sslmode === "verify-full" ? tls.checkServerIdentity : () => undefined,
    });
    secure.on("error", (error) => this.destroy(error));
    secure.once("secureConnect", () => this.#ready(secure));
  }

  #ready(stream: net.Socket | tls.TLSSocket): void {
    if (this.destroyed) return;
    this.#stream = stream;
    stream.on("data", (chunk: Buffer) => this.#deliver(chunk));
    this.emit("connect");
  }

  #deliver(chunk: Buffer): void {
    if (this.destroyed) return;
    this.#received += chunk.length;
    if (this.#received > this.#limit) {
      this.destroy(
        new WireError(
          "The database server sent more data than a cell may receive; the connection was closed.",
          "too-large",
        ),
      );
      return;
    }
    try {
      // pg parses and dispatches synchronously inside this emit; anything it throws is this connection's end.
      this.emit("data", chunk);
    } catch (error) {
      this.destroy(
        new WireError(
          `The database server sent a message the client could not read (${(error as Error).message}).`,
          "protocol",
        ),
      );
    }
  }

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const stream = this.#stream;
    if (stream) stream.write(chunk, callback);
    else callback(new WireError("The connection is not open.", "protocol"));
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#stream?.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#stream?.destroy();
    this.#raw?.destroy();
    callback(error);
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(enable?: boolean, delay?: number): this {
    this.#raw?.setKeepAlive(enable, delay);
    return this;
  }

  ref(): this {
    this.#raw?.ref();
    return this;
  }

  unref(): this {
    this.#raw?.unref();
    return this;
  }
}

/** PostgreSQL's CancelRequest for a backend (16 bytes: length, code 80877102, process id, secret key). */
function cancelRequest(processId: number, secretKey: number): Buffer {
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(80877102, 4);
  packet.writeInt32BE(processId, 8);
  packet.writeInt32BE(secretKey, 12);
  return packet;
}

/**
 * Asks the server to cancel what one backend runs, over a connection of its own to the same checked
 * address and with the same TLS mode. Never rejects; gives up after `timeoutMs`.
 */
export function sendCancel(
  target: WireTarget,
  backend: { processId: number; secretKey: number },
  timeoutMs: number,
): Promise<void> {
  return new Promise((resolve) => {
    const wire = new WireSocket(target, 64 * 1024);
    const timer = setTimeout(() => wire.destroy(), timeoutMs);
    timer.unref();
    wire.on("error", () => {});
    wire.on("close", () => {
      clearTimeout(timer);
      resolve();
    });
    wire.once("connect", () => wire.end(cancelRequest(backend.processId, backend.secretKey)));
    wire.connect();
  });
}
