"""Runs a cell in the notebook's globals, Jupyter style.

The notebook's globals are the ``__dict__`` of a fresh ``__main__`` module
(so pickling, dataclasses and ``if __name__ == "__main__"`` behave). A cell is
compiled once per source (cached): its statements, then its trailing
expression, whose value is displayed unless it is None or the line ends with
``;``. Top-level ``await`` is allowed; output is flushed whenever the cell
awaits. Errors come back with tracebacks trimmed to the user's code, with the
cell's own line numbers (each cell's source is registered in ``linecache``
under ``<cell ID>``, so functions defined in one cell and called from another
show the right lines).
"""

import ast
import builtins
import json
import linecache
import os
import sys
import traceback
import types
from collections import OrderedDict

import rn
import rn_display
import rn_streams
import rn_ui
from rn_source import parse, syntax_error_info

_FLAGS = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
_CO_COROUTINE = 0x0080
_RUNTIME_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
_CACHE_SIZE = 512
_compiled = OrderedDict()  # (filename, code) -> (statements, trailing expression)

# matplotlib (when a cell imports it) draws with our backend: plt.show() displays.
os.environ.setdefault("MPLBACKEND", "module://rn_mpl_backend")


# A cell keeps at most this many outputs and characters of them (packages/protocol/src/limits.ts); the
# server adds the "output truncated" note when it sees one past the caps, so one more is sent, then none.
MAX_CELL_OUTPUTS = 1000
MAX_CELL_OUTPUT_BYTES = 8 * 1024 * 1024
# Longest error name, message and traceback a result carries (the server refuses longer ones).
_MAX_ERROR_NAME = 200
_MAX_ERROR_MESSAGE = 60 * 1024
_MAX_TRACEBACK = 250 * 1024


class _Run:
    """The outputs of the cell being run, and where to send them."""

    __slots__ = ("emit", "outputs", "shown_figures", "chars", "over")

    def __init__(self, emit):
        self.emit = emit
        self.outputs = []  # output JSON strings kept, in order
        self.shown_figures = set()
        self.chars = 0
        self.over = False

    def add(self, obj):
        if self.over:
            return
        found = rn_display.to_output(obj)
        if found is None:
            return
        output, payload = found
        self.shown_figures.add(id(obj))  # a figure shown by value is not shown again
        rn_streams.flush_active()  # keep prints that came before it first
        if len(self.outputs) >= MAX_CELL_OUTPUTS or self.chars + len(payload) > MAX_CELL_OUTPUT_BYTES:
            self.over = True
        else:
            self.chars += len(payload)
            self.outputs.append(payload)
        self.emit("display", payload)


_current = None
namespace = {}


def display(*objs):
    """Show each object as a rich output of the running cell (a builtin in cells)."""
    if _current is None:
        return
    for obj in objs:
        _current.add(obj)


def show_figures():
    """Display the pyplot figures not shown yet, then close them (plt.show)."""
    if _current is None:
        return
    for figure in rn_display.open_pyplot_figures():
        if id(figure) not in _current.shown_figures:
            _current.add(figure)
    rn_display.close_pyplot_figures()


def reset():
    """A fresh, empty notebook namespace (``display`` and ``rn`` stay builtins)."""
    global namespace
    module = types.ModuleType("__main__", "The notebook's namespace.")
    module.__dict__["__builtins__"] = builtins
    sys.modules["__main__"] = module
    namespace = module.__dict__
    builtins.display = display
    builtins.rn = rn  # rn.ui works in every cell without an import (an import works too)
    rn_display.close_pyplot_figures()
    rn_ui.reset()


def compile_cell(cell_id, code):
    """``(statements, trailing_expression)`` code objects for a cell, cached by source."""
    filename = f"<cell {cell_id}>"
    key = (filename, code)
    cached = _compiled.get(key)
    if cached is not None:
        _compiled.move_to_end(key)
        linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
        return cached
    tree = parse(code, filename)
    expression = None
    if tree.body and type(tree.body[-1]) is ast.Expr and not _ends_with_semicolon(code, tree.body[-1]):
        last = tree.body.pop()
        expression = compile(ast.Expression(last.value), filename, "eval", _FLAGS)
    statements = compile(tree, filename, "exec", _FLAGS) if tree.body else None
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    _compiled[key] = (statements, expression)
    if len(_compiled) > _CACHE_SIZE:
        _compiled.popitem(last=False)
    return statements, expression


def _ends_with_semicolon(code, node):
    lines = code.splitlines()
    if node.end_lineno is None or node.end_lineno > len(lines):
        return False
    rest = lines[node.end_lineno - 1].encode("utf-8")[node.end_col_offset :].decode("utf-8", "replace")
    return rest.lstrip().startswith(";")


