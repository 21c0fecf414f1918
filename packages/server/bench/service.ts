// The service as a user of the API meets it, for the end-to-end and load benchmarks: the built server
// (dist/src/main.js, started as the multi-instance tests start it) on a fresh DATA_DIR with dev auth, a small
// REST client, a notebook WebSocket that timestamps every event, and the memory and CPU of the whole process
// tree (the server and its kernel processes) read from /proc.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { EventOf, ServerEvent } from "@reactive-notebook/protocol";
import WebSocket from "ws";
import { type Instance, startInstance } from "../test/helpers/instances.js";

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export const round = (n: number, digits = 2) => Number(n.toFixed(digits));

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One process of the service's tree, as /proc shows it now. */
export interface ProcessMemory {
  pid: number;
  /** Resident set (VmRSS): what `ps` and the figures show; shared pages count in every process. */
  rssBytes: number;
  /** Proportional set (Pss): shared pages divided among the processes sharing them, so the sum is real. */
  pssBytes: number;
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null; // the process ended meanwhile
  }
}

/** `pid`'s descendants (children, grandchildren…), from the parent ids in /proc/<pid>/stat. */
export function descendantsOf(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readText(`/proc/${entry}/stat`);
    if (!stat) continue;
    // Fields after the command name (which may hold spaces and parentheses): state, ppid, …
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

export function memoryOf(pid: number): ProcessMemory | null {
  const status = readText(`/proc/${pid}/status`);
  const rollup = readText(`/proc/${pid}/smaps_rollup`);
  const rss = status && /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  if (!rss) return null; // gone, or a zombie
  const pss = rollup ? /^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] : undefined;
  return { pid, rssBytes: Number(rss) * 1024, pssBytes: Number(pss ?? rss) * 1024 };
}

