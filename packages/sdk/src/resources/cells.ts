/** `client.cells`: create, edit, delete, move and run the cells of a notebook. */
import type {
  Cell,
  CreateCellBody,
  MoveCellResponse,
  RunAccepted,
  UpdateCellBody,
} from "@reactive-notebook/protocol";
import type { RequestOptions, RequestSender } from "../request.js";
import { api } from "./path.js";

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
   * Runs a cell, its stale ancestors first and its descendants after.
   *
   * @example
   * ```ts
   * const { runId } = await client.cells.run(notebookId, cellId);
   * // or, to wait for the outcome: (await client.connect(notebookId)).run(cellId)
   * ```
   */
  run(notebookId: string, cellId: string, options?: RequestOptions): Promise<RunAccepted> {
    return this.#sender.send(
      { method: "POST", path: api("notebooks", notebookId, "cells", cellId, "run") },
      options,
    );
  }
}
