// Closes the doors Pyodide leaves open in the kernel's worker thread once the interpreter is loaded:
// the `require` shim it puts on globalThis (fs, child_process, ws), network APIs, host file system,
// process control and the VM module. Together with the reduced `jsglobals` and the process-wide
// ban on code generation from strings, this is the sandbox layer that holds on every OS.
import { syncBuiltinESMExports } from "node:module";
import type { PyodideInterface } from "pyodide";

/** Builtin modules whose every function is replaced by one that throws. */
const DENIED_MODULES = [
  "fs",
  "fs/promises",
  "child_process",
  "net",
  "tls",
  "http",
  "https",
  "http2",
  "dgram",
  "dns",
  "vm",
  "cluster",
  "inspector",
  "os",
  "v8",
  "worker_threads",
] as const;

/** process methods that reach outside the worker (other processes, native code, the file system). */
const DENIED_PROCESS_METHODS = [
  "binding",
  "_linkedBinding",
  "dlopen",
  "getBuiltinModule",
  "kill",
  "_kill",
  "abort",
  "chdir",
  "exit",
  "reallyExit",
  "setuid",
  "setgid",
  "seteuid",
  "setegid",
  "setgroups",
  "initgroups",
  "_debugProcess",
  "_debugEnd",
  "_startProfilerIdleNotifier",
  "openStdin",
  "loadEnvFile",
];

/** Globals that would let code reach the network or load code. */
const DENIED_GLOBALS = ["require", "fetch", "WebSocket", "EventSource", "XMLHttpRequest", "importScripts"];

function denied(what: string): () => never {
  return function deniedInKernel(): never {
    const error = new Error(`${what} is not available in a notebook kernel`) as Error & { code: string };
    error.code = "EACCES";
    throw error;
  };
}

function denyFunctions(target: Record<string, unknown>, prefix: string): void {
  for (const key of Object.getOwnPropertyNames(target)) {
    let value: unknown;
    try {
      value = target[key];
    } catch {
      continue;
    }
    if (typeof value !== "function") continue;
    try {
      Object.defineProperty(target, key, {
        value: denied(`${prefix}.${key}`),
        writable: false,
        configurable: false,
      });
    } catch {
      // A non-configurable builtin property: leave it; another layer covers it.
    }
  }
}

export async function hardenWorker(pyodide: PyodideInterface): Promise<void> {
  const api = pyodide as unknown as Record<string, unknown>;
  for (const name of ["mountNodeFS", "mountNativeFS", "loadPackage", "loadPackagesFromImports"]) {
    api[name] = denied(`pyodide.${name}`);
  }
  const fsTypes = (pyodide.FS as unknown as { filesystems?: Record<string, unknown> }).filesystems;
  if (fsTypes) {
    delete fsTypes.NODEFS;
    delete fsTypes.PROXYFS;
  }

  const modules: Record<string, unknown>[] = [];
  for (const name of DENIED_MODULES) {
    const loaded = (await import(`node:${name}`)) as { default?: Record<string, unknown> };
    if (loaded.default) modules.push(loaded.default);
  }
  for (const [index, target] of modules.entries()) {
    denyFunctions(target, DENIED_MODULES[index] ?? "module");
    const promises = target.promises;
    if (promises && typeof promises === "object")
      denyFunctions(promises as Record<string, unknown>, "fs.promises");
  }
  syncBuiltinESMExports();

  const proc = process as unknown as Record<string, unknown>;
  for (const name of DENIED_PROCESS_METHODS) {
    if (name in proc) {
      try {
        proc[name] = denied(`process.${name}`);
      } catch {
        // read-only on this Node version
      }
    }
  }
  const report = proc.report as Record<string, unknown> | undefined;
  if (report) denyFunctions(report, "process.report");
  for (const key of Object.keys(process.env)) delete process.env[key];

  const global = globalThis as unknown as Record<string, unknown>;
  for (const name of DENIED_GLOBALS) {
    try {
      Object.defineProperty(global, name, { value: denied(name), writable: false, configurable: false });
    } catch {
      global[name] = denied(name);
    }
  }
}
