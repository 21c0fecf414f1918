/** Turns terminal text with ANSI escape sequences into styled spans: colours and bold/italic/underline kept, every other escape dropped. */

/** One run of text sharing one style; `classes` are `ansi-*` class names defined in the outputs styles. */
export interface AnsiSpan {
  text: string;
  classes: string;
}

const COLOURS = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"] as const;

/** CSI sequences (`ESC [ … final`), OSC sequences (`ESC ] … BEL|ST`) and two-character escapes. */
const ESCAPE = /\u001b\[([0-9;?]*)([@-~])|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

interface Style {
  fg?: string;
  bg?: string;
  bold: boolean;
  italic: boolean;
  underline: boolean;
}

/** True when `text` contains an escape character, so a caller can skip parsing for plain text. */
export function hasAnsi(text: string): boolean {
  return text.includes("\u001b");
}

/** Removes every ANSI escape sequence. */
export function stripAnsi(text: string): string {
  return text.replace(ESCAPE, "");
}

/** Splits `text` into styled runs. SGR (`ESC[…m`) codes set the style; other sequences are removed. */
export function parseAnsi(text: string): AnsiSpan[] {
  const spans: AnsiSpan[] = [];
  let style: Style = { bold: false, italic: false, underline: false };
  let last = 0;
  const push = (chunk: string) => {
    if (chunk) spans.push({ text: chunk, classes: classesOf(style) });
  };
  for (const match of text.matchAll(ESCAPE)) {
    push(text.slice(last, match.index));
    last = match.index + match[0].length;
    if (match[2] === "m") style = applySgr(style, match[1] ?? "");
  }
  push(text.slice(last));
  return spans;
}

function applySgr(current: Style, params: string): Style {
  const style = { ...current };
  const codes = params === "" ? [0] : params.split(";").map((code) => Number.parseInt(code || "0", 10));
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i] ?? 0;
    if (code === 0)
      Object.assign(style, { fg: undefined, bg: undefined, bold: false, italic: false, underline: false });
    else if (code === 1) style.bold = true;
    else if (code === 3) style.italic = true;
    else if (code === 4) style.underline = true;
    else if (code === 22) style.bold = false;
    else if (code === 23) style.italic = false;
    else if (code === 24) style.underline = false;
    else if (code >= 30 && code <= 37) style.fg = COLOURS[code - 30];
    else if (code >= 90 && code <= 97) style.fg = COLOURS[code - 90];
    else if (code === 39) style.fg = undefined;
    else if (code >= 40 && code <= 47) style.bg = COLOURS[code - 40];
    else if (code >= 100 && code <= 107) style.bg = COLOURS[code - 100];
    else if (code === 49) style.bg = undefined;
    else if (code === 38 || code === 48) {
      // 256-colour (`38;5;n`) and true-colour (`38;2;r;g;b`) are skipped: their contrast cannot be guaranteed.
      i += codes[i + 1] === 5 ? 2 : codes[i + 1] === 2 ? 4 : 0;
    }
  }
  return style;
}

function classesOf(style: Style): string {
  const classes: string[] = [];
  if (style.fg) classes.push(`ansi-${style.fg}`);
  if (style.bg) classes.push(`ansi-bg-${style.bg}`);
  if (style.bold) classes.push("ansi-bold");
  if (style.italic) classes.push("ansi-italic");
  if (style.underline) classes.push("ansi-underline");
  return classes.join(" ");
}
