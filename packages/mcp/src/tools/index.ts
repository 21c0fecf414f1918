/** Every tool, in the order tools/list gives them (and docs/agents.md lists them); the folder's only door. */
import type { ToolDefinition } from "../tool.js";
import { addCell, deleteCell, editCell, moveCell } from "./cells.js";
import {
  createNotebook,
  deleteNotebook,
  exportIpynb,
  getNotebook,
  listNotebooks,
  renameNotebook,
  setDatabase,
} from "./notebooks.js";
import { interrupt, restartKernel, runAll, runCell, setControl } from "./runs.js";

export const TOOLS: readonly ToolDefinition[] = [
  listNotebooks,
  createNotebook,
  getNotebook,
  renameNotebook,
  deleteNotebook,
  addCell,
  editCell,
  deleteCell,
  moveCell,
  runCell,
  runAll,
  setControl,
  interrupt,
  restartKernel,
  setDatabase,
  exportIpynb,
];
