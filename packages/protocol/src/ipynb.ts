/**
 * A permissive nbformat 4 notebook: the body of `POST /notebooks/import` and the answer of
 * `GET /notebooks/:id/export`. Only what import needs is checked; every other field Jupyter
 * writes is accepted and kept open (`additionalProperties` is not closed here).
 */
import { type Static, Type } from "@sinclair/typebox";
import { ref } from "./ref.js";

const Metadata = Type.Record(Type.String(), Type.Unknown());
/** nbformat stores multi-line text either as one string or as a list of lines. */
export const MultilineString = Type.Union([Type.String(), Type.Array(Type.String())], {
  $id: "MultilineString",
});
export type MultilineString = Static<typeof MultilineString>;

export const IpynbOutput = Type.Object(
  {
    output_type: Type.String({ description: "stream | display_data | execute_result | error" }),
    name: Type.Optional(Type.String({ description: "stream: stdout or stderr" })),
    text: Type.Optional(ref(MultilineString)),
    data: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: "MIME type → content" })),
    metadata: Type.Optional(Metadata),
    execution_count: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
    ename: Type.Optional(Type.String()),
    evalue: Type.Optional(Type.String()),
    traceback: Type.Optional(Type.Array(Type.String())),
  },
  { $id: "IpynbOutput" },
);
export type IpynbOutput = Static<typeof IpynbOutput>;

export const IpynbCellType = Type.Union(
  [Type.Literal("code"), Type.Literal("markdown"), Type.Literal("raw")],
  {
    $id: "IpynbCellType",
  },
);
export type IpynbCellType = Static<typeof IpynbCellType>;

export const IpynbCell = Type.Object(
  {
    id: Type.Optional(Type.String()),
    cell_type: ref(IpynbCellType),
    source: ref(MultilineString),
    metadata: Type.Optional(Metadata),
    outputs: Type.Optional(Type.Array(ref(IpynbOutput))),
    execution_count: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
    attachments: Type.Optional(Metadata),
  },
  { $id: "IpynbCell" },
);
export type IpynbCell = Static<typeof IpynbCell>;

export const IpynbNotebook = Type.Object(
  {
    nbformat: Type.Literal(4),
    nbformat_minor: Type.Integer({ minimum: 0 }),
    metadata: Metadata,
    cells: Type.Array(ref(IpynbCell)),
  },
  { $id: "IpynbNotebook", description: "An nbformat 4 notebook (permissive)." },
);
export type IpynbNotebook = Static<typeof IpynbNotebook>;

/**
 * Where export keeps what nbformat has no field for: `cell.metadata[IPYNB_METADATA_KEY]`
 * holds `{ type: "sql", name }` for sql cells, so a round trip keeps them sql cells.
 */
export const IPYNB_METADATA_KEY = "reactive_notebook" as const;

export const IpynbCellMetadata = Type.Object(
  { type: Type.Optional(Type.String()), name: Type.Optional(Type.Union([Type.String(), Type.Null()])) },
  { $id: "IpynbCellMetadata", description: `The value of cell.metadata["${IPYNB_METADATA_KEY}"].` },
);
export type IpynbCellMetadata = Static<typeof IpynbCellMetadata>;
