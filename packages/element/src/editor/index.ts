/** The CodeMirror editor a cell uses; this file is the folder's only door. */
export { CellEditor, type CellEditorCallbacks, type EditorLanguage } from "./cell-editor.js";
export { loadLanguage } from "./languages.js";
