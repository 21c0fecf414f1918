// The SDK's browser bundle, imported as a page would, against the real service started by
// web-test-runner.config.mjs: the page's own fetch (cross-origin, CORS) and its own WebSocket.
/* global describe, it, before, after */
import { devTokenProvider, NotebookClient, NotFoundError, UnauthorizedError } from "../dist/browser/index.js";

const RUN_TIMEOUT_MS = 120_000;

function assertEqual(actual, expected, what) {
  const [a, e] = [JSON.stringify(actual), JSON.stringify(expected)];
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

async function assertRejects(promise, ErrorClass) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ErrorClass) return error;
    throw new Error(`expected ${ErrorClass.name}, got ${error}`);
  }
  throw new Error(`expected ${ErrorClass.name}, but it resolved`);
}

const text = (cell) => cell?.outputs.find((output) => output.mimeType === "text/plain")?.data;

describe("the SDK browser bundle in Chromium", () => {
  let apiUrl;
  let client;
  const NativeWebSocket = window.WebSocket;
  /** Every URL the page's WebSocket was opened with. */
  const opened = [];

  before(async () => {
    ({ apiUrl } = await (await fetch("/test-config.json")).json());
    client = new NotebookClient({ baseUrl: apiUrl, getToken: devTokenProvider(apiUrl, "browser-alice") });
    window.WebSocket = class extends NativeWebSocket {
      constructor(url, protocols) {
        super(url, protocols);
        opened.push(String(url));
      }
    };
  });

  after(() => {
    window.WebSocket = NativeWebSocket;
  });

  it("runs x → y → z over the page's WebSocket, and an edit of x re-runs its readers", async () => {
    assertEqual(new URL(apiUrl).origin !== location.origin, true, "the service is cross-origin");
    const notebook = await client.notebooks.create({
      name: "Browser",
      cells: [
        { type: "python", code: "x = 10" },
        { type: "python", code: "y = x + 5\ny" },
        { type: "python", code: "z = y * 2\nz" },
      ],
    });
    const [x, y, z] = notebook.cells.map((cell) => cell.id);
    const session = await client.connect(notebook.id);
    try {
      assertEqual(
        opened.at(-1),
        `${apiUrl.replace("http", "ws")}/api/v1/notebooks/${notebook.id}/ws`,
        "socket",
      );
      assertEqual(session.status, "open", "status");
      const statuses = [];
      session.on("cell_status", (event) => statuses.push(`${event.cellId}:${event.status}`));

      const all = await session.runAll({ signal: AbortSignal.timeout(RUN_TIMEOUT_MS) });

      assertEqual(
        all.cells.map((cell) => cell.status),
        ["success", "success", "success"],
        "statuses after runAll",
      );
      assertEqual(text(all.cells.find((cell) => cell.id === z)), "30", "z");
      assertEqual(statuses.includes(`${z}:running`), true, "cell_status events seen");

      const rerun = await session.updateAndRun(x, "x = 20", { signal: AbortSignal.timeout(RUN_TIMEOUT_MS) });

      assertEqual(text(rerun.cells.find((cell) => cell.id === y)), "25", "y after the edit");
      assertEqual(text(rerun.cells.find((cell) => cell.id === z)), "50", "z after the edit");
      assertEqual(text(session.cell(z)), "50", "the live notebook's z");
      assertEqual(session.cell(x)?.code, "x = 20", "the live notebook's x");
    } finally {
      session.close();
      await client.notebooks.delete(notebook.id);
    }
    assertEqual(session.status, "closed", "status after close");
  });

  it("turns error answers into typed errors, request id included", async () => {
    const missing = await assertRejects(
      client.notebooks.get("00000000-0000-4000-8000-000000000000"),
      NotFoundError,
    );
    assertEqual([missing.status, missing.code], [404, "not_found"], "status and code");
    assertEqual(typeof missing.requestId, "string", "requestId (x-request-id exposed to the page)");

    const anonymous = new NotebookClient({ baseUrl: apiUrl });
    await assertRejects(anonymous.notebooks.list(), UnauthorizedError);
    await assertRejects(anonymous.connect("00000000-0000-4000-8000-000000000000"), UnauthorizedError);
  });

  it("reads the public config and health", async () => {
    const anonymous = new NotebookClient({ baseUrl: apiUrl });

    const config = await anonymous.config();

    assertEqual([config.authMode, config.publishableKey], ["dev", null], "config");
    assertEqual(config.version, (await anonymous.health()).version, "version");
  });
});
