"""Which global names a python cell reads and writes, computed with ``ast``.

The rules are API.md "Reactive semantics" §1. Module-level code, class bodies,
decorators, default values, evaluated annotations and a comprehension's first
iterable run on the spot, in source order: a name they use is a read unless the
cell bound it earlier (textually). Function, lambda and type-alias bodies run
later: a global they use is a read unless the cell binds that name at module
level anywhere. Inside those bodies names follow Python's own scoping (locals,
``global``, ``nonlocal``, enclosing functions, class scopes skipped).

Choices the API leaves open (documented in docs/):
- ``x: int`` with no value binds nothing: not a write (the annotation is read).
- ``except E as e``: ``e`` is deleted when the handler ends, so it is not a
  write; it still counts as bound for the rest of the cell.
- ``del x``: a use of ``x`` (a read unless the cell bound it before); it does
  not remove ``x`` from the writes (we cannot know whether the ``del`` ran).
- Builtin names (``builtins`` plus ``display`` and ``rn``) are never reads, even when
  another cell shadows them (``list = 3`` is a write; a cell using ``list``
  does not depend on it).
- Annotations of function parameters and returns are evaluated at ``def``
  time in Python 3.13, so they read on the spot; under
  ``from __future__ import annotations`` they are strings that may be
  evaluated later (``typing.get_type_hints``), so they read like a body.
- A generator expression is treated like the other comprehensions (on the spot).
- ``from x import *`` anywhere is an error: it hides which names are defined.
- Names starting with ``_`` are private to the cell: never reads or writes.
"""

import ast
import builtins

from rn_source import parse, syntax_error_info

_FUNCTION_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
_MATCH_CAPTURES = (ast.MatchAs, ast.MatchStar)


class ImportStarError(Exception):
    """``from x import *`` makes a cell's definitions unknowable."""


