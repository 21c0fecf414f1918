/**
 * Python tracebacks name each cell's code by its id (`File "<cell 9f3c…>", line 2`), which is what programs
 * reading the API want. People read positions: the element shows `File "cell 2", line 2` instead, and
 * `a deleted cell` for a frame whose cell no longer exists.
 */
const CELL_FILE = /<cell ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})>/gi;

/** The traceback with cell ids replaced by the cells' 1-based positions. */
export function readableTraceback(traceback: string, positions: ReadonlyMap<string, number>): string {
  return traceback.replace(CELL_FILE, (_, id: string) => {
    const position = positions.get(id.toLowerCase());
    return position === undefined ? "a deleted cell" : `cell ${position}`;
  });
}
