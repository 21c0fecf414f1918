// The messages that cross the IPC channel between the server and a kernel process (and, unchanged,
// between the kernel process's supervising thread and its Pyodide worker thread).

/** The rn_kernel functions the server may call; every argument and result is a string (JSON inside). */
export type PythonCall =
  | "run_cell"
  | "analyze"
  | "delete_names"
  | "set_variable"
  | "get_values"
  | "reset"
  | "missing_imports"
  | "set_control";

export interface WheelFile {
  fileName: string;
  bytes: Uint8Array;
}

export type ToKernel =
  | {
      type: "init";
      /** Memory snapshot to restore, or null to start cold. */
      snapshot: Uint8Array | null;
      /** Take a memory snapshot after importing the runtime and send it back instead of serving calls. */
      makeSnapshot: boolean;
      /** The runtime's .py files by file name, written under /rn in Pyodide's FS. */
      sources: Record<string, string>;
      memoryMb: number;
    }
  | { type: "call"; id: number; fn: PythonCall; args: string[] }
  /**
   * Cells run one after the other, each as the run_cell call `ids[i]` with `args[i]`, each answered (emits, then
   * a reply) as it ends. The batch stops at the first cell that does not succeed, or once it is cancelled: the
   * cells not started then are answered `skipped`.
   */
  | { type: "batch"; ids: number[]; args: [cellId: string, code: string, controls: string][] }
  /** Start no more cells of the batch whose first call is `id` (the cell running goes on). */
  | { type: "cancel"; id: number }
  | { type: "install"; id: number; wheels: WheelFile[] }
  | { type: "interrupt" };

export type FromKernel =
  | { type: "ready"; ms: number }
  | { type: "snapshot"; bytes: Uint8Array }
  | { type: "emit"; id: number; kind: string; payload: string }
  | { type: "reply"; id: number; ok: true; value: string | null }
  | { type: "reply"; id: number; ok: false; error: { name: string; message: string } }
  /** A cell of a batch that was not started (the batch was cancelled or an earlier cell failed). */
  | { type: "skipped"; id: number }
  | { type: "fatal"; message: string };

/** Exit code of a kernel process that stopped itself for exceeding its memory limit. */
export const EXIT_MEMORY_LIMIT = 86;
/** Exit code of a kernel process whose interpreter failed fatally (os.abort(), wasm trap). */
export const EXIT_FATAL = 87;
/** Exit code of a kernel process that stopped itself because its worker sent an invalid message. */
export const EXIT_INVALID_MESSAGE = 88;
/** Exit code of a kernel process that stopped itself for using CPU while no call was running. */
export const EXIT_IDLE_CPU = 89;
