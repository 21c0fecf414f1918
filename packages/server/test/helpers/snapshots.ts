// Where test services cache their kernel and sample-database snapshots (SNAPSHOT_DIR): one directory for
// every test file and run, so the suite builds each snapshot once (Pyodide's a few seconds, PGlite's initdb
// 10+ s) instead of once per fresh DATA_DIR. Files are keyed by version and sources and written atomically.
import { tmpdir } from "node:os";
import path from "node:path";

export const TEST_SNAPSHOT_DIR = process.env.SNAPSHOT_DIR ?? path.join(tmpdir(), "rn-test-snapshots");
