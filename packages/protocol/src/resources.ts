/** The resources the API returns (API.md "Resources"): notebooks, cells, outputs and who-am-I answers. */
import { type Static, Type } from "@sinclair/typebox";
import { ref } from "./ref.js";

// Resources are responses: they leave `additionalProperties` open so an older
// client keeps accepting a newer server that adds fields (see README).

export const CellType = Type.Union([Type.Literal("python"), Type.Literal("sql"), Type.Literal("markdown")], {
  $id: "CellType",
  description: "The language of a cell.",
});
export type CellType = Static<typeof CellType>;

export const CellStatus = Type.Union(
  [
    Type.Literal("idle"),
    Type.Literal("queued"),
    Type.Literal("running"),
    Type.Literal("success"),
    Type.Literal("error"),
    Type.Literal("blocked"),
    Type.Literal("stale"),
  ],
  { $id: "CellStatus", description: "Where a cell is in its run life." },
);
export type CellStatus = Static<typeof CellStatus>;

/** The MIME types the element knows how to render; any other string is allowed and shown as text or ignored. */
export const KNOWN_MIME_TYPES = [
  "text/plain",
  "text/html",
  "text/markdown",
  "image/png",
  "image/svg+xml",
  "application/json",
  "application/vnd.vegalite.v5+json",
  "application/vnd.plotly.v1+json",
  "application/vnd.reactive-notebook.table+json",
  "application/vnd.reactive-notebook.control+json",
] as const;
export const TABLE_MIME_TYPE = "application/vnd.reactive-notebook.table+json" as const;
/** The MIME type of an interactive control's output (`rn.ui.*`); its data is a {@link ControlData}. */
export const CONTROL_MIME_TYPE = "application/vnd.reactive-notebook.control+json" as const;

export const KnownMimeType = Type.Union(
  KNOWN_MIME_TYPES.map((mime) => Type.Literal(mime)),
  { $id: "KnownMimeType", description: "A MIME type the element renders." },
);
export type KnownMimeType = (typeof KNOWN_MIME_TYPES)[number];
/** A known MIME type, or any other string (kept for autocompletion). */
export type MimeType = KnownMimeType | (string & {});

export const Output = Type.Object(
  {
    mimeType: Type.Unsafe<MimeType>(
      Type.String({
        minLength: 1,
        description: `A MIME type; the element renders ${KNOWN_MIME_TYPES.join(", ")}.`,
      }),
    ),
    data: Type.Union(
      [Type.String(), Type.Record(Type.String(), Type.Unknown()), Type.Array(Type.Unknown())],
      {
        description: "Text, base64 for image/png, or JSON for the +json types.",
      },
    ),
    metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { $id: "Output", description: "One rich output: a Jupyter-style MIME bundle entry." },
);
export type Output = Static<typeof Output>;

export const TableColumn = Type.Object(
  { name: Type.String(), type: Type.Optional(Type.String()) },
  { $id: "TableColumn" },
);
export type TableColumn = Static<typeof TableColumn>;

export const TableData = Type.Object(
  {
    columns: Type.Array(ref(TableColumn)),
    rows: Type.Array(Type.Array(Type.Unknown())),
    rowCount: Type.Integer({ minimum: 0, description: "Total rows before truncation." }),
    truncated: Type.Boolean(),
  },
  { $id: "TableData", description: `The data of a ${TABLE_MIME_TYPE} output.` },
);
export type TableData = Static<typeof TableData>;

export const CONTROL_KINDS = [
  "slider",
  "number",
  "text",
  "textarea",
  "dropdown",
  "checkbox",
  "radio",
  "button",
] as const;
export const ControlKind = Type.Union(
  CONTROL_KINDS.map((kind) => Type.Literal(kind)),
  { $id: "ControlKind", description: "Which `rn.ui` constructor made a control." },
);
export type ControlKind = (typeof CONTROL_KINDS)[number];

export const ControlValue = Type.Union([Type.Number(), Type.String(), Type.Boolean()], {
  $id: "ControlValue",
  description:
    "A control's value: a number (slider, number; button: its click count, an integer), a string " +
    "(text, textarea, dropdown, radio: one of its options) or a boolean (checkbox).",
});
export type ControlValue = Static<typeof ControlValue>;

export const ControlData = Type.Object(
  {
    id: Type.String({
      minLength: 1,
      description: "Stable across re-runs of its defining cell: the control's creation order in that cell.",
    }),
    kind: ref(ControlKind),
    label: Type.String(),
    value: ref(ControlValue),
    props: Type.Record(Type.String(), Type.Unknown(), {
      description:
        "By kind — slider: {start, stop, step}; number: {start, stop, step} (start/stop may be null); " +
        "text, textarea: {placeholder}; dropdown, radio: {options: string[]}; checkbox, button: {}.",
    }),
  },
  { $id: "ControlData", description: `The data of a ${CONTROL_MIME_TYPE} output.` },
);
export type ControlData = Static<typeof ControlData>;

export const CellError = Type.Object(
  { name: Type.String(), message: Type.String(), traceback: Type.Optional(Type.String()) },
  {
    $id: "CellError",
    description: "Why a cell is in error, e.g. NameError, CycleError, MultipleDefinitionError.",
  },
);
export type CellError = Static<typeof CellError>;

const nullableInteger = Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]);

