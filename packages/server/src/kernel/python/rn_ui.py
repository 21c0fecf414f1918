"""Interactive controls: ``rn.ui.slider(1, 100)`` and friends.

A control is identified by the cell that created it and its creation order in
that cell's run (``"0"``, ``"1"``, ...). It shows itself as one output of the
control MIME type ``{id, kind, label, value, props}`` (with the hash of its
constructor's arguments in the output's metadata), and other cells read
``control.value``. The server sets a live control's value with ``set_value``
without re-running its cell; when the cell runs again, a control whose
arguments did not change keeps the value it had (from the server's list of
known controls, else from the control it replaces).
"""

import hashlib
import json
import math

__all__ = ["slider", "number", "text", "textarea", "dropdown", "checkbox", "radio", "button", "Control"]

MIME_TYPE = "application/vnd.reactive-notebook.control+json"
# Longest label, placeholder and option a control may have (the server refuses longer ones).
MAX_TEXT = 1000
MAX_OPTIONS = 1000
MAX_VALUE_CHARS = 100_000

# The run in progress: its cell, how many controls it made, and what the server knows of that cell's controls.
_cell_id = None
_created = []
_known = {}
# Live controls by (cell id, control id): the ones the last run of each cell made.
_live = {}


class Control:
    """One interactive control. ``value`` is what a person chose; it is read-only in Python."""

    __slots__ = ("_kind", "_label", "_props", "_value", "_args", "_cell_id", "_id", "_shown")

    def __init__(self, kind, label, props, value, initial):
        self._kind = kind
        self._label = label
        self._props = props
        self._args = _args_hash(kind, label, props, initial)
        self._value = value
        self._cell_id = _cell_id
        self._shown = False
        if _cell_id is None:
            self._id = None
            return
        self._id = str(len(_created))
        _created.append(self)
        self._value = _kept_value(self)
        _live[(_cell_id, self._id)] = self

    @property
    def value(self):
        return self._value

    @property
    def kind(self):
        return self._kind

    @property
    def label(self):
        return self._label

    @property
    def id(self):
        return self._id

    def _data(self):
        return {"id": self._id, "kind": self._kind, "label": self._label, "value": self._value, "props": self._props}

    def _repr_mimebundle_(self, include=None, exclude=None):
        # Only the run that made it shows it as a control: elsewhere it is text (its id belongs to its cell).
        if self._id is None or self._cell_id != _cell_id or _live.get((self._cell_id, self._id)) is not self:
            return {"text/plain": repr(self)}
        self._shown = True
        return {MIME_TYPE: self._data()}, {MIME_TYPE: {"args": self._args}}

    def __repr__(self):
        label = f", label={self._label!r}" if self._label else ""
        return f"{self._kind}(value={self._value!r}{label})"


