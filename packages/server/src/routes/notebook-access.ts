// Ownership checks shared by every `:id` route: 404 when the notebook does not exist, 403 when it belongs
// to someone else (API.md "Ownership"), and the text rules the store relies on for names and code.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { forbidden, invalidRequest, notFound } from "../http/index.js";

/** Resolves when the caller owns notebook `notebookId`; throws the 404 or 403 otherwise. */
export async function requireOwnNotebook(app: FastifyInstance, request: FastifyRequest, notebookId: string) {
  const owner = await app.store.ownerOf(notebookId);
  if (owner === null) throw notebookNotFound(notebookId);
  if (owner !== request.userId) throw forbidden(`Notebook ${notebookId} belongs to another user.`);
}

export const notebookNotFound = (notebookId: string) => notFound(`No notebook ${notebookId}.`);
export const cellNotFound = (notebookId: string, cellId: string) =>
  notFound(`No cell ${cellId} in notebook ${notebookId}.`);

// Control characters (C0, DEL, C1) make names unprintable or spoof layouts in lists; unpaired surrogates
// are not Unicode and could not be stored exactly. Other characters (emoji, RTL marks...) are kept as sent.
const CONTROL = /\p{Cc}/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A notebook name must be printable text: a 400 naming `field` otherwise. */
export function checkName(name: string, field: string): string {
  if (CONTROL.test(name)) {
    throw invalidRequest(`${field} must not contain control characters (newlines, tabs, NUL...).`, { field });
  }
  if (LONE_SURROGATE.test(name)) throw invalidRequest(`${field} is not valid Unicode text.`, { field });
  if (name.trim() === "") throw invalidRequest(`${field} must not be blank.`, { field });
  return name;
}

/** Cell code may hold any text but NUL (Python refuses it; PostgreSQL cannot store it) and lone surrogates. */
export function checkCode(code: string, field: string): string {
  if (code.includes("\u0000")) throw invalidRequest(`${field} must not contain NUL characters.`, { field });
  if (LONE_SURROGATE.test(code)) throw invalidRequest(`${field} is not valid Unicode text.`, { field });
  return code;
}
