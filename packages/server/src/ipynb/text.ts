// nbformat's multi-line strings: stored either as one string or as a list of lines that keep their "\n".

/** One string from nbformat's string-or-lines form. */
export function joinSource(source: string | string[] | undefined): string {
  if (source === undefined) return "";
  return Array.isArray(source) ? source.join("") : source;
}

/** Jupyter's own layout: lines that keep their trailing newline, the last one without. */
export function splitLines(text: string): string[] {
  if (text === "") return [];
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

// Jupyter tracebacks are coloured with ANSI escapes; our element shows plain text.
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}
