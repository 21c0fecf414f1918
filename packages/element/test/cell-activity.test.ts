/** The notebook's record of cell activity, fed server events: running times, and what a running cell waits for. */
import { expect } from "@open-wc/testing";
import type { ServerEvent } from "@reactive-notebook/sdk";
import { CellActivity } from "../src/notebook-view/index.js";

const at = { notebookId: "nb", revision: 1 };
const status = (cellId: string, value: "running" | "success" | "error" | "blocked"): ServerEvent => ({
  type: "cell_status",
  cellId,
  status: value,
  runId: "r",
  ...at,
});
const progress = (
  cellId: string,
  extra: { message: string; fraction?: number; done?: boolean },
): ServerEvent => ({
  type: "cell_progress",
  cellId,
  kind: "database",
  done: false,
  ...extra,
  ...at,
});

describe("CellActivity", () => {
  it("a running cell's wait shows until the progress says done, then it is a plain run again", () => {
    let now = 1000;
    const activity = new CellActivity(() => now);
    activity.apply(status("sql", "running"));
    activity.apply(progress("sql", { message: "Starting the sample database…" }));
    expect(activity.waits.get("sql")).to.deep.equal({
      kind: "database",
      message: "Starting the sample database…",
    });
    activity.apply(progress("sql", { message: "Seeding the sample shop…", fraction: 0.6 }));
    expect(activity.waits.get("sql")?.fraction).to.equal(0.6);
    now = 3400;
    expect(activity.elapsed("sql")).to.equal(2400);
    activity.apply(progress("sql", { message: "Ready", done: true }));
    expect(activity.waits.has("sql")).to.equal(false);
    expect(activity.runningSince.has("sql")).to.equal(true);
    now = 4000;
    activity.apply(status("sql", "success"));
    expect(activity.ranFor.get("sql")).to.equal(3000);
    expect(activity.elapsed("sql")).to.equal(null);
  });

  it("the run ending (an error, a stop) ends its wait even without a done progress event", () => {
    const activity = new CellActivity(() => 0);
    activity.apply(status("py", "running"));
    activity.apply(progress("py", { message: "Loading numpy…" }));
    activity.apply(status("py", "error"));
    expect(activity.waits.size).to.equal(0);
  });

  it("names the first waiting cell in notebook order; out-of-range fractions are clamped", () => {
    const activity = new CellActivity(() => 0);
    activity.apply(progress("b", { message: "B waits", fraction: 7 }));
    activity.apply(progress("a", { message: "A waits", fraction: -1 }));
    expect(activity.firstWait(["x", "a", "b"])?.cellId).to.equal("a");
    expect(activity.waits.get("a")?.fraction).to.equal(0);
    expect(activity.waits.get("b")?.fraction).to.equal(1);
    expect(activity.firstWait(["x"])).to.equal(undefined);
  });

  it("a reconnect (hello) forgets running times and waits; a deleted cell is forgotten", () => {
    const activity = new CellActivity(() => 0);
    activity.apply(status("a", "running"));
    activity.apply(progress("a", { message: "…" }));
    activity.apply({
      type: "hello",
      notebook: {
        id: "nb",
        name: "N",
        createdAt: "",
        updatedAt: "",
        cellCount: 0,
        revision: 2,
        cells: [],
        database: { configured: false },
      },
      ...at,
    });
    expect(activity.runningSince.size + activity.waits.size).to.equal(0);
    activity.apply(status("b", "running"));
    activity.apply({ type: "cell_deleted", cellId: "b", ...at });
    expect(activity.runningSince.has("b")).to.equal(false);
  });
});
