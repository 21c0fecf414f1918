// The JSON body parser of every route: the body must be valid UTF-8 (no silent replacement characters) and
// nest at most MAX_BODY_DEPTH levels, checked in one pass over the text before anything is built from it;
// then Fastify's own parser (prototype-poisoning checks included) reads it. Failures are 400s.
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { invalidRequest } from "./errors.js";

/** Deepest nesting of arrays/objects a request body may have (notebooks and their outputs stay far below). */
export const MAX_BODY_DEPTH = 100;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** True when JSON `text` nests deeper than `max` (strings and escapes skipped). */
function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > max) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

export const jsonBodyPlugin = fp(
  async (app: FastifyInstance) => {
    const parse = app.getDefaultJsonParser("error", "error");
    app.removeContentTypeParser("application/json");
    app.addContentTypeParser("application/json", { parseAs: "buffer" }, (request, body, done) => {
      let text: string;
      try {
        text = utf8.decode(body as Buffer);
      } catch {
        done(invalidRequest("The request body is not valid UTF-8.", { field: "" }), undefined);
        return;
      }
      if (nestsDeeperThan(text, MAX_BODY_DEPTH)) {
        done(
          invalidRequest(`The request body nests deeper than ${MAX_BODY_DEPTH} levels.`, { field: "" }),
          undefined,
        );
        return;
      }
      parse(request, text, done);
    });
  },
  { name: "json-body", dependencies: ["error-handler"] },
);
