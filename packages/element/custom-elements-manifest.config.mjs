// The manifest analyzer's settings (`npm run manifest`, after `tsc -b`). Parts are not written as
// `@csspart` JSDoc by hand: a plugin copies them from src/internal/parts.ts (compiled), the one list the
// templates are tested against, so the manifest cannot drift from what the element exposes.
import { PART_DESCRIPTIONS } from "./dist/src/internal/part-descriptions.js";
import { PARTS, partsOf } from "./dist/src/internal/parts.js";

/** Sets `cssParts` on every element that owns parts: its own, the controls, and those it forwards. */
function partsFromTable() {
  return {
    name: "reactive-notebook-parts",
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        for (const declaration of module.declarations ?? []) {
          const tag = declaration.tagName;
          if (!declaration.customElement || !tag || !(tag in PARTS)) continue;
          declaration.cssParts = partsOf(tag).map((name) => ({ name, description: PART_DESCRIPTIONS[name] }));
        }
      }
    },
  };
}

export default {
  globs: ["src/**/*.ts"],
  exclude: ["src/**/*.styles.ts"],
  outdir: ".",
  litelement: true,
  plugins: [partsFromTable()],
};
