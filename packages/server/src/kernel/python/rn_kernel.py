"""The notebook kernel's Python side: the only module the kernel worker calls.

Imported once before Pyodide's memory snapshot, so it stays cheap (standard
library only). See the kernel contract: analyze, run_cell, delete_names,
set_variable, get_values, reset, missing_imports, set_control.
"""

import json

import rn_analysis
import rn_execute
import rn_packages
import rn_ui
import rn_values

__all__ = [
    "analyze",
    "run_cell",
    "delete_names",
    "set_variable",
    "get_values",
    "reset",
    "missing_imports",
    "set_control",
]


def analyze(code):
    """JSON ``{"reads", "writes", "error"}`` of a python cell. Never raises."""
    return json.dumps(rn_analysis.analyze(code))


def run_cell(cell_id, code, emit, controls_json="[]"):
    """Run a cell in the notebook's globals; JSON ``{status, outputs, error}``, or, for a cell that awaits
    at top level, a coroutine of it.

    ``controls_json``: what the server knows of the cell's controls, ``[{id, args, value}]``.
    """
    return rn_execute.run_cell_now(cell_id, code, emit, controls_json)


def delete_names(names_json):
    rn_values.delete_names(names_json)


def set_variable(name, value_json):
    rn_values.set_variable(name, value_json)


def get_values(names_json):
    return rn_values.get_values(names_json)


def reset():
    rn_execute.reset()


def missing_imports(code):
    return rn_packages.missing_imports(code)


def set_control(cell_id, control_id, value_json):
    """Sets a live control's value (its cell does not run); JSON ``true``, or ``false`` when there is none."""
    return rn_ui.set_value(cell_id, control_id, value_json)
