"""Turns a Python object into one notebook Output ``{mimeType, data, metadata?}``.

Order (API.md §5): adapters for matplotlib figures, pandas DataFrames, plotly
and altair charts (only when those libraries are already imported: a value of
their type cannot exist otherwise, so nothing heavy is ever imported here),
then ``_repr_mimebundle_``, ``_repr_html_``, ``_repr_markdown_``,
``_repr_svg_``, ``_repr_png_`` (base64), ``_repr_json_``, then ``repr`` as
text/plain. A representation that raises, returns None or cannot be sent as
JSON is skipped in favour of the next one. ``None`` displays nothing.
"""

import base64
import io
import json
import math
import sys

import rn_ui

# Limits the server enforces on every output (packages/protocol/src/limits.ts; a test checks they agree).
# Kept here too so an ordinary large or deep output becomes a note, not a message the server refuses.
MAX_OUTPUT_BYTES = 4 * 1024 * 1024
MAX_OUTPUT_DEPTH = 64

TABLE = "application/vnd.reactive-notebook.table+json"
PLOTLY = "application/vnd.plotly.v1+json"
VEGALITE = "application/vnd.vegalite.v5+json"
CONTROL = "application/vnd.reactive-notebook.control+json"
MAX_TABLE_ROWS = 1000

# Which entry of a MIME bundle we keep, best first.
BUNDLE_PREFERENCE = (
    CONTROL,
    TABLE,
    PLOTLY,
    VEGALITE,
    "text/html",
    "text/markdown",
    "image/svg+xml",
    "image/png",
    "application/json",
    "text/plain",
)

_REPR_METHODS = (
    ("_repr_html_", "text/html"),
    ("_repr_markdown_", "text/markdown"),
    ("_repr_svg_", "image/svg+xml"),
    ("_repr_png_", "image/png"),
    ("_repr_json_", "application/json"),
)


def to_output(obj):
    """``(output_dict, output_json)`` for ``obj``, or None when it shows nothing."""
    if obj is None:
        return None
    for adapter in _ADAPTERS:
        try:
            found = adapter(obj)
        except Exception:  # noqa: BLE001 - a broken adapter falls back to the repr methods
            found = None
        if found is not None:
            output = _make(*found)
            if output is not None:
                return output
    if not isinstance(obj, type):  # a class's _repr_html_ is an unbound function
        output = _from_mimebundle(obj)
        if output is not None:
            return output
        for method_name, mime in _REPR_METHODS:
            method = getattr(obj, method_name, None)
            if method is None or not callable(method):
                continue
            try:
                result = method()
            except Exception:  # noqa: BLE001 - fall back to the next representation
                continue
            metadata = None
            if isinstance(result, tuple) and len(result) == 2:
                result, metadata = result
            if result is None:
                continue
            output = _make(mime, result, metadata)
            if output is not None:
                return output
    return _make("text/plain", _safe_repr(obj), None)


def _from_mimebundle(obj):
    method = getattr(obj, "_repr_mimebundle_", None)
    if method is None or not callable(method):
        return None
    try:
        bundle = method(include=None, exclude=None)
    except Exception:  # noqa: BLE001
        return None
    metadata = None
    if isinstance(bundle, tuple) and len(bundle) == 2:
        bundle, metadata = bundle
    if not isinstance(bundle, dict):
        return None
    for mime in BUNDLE_PREFERENCE:
        if mime == CONTROL and not isinstance(obj, rn_ui.Control):
            continue  # only rn.ui makes controls: the server refuses (and stops the kernel for) a forged one
        if mime in bundle and bundle[mime] is not None:
            output = _make(mime, bundle[mime], _metadata_for(metadata, mime))
            if output is not None:
                return output
    return None


def _metadata_for(metadata, mime):
    if not isinstance(metadata, dict):
        return None
    specific = metadata.get(mime)
    if isinstance(specific, dict):
        return specific
    shared = {key: value for key, value in metadata.items() if "/" not in key}
    return shared or None


