// Controls benchmark (issue #19): from a control change to the output of the cell that reads it, through the
// built service started as a child process. A notebook `n = rn.ui.slider(0, 1000)` + `n.value * 2`; the
// socket sends `set_control` with a new value and the clock stops at the reader's `cell_status` success and
// at `run_finished`. Baseline in the same run: socket `run_cell` of the same trivial reader. Target: p50 ≤ 30 ms.
import { NotebookSocket, percentile, round, StartedService } from "./service.js";

const WARMUP = 20;
const SAMPLES = 200;
const TARGET_P50_MS = 30;

interface Samples {
  success: number[];
  finished: number[];
}

async function measure(
  socket: NotebookSocket,
  readerId: string,
  send: (i: number) => void,
): Promise<Samples> {
  const samples: Samples = { success: [], finished: [] };
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    const started = performance.now();
    send(i);
    const success = await socket.next(
      (event) =>
        event.type === "error" ||
        (event.type === "cell_status" && event.cellId === readerId && event.status === "success"),
      started,
    );
    if (success.event.type === "error")
      throw new Error(`the service refused: ${JSON.stringify(success.event)}`);
    const finished = await socket.runFinished(started, readerId);
    if (i < WARMUP) continue;
    samples.success.push(success.at - started);
    samples.finished.push(finished.at - started);
  }
  return samples;
}

export async function runControlsBench(): Promise<Record<string, number>> {
  const service = await StartedService.start({ KERNEL_POOL: "1", KERNEL_IDLE_MS: "3600000" });
  let control: Samples;
  let baseline: Samples;
  try {
    await service.quiet(180_000); // the snapshot is built and the pool filled
    const token = await service.token("bench-controls");
    const notebook = await service.createNotebook(token, "controls", [
      "import rn\nn = rn.ui.slider(0, 1000)",
      "n.value * 2",
    ]);
    const [sliderId, readerId] = notebook.cells.map((cell) => cell.id) as [string, string];
    await service.expect(200, "POST", `/api/v1/notebooks/${notebook.id}/run?wait=60`, token);
    const socket = await NotebookSocket.open(service, notebook.id, token);
    await service.quiet();
    control = await measure(socket, readerId, (i) =>
      socket.send({ type: "set_control", cellId: sliderId, controlId: "0", value: (i % 1000) + 1 }),
    );
    baseline = await measure(socket, readerId, () => socket.send({ type: "run_cell", cellId: readerId }));
    socket.close();
  } finally {
    await service.stop();
  }
  const p = (values: number[], q: number) => round(percentile(values, q));
  const figures = {
    controlToOutputP50Ms: p(control.success, 50),
    controlToOutputP99Ms: p(control.success, 99),
    controlToRunFinishedP50Ms: p(control.finished, 50),
    controlToRunFinishedP99Ms: p(control.finished, 99),
    runCellToOutputP50Ms: p(baseline.success, 50),
    runCellToOutputP99Ms: p(baseline.success, 99),
    runCellToRunFinishedP50Ms: p(baseline.finished, 50),
    ratioP50: round(percentile(control.success, 50) / percentile(baseline.success, 50)),
    targetP50Ms: TARGET_P50_MS,
  };
  console.log(
    `set_control → reader success: p50 ${figures.controlToOutputP50Ms} ms, p99 ${figures.controlToOutputP99Ms} ms ` +
      `(target p50 ≤ ${TARGET_P50_MS} ms: ${figures.controlToOutputP50Ms <= TARGET_P50_MS ? "met" : "MISSED"}); ` +
      `→ run_finished p50 ${figures.controlToRunFinishedP50Ms} ms, p99 ${figures.controlToRunFinishedP99Ms} ms`,
  );
  console.log(
    `run_cell of the same reader (baseline): → success p50 ${figures.runCellToOutputP50Ms} ms, p99 ${figures.runCellToOutputP99Ms} ms; ` +
      `→ run_finished p50 ${figures.runCellToRunFinishedP50Ms} ms; control / baseline p50 = ${figures.ratioP50}`,
  );
  return figures;
}
