// The text rules of notebook commands, whichever transport carried them: names are printable text, code
// is any text the store and Python can hold. A violation is a 400 naming the field.
import { invalidRequest } from "../http/index.js";

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