def _make(mime, data, metadata):
    """Normalise ``data`` for ``mime`` and check it is JSON; None when it is not usable."""
    if mime == "image/png":
        if isinstance(data, (bytes, bytearray, memoryview)):
            data = base64.b64encode(bytes(data)).decode("ascii")
    elif mime.endswith("json"):
        if isinstance(data, (bytes, str)):
            try:
                data = json.loads(data)
            except ValueError:
                return None
    elif isinstance(data, (bytes, bytearray)):
        data = bytes(data).decode("utf-8", "replace")
    if not isinstance(data, (str, dict, list)):
        return None
    output = {"mimeType": mime, "data": data}
    if metadata:
        if not isinstance(metadata, dict):
            return None
        output["metadata"] = metadata
    if _deeper_than(output, MAX_OUTPUT_DEPTH):
        return None
    try:
        payload = json.dumps(output, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        return None
    if len(payload) > MAX_OUTPUT_BYTES:
        note = f"[output not shown: {mime} of {len(payload):,} characters is over the limit of {MAX_OUTPUT_BYTES:,}]"
        output = {"mimeType": "text/plain", "data": note}
        payload = json.dumps(output)
    return output, payload


def _deeper_than(value, limit):
    """Whether lists/dicts in ``value`` nest deeper than ``limit`` (iterative: hostile depth is safe)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, (list, tuple)):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _safe_repr(obj):
    try:
        return repr(obj)
    except Exception as error:  # noqa: BLE001
        return f"<{type(obj).__name__} object (repr failed: {type(error).__name__})>"


# -- adapters ------------------------------------------------------------------
# Each returns (mime, data, metadata) or None. They look libraries up in
# sys.modules instead of importing them.


def _matplotlib_figure(obj):
    figure_module = sys.modules.get("matplotlib.figure")
    if figure_module is None or not isinstance(obj, figure_module.Figure):
        return None
    return "image/png", figure_png(obj), None


def figure_png(figure):
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _pandas_frame(obj):
    pandas = sys.modules.get("pandas")
    if pandas is None:
        return None
    if isinstance(obj, pandas.Series):
        obj = obj.to_frame()
    elif not isinstance(obj, pandas.DataFrame):
        return None
    return TABLE, dataframe_table(obj, pandas), None


def dataframe_table(frame, pandas):
    """TableData (API.md) for a DataFrame: at most MAX_TABLE_ROWS rows."""
    if not isinstance(frame.index, pandas.RangeIndex) or frame.index.name is not None:
        frame = frame.reset_index()
    head = frame.head(MAX_TABLE_ROWS)
    columns = [{"name": str(name), "type": str(dtype)} for name, dtype in zip(head.columns, head.dtypes)]
    rows = [[json_safe(value) for value in row] for row in head.itertuples(index=False, name=None)]
    return {"columns": columns, "rows": rows, "rowCount": len(frame), "truncated": len(frame) > len(head)}


def json_safe(value):
    """A JSON-ready version of a cell value (NaN/NaT -> None, dates -> ISO text)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (list, tuple)):
        return [json_safe(item) for item in value]
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        return json_safe(value.item())
    try:
        if value != value:  # NaT, pandas.NA-like
            return None
    except (TypeError, ValueError):
        return None  # pandas.NA refuses to be compared
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _plotly_figure(obj):
    basedatatypes = sys.modules.get("plotly.basedatatypes")
    if basedatatypes is None or not isinstance(obj, basedatatypes.BaseFigure):
        return None
    import plotly.io  # already loaded with plotly's figures

    return PLOTLY, json.loads(plotly.io.to_json(obj, validate=False)), None


def _altair_chart(obj):
    altair = sys.modules.get("altair")
    mixin = getattr(altair, "TopLevelMixin", None) if altair is not None else None
    if mixin is None or not isinstance(obj, mixin):
        return None
    return VEGALITE, obj.to_dict(), None


_ADAPTERS = (_matplotlib_figure, _pandas_frame, _plotly_figure, _altair_chart)


def open_pyplot_figures():
    """Figures pyplot holds open (created with plt.figure/plt.subplots/plt.plot)."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is None:
        return []
    return [pyplot.figure(number) for number in pyplot.get_fignums()]


def close_pyplot_figures():
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")