/** CPU time used so far by `pid` (user + system), in milliseconds. */
export function cpuMsOf(pid: number): number {
  const stat = readText(`/proc/${pid}/stat`);
  if (!stat) return 0;
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of stat, 11 and 12 after the command; in clock ticks (100 Hz).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export interface NotebookCell {
  id: string;
  code: string;
  status: string;
  stdout: string;
  outputs: { mimeType: string; data: unknown }[];
  error: { name: string; message: string } | null;
}

export interface NotebookBody {
  id: string;
  revision: number;
  cells: NotebookCell[];
}

/** An HTTP answer that was not the expected status. */
export class UnexpectedAnswer extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what}: ${status} ${body.slice(0, 300)}`);
  }
}

/** The built service running as a child process, and a client of its API. */
export class StartedService {
  private constructor(
    private readonly instance: Instance,
    readonly dataDir: string,
  ) {}

  /** Starts dist/src/main.js with dev auth on a free loopback port and a fresh DATA_DIR, plus `env`. */
  static async start(env: Record<string, string> = {}): Promise<StartedService> {
    const dataDir = mkdtempSync(path.join(tmpdir(), "rn-bench-service-"));
    // BENCH_SERVICE_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof": where the server's time goes.
    const nodeArgs = process.env.BENCH_SERVICE_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
    const instance = await startInstance(
      {
        NODE_ENV: "test",
        DATA_DIR: dataDir,
        AUTH_MODE: "dev",
        // Packages are never fetched by these benchmarks; an unroutable index fails fast if one is asked for.
        PYODIDE_INDEX_URL: "http://127.0.0.1:9/",
        ...env,
      },
      nodeArgs,
    );
    return new StartedService(instance, dataDir);
  }

  get url(): string {
    return this.instance.url;
  }

  get pid(): number {
    return this.instance.process.pid ?? -1;
  }

  /** What the service printed (its banner and warnings), for a failure report. */
  get log(): string {
    return this.instance.output();
  }

  /** The kernel processes (and any other descendants) of the server, by pid. */
  kernelPids(): number[] {
    return descendantsOf(this.pid);
  }

  /** Memory of the server process and of each of its descendants now. */
  memory(): { server: ProcessMemory | null; kernels: ProcessMemory[] } {
    const kernels = this.kernelPids().flatMap((pid) => memoryOf(pid) ?? []);
    return { server: memoryOf(this.pid), kernels };
  }

  /** CPU time of the whole tree so far, in milliseconds. */
  cpuMs(): number {
    return [this.pid, ...this.kernelPids()].reduce((sum, pid) => sum + cpuMsOf(pid), 0);
  }

  /**
   * Resolves once the whole tree has used under 30 ms of CPU in the last half second (kernels started,
   * the pool refilled, analysis done), or after `maxMs`. Answers whether it got quiet.
   */
  async quiet(maxMs = 60_000): Promise<boolean> {
    const deadline = performance.now() + maxMs;
    let before = this.cpuMs();
    while (performance.now() < deadline) {
      await sleep(500);
      const now = this.cpuMs();
      if (now - before < 30) return true;
      before = now;
    }
    return false;
  }

  async token(userId: string): Promise<string> {
    const answer = await this.request("POST", "/api/v1/dev/token", null, { userId });
    return ((await answer.json()) as { token: string }).token;
  }

  /** A request to the API; the caller checks the status. */
  request(method: string, route: string, token: string | null, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    return fetch(`${this.url}${route}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  }

  /** A request whose answer must be `status`; answers the parsed body (or null for an empty one). */
  async expect<T>(status: number, method: string, route: string, token: string, body?: unknown): Promise<T> {
    const answer = await this.request(method, route, token, body);
    const text = await answer.text();
    if (answer.status !== status) throw new UnexpectedAnswer(answer.status, text, `${method} ${route}`);
    return (text === "" ? null : JSON.parse(text)) as T;
  }

  createNotebook(token: string, name: string, codes: string[]): Promise<NotebookBody> {
    return this.expect<NotebookBody>(201, "POST", "/api/v1/notebooks", token, {
      name,
      cells: codes.map((code) => ({ type: "python", code })),
    });
  }

  getNotebook(token: string, notebookId: string): Promise<NotebookBody> {
    return this.expect<NotebookBody>(200, "GET", `/api/v1/notebooks/${notebookId}`, token);
  }

  /** Stops the service (SIGTERM, then SIGKILL after 15 s) and removes its DATA_DIR. */
  async stop(): Promise<void> {
    const child = this.instance.process;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const force = setTimeout(() => this.instance.kill(), 15_000);
      await this.instance.exited;
      clearTimeout(force);
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** An event and when it arrived (performance.now() of this process). */
export interface TimedEvent {
  at: number;
  event: ServerEvent;
}

/** One notebook WebSocket, authenticated, keeping the events it has not handed out yet. */
export class NotebookSocket {
  private buffer: TimedEvent[] = [];
  private waiters: {
    test: (timed: TimedEvent) => boolean;
    resolve: (timed: TimedEvent) => void;
    reject: (error: Error) => void;
  }[] = [];
  closedWith: number | null = null;
  /** Every event received while this is an array (the benchmark's timeline of a run); null: none kept. */
  recording: TimedEvent[] | null = null;

  private constructor(private readonly socket: WebSocket) {
    socket.on("message", (data) => {
      const timed = { at: performance.now(), event: JSON.parse(String(data)) as ServerEvent };
      this.recording?.push(timed);
      const waiter = this.waiters.find((candidate) => candidate.test(timed));
      if (waiter) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(timed);
      } else this.buffer.push(timed);
    });
    socket.on("close", (code) => {
      this.closedWith = code;
    });
  }

  /** Connects, authenticates and waits for the `hello`. */
  static async open(service: StartedService, notebookId: string, token: string): Promise<NotebookSocket> {
    const socket = new WebSocket(`${service.url.replace(/^http/, "ws")}/api/v1/notebooks/${notebookId}/ws`);
    const opened = new NotebookSocket(socket);
    const failed = new Promise<never>((_resolve, reject) => {
      socket.once("error", reject);
      socket.once("close", (code) => reject(new Error(`the socket closed with ${code} before its hello`)));
    });
    failed.catch(() => {}); // it also rejects when the socket closes normally, long after the hello
    socket.once("open", () => socket.send(JSON.stringify({ type: "auth", token })));
    await Promise.race([opened.next((event) => event.type === "hello", 0, 30_000), failed]);
    return opened;
  }

  send(frame: { type: string; [field: string]: unknown }): void {
    this.socket.send(JSON.stringify(frame));
  }

  /**
   * The first event (already received or still to come) that arrived at or after `since` and passes
   * `test`; earlier events are dropped. Rejects after `timeoutMs`.
   */
  next(test: (event: ServerEvent) => boolean, since: number, timeoutMs = 60_000): Promise<TimedEvent> {
    this.buffer = this.buffer.filter((timed) => timed.at >= since);
    const index = this.buffer.findIndex((timed) => test(timed.event));
    if (index >= 0) return Promise.resolve(this.buffer.splice(index, 1)[0] as TimedEvent);
    return new Promise<TimedEvent>((resolve, reject) => {
      const waiter = {
        test: (timed: TimedEvent) => timed.at >= since && test(timed.event),
        resolve: (timed: TimedEvent) => {
          clearTimeout(timer);
          resolve(timed);
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no matching event within ${timeoutMs} ms (socket closed: ${this.closedWith})`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /**
   * The first `run_finished` since `since` whose cells include `cellId` (any run when omitted); rejects on
   * an `error` event (a refused frame) that comes first.
   */
  async runFinished(since: number, cellId?: string, timeoutMs?: number): Promise<TimedEvent> {
    const timed = await this.next(
      (event) =>
        event.type === "error" ||
        (event.type === "run_finished" &&
          (cellId === undefined || (event as EventOf<"run_finished">).cells.includes(cellId))),
      since,
      timeoutMs,
    );
    if (timed.event.type === "error")
      throw new Error(`the socket refused a frame: ${JSON.stringify(timed.event)}`);
    return timed;
  }

  /** Gives up every wait in progress (their promises reject), so none takes an event meant for a later one. */
  cancelWaits(): void {
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error("wait cancelled"));
  }

  close(): void {
    this.socket.terminate();
  }
}
