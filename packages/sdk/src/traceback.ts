/**
 * Python tracebacks name each cell's code by its id (`File "<cell 9f3c…>", line 2`), which is what programs
 * reading the API want. People and models read positions: the element and the MCP tools show
 * `File "cell 2", line 2` instead, and `a deleted cell` for a frame whose cell no longer exists.
 */
const CELL_FILE = /<cell ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})>/gi;

/**
 * The traceback with cell ids replaced by the cells' 1-based positions (`positions`: cell id, lower case →
 * position).
 *
 * @example
 * ```ts
 * const positions = new Map(notebook.cells.map((cell, i) => [cell.id, i + 1]));
 * console.log(readableTraceback(cell.error.traceback, positions)); // File "cell 2", line 1, in <module>
 * ```
 */
export function readableTraceback(traceback: string, positions: ReadonlyMap<string, number>): string {
  return traceback.replace(CELL_FILE, (_, id: string) => {
    const position = positions.get(id.toLowerCase());
    return position === undefined ? "a deleted cell" : `cell ${position}`;
  });
}
