"""Moving plain values between the notebook's globals and the server (SQL cells).

``get_values`` encodes what an SQL placeholder may bind: int, float, str,
bool, None, dates (``{"$date": iso}``) and datetimes (``{"$datetime": iso}``),
and lists/tuples of those; anything else is ``{"$unsupported": type_name}``.
``set_variable`` binds a query result: a pandas DataFrame when pandas can be
imported, the decoded JSON (a list of dicts) otherwise.
"""

import datetime
import importlib.util
import json
import math

import rn_execute


class _Unsupported(Exception):
    pass


# Deepest list nesting read back (the server refuses deeper answers).
_MAX_DEPTH = 32


def _encode(value, depth=0):
    if depth > _MAX_DEPTH:
        raise _Unsupported("a list nested too deeply")
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _Unsupported(f"float {value}")
        return value
    if isinstance(value, datetime.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"$date": value.isoformat()}
    if isinstance(value, (list, tuple)):
        return [_encode(item, depth + 1) for item in value]
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        return _encode(value.item(), depth)
    raise _Unsupported(type(value).__name__)


def get_values(names_json):
    """Values of globals, or dotted names (``n.value``: the attribute of global ``n``, for SQL placeholders)."""
    globals_ = rn_execute.namespace
    values, missing = {}, []
    for name in json.loads(names_json):
        root, *attributes = name.split(".")
        if root not in globals_:
            missing.append(name)
            continue
        value = globals_[root]
        try:
            for attribute in attributes:
                value = getattr(value, attribute)
        except Exception as error:  # noqa: BLE001 - a missing attribute or a failing property is the cell's error
            values[name] = {"$error": f"{type(error).__name__}: {error}"[:500]}
            continue
        try:
            values[name] = _encode(value)
        except _Unsupported as unsupported:
            values[name] = {"$unsupported": str(unsupported)}
    return json.dumps({"values": values, "missing": missing})


def _decode(value):
    if isinstance(value, dict):
        if len(value) == 1:
            if "$date" in value:
                return datetime.date.fromisoformat(value["$date"])
            if "$datetime" in value:
                return datetime.datetime.fromisoformat(value["$datetime"])
        return {key: _decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decode(item) for item in value]
    return value


_pandas_available = None


def _pandas():
    global _pandas_available
    if _pandas_available is None:
        _pandas_available = importlib.util.find_spec("pandas") is not None
    if not _pandas_available:
        return None
    import pandas

    return pandas


def set_variable(name, value_json):
    value = _decode(json.loads(value_json))
    if isinstance(value, list) and all(isinstance(row, dict) for row in value):
        pandas = _pandas()
        if pandas is not None:
            value = pandas.DataFrame.from_records(value)
    rn_execute.namespace[name] = value


def delete_names(names_json):
    globals_ = rn_execute.namespace
    for name in json.loads(names_json):
        globals_.pop(name, None)