async def run_cell(cell_id, code, emit, controls_json="[]"):
    """Run one cell; returns the JSON of ``{status, outputs, error}`` (contract).

    ``controls_json`` lists what the server knows of the cell's controls (``[{id, args, value}]``), so a
    control whose arguments did not change keeps its value, even in a fresh kernel.
    """
    global _current
    try:
        statements, expression = compile_cell(cell_id, code)
    except SyntaxError as error:
        info = syntax_error_info(error)
        return _result([], bounded_error(info["name"], info["message"], info.get("traceback")))
    except (RecursionError, MemoryError) as error:
        return _result([], {"name": type(error).__name__, "message": "code is nested too deeply to compile"})
    run = _Run(emit)
    stdout = rn_streams.CellStream("stdout", emit)
    stderr = rn_streams.CellStream("stderr", emit)
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = stdout, stderr
    rn_streams.active[:] = (stdout, stderr)
    rn_streams.start_cell()
    _current = run
    rn_ui.begin_cell(cell_id, controls_json)
    error = None
    try:
        globals_ = namespace
        if statements is not None:
            done = eval(statements, globals_)
            if statements.co_flags & _CO_COROUTINE:
                await _flushing(done)
        if expression is not None:
            value = eval(expression, globals_)
            if expression.co_flags & _CO_COROUTINE:
                value = await _flushing(value)
            if value is not None:
                run.add(value)
        if "matplotlib.pyplot" in sys.modules:
            show_figures()
        for control in rn_ui.unshown():  # a control shows itself, after what the cell displayed
            run.add(control)
    except BaseException as exc:  # noqa: BLE001 - KeyboardInterrupt, SystemExit... are cell errors too
        error = error_info(exc)
    finally:
        rn_ui.end_cell()
        _current = None
        rn_streams.active.clear()
        if sys.stdout is stdout:
            sys.stdout = saved[0]
        if sys.stderr is stderr:
            sys.stderr = saved[1]
        stdout.send_all()
        stderr.send_all()
    return _result(run.outputs, error)


def run_cell_now(cell_id, code, emit, controls_json="[]"):
    """``run_cell`` without the event loop when the cell does not await at top level: its result JSON at
    once (a round trip through the event loop costs more than a small cell). A cell that awaits gets the
    coroutine, for the caller to await."""
    try:
        statements, expression = compile_cell(cell_id, code)
        awaits = any(c is not None and c.co_flags & _CO_COROUTINE for c in (statements, expression))
    except Exception:  # noqa: BLE001 - run_cell reports it
        awaits = False
    coroutine = run_cell(cell_id, code, emit, controls_json)
    if awaits:
        return coroutine
    try:
        yielded = coroutine.send(None)
    except StopIteration as stop:
        return stop.value
    return _finish(coroutine, yielded)  # suspended after all (nothing above awaits): the loop finishes it


async def _finish(coroutine, yielded):
    return await _resume(coroutine, yielded)


@types.coroutine
def _resume(coroutine, yielded):
    """Drive, on the event loop, a coroutine that suspended on ``yielded`` while run by hand."""
    while True:
        try:
            value, error = (yield yielded), None
        except BaseException as exc:  # noqa: BLE001 - forwarded into the cell
            value, error = None, exc
        try:
            yielded = coroutine.send(value) if error is None else coroutine.throw(error)
        except StopIteration as stop:
            return stop.value


def _result(outputs, error):
    status = "error" if error else "success"
    return (
        f'{{"status": "{status}", "outputs": [{", ".join(outputs)}], "error": {json.dumps(error)}}}'
    )


@types.coroutine
def _flushing(coroutine):
    """Await ``coroutine``, sending pending output each time it suspends."""
    value, error = None, None
    while True:
        try:
            yielded = coroutine.send(value) if error is None else coroutine.throw(error)
        except StopIteration as stop:
            return stop.value
        rn_streams.flush_active()
        try:
            value, error = (yield yielded), None
        except GeneratorExit:
            coroutine.close()
            raise
        except BaseException as exc:  # noqa: BLE001 - forwarded into the cell (cancellation...)
            value, error = None, exc


def error_info(error):
    """CellError for an exception raised by user code: frames of this runtime removed."""
    frames = traceback.extract_tb(error.__traceback__)
    first = next((i for i, frame in enumerate(frames) if frame.filename.startswith("<cell ")), 0)
    kept = [frame for frame in frames[first:] if not frame.filename.startswith(_RUNTIME_DIR)]
    lines = ["Traceback (most recent call last):\n"] if kept else []
    lines += traceback.format_list(kept)
    lines += traceback.format_exception_only(type(error), error)
    return bounded_error(type(error).__name__, _safe_str(error), "".join(lines))


def _safe_str(error):
    try:
        return str(error)
    except Exception:  # noqa: BLE001 - a broken __str__ must not hide the error
        return f"<{type(error).__name__} (its message could not be read)>"


def bounded_error(name, message, traceback_text=None):
    """A CellError dict whose fields fit the server's limits (long ones keep their start and end)."""
    error = {"name": _clip(name, _MAX_ERROR_NAME) or "Error", "message": _clip(message, _MAX_ERROR_MESSAGE)}
    if traceback_text is not None:
        error["traceback"] = _clip(traceback_text, _MAX_TRACEBACK)
    return error


def _clip(text, limit):
    if len(text) <= limit:
        return text
    half = limit // 2 - 20
    return f"{text[:half]}\n[... {len(text) - 2 * half:,} characters cut ...]\n{text[-half:]}"


reset()
