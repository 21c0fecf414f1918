// The text of an SQL cell, read once by one scanner: statements split on `;`, `{name}` placeholders (or a
// dotted `{name.attribute}`, e.g. a control's `{n.value}`) turned into bind parameters ($1, $2, … per
// statement), `{{`/`}}` into literal braces. Quoted strings ('…', E'…',
// "…", $tag$…$tag$) and comments (--, /* */) are copied untouched: a `{name}` or `;` inside them is text.

export interface CompiledStatement {
  /** The statement as sent to PostgreSQL, with $n parameters. */
  text: string;
  /**
   * The variable of each parameter (`n`, or dotted: `n.value`): `params[0]` is $1. A name used twice is one
   * parameter.
   */
  params: string[];
  /** Maps a 1-based character position in `text` (PostgreSQL's error position) to one in the cell's code. */
  sourcePosition(position: number): number;
}

interface Piece {
  /** Offset in the compiled text where this piece starts. */
  at: number;
  /** Offset in the source code it came from. */
  from: number;
  /** Source characters the piece spans (a placeholder's compiled text is shorter or longer). */
  length: number;
  placeholder: boolean;
}

/** A placeholder's name: a Python identifier, optionally followed by `.attribute`s. */
const PLACEHOLDER = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/;

class StatementBuilder {
  text = "";
  params: string[] = [];
  pieces: Piece[] = [];
  constructor(readonly start: number) {}

  copy(code: string, from: number, to: number): void {
    if (to <= from) return;
    this.pieces.push({ at: this.text.length, from, length: to - from, placeholder: false });
    this.text += code.slice(from, to);
  }

  literal(char: string, from: number, sourceLength: number): void {
    this.pieces.push({ at: this.text.length, from, length: sourceLength, placeholder: true });
    this.text += char;
  }

  placeholder(name: string, from: number, sourceLength: number): void {
    let index = this.params.indexOf(name);
    if (index < 0) index = this.params.push(name) - 1;
    this.pieces.push({ at: this.text.length, from, length: sourceLength, placeholder: true });
    this.text += `$${index + 1}`;
  }

  build(): CompiledStatement | null {
    if (isBlank(this.text)) return null;
    const pieces = this.pieces;
    return {
      text: this.text,
      params: this.params,
      sourcePosition(position: number): number {
        const offset = position - 1;
        let piece = pieces[0];
        for (const candidate of pieces) {
          if (candidate.at > offset) break;
          piece = candidate;
        }
        if (!piece) return position;
        const inside = piece.placeholder ? 0 : Math.min(offset - piece.at, piece.length);
        return piece.from + inside + 1;
      },
    };
  }
}

/** True when the text has nothing but whitespace and comments. */
function isBlank(text: string): boolean {
  return (
    text
      .replace(/--[^\n]*/g, "")
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .trim() === ""
  );
}

/** The end (exclusive) of the quoted string or comment starting at `i`, or -1 when none starts there. */
function skipQuoted(code: string, i: number): number {
  const c = code[i];
  const next = code[i + 1];
  if (c === "-" && next === "-") {
    const end = code.indexOf("\n", i);
    return end < 0 ? code.length : end;
  }
  if (c === "/" && next === "*") {
    let depth = 0;
    let j = i;
    while (j < code.length) {
      if (code.startsWith("/*", j)) {
        depth++;
        j += 2;
      } else if (code.startsWith("*/", j)) {
        depth--;
        j += 2;
        if (depth === 0) return j;
      } else j++;
    }
    return code.length;
  }
  if (c === "'" || c === '"') {
    const escapes =
      c === "'" && (code[i - 1] === "E" || code[i - 1] === "e") && !/\w/.test(code[i - 2] ?? "");
    let j = i + 1;
    while (j < code.length) {
      if (escapes && code[j] === "\\") j += 2;
      else if (code[j] === c) {
        if (code[j + 1] === c) j += 2;
        else return j + 1;
      } else j++;
    }
    return code.length;
  }
  if (c === "$" && !/\w/.test(code[i - 1] ?? "")) {
    const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(code.slice(i))?.[0];
    if (!tag) return -1;
    const end = code.indexOf(tag, i + tag.length);
    return end < 0 ? code.length : end + tag.length;
  }
  return -1;
}

/** Splits an SQL cell into statements with bind parameters; empty statements are dropped. */
export function compileSql(code: string): CompiledStatement[] {
  const statements: CompiledStatement[] = [];
  let current = new StatementBuilder(0);
  let copyFrom = 0;
  let i = 0;
  const flush = (to: number) => {
    current.copy(code, copyFrom, to);
  };
  while (i < code.length) {
    const quotedEnd = skipQuoted(code, i);
    if (quotedEnd >= 0) {
      i = quotedEnd;
      continue;
    }
    const c = code[i];
    if (c === ";") {
      flush(i);
      const built = current.build();
      if (built) statements.push(built);
      current = new StatementBuilder(i + 1);
      copyFrom = i + 1;
      i++;
    } else if ((c === "{" && code[i + 1] === "{") || (c === "}" && code[i + 1] === "}")) {
      flush(i);
      current.literal(c, i, 2);
      i += 2;
      copyFrom = i;
    } else if (c === "{") {
      const name = PLACEHOLDER.exec(code.slice(i + 1))?.[0];
      if (name && code[i + 1 + name.length] === "}") {
        flush(i);
        current.placeholder(name, i, name.length + 2);
        i += name.length + 2;
        copyFrom = i;
      } else i++;
    } else i++;
  }
  flush(code.length);
  const last = current.build();
  if (last) statements.push(last);
  return statements;
}

/** The variable names an SQL cell's placeholders read (`n` for `{n.value}`), in order of first use. */
export function placeholderNames(code: string): string[] {
  const names = new Set<string>();
  for (const statement of compileSql(code))
    for (const name of statement.params) names.add(placeholderVariable(name));
  return [...names];
}

/** The variable a placeholder reads: its name up to the first dot. */
export function placeholderVariable(placeholder: string): string {
  const dot = placeholder.indexOf(".");
  return dot < 0 ? placeholder : placeholder.slice(0, dot);
}
