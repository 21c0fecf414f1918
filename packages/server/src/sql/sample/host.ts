// A sample database process (started by the server under the kernels' sandbox: no network, user nobody,
// empty environment, parent-death signal). `build`: create the seeded database once and write its data
// directory to stdout. `serve`: restore that snapshot from stdin into PGlite (PostgreSQL in WebAssembly,
// in memory) and run cells sent over IPC, one at a time, for one user. A watchdog thread ends the process
// when the server is gone, even while PostgreSQL spins in the main thread.
import { Worker } from "node:worker_threads";
import { PGlite } from "@electric-sql/pglite";
import { NUMERIC_TYPES, parseNumeric, TEXT_TYPES } from "../values.js";
import type { FromSample, RunMessage } from "./protocol.js";
import { runCell } from "./run-cell.js";
import { CELL_ROLE_SQL, SAMPLE_SEED_SQL } from "./seed.js";

/**
 * Memory: small shared buffers, temporary files (sorts that spill) capped, WAL recycled early — all of it
 * lives in this process's memory. The cell role cannot change any of these.
 */
const SETTINGS = [
  "shared_buffers=16MB",
  "temp_file_limit=64MB",
  "work_mem=4MB",
  "maintenance_work_mem=16MB",
  "max_wal_size=64MB",
  "min_wal_size=32MB",
];

const send = (message: FromSample) => process.send?.(message);

/** Dates and times stay PostgreSQL's text (no time zone shifts them); int8 and numeric are exact. */
const parsers: Record<number, (text: string) => unknown> = {};
for (const oid of TEXT_TYPES) parsers[oid] = (text) => text;
for (const oid of NUMERIC_TYPES) parsers[oid] = parseNumeric;

new Worker(new URL("./watchdog.js", import.meta.url), { workerData: { parent: process.ppid } }).unref();
process.on("disconnect", () => process.exit(0));

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function build(): Promise<void> {
  const db = await PGlite.create();
  await db.exec(SAMPLE_SEED_SQL);
  await db.exec(CELL_ROLE_SQL);
  const dump = await db.dumpDataDir("gzip");
  await db.close();
  process.stdout.write(Buffer.from(await dump.arrayBuffer()), () => process.exit(0));
}

async function serve(): Promise<void> {
  const snapshot = await readStdin();
  const started = performance.now();
  const db = await PGlite.create({ loadDataDir: new Blob([snapshot]), postgresqlconf: SETTINGS, parsers });
  send({ type: "ready", ms: Math.round(performance.now() - started) });
  let queue: Promise<void> = Promise.resolve();
  process.on("message", (message: RunMessage) => {
    if (message?.type !== "run") return;
    queue = queue.then(async () => {
      const { reply, clean } = await runCell(db, message);
      // Something of the cell outlived it: this instance serves no other cell; a fresh copy will.
      if (clean) send(reply);
      else process.send?.(reply, undefined, {}, () => process.exit(3));
    });
  });
}

await (process.argv[2] === "build" ? build() : serve());
