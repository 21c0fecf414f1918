/** The request bodies, path parameters, query strings and small responses of the REST routes (API.md "Routes"). */
import { type Static, Type } from "@sinclair/typebox";
import {
  MAX_CELLS_PER_NOTEBOOK,
  MAX_CODE_LENGTH,
  MAX_CONNECTION_STRING_LENGTH,
  MAX_NAME_LENGTH,
  MAX_USER_ID_LENGTH,
} from "./limits.js";
import { ref } from "./ref.js";
import { Cell, CellType, ControlValue, NotebookSummary } from "./resources.js";

// Request bodies are closed (`additionalProperties: false`): a misspelt field is
// a 400 naming it, not a silently ignored option (see README).
const closed = { additionalProperties: false } as const;

const NotebookName = Type.String({ minLength: 1, maxLength: MAX_NAME_LENGTH });
const CellCode = Type.String({ maxLength: MAX_CODE_LENGTH });
/** A cell name is the Python variable an sql cell binds, so it must be an identifier (ASCII only). */
const CellName = Type.String({
  minLength: 1,
  maxLength: MAX_NAME_LENGTH,
  pattern: "^[A-Za-z_][A-Za-z0-9_]*$",
});
const Index = Type.Integer({ minimum: 0 });

export const NotebookParams = Type.Object({ id: Type.String({ minLength: 1 }) }, { $id: "NotebookParams" });
export type NotebookParams = Static<typeof NotebookParams>;

export const CellParams = Type.Object(
  { id: Type.String({ minLength: 1 }), cellId: Type.String({ minLength: 1 }) },
  { $id: "CellParams" },
);
export type CellParams = Static<typeof CellParams>;

export const ControlParams = Type.Object(
  {
    id: Type.String({ minLength: 1 }),
    cellId: Type.String({ minLength: 1 }),
    controlId: Type.String({ minLength: 1 }),
  },
  { $id: "ControlParams" },
);
export type ControlParams = Static<typeof ControlParams>;

export const SetControlBody = Type.Object(
  { value: ref(ControlValue) },
  {
    ...closed,
    $id: "SetControlBody",
    description:
      "PUT /notebooks/:id/cells/:cellId/controls/:controlId: the control's new value, checked against its kind " +
      "and props.",
  },
);
export type SetControlBody = Static<typeof SetControlBody>;

export const ExportFormat = Type.Literal("ipynb", { $id: "ExportFormat" });
export type ExportFormat = Static<typeof ExportFormat>;

export const ExportNotebookQuery = Type.Object(
  { format: Type.Optional(ref(ExportFormat)) },
  {
    ...closed,
    $id: "ExportNotebookQuery",
    description: "GET /notebooks/:id/export; format defaults to ipynb.",
  },
);
export type ExportNotebookQuery = Static<typeof ExportNotebookQuery>;

export const DevTokenRequest = Type.Object(
  { userId: Type.String({ minLength: 1, maxLength: MAX_USER_ID_LENGTH }) },
  { ...closed, $id: "DevTokenRequest", description: "POST /dev/token (dev auth mode only)." },
);
export type DevTokenRequest = Static<typeof DevTokenRequest>;

export const DevTokenResponse = Type.Object(
  { token: Type.String(), expiresAt: Type.String({ format: "date-time" }) },
  { $id: "DevTokenResponse" },
);
export type DevTokenResponse = Static<typeof DevTokenResponse>;

export const NewCell = Type.Object(
  { type: ref(CellType), code: CellCode, name: Type.Optional(Type.Union([CellName, Type.Null()])) },
  { ...closed, $id: "NewCell", description: "A cell given when creating a notebook." },
);
export type NewCell = Static<typeof NewCell>;

export const CreateNotebookBody = Type.Object(
  {
    name: Type.Optional(NotebookName),
    cells: Type.Optional(Type.Array(ref(NewCell), { maxItems: MAX_CELLS_PER_NOTEBOOK })),
  },
  {
    ...closed,
    $id: "CreateNotebookBody",
    description: "POST /notebooks; one empty python cell when `cells` is omitted.",
  },
);
export type CreateNotebookBody = Static<typeof CreateNotebookBody>;

