// Response helpers shared by the route files: the documented error statuses, the empty body, and the two
// answers of a run (202 accepted, or 200 with the run's cells when the caller waited for its end).
import { ErrorBody, type RunAccepted, type RunCompleted, ref } from "@reactive-notebook/protocol";
import { Type } from "@sinclair/typebox";
import type { FastifyReply } from "fastify";
import { invalidRequest } from "../http/index.js";
import { MAX_RUN_WAIT_SECONDS } from "../notebooks/index.js";

/** Response schemas for the error statuses a route can answer (documentation; errors bypass them). */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(statuses.map((status) => [status, ref(ErrorBody)]));
}

/** The schema of a response without a body (204, and the 202 of interrupt and restart). */
export const NoBody = Type.Unsafe<undefined>({ description: "No body." });

const SECONDS = /^\d+(?:\.\d+)?$/;

/** `?wait=S` in milliseconds, undefined without it; a 400 naming `/wait` unless 0 ≤ S ≤ 60. */
export function waitMs(query: { wait?: string }): number | undefined {
  if (query.wait === undefined) return undefined;
  const seconds = SECONDS.test(query.wait) ? Number(query.wait) : Number.NaN;
  if (!(seconds >= 0 && seconds <= MAX_RUN_WAIT_SECONDS)) {
    throw invalidRequest(
      `Invalid query: /wait must be a number of seconds from 0 to ${MAX_RUN_WAIT_SECONDS}, got "${query.wait.slice(0, 20)}".`,
      { field: "/wait", location: "query" },
    );
  }
  return Math.round(seconds * 1000);
}

/** 200 with the finished run's cells, or 202 with its id when it is still going. */
export function sendRun(reply: FastifyReply, run: RunAccepted | RunCompleted) {
  return reply.code("cells" in run ? 200 : 202).send(run);
}
