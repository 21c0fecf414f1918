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

  constructor(sender: RequestSender) {
    this.#sender = sender;
  }

  /** Adds a cell, appended unless `index` is given. */
  create(notebookId: string, body: CreateCellBody, options?: RequestOptions): Promise<Cell> {
    return this.#sender.send({ method: "POST", path: api("notebooks", notebookId, "cells"), body }, options);
  }

  /** Edits a cell's code or name; `run: true` also runs it, `ifRevision` makes a stale edit a ConflictError. */
  update(notebookId: string, cellId: string, body: UpdateCellBody, options?: RequestOptions): Promise<Cell> {
    return this.#sender.send(
      { method: "PATCH", path: api("notebooks", notebookId, "cells", cellId), body },
      options,
    );
  }

  /** Deletes a cell; its definitions leave the kernel and its dependents re-run. */
  delete(notebookId: string, cellId: string, options?: RequestOptions): Promise<void> {
    return this.#sender.send(
      { method: "DELETE", path: api("notebooks", notebookId, "cells", cellId) },
      options,
    );
  }

  /** Moves a cell to `index`; resolves with every cell id in the new order. */
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

  /** Runs a cell, its stale ancestors first and its descendants after. */
  run(notebookId: string, cellId: string, options?: RequestOptions): Promise<RunAccepted> {
    return this.#sender.send(
      { method: "POST", path: api("notebooks", notebookId, "cells", cellId, "run") },
      options,
    );
  }
}
