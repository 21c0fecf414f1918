/**
 * Loads `<rn-outputs>` on demand. Output renderers (Markdown with its sanitizer, tables, JSON trees, chart
 * frames) are a chunk of their own, fetched when the first cell renders, so the core bundle stays within
 * its budget; an `<rn-outputs>` rendered before that upgrades (keeping its properties) once it arrives.
 */
type OutputsModule = typeof import("../outputs/index.js");

let loading: Promise<OutputsModule> | undefined;

/** Loads and registers `<rn-outputs>` (once per page). */
export function loadOutputs(): Promise<OutputsModule> {
  if (!loading) {
    loading = import("../outputs/index.js").then((module) => {
      module.defineOutputs();
      return module;
    });
    // A failed fetch (a network blip) is retried by the next caller.
    loading.catch(() => {
      loading = undefined;
    });
  }
  return loading;
}

/** Sets where chart outputs load their vendor scripts from (see `setVendorBase` in the outputs module). */
export async function setOutputsVendorBase(url: string): Promise<void> {
  (await loadOutputs()).setVendorBase(url);
}
