// The reactive core's only door: the dependency graph, the pure planning functions, and the scheduler.
export { type CycleThrough, cyclePath, findCycles } from "./cycles.js";
export { DependencyGraph } from "./graph.js";
export { graphErrors } from "./graph-errors.js";
export { planRun } from "./plan.js";
export { NotebookScheduler, type NotebookSchedulerOptions } from "./scheduler.js";
export { topologicalSort, transitiveClosure } from "./topology.js";
export type {
  CellError,
  CellPatch,
  CellRunner,
  CellStatus,
  CellType,
  ControlValue,
  GraphView,
  RunContext,
  RunnerEvent,
  RunResult,
  SchedulerCell,
  SchedulerEvent,
} from "./types.js";
