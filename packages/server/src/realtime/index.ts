// The realtime folder's only door: the plugin that serves notebook WebSockets and `app.realtime.publish`.
export { CloseCode, type NotebookAccess, type NotebookRunner } from "./connection.js";
export {
  DEFAULT_MAX_BUFFERED_BYTES,
  DEFAULT_PING_INTERVAL_MS,
  type Realtime,
  type RealtimeOptions,
  realtimePlugin,
} from "./plugin.js";
