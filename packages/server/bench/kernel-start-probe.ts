// The stages of a kernel start, one after the other, timed (wall and CPU) in a process started exactly as a
// kernel is (the sandbox wrappers, node flags, environment and snapshot descriptor of sandbox.ts and
// kernel-process.ts): what child/host.ts and child/worker.ts do, run on this process's main thread so each
// stage can be timed alone. In a real kernel some stages overlap (the worker loads Pyodide's code and
// compiles the wasm module while the snapshot is read). Reports over IPC and exits; see kernel-start.ts.
import { readFile as readFd } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import v8 from "node:v8";

const bootMs = performance.now();
const stages: { stage: string; ms: number; cpuMs: number }[] = [];
const cpuMs = () => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};
stages.push({ stage: "node startup (in the process)", ms: bootMs, cpuMs: cpuMs() });
let lastWall = performance.now();
let lastCpu = cpuMs();
function mark(stage: string): void {
  const wall = performance.now();
  const cpu = cpuMs();
  stages.push({ stage, ms: wall - lastWall, cpuMs: cpu - lastCpu });
  lastWall = wall;
  lastCpu = cpu;
}

interface WasmApi {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(source: unknown, imports?: object): Promise<unknown>;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const require = createRequire(import.meta.url);
const pyodideDir = path.dirname(require.resolve("pyodide"));
require(path.join(pyodideDir, "pyodide.asm.js"));
const { loadPyodide } = await import("pyodide");
mark("load Pyodide's JavaScript");

const wasmBytes = await readFile(path.join(pyodideDir, "pyodide.asm.wasm"));
const module = await wasm.compile(wasmBytes);
mark("compile the wasm module (lazy: validation, no code)");

const fd = Number(/^--snapshot-fd=(\d+)$/.exec(process.argv[3] ?? "")?.[1]);
const snapshot = await new Promise<Uint8Array>((resolve, reject) =>
  readFd(fd, (error, buffer) => (error ? reject(error) : resolve(new Uint8Array(buffer)))),
);
mark(`read the snapshot (${Math.round(snapshot.byteLength / 1024 / 1024)} MB)`);

const native = wasm.instantiate;
wasm.instantiate = (source, imports) => {
  if ((source as Uint8Array).byteLength !== wasmBytes.byteLength) return native.call(wasm, source, imports);
  return (native.call(wasm, module, imports) as Promise<object>).then((instance) => ({ instance, module }));
};
const pyodide = await loadPyodide({
  jsglobals: Object.freeze(Object.create(null)),
  env: { HOME: "/home/pyodide" },
  stdout: () => {},
  stderr: () => {},
  _loadSnapshot: snapshot,
});
wasm.instantiate = native;
mark("instantiate, link and restore the snapshot (loadPyodide)");

const { hardenWorker } = await import("../src/kernel/child/harden.js");
// v8 and process.memoryUsage are denied once hardened: keep bound copies.
const heapSpaceStatistics = v8.getHeapSpaceStatistics.bind(v8);
const memoryUsage = process.memoryUsage.bind(process);
const send = process.send?.bind(process);
const rn = pyodide.pyimport("rn_kernel") as unknown as { run_cell: (...args: unknown[]) => Promise<string> };
mark("import the runtime (rn_kernel, from the snapshot)");
await hardenWorker(pyodide);
mark("harden the worker");
await rn.run_cell("c", "1 + 1", () => {});
mark("first cell (1 + 1)");

const wasmMemoryBytes = (pyodide as unknown as { _module: { HEAP8: Uint8Array } })._module.HEAP8.byteLength;
const memory = memoryUsage();
send?.({
  timeOrigin: performance.timeOrigin,
  stages,
  memory: {
    rssBytes: memory.rss,
    v8HeapBytes: memory.heapTotal,
    v8HeapUsedBytes: memory.heapUsed,
    wasmMemoryBytes,
    arrayBuffersBytes: memory.arrayBuffers,
    heapSpaces: Object.fromEntries(
      heapSpaceStatistics().map((space) => [space.space_name, space.space_used_size]),
    ),
  },
});
