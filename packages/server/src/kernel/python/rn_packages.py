"""Which modules a cell imports that cannot be imported yet (to fetch packages first)."""

import ast
import importlib.util
import json
import sys

from rn_source import parse


def imported_modules(code):
    """Top-level names of absolute imports anywhere in the code, in first-seen order."""
    try:
        tree = parse(code)
    except (SyntaxError, RecursionError, MemoryError):
        return []
    seen = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                seen.setdefault(alias.name.partition(".")[0], None)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            seen.setdefault(node.module.partition(".")[0], None)
    return list(seen)


def missing_imports(code):
    missing = []
    for name in imported_modules(code):
        if name in sys.modules or name == "__future__":
            continue
        try:
            if importlib.util.find_spec(name) is None:
                missing.append(name)
        except (ImportError, ValueError):
            missing.append(name)
    return json.dumps(missing)
