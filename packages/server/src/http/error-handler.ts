// The one place errors become responses: ApiErrors, Fastify's own errors (validation, bad JSON, body too
// large, unknown routes, rate limits) and unexpected failures all leave as API.md's error body, with the
// request id, and without the internals of a 5xx.
import { MAX_CODE_LENGTH } from "@reactive-notebook/protocol";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { KernelUnavailableError } from "../kernel/index.js";
import {
  ApiError,
  invalidRequest,
  kernelUnavailable,
  notFound,
  payloadTooLarge,
  unauthorized,
} from "./errors.js";

/** The body of every error response. `requestId` lets a user quote the failing request to an operator. */
export interface ErrorResponseBody {
  error: { code: string; message: string; details?: object; requestId: string };
}

interface AjvIssue {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** The JSON pointer of the field an Ajv issue is about (a missing or unexpected property names itself). */
function fieldOf(issue: AjvIssue): string {
  if (issue.keyword === "required") return `${issue.instancePath}/${String(issue.params.missingProperty)}`;
  if (issue.keyword === "additionalProperties") {
    return `${issue.instancePath}/${String(issue.params.additionalProperty)}`;
  }
  return issue.instancePath;
}

function describe(issue: AjvIssue): string {
  if (issue.keyword === "required") return "is required";
  if (issue.keyword === "additionalProperties") return "is not an accepted property";
  return issue.message ?? "is invalid";
}

const LOCATIONS: Record<string, string> = {
  body: "body",
  params: "path",
  querystring: "query",
  headers: "headers",
};

/** A schema violation → 400 naming the field, or 413 when it is a cell's code over its length limit. */
function fromValidation(issues: AjvIssue[], context: string | undefined): ApiError {
  const first = issues[0] as AjvIssue;
  const field = fieldOf(first);
  if (first.keyword === "maxLength" && /\/code$/.test(field)) {
    const error = payloadTooLarge(
      `Cell code at ${field} is over the limit of ${MAX_CODE_LENGTH} characters.`,
    );
    return Object.assign(error, { details: { field } });
  }
  const location = LOCATIONS[context ?? "body"] ?? "request";
  return invalidRequest(`Invalid ${location}: ${field || "the value"} ${describe(first)}.`, {
    field,
    location,
    errors: issues.map((issue) => ({ path: fieldOf(issue), message: describe(issue) })),
  });
}

/** Any error → the ApiError to answer with, or null for an unexpected failure (a 500). */
export function toApiError(error: FastifyError | ApiError | Error): ApiError | null {
  if (error instanceof ApiError) return error;
  if (error instanceof KernelUnavailableError) return kernelUnavailable(error.message);
  const fastifyError = error as FastifyError;
  if (Array.isArray(fastifyError.validation) && fastifyError.validation.length > 0) {
    return fromValidation(fastifyError.validation as AjvIssue[], fastifyError.validationContext);
  }
  switch (fastifyError.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return payloadTooLarge("The request body is over the limit of 1 MiB.");
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return invalidRequest("The request body is not valid JSON.", { field: "" });
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return invalidRequest("The request body is empty but its Content-Type is application/json.", {
        field: "",
      });
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return invalidRequest("Unsupported Content-Type: send application/json.", { field: "" });
  }
  const status = fastifyError.statusCode;
  if (status === undefined || status >= 500) return null;
  if (status === 401) return unauthorized(fastifyError.message);
  if (status === 404) return notFound(fastifyError.message);
  if (status === 413) return payloadTooLarge(fastifyError.message);
  // Anything else Fastify refuses before a handler runs (bad URL, bad content length...) is a bad request.
  if (error instanceof SyntaxError)
    return invalidRequest("The request body is not valid JSON.", { field: "" });
  return invalidRequest(fastifyError.message);
}

function send(reply: FastifyReply, request: FastifyRequest, status: number, body: ErrorResponseBody) {
  // Plain JSON, not a route's response schema: that would drop fields the schema does not list.
  return reply
    .code(status)
    .header("x-request-id", request.id)
    .type("application/json; charset=utf-8")
    .serializer(JSON.stringify)
    .send(body);
}

/** Answers every error of the app and every unknown route with the API.md error body. */
export const errorHandlerPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook("onRequest", async (request, reply) => {
      reply.header("x-request-id", request.id);
    });

    app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
      const apiError = toApiError(error);
      if (!apiError) {
        request.log.error({ err: error }, "request failed");
        return send(reply, request, 500, {
          error: {
            code: "internal_error",
            message: `Something went wrong on our side; quote request id ${request.id} if you report it.`,
            requestId: request.id,
          },
        });
      }
      if (apiError.status >= 500) request.log.warn({ err: error }, apiError.message);
      for (const [name, value] of Object.entries(apiError.headers)) reply.header(name, value);
      if (apiError.status === 401 && !reply.hasHeader("www-authenticate"))
        reply.header("www-authenticate", "Bearer");
      const body: ErrorResponseBody = {
        error: { code: apiError.code, message: apiError.message, requestId: request.id },
      };
      if (apiError.details !== undefined) body.error.details = apiError.details;
      return send(reply, request, apiError.status, body);
    });

    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split("?")[0]?.slice(0, 200) ?? "";
      const error = notFound(`No route ${request.method} ${path}.`);
      return send(reply, request, error.status, {
        error: { code: error.code, message: error.message, requestId: request.id },
      });
    });
  },
  { name: "error-handler" },
);
