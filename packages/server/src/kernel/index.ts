// The kernel folder's only door: sandboxed Pyodide kernel processes for notebooks, and analysis.
export { KernelUnavailableError } from "./errors.js";
export { KernelManager } from "./manager.js";
export type { CapMechanism, OsLimits } from "./os-limits.js";
export { type KernelsPluginOptions, kernelsPlugin } from "./plugin.js";
export type {
  Analysis,
  BatchCell,
  CellErrorInfo,
  ExecutionResult,
  Kernel,
  KernelBatch,
  KernelLogger,
  KernelManagerOptions,
  KernelStatus,
  KernelStreamEvent,
  KnownControl,
  OutputInfo,
  RestartReason,
  SandboxLayers,
} from "./types.js";