def _args_hash(kind, label, props, initial):
    text = json.dumps([kind, label, props, initial], sort_keys=True, allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _kept_value(control):
    """The value a control starts with: the one it had before this run when its arguments did not change."""
    known = _known.get(control._id)
    if known is not None and known.get("args") == control._args:
        try:
            return _check_value(control._kind, control._props, known.get("value"), control._label)
        except (TypeError, ValueError):
            pass
    previous = _live.get((control._cell_id, control._id))
    if previous is not None and previous._args == control._args:
        return previous._value
    return control._value


# -- runs (called by rn_execute) ------------------------------------------------


def begin_cell(cell_id, known_json):
    """A run of ``cell_id`` starts; ``known_json`` lists the server's ``[{id, args, value}]`` of its controls."""
    global _cell_id, _created, _known
    _cell_id = cell_id
    _created = []
    _known = {}
    try:
        known = json.loads(known_json or "[]")
    except ValueError:
        known = []
    if isinstance(known, list):
        for entry in known:
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                _known[entry["id"]] = entry


def unshown():
    """The controls this run made and did not display (they display themselves when the cell ends)."""
    return [control for control in _created if not control._shown]


def end_cell():
    """The run ended: the cell's live controls are the ones it made (older ones it did not make again go)."""
    global _cell_id, _created, _known
    made = len(_created)
    for key in [key for key in _live if key[0] == _cell_id and int(key[1]) >= made]:
        del _live[key]
    _cell_id = None
    _created = []
    _known = {}


def set_value(cell_id, control_id, value_json):
    """Sets a live control's value; JSON ``true`` when there is one, ``false`` when the kernel has none."""
    control = _live.get((cell_id, control_id))
    if control is None:
        return "false"
    try:
        control._value = _check_value(control._kind, control._props, json.loads(value_json), control._label)
    except (TypeError, ValueError):
        return "false"  # the server checked it against an older version of the control: run the cell instead
    return "true"


def reset():
    global _cell_id, _created, _known
    _cell_id = None
    _created = []
    _known = {}
    _live.clear()


# -- constructors -----------------------------------------------------------------


def slider(start, stop, step=1, value=None, label=""):
    """A slider from ``start`` to ``stop`` (inclusive) in steps of ``step``; ``value`` defaults to ``start``."""
    label = _label("slider", label)
    start = _number("slider", "start", start)
    stop = _number("slider", "stop", stop)
    step = _number("slider", "step", step)
    if step <= 0:
        raise ValueError("slider step must be > 0")
    if not start < stop:
        raise ValueError(f"slider start must be < stop (got start={start!r}, stop={stop!r})")
    props = {"start": start, "stop": stop, "step": step}
    return _make("slider", label, props, start if value is None else value, value)


def number(start=None, stop=None, step=1, value=None, label=""):
    """A number field, optionally bounded; ``value`` defaults to ``start`` (else 0, or ``stop`` when below 0)."""
    label = _label("number", label)
    start = None if start is None else _number("number", "start", start)
    stop = None if stop is None else _number("number", "stop", stop)
    step = _number("number", "step", step)
    if step <= 0:
        raise ValueError("number step must be > 0")
    if start is not None and stop is not None and not start < stop:
        raise ValueError(f"number start must be < stop (got start={start!r}, stop={stop!r})")
    props = {"start": start, "stop": stop, "step": step}
    if value is None:
        default = start if start is not None else (stop if stop is not None and stop < 0 else 0)
    else:
        default = value
    return _make("number", label, props, default, value)


def text(value="", label="", placeholder=""):
    """A one-line text field."""
    return _text("text", value, label, placeholder)


def textarea(value="", label="", placeholder=""):
    """A multi-line text field."""
    return _text("textarea", value, label, placeholder)


def dropdown(options, value=None, label=""):
    """A choice of one of ``options`` (strings) from a list; ``value`` defaults to the first option."""
    return _choice("dropdown", options, value, label)


def radio(options, value=None, label=""):
    """A choice of one of ``options`` (strings) as radio buttons; ``value`` defaults to the first option."""
    return _choice("radio", options, value, label)


def checkbox(value=False, label=""):
    """A checkbox; its value is True or False."""
    label = _label("checkbox", label)
    return _make("checkbox", label, {}, value, value)


def button(label):
    """A button; its value counts the clicks (0 until the first)."""
    label = _label("button", label)
    return _make("button", label, {}, 0, None)


def _text(kind, value, label, placeholder):
    label = _label(kind, label)
    if not isinstance(placeholder, str):
        raise TypeError(f"{kind} placeholder must be a string, not {type(placeholder).__name__}")
    if len(placeholder) > MAX_TEXT:
        raise ValueError(f"{kind} placeholder is longer than {MAX_TEXT} characters")
    return _make(kind, label, {"placeholder": placeholder}, value, value)


def _choice(kind, options, value, label):
    label = _label(kind, label)
    if isinstance(options, (str, bytes)) or not isinstance(options, (list, tuple)):
        raise TypeError(f"{kind} options must be a list of strings, not {type(options).__name__}")
    options = list(options)
    if not options:
        raise ValueError(f"{kind} options must not be empty")
    if len(options) > MAX_OPTIONS:
        raise ValueError(f"{kind} has more than {MAX_OPTIONS} options")
    for option in options:
        if not isinstance(option, str):
            raise TypeError(f"{kind} options must be strings, not {type(option).__name__} ({option!r})")
        if len(option) > MAX_TEXT:
            raise ValueError(f"{kind} option is longer than {MAX_TEXT} characters")
    if len(set(options)) != len(options):
        raise ValueError(f"{kind} options must be unique")
    return _make(kind, label, {"options": options}, options[0] if value is None else value, value)


def _make(kind, label, props, value, initial):
    value = _check_value(kind, props, value, label)
    return Control(kind, label, props, value, initial)


def _label(kind, label):
    if not isinstance(label, str):
        raise TypeError(f"{kind} label must be a string, not {type(label).__name__}")
    if len(label) > MAX_TEXT:
        raise ValueError(f"{kind} label is longer than {MAX_TEXT} characters")
    return label


def _number(kind, what, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{kind} {what} must be a number, not {type(value).__name__}")
    if not math.isfinite(value):
        raise ValueError(f"{kind} {what} must be finite")
    return value


def _on_step(value, base, step):
    steps = (value - base) / step
    return abs(steps - round(steps)) <= 1e-9 * max(1.0, abs(steps))


def _check_value(kind, props, value, label=""):
    """``value`` if it fits the control, as Python should see it; else TypeError/ValueError saying why."""
    name = f"{kind} {label!r}" if label else kind
    if kind in ("slider", "number"):
        value = _number(kind, "value", value)
        start, stop, step = props["start"], props["stop"], props["step"]
        if start is not None and value < start:
            raise ValueError(f"{name} value {value!r} is below start {start!r}")
        if stop is not None and value > stop:
            raise ValueError(f"{name} value {value!r} is above stop {stop!r}")
        base = start if start is not None else 0
        if not _on_step(value, base, step):
            raise ValueError(f"{name} value {value!r} is not on a step of {step!r} from {base!r}")
        if isinstance(value, float) and value.is_integer() and all(
            isinstance(x, int) for x in (start, stop, step) if x is not None
        ):
            value = int(value)  # an integer slider reads integers
        return value
    if kind in ("text", "textarea"):
        if not isinstance(value, str):
            raise TypeError(f"{name} value must be a string, not {type(value).__name__}")
        if len(value) > MAX_VALUE_CHARS:
            raise ValueError(f"{name} value is longer than {MAX_VALUE_CHARS} characters")
        return value
    if kind in ("dropdown", "radio"):
        if value not in props["options"] or not isinstance(value, str):
            raise ValueError(f"{name} value {value!r} is not one of its options")
        return value
    if kind == "checkbox":
        if not isinstance(value, bool):
            raise TypeError(f"{name} value must be True or False, not {type(value).__name__}")
        return value
    if kind == "button":
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name} value must be a click count (an integer >= 0), not {value!r}")
        return value
    raise ValueError(f"unknown control kind {kind!r}")
