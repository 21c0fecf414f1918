"""Turns a cell's source into an AST safely: shared by analysis and execution.

CPython's parser and compiler recurse in C for every nesting level of a
left-recursive chain (``1+1+...``, ``a.b.c...``, ``f()()...``). Under Pyodide
that C recursion runs on the JavaScript stack, and around 2,000 levels it
overflows it, which is a fatal, unrecoverable Pyodide error rather than a
Python exception. So before parsing a long source we estimate its nesting depth
from its tokens and refuse anything deeper than ``MAX_DEPTH``.
"""

import ast
import io
import re
import tokenize

MAX_DEPTH = 800
# A source shorter than this cannot nest deeper than MAX_DEPTH: skip the scan.
_SCAN_FROM = MAX_DEPTH

_OPEN = {"(", "[", "{"}
_CLOSE = {")", "]", "}"}
# Tokens after which the next sibling starts at the same depth again (not ":":
# ``lambda: lambda: ...`` nests).
_FLAT = {",", ";", "="}
_KEYWORD_OPERATORS = {"not", "and", "or", "if", "else", "lambda", "await", "in", "is", "for", "yield"}
_OPERATOR_CHARACTERS = ".+-*/%@&|^~<>([{"
_KEYWORD_PATTERN = re.compile(r"\b(?:" + "|".join(sorted(_KEYWORD_OPERATORS)) + r")\b")


def _operator_count(code):
    """How many tokens could deepen an expression at all: a cheap upper bound."""
    count = 0
    for character in _OPERATOR_CHARACTERS:
        count += code.count(character)
    return count + len(_KEYWORD_PATTERN.findall(code))


def nesting_depth(code):
    """An over-estimate of the deepest expression nesting in ``code``, with its line.

    Operators accumulate depth along a statement; a comma or an assignment
    starts a flat sibling; each bracket adds a level for its contents.
    """
    counters = [0]
    deepest, deepest_line = 0, 1
    try:
        for tok in tokenize.generate_tokens(io.StringIO(code).readline):
            kind, text = tok.type, tok.string
            if kind == tokenize.NEWLINE:
                counters = [0]
                continue
            if kind == tokenize.OP:
                if text in _OPEN:
                    counters[-1] += 1
                    counters.append(0)
                elif text in _CLOSE:
                    if len(counters) > 1:
                        counters.pop()
                    continue
                elif text in _FLAT:
                    counters[-1] = 0
                    continue
                else:
                    counters[-1] += 1
            elif kind == tokenize.NAME and text in _KEYWORD_OPERATORS:
                counters[-1] += 1
            else:
                continue
            depth = sum(counters)
            if depth > deepest:
                deepest, deepest_line = depth, tok.start[0]
                if deepest > MAX_DEPTH:
                    break
    except (tokenize.TokenError, SyntaxError):
        pass  # the parser reports the real error; we keep what we counted
    return deepest, deepest_line


def check_depth(code):
    """Raise a SyntaxError when ``code`` could overflow the parser's stack."""
    if len(code) < _SCAN_FROM or _operator_count(code) <= MAX_DEPTH:
        return
    depth, line = nesting_depth(code)
    if depth > MAX_DEPTH:
        raise SyntaxError(
            f"code is nested too deeply (more than {MAX_DEPTH} levels)", ("<cell>", line, 1, None)
        )


# Sources longer than this are parsed in pieces of about this size. CPython's parser spends time per
# f-string replacement field that grows with the length of the whole source (measured under Pyodide:
# 0.11 ms per line of five fields in a 26 KB source, 0.34 ms in a 107 KB one; a 256 KiB cell of f-strings
# took 9 s to parse, 0.6 s in pieces), so pieces keep the cost linear in the source's length.
_CHUNK_CHARS = 16 * 1024
# Keywords that continue the compound statement above them: never the start of a piece.
_CONTINUATIONS = {"else", "elif", "except", "finally"}


def parse(code, filename="<cell>"):
    """Parse a cell (top-level ``await`` allowed), refusing hostile nesting first."""
    check_depth(code)
    if len(code) > 2 * _CHUNK_CHARS:
        pieces = _pieces(code)
        if len(pieces) > 1:
            return _parse_pieces(code, pieces, filename)
    return ast.parse(code, filename, "exec")


def _pieces(code):
    """First lines (1-based) of pieces of ``code`` that each start a top-level statement."""
    starts = []
    indent = 0
    line_start = True
    after_decorator = False
    try:
        for tok in tokenize.generate_tokens(io.StringIO(code).readline):
            kind = tok.type
            if kind == tokenize.INDENT:
                indent += 1
            elif kind == tokenize.DEDENT:
                indent -= 1
            elif kind == tokenize.NEWLINE:
                line_start = True
            elif kind in (tokenize.NL, tokenize.COMMENT, tokenize.ENCODING, tokenize.ENDMARKER):
                pass
            elif line_start:
                line_start = False
                continues = kind == tokenize.NAME and tok.string in _CONTINUATIONS
                if indent == 0 and not continues and not after_decorator:
                    starts.append(tok.start[0])
                after_decorator = kind == tokenize.OP and tok.string == "@"
    except (tokenize.TokenError, SyntaxError):
        return []  # the whole-source parse reports the error
    lines = code.splitlines(True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    pieces, last = [], None
    for line in starts:
        if last is None or offsets[line - 1] - offsets[last - 1] >= _CHUNK_CHARS:
            pieces.append(line)
            last = line
    return pieces if pieces and pieces[0] == 1 else []


def _parse_pieces(code, pieces, filename):
    lines = code.splitlines(True)
    body = []
    bounds = [*pieces, len(lines) + 1]
    for first, end in zip(bounds, bounds[1:]):
        text = "".join(lines[first - 1 : end - 1])
        try:
            tree = ast.parse(text, filename, "exec")
        except SyntaxError as error:
            if error.lineno is not None:
                error.lineno += first - 1
            if getattr(error, "end_lineno", None) is not None:
                error.end_lineno += first - 1
            raise
        ast.increment_lineno(tree, first - 1)
        body.extend(tree.body)
    return ast.Module(body=body, type_ignores=[])


def syntax_error_info(error):
    """A CellError dict for a SyntaxError: the message names its line and column."""
    line = error.lineno or 1
    column = error.offset or 1
    text = error.msg if isinstance(error.msg, str) else str(error)
    name = type(error).__name__
    trace = "".join(_format_only(error))
    return {"name": name, "message": f"{text} (line {line}, column {column})", "traceback": trace}


def _format_only(error):
    import traceback

    try:
        return traceback.format_exception_only(type(error), error)
    except Exception:  # noqa: BLE001 - formatting must never hide the error itself
        return [f"{type(error).__name__}: {error}\n"]
