/**
 * Every CSS part the element exposes, by the component whose shadow root holds it: the one list the
 * `exportparts` attributes, the manifest (`custom-elements.config.mjs` reads `PART_DESCRIPTIONS`) and the
 * docs are held to (`test/parts.test.ts` checks every `part=` in a template against it).
 */

/** Each component's own parts. Controls (`button`, `input`, `select`) appear in several and are listed once. */
export const PARTS = {
  "reactive-notebook": ["header", "title", "status", "user", "body", "sign-in", "problem"],
  "rn-notebook-view": [
    "notebook",
    "notebook-header",
    "notebook-name",
    "kernel-status",
    "kernel-progress",
    "toolbar",
    "shortcuts-help",
    "insert-bar",
    "problem",
    "app-cell",
    "app-error",
  ],
  "rn-cell": [
    "cell",
    "cell-toolbar",
    "cell-editor",
    "cell-status",
    "cell-progress",
    "cell-chips",
    "chip",
    "cell-stdout",
    "cell-stderr",
    "cell-error",
    "cell-markdown",
  ],
  "rn-outputs": [
    "output",
    "output-text",
    "output-markdown",
    "output-frame",
    "output-image",
    "output-json",
    "output-table",
  ],
  "rn-control": ["control", "control-label", "control-input", "control-value", "control-error"],
  "rn-notebook-list": ["notebook-list", "notebook-list-item"],
  controls: ["button", "input", "select"],
} as const;

export type PartOwner = Exclude<keyof typeof PARTS, "controls">;
export type PartName = (typeof PARTS)[keyof typeof PARTS][number];

/** The components each one renders inside its shadow root, whose parts it forwards. */
const NESTED: Record<PartOwner, readonly PartOwner[]> = {
  "reactive-notebook": ["rn-notebook-view", "rn-notebook-list"],
  "rn-notebook-view": ["rn-cell", "rn-outputs"],
  "rn-cell": ["rn-outputs"],
  "rn-outputs": ["rn-control"],
  "rn-control": [],
  "rn-notebook-list": [],
};

/** The parts visible on `owner` from outside: its own, the controls, and everything it forwards. */
export function partsOf(owner: PartOwner): PartName[] {
  const names = new Set<PartName>([...PARTS[owner], ...PARTS.controls]);
  for (const nested of NESTED[owner]) for (const name of partsOf(nested)) names.add(name);
  return [...names];
}

/** The `exportparts` value for a `<tag>` rendered inside another component: every part it shows. */
export function exportParts(tag: PartOwner): string {
  return partsOf(tag).join(", ");
}
