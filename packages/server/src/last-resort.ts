// The process's last-resort policy for errors nothing else caught. Every handler that touches untrusted
// data (kernel IPC, sockets, timers) catches its own failures first; reaching here is a bug. A promise
// rejection nobody handled leaves no half-done synchronous work behind, so it is logged and the service
// keeps serving. An exception that unwound an arbitrary stack may have left shared state half-updated,
// so it is logged and the server shuts down cleanly and exits 70, for its supervisor (ECS, systemd,
// a container restart policy) to start a fresh one.
import type { EventEmitter } from "node:events";

export interface LastResortLogger {
  error(o: object, msg: string): void;
  fatal(o: object, msg: string): void;
}

/** Exit code after an uncaught exception (EX_SOFTWARE). */
export const EXIT_UNCAUGHT = 70;

export function installLastResortHandlers(
  target: Pick<EventEmitter, "on">,
  logger: LastResortLogger,
  shutdown: (exitCode: number) => void,
): void {
  target.on("unhandledRejection", (reason: unknown) => {
    logger.error({ err: reason }, "unhandled promise rejection (logged; the service keeps serving)");
  });
  target.on("uncaughtException", (error: unknown) => {
    logger.fatal(
      { err: error },
      "uncaught exception: shutting down for the supervisor to restart the service",
    );
    shutdown(EXIT_UNCAUGHT);
  });
}
