/** The Reactive Notebook wire contract (REST + WebSocket) as TypeBox schemas, TypeScript types and validators. */
export * from "./errors.js";
export * from "./events.js";
export * from "./frames.js";
export * from "./ipynb.js";
export * from "./limits.js";
export * from "./output-frame.js";
export { ref } from "./ref.js";
export * from "./requests.js";
export * from "./resources.js";
export * from "./schemas.js";
export * from "./site-policy.js";
export * from "./streams.js";
export * from "./validate.js";
