// Loads the kernel's Python runtime into an in-process Pyodide exactly as the kernel worker does: every
// .py file of src/kernel/python under /rn, /rn on sys.path, then `import rn_kernel`.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "pyodide";

export async function loadRuntime<T>(): Promise<T> {
  const pyodide = await loadPyodide();
  const dir = fileURLToPath(new URL("../../../src/kernel/python/", import.meta.url));
  pyodide.FS.mkdirTree("/rn");
  for (const file of readdirSync(dir).filter((name) => name.endsWith(".py"))) {
    pyodide.FS.writeFile(`/rn/${file}`, readFileSync(join(dir, file), "utf8"));
  }
  pyodide.runPython("import sys\nsys.path.insert(0, '/rn')");
  return pyodide.pyimport("rn_kernel") as T;
}