def analyze(code):
    """``{"reads", "writes", "error"}`` for a cell's code; never raises."""
    try:
        tree = parse(code)
        # The compiler finds what the parser does not ("return" outside a
        # function, "nonlocal" at module level...).
        compile(tree, "<cell>", "exec", ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        reads, writes = _Analyzer(tree).run()
    except SyntaxError as error:
        return {"reads": [], "writes": [], "error": syntax_error_info(error)}
    except ImportStarError as error:
        return {"reads": [], "writes": [], "error": {"name": "ImportStarError", "message": str(error)}}
    except (RecursionError, MemoryError) as error:
        message = "code is nested too deeply to analyse"
        return {"reads": [], "writes": [], "error": {"name": type(error).__name__, "message": message}}
    except Exception as error:  # noqa: BLE001 - analysis must answer, whatever the code
        message = f"the cell could not be analysed: {type(error).__name__}: {error}"
        return {"reads": [], "writes": [], "error": {"name": "AnalysisError", "message": message}}
    builtin_names = _builtin_names()
    return {
        "reads": sorted(n for n in reads if n not in builtin_names and not n.startswith("_")),
        "writes": sorted(n for n in writes if not n.startswith("_")),
        "error": None,
    }


_BUILTINS = None


def _builtin_names():
    global _BUILTINS
    if _BUILTINS is None:
        _BUILTINS = frozenset(dir(builtins)) | {"display", "rn"}
    return _BUILTINS


def _uses_future_annotations(tree):
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            if any(alias.name == "annotations" for alias in node.names):
                return True
    return False


class _Scope:
    """One Python scope. ``names``: bound so far (module, class) or all locals (function)."""

    __slots__ = ("kind", "parent", "deferred", "names", "globals", "nonlocals")

    def __init__(self, kind, parent, deferred, names=None, globals_=(), nonlocals=()):
        self.kind = kind  # "module" | "class" | "function" | "comprehension"
        self.parent = parent
        self.deferred = deferred  # does code in this scope run later than the cell?
        self.names = set() if names is None else names
        self.globals = globals_
        self.nonlocals = nonlocals


def _scope_bindings(nodes):
    """Names bound directly in a function scope whose body is ``nodes``, plus its
    ``global`` and ``nonlocal`` declarations. Iterative: hostile depth is safe."""
    bound, globals_, nonlocals = set(), set(), set()
    stack = list(nodes)
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is ast.Name:
            if type(node.ctx) is not ast.Load:
                bound.add(node.id)
            continue
        if kind in _FUNCTION_DEFS or kind is ast.Lambda:
            if kind is not ast.Lambda:
                bound.add(node.name)
                stack.extend(node.decorator_list)
            stack.extend(node.args.defaults)
            stack.extend(d for d in node.args.kw_defaults if d is not None)
            continue
        if kind is ast.ClassDef:
            bound.add(node.name)
            stack.extend(node.decorator_list)
            stack.extend(node.bases)
            stack.extend(node.keywords)
            continue
        if kind in _COMPREHENSIONS:
            # for-targets are the comprehension's own; walrus targets bind here.
            for generator in node.generators:
                stack.append(generator.iter)
                stack.extend(generator.ifs)
            if kind is ast.DictComp:
                stack.extend((node.key, node.value))
            else:
                stack.append(node.elt)
            continue
        if kind is ast.Global:
            globals_.update(node.names)
            continue
        if kind is ast.Nonlocal:
            nonlocals.update(node.names)
            continue
        if kind is ast.Import or kind is ast.ImportFrom:
            for alias in node.names:
                if alias.name != "*":
                    bound.add(alias.asname or alias.name.partition(".")[0])
            continue
        if kind is ast.TypeAlias:
            bound.add(node.name.id)
            continue
        if kind is ast.ExceptHandler or kind in _MATCH_CAPTURES:
            if node.name:
                bound.add(node.name)
        elif kind is ast.MatchMapping and node.rest:
            bound.add(node.rest)
        stack.extend(ast.iter_child_nodes(node))
    return bound, globals_, nonlocals


def _parameter_names(args):
    params = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    if args.vararg:
        params.append(args.vararg)
    if args.kwarg:
        params.append(args.kwarg)
    return {arg.arg for arg in params}


def _parameter_annotations(args):
    params = [*args.posonlyargs, *args.args, args.vararg, *args.kwonlyargs, args.kwarg]
    return [arg.annotation for arg in params if arg is not None and arg.annotation is not None]


def _target_names(target):
    return {node.id for node in ast.walk(target) if type(node) is ast.Name and type(node.ctx) is ast.Store}


class _Analyzer:
    """Walks a cell once in evaluation order, tracking scopes."""

    def __init__(self, tree):
        self.tree = tree
        self.module = _Scope("module", None, False)
        self.scope = self.module
        self.reads = set()
        self.writes = set()
        self.later_reads = set()  # global uses in code that runs later
        self.deferring = 0  # > 0 while visiting lazily evaluated annotations
        self.future_annotations = _uses_future_annotations(tree)

    def run(self):
        for statement in self.tree.body:
            self.visit(statement)
        self.reads.update(n for n in self.later_reads if n not in self.writes)
        return self.reads, self.writes

    # -- name events ---------------------------------------------------------

    def load(self, name):
        scope = self.scope
        deferred = scope.deferred or self.deferring > 0
        own = True
        while scope.kind != "module":
            if scope.kind == "class":
                if own and name in scope.names:
                    return
            elif name in scope.globals:
                break
            elif name in scope.names or name in scope.nonlocals:
                return
            own = False
            scope = scope.parent
        if deferred:
            self.later_reads.add(name)
        elif name not in self.module.names:
            self.reads.add(name)

    def store(self, name, scope=None):
        scope = scope or self.scope
        if scope.kind == "class":
            scope.names.add(name)
        elif scope.kind == "module" or name in scope.globals:
            self.module.names.add(name)
            self.writes.add(name)

    # -- dispatch ------------------------------------------------------------

    def visit(self, node):
        method = _DISPATCH.get(type(node))
        if method is None:
            for child in ast.iter_child_nodes(node):
                self.visit(child)
        else:
            method(self, node)

    def visit_all(self, nodes):
        for node in nodes:
            if node is not None:
                self.visit(node)

    def visit_Name(self, node):
        if type(node.ctx) is ast.Store:
            self.store(node.id)
        else:  # Load, and Del: deleting a name uses it
            self.load(node.id)

    def visit_Assign(self, node):
        self.visit(node.value)
        self.visit_all(node.targets)

    def visit_AugAssign(self, node):
        target = node.target
        if type(target) is ast.Name:
            self.load(target.id)
            self.visit(node.value)
            self.store(target.id)
        else:
            self.visit(target)  # a.b += 1 / a[i] += 1 use a (and i)
            self.visit(node.value)

    def visit_AnnAssign(self, node):
        self.visit_all([node.value])
        if self.scope.kind != "function":  # annotations of locals are never evaluated
            self.visit_annotation(node.annotation)
        target = node.target
        if type(target) is not ast.Name:
            self.visit(target)
        elif node.value is not None:
            self.store(target.id)

    def visit_annotation(self, node):
        if self.future_annotations:
            self.deferring += 1
            self.visit(node)
            self.deferring -= 1
        else:
            self.visit(node)

    def visit_NamedExpr(self, node):
        self.visit(node.value)
        scope = self.scope
        while scope.kind == "comprehension":
            scope = scope.parent
        self.store(node.target.id, scope)

    def visit_For(self, node):
        self.visit(node.iter)
        self.visit(node.target)
        self.visit_all(node.body)
        self.visit_all(node.orelse)

    visit_AsyncFor = visit_For

    def visit_ExceptHandler(self, node):
        self.visit_all([node.type])
        if node.name:
            if self.scope.kind == "module":
                self.module.names.add(node.name)  # bound, but deleted afterwards: no write
            else:
                self.store(node.name)
        self.visit_all(node.body)

    def visit_Import(self, node):
        for alias in node.names:
            self.store(alias.asname or alias.name.partition(".")[0])

    def visit_ImportFrom(self, node):
        for alias in node.names:
            if alias.name == "*":
                raise ImportStarError(
                    f"'from {'.' * node.level}{node.module or ''} import *' is not allowed: "
                    "import the names you use so the notebook knows what this cell defines"
                )
            self.store(alias.asname or alias.name)

    def visit_Global(self, node):
        pass  # handled when the enclosing function's scope is built

    visit_Nonlocal = visit_Global

    # -- match ---------------------------------------------------------------

    def visit_MatchAs(self, node):
        self.visit_all([node.pattern])
        if node.name:
            self.store(node.name)

    def visit_MatchStar(self, node):
        if node.name:
            self.store(node.name)

    def visit_MatchMapping(self, node):
        self.visit_all(node.keys)
        self.visit_all(node.patterns)
        if node.rest:
            self.store(node.rest)

    # -- scopes --------------------------------------------------------------

    def push(self, scope):
        self.scope = scope

    def pop(self):
        self.scope = self.scope.parent

    def type_param_scope(self, type_params):
        """PEP 695: type parameters live in their own scope; bounds are lazy."""
        names = {param.name for param in type_params}
        scope = _Scope("function", self.scope, self.scope.deferred, names)
        self.push(scope)
        self.deferring += 1
        for param in type_params:
            self.visit_all([getattr(param, "bound", None), getattr(param, "default_value", None)])
        self.deferring -= 1
        return scope

    def visit_FunctionDef(self, node):
        self.visit_all(node.decorator_list)
        args = node.args
        self.visit_all(args.defaults)
        self.visit_all(args.kw_defaults)
        type_params = getattr(node, "type_params", None)
        if type_params:
            self.type_param_scope(type_params)
        for annotation in [*_parameter_annotations(args), node.returns]:
            if annotation is not None:
                self.visit_annotation(annotation)
        bound, globals_, nonlocals = _scope_bindings(node.body)
        locals_ = (bound | _parameter_names(args)) - globals_ - nonlocals
        self.push(_Scope("function", self.scope, True, locals_, globals_, nonlocals))
        self.visit_all(node.body)
        self.pop()
        if type_params:
            self.pop()
        self.store(node.name)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node):
        args = node.args
        self.visit_all(args.defaults)
        self.visit_all(args.kw_defaults)
        bound, _, _ = _scope_bindings([node.body])
        self.push(_Scope("function", self.scope, True, bound | _parameter_names(args)))
        self.visit(node.body)
        self.pop()

    def visit_ClassDef(self, node):
        self.visit_all(node.decorator_list)
        type_params = getattr(node, "type_params", None)
        if type_params:
            self.type_param_scope(type_params)
        self.visit_all(node.bases)
        self.visit_all(node.keywords)
        self.push(_Scope("class", self.scope, self.scope.deferred))
        self.visit_all(node.body)
        self.pop()
        if type_params:
            self.pop()
        self.store(node.name)

    def visit_TypeAlias(self, node):
        # The value is evaluated lazily, the first time it is needed.
        names = {param.name for param in node.type_params}
        self.push(_Scope("function", self.scope, True, names))
        self.visit_all([getattr(param, "bound", None) for param in node.type_params])
        self.visit(node.value)
        self.pop()
        self.store(node.name.id)

    def visit_comprehension_node(self, node):
        generators = node.generators
        self.visit(generators[0].iter)  # evaluated in the enclosing scope
        names = set()
        for generator in generators:
            names |= _target_names(generator.target)
        self.push(_Scope("comprehension", self.scope, self.scope.deferred, names))
        for index, generator in enumerate(generators):
            if index:
                self.visit(generator.iter)
            self.visit(generator.target)
            self.visit_all(generator.ifs)
        if type(node) is ast.DictComp:
            self.visit(node.key)
            self.visit(node.value)
        else:
            self.visit(node.elt)
        self.pop()


_DISPATCH = {
    getattr(ast, name[len("visit_") :]): function
    for name, function in vars(_Analyzer).items()
    if name.startswith("visit_") and hasattr(ast, name[len("visit_") :])
}
for _kind in _COMPREHENSIONS:
    _DISPATCH[_kind] = _Analyzer.visit_comprehension_node
