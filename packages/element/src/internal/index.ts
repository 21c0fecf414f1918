/** Internals shared by this package's components; not part of the public API. */
export { controlStyles } from "./controls.styles.js";
export { NotebookElement, type NotebookEventMap } from "./notebook-element.js";
export { loadOutputs, setOutputsVendorBase } from "./outputs-loader.js";
export { exportParts, PARTS, type PartName, type PartOwner, partsOf } from "./parts.js";
