/** The entry of the CDN bundle: registers `<reactive-notebook>`, points chart outputs at `./vendor/`, re-exports the SDK. */
import { setOutputsVendorBase } from "./internal/index.js";

// The bundle lives in dist/bundle/ with the chart libraries in dist/bundle/vendor/. (Set before any
// output renders: this is the first request for the outputs chunk, so its callback runs first.)
void setOutputsVendorBase(new URL("./vendor/", import.meta.url).href);

export * from "@reactive-notebook/sdk";
export { ReactiveNotebookElement } from "./define.js";
export type {
  AuthChangeDetail,
  CellErrorDetail,
  CellRunDetail,
  NotebookLoadedDetail,
  NotebookOpenDetail,
  NotebookRenamedDetail,
  ServiceStatus,
  Theme,
} from "./index.js";
