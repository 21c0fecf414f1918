/** How a blocked cell names the cell that blocks it, for people: by position and what it defines. */
import type { Cell } from "@reactive-notebook/sdk";

/**
 * "cell 2 (p)" for a cell blocked by the second cell, which defines `p`; "" when the cell is not blocked or
 * its blocker is unknown (a service that does not say, or a cell since deleted).
 */
export function blockerLabel(cell: Cell, cells: readonly Cell[]): string {
  if (cell.status !== "blocked" || !cell.blockedBy) return "";
  const index = cells.findIndex((other) => other.id === cell.blockedBy);
  const blocker = cells[index];
  if (!blocker) return "";
  const names = blocker.writes.length ? ` (${blocker.writes.join(", ")})` : "";
  return `cell ${index + 1}${names}`;
}