export const Cell = Type.Object(
  {
    id: Type.String(),
    type: ref(CellType),
    code: Type.String(),
    name: Type.Optional(
      Type.Union([Type.String(), Type.Null()], {
        description: "sql cells: the Python variable the result is bound to.",
      }),
    ),
    status: ref(CellStatus),
    stdout: Type.String(),
    stderr: Type.String(),
    outputs: Type.Array(ref(Output)),
    error: Type.Union([ref(CellError), Type.Null()]),
    reads: Type.Array(Type.String(), { description: "Sorted global names read from other cells." }),
    writes: Type.Array(Type.String(), { description: "Sorted global names this cell defines." }),
    executionCount: nullableInteger,
    lastRunMs: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
    // An addition to API.md's Cell (resources are open to new fields): the blocker survives a reload.
    blockedBy: Type.Optional(
      Type.Union([Type.String(), Type.Null()], {
        description: "With status `blocked`: the upstream cell whose error stops this one; null otherwise.",
      }),
    ),
  },
  { $id: "Cell", description: "One cell of a notebook." },
);
export type Cell = Static<typeof Cell>;

const isoTime = () => Type.String({ format: "date-time" });

const notebookSummaryProperties = {
  id: Type.String(),
  name: Type.String(),
  createdAt: isoTime(),
  updatedAt: isoTime(),
  cellCount: Type.Integer({ minimum: 0 }),
};

export const NotebookSummary = Type.Object(notebookSummaryProperties, {
  $id: "NotebookSummary",
  description: "A notebook as listed: no cells.",
});
export type NotebookSummary = Static<typeof NotebookSummary>;

export const DatabaseInfo = Type.Object(
  {
    configured: Type.Boolean(),
    host: Type.Optional(Type.String()),
    database: Type.Optional(Type.String()),
    user: Type.Optional(Type.String()),
  },
  { $id: "DatabaseInfo", description: "The notebook's SQL database, never with its password." },
);
export type DatabaseInfo = Static<typeof DatabaseInfo>;

export const Notebook = Type.Object(
  {
    ...notebookSummaryProperties,
    revision: Type.Integer({ minimum: 0, description: "+1 on every structural or code change." }),
    cells: Type.Array(ref(Cell), { description: "In display order." }),
    database: ref(DatabaseInfo),
  },
  { $id: "Notebook", description: "A notebook with its cells." },
);
export type Notebook = Static<typeof Notebook>;

export const AuthMode = Type.Union([Type.Literal("clerk"), Type.Literal("dev")], { $id: "AuthMode" });
export type AuthMode = Static<typeof AuthMode>;

export const Me = Type.Object({ userId: Type.String(), authMode: ref(AuthMode) }, { $id: "Me" });
export type Me = Static<typeof Me>;

export const ClientConfig = Type.Object(
  {
    authMode: ref(AuthMode),
    publishableKey: Type.Union([Type.String(), Type.Null()], {
      description: "Clerk publishable key (pk_…) in Clerk mode when configured; null otherwise.",
    }),
    version: Type.String(),
  },
  {
    $id: "ClientConfig",
    description: "GET /api/v1/config, no auth: what a client needs before signing in.",
  },
);
export type ClientConfig = Static<typeof ClientConfig>;

export const Health = Type.Object(
  { status: Type.Literal("ok"), version: Type.String() },
  { $id: "Health", description: "GET /health, no auth." },
);
export type Health = Static<typeof Health>;

export const KernelStatus = Type.Union(
  [
    Type.Literal("starting"),
    Type.Literal("ready"),
    Type.Literal("busy"),
    Type.Literal("restarting"),
    Type.Literal("dead"),
  ],
  { $id: "KernelStatus" },
);
export type KernelStatus = Static<typeof KernelStatus>;
