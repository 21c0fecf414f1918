/**
 * What each part is, for the manifest (`custom-elements.config.mjs` copies these into
 * `custom-elements.json`) and the docs. Apart from `parts.ts` so the core bundle does not carry the text;
 * the type makes it name every part, and only those.
 */
import type { PartName } from "./parts.js";

export const PART_DESCRIPTIONS: Record<PartName, string> = {
  header: "The element's own top bar: product name, service status, user (hidden by `no-header`).",
  title: "The product name in the top bar.",
  status: "The service status; `data-state` is `connecting`, `connected` or `error`.",
  user: "The signed-in user and the sign-out button.",
  body: "Everything below the top bar.",
  "sign-in": "The sign-in panel.",
  problem: "A notebook-level error (a save refused, the connection lost, the list not loading).",
  notebook: "The open notebook.",
  "notebook-header": "The notebook's bar: name, kernel status, run all, interrupt, restart, help.",
  "notebook-name": "The notebook's name; a button that renames it in place (an input while renaming).",
  "kernel-status":
    "Kernel status text; `data-kernel` is `unknown|starting|ready|busy|restarting|dead`, `data-waiting` names what a cell waits for.",
  "kernel-progress": "The progress bar while the kernel starts or restarts, or a cell waits for something.",
  toolbar: "The notebook's action buttons.",
  "shortcuts-help": "The help dialog: keyboard shortcuts and the service's version.",
  "insert-bar":
    "A “+ Python / + SQL / + Markdown” bar: between cells on hover or focus, always after the last.",
  "app-cell":
    "In the app view (`view=\"app\"`), one cell's outputs and controls; `data-status` is the cell's status.",
  "app-error": "In the app view, a failed cell's error (name and message, no traceback).",
  cell: "A cell's frame; `data-status` and `data-type` attributes.",
  "cell-toolbar": "A cell's buttons: run (stop while it runs), type, SQL result name, move, delete.",
  "cell-editor": "A cell's code editor.",
  "cell-status": "A cell's status line (status, elapsed or run time, reads/writes chips).",
  "cell-progress":
    "What a running cell waits for (the sample database starting, Python packages loading), with its progress.",
  "cell-chips": "A cell's reads/writes chips.",
  chip: "One reads chip (a button to the cell that defines the name).",
  "cell-stdout": "Printed output.",
  "cell-stderr": "Text written to stderr.",
  "cell-error": "A cell's error and traceback.",
  "cell-markdown": "A markdown cell's rendering.",
  output: "One output; `data-mime-type` names its type.",
  "output-text": "A `text/plain` output (`<pre>`).",
  "output-markdown": "A rendered `text/markdown` output.",
  "output-frame": "The sandboxed `<iframe>` of an HTML, SVG, Vega-Lite or Plotly output.",
  "output-image": "An `image/png` output (`<img>`).",
  "output-json": "An `application/json` tree.",
  "output-table": "A table output with its pager.",
  control: "An interactive control (`rn.ui.*`); `data-kind` names its kind, `data-control-id` its id.",
  "control-label": "A control's visible label (a radio group's legend).",
  "control-input":
    "A control's field: the slider, number or text field, text area, drop-down, checkbox, radio group or button.",
  "control-value": "The value shown next to a slider.",
  "control-error": "Why the service refused a control's value (the control settles back).",
  "notebook-list": "The notebook list.",
  "notebook-list-item": "One notebook in the list.",
  button: "Every button.",
  input: "Every text input.",
  select: "Every drop-down (a cell's type).",
};
