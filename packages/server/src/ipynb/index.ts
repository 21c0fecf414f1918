// The ipynb folder's only door: converting notebooks to and from Jupyter's nbformat 4.
export { notebookToIpynb, sqlMagic } from "./export.js";
export { type ImportedNotebook, notebookFromIpynb } from "./import.js";
