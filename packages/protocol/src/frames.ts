/** The frames a client sends on the notebook WebSocket (API.md "WebSocket"), as a union discriminated on `type`. */
import { type Static, Type } from "@sinclair/typebox";
import { ref } from "./ref.js";
import { ControlValue } from "./resources.js";

// Client frames are closed like request bodies: an unknown field is an error frame.
const closed = { additionalProperties: false } as const;

export const AuthFrame = Type.Object(
  { type: Type.Literal("auth"), token: Type.String({ minLength: 1 }) },
  {
    ...closed,
    $id: "AuthFrame",
    description: "First frame of a connection; send again to refresh the token.",
  },
);
export type AuthFrame = Static<typeof AuthFrame>;

export const RunCellFrame = Type.Object(
  { type: Type.Literal("run_cell"), cellId: Type.String({ minLength: 1 }) },
  { ...closed, $id: "RunCellFrame" },
);
export type RunCellFrame = Static<typeof RunCellFrame>;

export const RunAllFrame = Type.Object({ type: Type.Literal("run_all") }, { ...closed, $id: "RunAllFrame" });
export type RunAllFrame = Static<typeof RunAllFrame>;

export const InterruptFrame = Type.Object(
  { type: Type.Literal("interrupt") },
  { ...closed, $id: "InterruptFrame" },
);
export type InterruptFrame = Static<typeof InterruptFrame>;

export const PingFrame = Type.Object(
  { type: Type.Literal("ping") },
  { ...closed, $id: "PingFrame", description: "Answered by a pong event." },
);
export type PingFrame = Static<typeof PingFrame>;

export const SetControlFrame = Type.Object(
  {
    type: Type.Literal("set_control"),
    cellId: Type.String({ minLength: 1 }),
    controlId: Type.String({ minLength: 1 }),
    value: ref(ControlValue),
  },
  {
    ...closed,
    $id: "SetControlFrame",
    description: "A person changed a control: set its value and re-run the cells that read it.",
  },
);
export type SetControlFrame = Static<typeof SetControlFrame>;

export const ClientFrame = Type.Union(
  [
    ref(AuthFrame),
    ref(RunCellFrame),
    ref(RunAllFrame),
    ref(InterruptFrame),
    ref(PingFrame),
    ref(SetControlFrame),
  ],
  {
    $id: "ClientFrame",
    description: "Any client → server WebSocket frame.",
  },
);
export type ClientFrame = Static<typeof ClientFrame>;
export type ClientFrameType = ClientFrame["type"];
/** The client frame whose `type` is T. */
export type FrameOf<T extends ClientFrameType> = Extract<ClientFrame, { type: T }>;

export const CLIENT_FRAME_TYPES = [
  "auth",
  "run_cell",
  "run_all",
  "interrupt",
  "ping",
  "set_control",
] as const satisfies readonly ClientFrameType[];

export const ClientFrameType = Type.Union(
  CLIENT_FRAME_TYPES.map((type) => Type.Literal(type)),
  { $id: "ClientFrameType" },
);
