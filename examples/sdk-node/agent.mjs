#!/usr/bin/env node
// An agent's script against a Reactive Notebook service: it mints a dev token, creates a notebook, opens a live
// session, runs the cells, edits one and watches the reactive re-run, then deletes the notebook.
// Run it with `node examples/sdk-node/agent.mjs` while `npm start` serves http://127.0.0.1:8080
// (or set REACTIVE_NOTEBOOK_URL). It needs the SDK built: `npm run build`.
import { devTokenProvider, NotebookClient } from "@reactive-notebook/sdk";

const baseUrl = process.env.REACTIVE_NOTEBOOK_URL ?? "http://127.0.0.1:8080";
const client = new NotebookClient({ baseUrl, getToken: devTokenProvider(baseUrl, "agent") });

/** One line per cell: its first line of code, its status, and what it displayed (or its error). */
function report(cells) {
  for (const cell of cells) {
    const code = cell.code.split("\n")[0].padEnd(30);
    const shown =
      cell.error !== null
        ? `${cell.error.name}: ${cell.error.message}`
        : [cell.stdout.trimEnd(), ...cell.outputs.map((output) => String(output.data))]
            .filter(Boolean)
            .join(" | ");
    console.log(`${code} → ${cell.status.padEnd(8)} ${shown}`.trimEnd());
  }
}

const notebook = await client.notebooks.create({
  name: "Agent demo",
  cells: [
    { type: "python", code: "x = 10" },
    { type: "python", code: "y = x + 5\ny" },
    { type: "python", code: "z = y * 2\nz" },
    { type: "python", code: 'print(f"x={x}, y={y}, z={z}")' },
  ],
});
console.log(`created notebook ${notebook.id} with ${notebook.cells.length} cells`);

// Whatever happens below, the notebook is deleted and the socket closed.
const session = await client.connect(notebook.id);
try {
  session.on("kernel_status", (event) => {
    if (event.status === "starting") console.log("  (starting the notebook's Python kernel…)");
  });

  console.log("\nrun all:");
  const timeout = () => AbortSignal.timeout(120_000);
  report((await session.runAll({ signal: timeout() })).cells);

  const [x] = session.notebook.cells;
  console.log("\nedit x = 20 and run it; its readers re-run, and their new values arrive as events:");
  // Printed the moment each reader's new result arrives on the socket, before the run as a whole settles.
  const shown = new Map();
  const stopWatching = session.on("cell_outputs", (event) => {
    const cell = session.cell(event.cellId);
    const value = event.outputs.map((output) => String(output.data)).join(" | ");
    // The service may repeat a cell's outputs when its run completes; print each new value once.
    if (!cell || !value || shown.get(cell.id) === value) return;
    shown.set(cell.id, value);
    console.log(`  live: ${cell.code.split("\n")[0]} ⇒ ${value}`);
  });
  const rerun = await session.updateAndRun(x.id, "x = 20", { signal: timeout() });
  stopWatching();
  console.log("settled:");
  report(rerun.cells);

  console.log("\nthe live notebook now:");
  report(session.notebook.cells);
} finally {
  session.close();
  await client.notebooks.delete(notebook.id);
  console.log(`\ndeleted notebook ${notebook.id}`);
}
