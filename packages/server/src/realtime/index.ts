// The realtime folder's only door: `app.realtime` (event fan-out, here and across instances) and the
// notebook socket connection the socket route serves.
export {
  CloseCode,
  type CommandFrame,
  type ConnectionContext,
  type FrameError,
  NotebookConnection,
} from "./connection.js";
export { type Realtime, realtimePlugin } from "./plugin.js";
