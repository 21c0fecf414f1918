// A stand-in for a server process, for the orphan tests: starts one user's sample database instance,
// sets it spinning on a statement with a time limit of ten minutes, prints the instance's pid, and waits
// to be killed. Argument: "os" for the machine's sandbox layers (parent-death signal through setpriv),
// "none" for none (only the instance's watchdog thread can notice the server is gone).
import { tmpdir } from "node:os";
import path from "node:path";
import { KernelManager } from "../../src/kernel/index.js";
import { SampleDatabase } from "../../src/sql/index.js";
import { TEST_SAMPLE_CACHE } from "./sql.js";

// Run only by the orphan tests, with its argument; anything else (a test runner sweeping the folder) leaves.
if (process.argv[2] !== "os" && process.argv[2] !== "none") process.exit(0);

const layers =
  process.argv[2] === "os"
    ? new KernelManager({
        dataDir: path.join(tmpdir(), "rn-kernel-test-data"),
        pyodideIndexUrl: "http://127.0.0.1:9/",
        cellTimeoutMs: 20_000,
        memoryMb: 512,
        maxKernels: 1,
        idleMs: 600_000,
        poolSize: 0,
      }).sandbox
    : { networkNamespace: false, unprivilegedUser: false, codeGenerationDisallowed: true as const };

const sample = new SampleDatabase(layers, { cacheDir: TEST_SAMPLE_CACHE });
await sample.start("someone");
const pid = sample.instances()[0]?.pid;
void sample
  .forUser("someone")
  .run([{ text: "SELECT count(*) FROM customers a, customers b, customers c, customers d", params: [] }], {
    timeoutMs: 600_000,
    maxRows: 1,
    maxResultBytes: 1024,
  })
  .catch(() => {});
process.stdout.write(`${pid}\n`);
setInterval(() => {}, 1_000);
