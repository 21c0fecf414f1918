/** `client.cells`: create, edit, delete, move and run the cells of a notebook, and set their controls. */
import type {
  Cell,
  ControlValue,
  CreateCellBody,
  MoveCellResponse,
  RunAccepted,
  RunCompleted,
  UpdateCellBody,
} from "@reactive-notebook/protocol";
import type { RequestOptions, RequestSender } from "../request.js";
import { api } from "./path.js";
import { type RunWaitOptions, runRequestParts } from "./run-wait.js";

/** The cell routes of API.md, one method each; every cell lives in a notebook, so both ids are given. */
export class CellsResource {
  readonly #sender: RequestSender;

  /** @internal Made by NotebookClient. */
  constructor(sender: RequestSender) {
    this.#sender = sender;
  }

  /**
   * Adds a cell, appended unless `index` is given.
   *
   * @example
   * ```ts
   * const cell = await client.cells.create(notebookId, { type: "python", code: "y = x * 2", index: 1 });
   * ```
   */
  create(notebookId: string, body: CreateCellBody, options?: RequestOptions): Promise<Cell> {
    return this.#sender.send({ method: "POST", path: api("notebooks", notebookId, "cells"), body }, options);
  }

  /**
   * Edits a cell's code or name; `run: true` also runs it, `ifRevision` makes a stale edit a ConflictError.
   *
   * @example
   * ```ts
   * try {
   *   await client.cells.update(notebookId, cellId, { code: "x = 20", run: true, ifRevision: notebook.revision });
   * } catch (error) {
   *   if (error instanceof ConflictError) console.log("edited elsewhere first; reload and retry");
   *   else throw error;
   * }
   * ```
   */
  update(notebookId: string, cellId: string, body: UpdateCellBody, options?: RequestOptions): Promise<Cell> {
    return this.#sender.send(
      { method: "PATCH", path: api("notebooks", notebookId, "cells", cellId), body },
      options,
    );
  }

  /**
   * Deletes a cell; its definitions leave the kernel and its dependents re-run.
   *
   * @example
   * ```ts
   * await client.cells.delete(notebookId, cellId);
   * ```
   */
  delete(notebookId: string, cellId: string, options?: RequestOptions): Promise<void> {
    return this.#sender.send(
      { method: "DELETE", path: api("notebooks", notebookId, "cells", cellId) },
      options,
    );
  }

  /**
   * Moves a cell to `index`; resolves with every cell id in the new order.
   *
   * @example
   * ```ts
   * const { order } = await client.cells.move(notebookId, cellId, 0); // to the top
   * ```
   */
  move(
    notebookId: string,
    cellId: string,
    index: number,
    options?: RequestOptions,
  ): Promise<MoveCellResponse> {
    return this.#sender.send(
      { method: "POST", path: api("notebooks", notebookId, "cells", cellId, "move"), body: { index } },
      options,
    );
  }

  /**
   * Runs a cell, its stale ancestors first and its descendants after. Without `wait` it answers at once
   * with the run id; with `{ wait: S }` (S ≤ 60) it answers when the run ends, with every cell the run
   * touched in its final state (`RunCompleted`), or after S seconds with just the run id if it is still
   * going. Tell the two apart with `"cells" in result`.
   *
   * @example
   * ```ts
   * const { runId } = await client.cells.run(notebookId, cellId);
   *
   * const result = await client.cells.run(notebookId, cellId, { wait: 30 });
   * if ("cells" in result) for (const cell of result.cells) console.log(cell.code, cell.status);
   * else console.log(`run ${result.runId} is still going`);
   * ```
   */
  run(notebookId: string, cellId: string, options?: RequestOptions): Promise<RunAccepted>;
  run(notebookId: string, cellId: string, options: RunWaitOptions): Promise<RunAccepted | RunCompleted>;
  run(
    notebookId: string,
    cellId: string,
    options?: RequestOptions | RunWaitOptions,
  ): Promise<RunAccepted | RunCompleted> {
    const parts = runRequestParts(this.#sender, options);
    return this.#sender.send(
      { method: "POST", path: api("notebooks", notebookId, "cells", cellId, "run"), query: parts.query },
      parts.options,
    );
  }

  /**
   * Sets one of a cell's controls (an `rn.ui` output, `controlId` its `data.id`): the service checks the value
   * against the control (an InvalidRequestError with status 422 naming it when it does not fit), sets it
   * without re-running the cell, and re-runs the cells that read it. Answers like `run`: the run id, or with
   * `{ wait: S }` every cell the run touched once it ends. The value is absolute, so a retry is harmless.
   *
   * @example
   * ```ts
   * const result = await client.cells.setControl(notebookId, sliderCellId, "0", 7, { wait: 30 });
   * if ("cells" in result) for (const cell of result.cells) console.log(cell.code, cell.outputs);
   * ```
   */
  setControl(
    notebookId: string,
    cellId: string,
    controlId: string,
    value: ControlValue,
    options?: RequestOptions,
  ): Promise<RunAccepted>;
  setControl(
    notebookId: string,
    cellId: string,
    controlId: string,
    value: ControlValue,
    options: RunWaitOptions,
  ): Promise<RunAccepted | RunCompleted>;
  setControl(
    notebookId: string,
    cellId: string,
    controlId: string,
    value: ControlValue,
    options?: RequestOptions | RunWaitOptions,
  ): Promise<RunAccepted | RunCompleted> {
    const parts = runRequestParts(this.#sender, options);
    return this.#sender.send(
      {
        method: "PUT",
        path: api("notebooks", notebookId, "cells", cellId, "controls", controlId),
        query: parts.query,
        body: { value },
      },
      parts.options,
    );
  }
}