export const RenameNotebookBody = Type.Object(
  { name: NotebookName },
  { ...closed, $id: "RenameNotebookBody", description: "PATCH /notebooks/:id." },
);
export type RenameNotebookBody = Static<typeof RenameNotebookBody>;

export const SetDatabaseBody = Type.Object(
  {
    connectionString: Type.Union(
      [Type.String({ minLength: 1, maxLength: MAX_CONNECTION_STRING_LENGTH }), Type.Null()],
      {
        description: "A postgres:// URL, or null to remove the database.",
      },
    ),
  },
  { ...closed, $id: "SetDatabaseBody", description: "PUT /notebooks/:id/database." },
);
export type SetDatabaseBody = Static<typeof SetDatabaseBody>;

export const CreateCellBody = Type.Object(
  {
    type: ref(CellType),
    code: Type.Optional(CellCode),
    name: Type.Optional(Type.Union([CellName, Type.Null()])),
    index: Type.Optional(Index),
  },
  {
    ...closed,
    $id: "CreateCellBody",
    description: "POST /notebooks/:id/cells; appended when `index` is omitted.",
  },
);
export type CreateCellBody = Static<typeof CreateCellBody>;

export const UpdateCellBody = Type.Object(
  {
    code: Type.Optional(CellCode),
    name: Type.Optional(Type.Union([CellName, Type.Null()])),
    run: Type.Optional(Type.Boolean({ description: "Also schedule the cell to run." })),
    ifRevision: Type.Optional(
      Type.Integer({
        minimum: 0,
        description: "Apply only if the notebook is still at this revision, else 409.",
      }),
    ),
  },
  { ...closed, $id: "UpdateCellBody", description: "PATCH /notebooks/:id/cells/:cellId." },
);
export type UpdateCellBody = Static<typeof UpdateCellBody>;

export const MoveCellBody = Type.Object(
  { index: Index },
  { ...closed, $id: "MoveCellBody", description: "POST /notebooks/:id/cells/:cellId/move." },
);
export type MoveCellBody = Static<typeof MoveCellBody>;

export const ListNotebooksResponse = Type.Object(
  { notebooks: Type.Array(ref(NotebookSummary), { description: "The caller's notebooks, newest first." }) },
  { $id: "ListNotebooksResponse" },
);
export type ListNotebooksResponse = Static<typeof ListNotebooksResponse>;

export const MoveCellResponse = Type.Object(
  { order: Type.Array(Type.String(), { description: "Every cell id in the new display order." }) },
  { $id: "MoveCellResponse" },
);
export type MoveCellResponse = Static<typeof MoveCellResponse>;

export const RunAccepted = Type.Object(
  { runId: Type.String() },
  { $id: "RunAccepted", description: "202 answer of the run routes; follow it on the WebSocket." },
);
export type RunAccepted = Static<typeof RunAccepted>;

export const RunQuery = Type.Object(
  {
    wait: Type.Optional(
      Type.String({
        description:
          "Seconds (0–60) to wait for the run to end; then the answer is 200 RunCompleted instead of 202 RunAccepted.",
        examples: ["30"],
      }),
    ),
  },
  { $id: "RunQuery", ...closed },
);
export type RunQuery = Static<typeof RunQuery>;

export const RunCompleted = Type.Object(
  {
    runId: Type.String(),
    cells: Type.Array(ref(Cell), {
      description: "Every cell the run touched (ran, failed, blocked or found stale), in its final state.",
    }),
    ms: Type.Number({ minimum: 0 }),
  },
  {
    $id: "RunCompleted",
    description: "200 answer of the run routes with ?wait=S when the run ended in time.",
  },
);
export type RunCompleted = Static<typeof RunCompleted>;
