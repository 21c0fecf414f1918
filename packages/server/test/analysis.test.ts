// Cell analysis: which global names a python cell reads and writes (API.md "Reactive semantics" §1),
// computed by the real runtime (rn_kernel.analyze) in real Pyodide. One case per rule, marimo style.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadRuntime } from "./helpers/python-runtime.js";

interface Analysis {
  reads: string[];
  writes: string[];
  error: { name: string; message: string; traceback?: string } | null;
}
interface Case {
  rule: string;
  code: string;
  reads?: string[];
  writes?: string[];
  error?: string; // expected error name
  message?: RegExp;
}

const kernel = await loadRuntime<{ analyze(code: string): string }>();

const cases: Case[] = [
  // assignments
  { rule: "an assignment writes its target", code: "x = 1", reads: [], writes: ["x"] },
  { rule: "a name used is a read", code: "y = x + 1", reads: ["x"], writes: ["y"] },
  { rule: "builtins are not reads", code: "n = len([1, 2])", reads: [], writes: ["n"] },
  { rule: "assigning a builtin's name writes it", code: "list = [1]", reads: [], writes: ["list"] },
  {
    rule: "a builtin name stays a non-read even if another cell shadows it",
    code: "y = list(x)",
    reads: ["x"],
    writes: ["y"],
  },
  { rule: "display is a builtin", code: "display(x)", reads: ["x"], writes: [] },
  { rule: "rn is a builtin", code: "n = rn.ui.slider(1, lo)", reads: ["lo"], writes: ["n"] },
  { rule: "importing rn defines it like any import", code: "import rn", reads: [], writes: ["rn"] },
  { rule: "chained assignment writes every target", code: "a = b = c", reads: ["c"], writes: ["a", "b"] },
  { rule: "tuple unpacking writes each name", code: "a, b = pair", reads: ["pair"], writes: ["a", "b"] },
  {
    rule: "nested unpacking writes each name",
    code: "(a, [b, c]) = v",
    reads: ["v"],
    writes: ["a", "b", "c"],
  },
  {
    rule: "starred unpacking writes the starred name",
    code: "first, *rest = items",
    reads: ["items"],
    writes: ["first", "rest"],
  },
  { rule: "attribute assignment reads the object", code: "obj.attr = 1", reads: ["obj"], writes: [] },
  {
    rule: "subscript assignment reads object, index and value",
    code: "table[key] = value",
    reads: ["key", "table", "value"],
    writes: [],
  },
  { rule: "augmented assignment reads and writes the name", code: "x += 1", reads: ["x"], writes: ["x"] },
  {
    rule: "augmented assignment after a definition is not a read",
    code: "x = 0\nx += 1",
    reads: [],
    writes: ["x"],
  },
  {
    rule: "augmented attribute assignment reads the object",
    code: "obj.count += 1",
    reads: ["obj"],
    writes: [],
  },
  {
    rule: "augmented subscript assignment reads all parts",
    code: "d[k] -= v",
    reads: ["d", "k", "v"],
    writes: [],
  },
  {
    rule: "the right-hand side is evaluated before the target is bound",
    code: "x = x + 1",
    reads: ["x"],
    writes: ["x"],
  },
  {
    rule: "a name used before it is assigned is a read",
    code: "print(x)\nx = 1",
    reads: ["x"],
    writes: ["x"],
  },
  {
    rule: "a name used after it is assigned is not a read",
    code: "x = 1\nprint(x)",
    reads: [],
    writes: ["x"],
  },
  { rule: "annotated assignment with a value writes", code: "x: int = 5", reads: [], writes: ["x"] },
  {
    rule: "annotated assignment reads its annotation",
    code: "x: Vector = make()",
    reads: ["Vector", "make"],
    writes: ["x"],
  },
  { rule: "a bare annotation is not a write", code: "x: int", reads: [], writes: [] },
  { rule: "a bare annotation reads its annotation", code: "x: MyType", reads: ["MyType"], writes: [] },
  {
    rule: "an annotated attribute target reads the object",
    code: "obj.x: int = 1",
    reads: ["obj"],
    writes: [],
  },
  // walrus
  {
    rule: "walrus at module level writes",
    code: "if (n := len(data)) > 3:\n    pass",
    reads: ["data"],
    writes: ["n"],
  },
  {
    rule: "a walrus target is defined for later statements",
    code: "(y := 2)\nz = y",
    reads: [],
    writes: ["y", "z"],
  },
  {
    rule: "walrus in a comprehension binds in the enclosing scope",
    code: "vals = [last := v for v in data]",
    reads: ["data"],
    writes: ["last", "vals"],
  },
  {
    rule: "walrus in a comprehension condition binds in the enclosing scope",
    code: "hits = [v for v in data if (m := check(v))]",
    reads: ["check", "data"],
    writes: ["hits", "m"],
  },
  {
    rule: "walrus inside a function is local",
    code: "def f():\n    (t := 3)\n    return t",
    reads: [],
    writes: ["f"],
  },
  {
    rule: "walrus in a comprehension inside a function binds in the function",
    code: "def f():\n    [(t := v) for v in data]\n    return t",
    reads: ["data"],
    writes: ["f"],
  },
  {
    rule: "walrus inside a lambda is local to the lambda",
    code: "f = lambda: (z := 1)",
    reads: [],
    writes: ["f"],
  },
  // functions
  { rule: "def writes the function name", code: "def f():\n    pass", reads: [], writes: ["f"] },
  {
    rule: "async def writes the function name",
    code: "async def fetch():\n    pass",
    reads: [],
    writes: ["fetch"],
  },
  {
    rule: "parameters of every kind are local",
    code: "def f(a, /, b=1, *args, c, **kw):\n    return a + b + c + len(args) + len(kw)",
    reads: [],
    writes: ["f"],
  },
  {
    rule: "a global used in a function body is a read",
    code: "def f():\n    return g(x)",
    reads: ["g", "x"],
    writes: ["f"],
  },
  {
    rule: "a function body may use a name the cell defines later",
    code: "def f():\n    return x\nx = 1",
    reads: [],
    writes: ["f", "x"],
  },
  {
    rule: "a function body may use a name the cell defined before",
    code: "x = 1\ndef f():\n    return x",
    reads: [],
    writes: ["f", "x"],
  },
  {
    rule: "a recursive function does not read itself",
    code: "def fact(n):\n    return 1 if n < 2 else n * fact(n - 1)",
    reads: [],
    writes: ["fact"],
  },
  {
    rule: "default values are read on the spot",
    code: "def f(a=default):\n    pass",
    reads: ["default"],
    writes: ["f"],
  },
  {
    rule: "a default value defined later in the cell is a read",
    code: "def f(a=x):\n    pass\nx = 1",
    reads: ["x"],
    writes: ["f", "x"],
  },
  {
    rule: "keyword-only defaults are read on the spot",
    code: "def f(*, a=k):\n    pass",
    reads: ["k"],
    writes: ["f"],
  },
  { rule: "a decorator is a read", code: "@cache\ndef f():\n    pass", reads: ["cache"], writes: ["f"] },
  {
    rule: "a decorator call's arguments are reads",
    code: "@route(path)\ndef f():\n    pass",
    reads: ["path", "route"],
    writes: ["f"],
  },
  {
    rule: "a decorator defined earlier in the cell is not a read",
    code: "def deco(f):\n    return f\n@deco\ndef g():\n    pass",
    reads: [],
    writes: ["deco", "g"],
  },
  {
    rule: "a decorator defined later in the cell is a read",
    code: "@deco\ndef g():\n    pass\ndef deco(f):\n    return f",
    reads: ["deco"],
    writes: ["deco", "g"],
  },
  {
    rule: "parameter and return annotations are reads",
    code: "def f(a: Frame) -> Result:\n    pass",
    reads: ["Frame", "Result"],
    writes: ["f"],
  },
  {
    rule: "annotations are evaluated at def time",
    code: "def f(a: Later):\n    pass\nclass Later:\n    pass",
    reads: ["Later"],
    writes: ["Later", "f"],
  },
  {
    rule: "future annotations are read like a body",
    code: "from __future__ import annotations\ndef f(a: Later):\n    pass\nclass Later:\n    pass",
    reads: [],
    writes: ["Later", "annotations", "f"],
  },
  {
    rule: "annotations of locals inside a function are never evaluated",
    code: "def f():\n    y: Unknown = 1\n    return y",
    reads: [],
    writes: ["f"],
  },
  {
    rule: "a local assigned in a function is not a read",
    code: "def f():\n    y = 1\n    return y",
    reads: [],
    writes: ["f"],
  },
  {
    rule: "a local used before its assignment in a function is still local",
    code: "def f():\n    print(y)\n    y = 1",
    reads: [],
    writes: ["f"],
  },
  {
    rule: "an import inside a function is local",
    code: "def f():\n    import json\n    return json.dumps(x)",
    reads: ["x"],
    writes: ["f"],
  },
  {
    rule: "a match capture inside a function is local",
    code: "def f(v):\n    match v:\n        case [a]:\n            return a",
    reads: [],
    writes: ["f"],
  },
  // global / nonlocal
  {
    rule: "a global declaration in a function that assigns writes the name",
    code: "def setup():\n    global config\n    config = load()",
    reads: ["load"],
    writes: ["config", "setup"],
  },
  {
    rule: "a global declaration that only reads is a read",
    code: "def get():\n    global config\n    return config",
    reads: ["config"],
    writes: ["get"],
  },
  {
    rule: "a name written through global is defined for later statements",
    code: "def f():\n    global g\n    g = 1\nf()\nprint(g)",
    reads: [],
    writes: ["f", "g"],
  },
  {
    rule: "global in a nested function writes the name",
    code: "def outer():\n    def inner():\n        global counter\n        counter = 0",
    reads: [],
    writes: ["counter", "outer"],
  },
  {
    rule: "global augmented assignment writes the name",
    code: "def bump():\n    global total\n    total += 1",
    reads: [],
    writes: ["bump", "total"],
  },
  {
    rule: "a global statement at module level changes nothing",
    code: "global x\nx = 1",
    reads: [],
    writes: ["x"],
  },
  {
    rule: "nonlocal refers to the enclosing function",
    code: "def outer():\n    n = 0\n    def inner():\n        nonlocal n\n        n += 1\n    return inner",
    reads: [],
    writes: ["outer"],
  },
  {
    rule: "a closure's free variable is not a global read",
    code: "def outer(a):\n    def inner():\n        return a + b\n    return inner",
    reads: ["b"],
    writes: ["outer"],
  },
  {
    rule: "a nested function's name is local to its function",
    code: "def outer():\n    def helper():\n        pass\n    return helper()",
    reads: [],
    writes: ["outer"],
  },
  // lambdas
  { rule: "lambda parameters are local", code: "f = lambda a, b=1: a + b", reads: [], writes: ["f"] },
  {
    rule: "a global used in a lambda body is a read",
    code: "f = lambda a: a * scale",
    reads: ["scale"],
    writes: ["f"],
  },
  {
    rule: "lambda defaults are read on the spot",
    code: "f = lambda a=base: a",
    reads: ["base"],
    writes: ["f"],
  },
  {
    rule: "a lambda body may use a name the cell defines later",
    code: "f = lambda: later\nlater = 1",
    reads: [],
    writes: ["f", "later"],
  },
  {
    rule: "a lambda in a comprehension sees the comprehension variable",
    code: "fs = [lambda: i * k for i in range(3)]",
    reads: ["k"],
    writes: ["fs"],
  },
  // classes
  { rule: "class writes the class name", code: "class A:\n    pass", reads: [], writes: ["A"] },
  {
    rule: "bases and keywords of a class are reads",
    code: "class A(Base, metaclass=Meta):\n    pass",
    reads: ["Base", "Meta"],
    writes: ["A"],
  },
  {
    rule: "names defined in a class body are not writes",
    code: "class A:\n    x = 1\n    y = x + 1",
    reads: [],
    writes: ["A"],
  },
  {
    rule: "a class body reads globals on the spot",
    code: "class A:\n    size = default_size",
    reads: ["default_size"],
    writes: ["A"],
  },
  {
    rule: "a class body name used before its definition is a global read",
    code: "class A:\n    y = x\n    x = 1",
    reads: ["x"],
    writes: ["A"],
  },
  {
    rule: "a method body's globals are reads",
    code: "class A:\n    def m(self):\n        return helper(self)",
    reads: ["helper"],
    writes: ["A"],
  },
  {
    rule: "a method does not see class attributes",
    code: "class A:\n    x = 1\n    def m(self):\n        return x",
    reads: ["x"],
    writes: ["A"],
  },
  {
    rule: "a method default sees class attributes",
    code: "class A:\n    size = 1\n    def m(self, s=size):\n        pass",
    reads: [],
    writes: ["A"],
  },
  {
    rule: "a class decorator is a read",
    code: "@dataclass\nclass P:\n    x: int = 0",
    reads: ["dataclass"],
    writes: ["P"],
  },
  {
    rule: "class body annotations are reads",
    code: "class P:\n    x: Coord",
    reads: ["Coord"],
    writes: ["P"],
  },
  {
    rule: "a method may refer to its own class",
    code: "class Node:\n    def copy(self):\n        return Node()",
    reads: [],
    writes: ["Node"],
  },
  {
    rule: "a class inside a function sees the function's locals",
    code: "def make(base):\n    class C(base):\n        y = base\n    return C",
    reads: [],
    writes: ["make"],
  },
  // imports
  { rule: "import writes the module name", code: "import math", reads: [], writes: ["math"] },
  { rule: "import a.b writes a", code: "import os.path", reads: [], writes: ["os"] },
  { rule: "import a.b as c writes c", code: "import os.path as osp", reads: [], writes: ["osp"] },
  {
    rule: "from-import writes each imported name",
    code: "from math import pi, tau",
    reads: [],
    writes: ["pi", "tau"],
  },
  {
    rule: "from-import as writes the alias",
    code: "from collections import OrderedDict as OD",
    reads: [],
    writes: ["OD"],
  },
  {
    rule: "a relative import writes the name",
    code: "from . import sibling",
    reads: [],
    writes: ["sibling"],
  },
  {
    rule: "an imported name used later is not a read",
    code: "import numpy as np\narr = np.zeros(3)",
    reads: [],
    writes: ["arr", "np"],
  },
  {
    rule: "from x import * is an error",
    code: "from os import *",
    error: "ImportStarError",
    message: /import \*/,
  },
  {
    rule: "from x import * inside a function is a syntax error",
    code: "def f():\n    from os import *",
    error: "SyntaxError",
  },
  // loops and context managers
  {
    rule: "a for target is a write",
    code: "for i in range(n):\n    total = i",
    reads: ["n"],
    writes: ["i", "total"],
  },
  {
    rule: "a for tuple target writes each name",
    code: "for k, v in d.items():\n    pass",
    reads: ["d"],
    writes: ["k", "v"],
  },
  {
    rule: "async for at top level writes its target",
    code: "async for item in stream:\n    print(item)",
    reads: ["stream"],
    writes: ["item"],
  },
  {
    rule: "a for-else body runs on the spot",
    code: "for x in xs:\n    pass\nelse:\n    done = True",
    reads: ["xs"],
    writes: ["done", "x"],
  },
  {
    rule: "a while loop reads its condition",
    code: "while running:\n    step()",
    reads: ["running", "step"],
    writes: [],
  },
  {
    rule: "with ... as writes the target",
    code: "with open(path) as fh:\n    text = fh.read()",
    reads: ["path"],
    writes: ["fh", "text"],
  },
  {
    rule: "with ... as a tuple writes each name",
    code: "with ctx() as (a, b):\n    pass",
    reads: ["ctx"],
    writes: ["a", "b"],
  },
  {
    rule: "async with at top level reads its manager",
    code: "async with lock:\n    n = 1",
    reads: ["lock"],
    writes: ["n"],
  },
  // exceptions
  {
    rule: "an except ... as name is not a write",
    code: "try:\n    risky()\nexcept ValueError as err:\n    msg = str(err)",
    reads: ["risky"],
    writes: ["msg"],
  },
  {
    rule: "an exception type is a read",
    code: "try:\n    pass\nexcept CustomError:\n    pass",
    reads: ["CustomError"],
    writes: [],
  },
  {
    rule: "try and finally run in order",
    code: "try:\n    a = 1\nfinally:\n    b = a",
    reads: [],
    writes: ["a", "b"],
  },
  {
    rule: "except* binds like except",
    code: "try:\n    run()\nexcept* ValueError as eg:\n    n = len(eg.exceptions)",
    reads: ["run"],
    writes: ["n"],
  },
  {
    rule: "raise reads the exception and its cause",
    code: "raise MyError(detail) from cause",
    reads: ["MyError", "cause", "detail"],
    writes: [],
  },
  {
    rule: "assert reads its test and message",
    code: "assert ok, message",
    reads: ["message", "ok"],
    writes: [],
  },
  // match
  {
    rule: "match sequence captures are writes",
    code: "match cmd:\n    case [action, obj]:\n        pass",
    reads: ["cmd"],
    writes: ["action", "obj"],
  },
  {
    rule: "match mapping captures and rest are writes",
    code: 'match msg:\n    case {"k": v, **others}:\n        pass',
    reads: ["msg"],
    writes: ["others", "v"],
  },
  {
    rule: "match class keyword captures are writes and the class a read",
    code: "match p:\n    case Point(x=a, y=0):\n        pass",
    reads: ["Point", "p"],
    writes: ["a"],
  },
  {
    rule: "match class positional captures are writes",
    code: "match p:\n    case Point(a, b):\n        pass",
    reads: ["Point", "p"],
    writes: ["a", "b"],
  },
  {
    rule: "match star captures are writes",
    code: "match seq:\n    case [first, *rest]:\n        pass",
    reads: ["seq"],
    writes: ["first", "rest"],
  },
  {
    rule: "match as captures are writes",
    code: "match v:\n    case _ as n:\n        pass",
    reads: ["v"],
    writes: ["n"],
  },
  {
    rule: "the match wildcard binds nothing",
    code: "match v:\n    case _:\n        pass",
    reads: ["v"],
    writes: [],
  },
  {
    rule: "a match value pattern is a read",
    code: "match color:\n    case Color.RED:\n        pass",
    reads: ["Color", "color"],
    writes: [],
  },
  {
    rule: "a match guard is a read and an or-pattern capture a write",
    code: "match v:\n    case 1 | 2 as small if small > limit:\n        pass",
    reads: ["limit", "v"],
    writes: ["small"],
  },
  // del
  { rule: "deleting a name the cell did not define is a read", code: "del x", reads: ["x"], writes: [] },
  {
    rule: "deleting a name the cell defined keeps it a write",
    code: "tmp = 1\ndel tmp",
    reads: [],
    writes: ["tmp"],
  },
  { rule: "deleting a subscript reads object and key", code: "del d[k]", reads: ["d", "k"], writes: [] },
  // comprehensions
  {
    rule: "comprehension variables are local",
    code: "squares = [i * i for i in range(n)]",
    reads: ["n"],
    writes: ["squares"],
  },
  {
    rule: "a comprehension variable does not leak",
    code: "ys = [x for x in xs]\nprint(x)",
    reads: ["x", "xs"],
    writes: ["ys"],
  },
  {
    rule: "nested for clauses see earlier variables",
    code: "flat = [c for row in grid for c in row]",
    reads: ["grid"],
    writes: ["flat"],
  },
  {
    rule: "nested comprehensions see outer variables",
    code: "m = [[x * y for y in row] for row in rows]",
    reads: ["rows", "x"],
    writes: ["m"],
  },
  {
    rule: "dict comprehension variables are local",
    code: "inv = {v: k for k, v in mapping.items()}",
    reads: ["mapping"],
    writes: ["inv"],
  },
  {
    rule: "set comprehension conditions read globals",
    code: "s = {w for w in words if w not in stop}",
    reads: ["stop", "words"],
    writes: ["s"],
  },
  {
    rule: "generator expressions scope like comprehensions",
    code: "total = sum(x * factor for x in xs)",
    reads: ["factor", "xs"],
    writes: ["total"],
  },
  {
    rule: "a comprehension's first iterable is evaluated in the class body",
    code: "class A:\n    xs = [1]\n    ys = [x for x in xs]",
    reads: [],
    writes: ["A"],
  },
  {
    rule: "a comprehension in a class body does not see class names",
    code: "class A:\n    k = 2\n    ys = [x * k for x in range(3)]",
    reads: ["k"],
    writes: ["A"],
  },
  {
    rule: "a comprehension in a function runs later",
    code: "def f():\n    return [x for x in items]\nitems = []",
    reads: [],
    writes: ["f", "items"],
  },
  {
    rule: "a comprehension at module level runs on the spot",
    code: "ys = [x for x in items]\nitems = []",
    reads: ["items"],
    writes: ["items", "ys"],
  },
  // expressions
  {
    rule: "f-string expressions are reads",
    code: 'msg = f"{name}: {value!r:>{width}}"',
    reads: ["name", "value", "width"],
    writes: ["msg"],
  },
  { rule: "nested f-strings are reads", code: "s = f\"{f'{inner}'}\"", reads: ["inner"], writes: ["s"] },
  {
    rule: "attribute chains read only their root",
    code: "v = np.linalg.norm(m)",
    reads: ["m", "np"],
    writes: ["v"],
  },
  { rule: "keyword argument names are not reads", code: "f(a=1)", reads: ["f"], writes: [] },
  {
    rule: "star arguments are reads",
    code: "f(*args, **kwargs)",
    reads: ["args", "f", "kwargs"],
    writes: [],
  },
  {
    rule: "slices are reads",
    code: "part = seq[start:stop]",
    reads: ["seq", "start", "stop"],
    writes: ["part"],
  },
  {
    rule: "conditional expressions read every branch",
    code: "y = a if cond else b",
    reads: ["a", "b", "cond"],
    writes: ["y"],
  },
  {
    rule: "definitions in both branches of an if are writes",
    code: "if flag:\n    mode = 1\nelse:\n    mode = 2",
    reads: ["flag"],
    writes: ["mode"],
  },
  {
    rule: "top-level await reads its operands",
    code: "data = await fetch(url)",
    reads: ["fetch", "url"],
    writes: ["data"],
  },
  { rule: "a string literal reads nothing", code: '"hello"', reads: [], writes: [] },
  { rule: "an empty cell reads and writes nothing", code: "", reads: [], writes: [] },
  { rule: "a comment-only cell reads and writes nothing", code: "# nothing here", reads: [], writes: [] },
  // private names
  {
    rule: "private names are never writes",
    code: "_tmp = compute()\nresult = _tmp * 2",
    reads: ["compute"],
    writes: ["result"],
  },
  { rule: "private names are never reads", code: "y = _hidden", reads: [], writes: ["y"] },
  { rule: "dunder names are private", code: "print(__name__)", reads: [], writes: [] },
  {
    rule: "a private function is not a write",
    code: "def _helper():\n    return shared",
    reads: ["shared"],
    writes: [],
  },
  { rule: "a private import is not a write", code: "import pandas as _pd", reads: [], writes: [] },
  // PEP 695
  { rule: "a type alias writes its name", code: "type Vector = list[float]", reads: [], writes: ["Vector"] },
  {
    rule: "a type alias may refer to itself",
    code: "type Tree = dict[str, Tree]",
    reads: [],
    writes: ["Tree"],
  },
  {
    rule: "a type alias reads other names lazily",
    code: "type Pair = tuple[Item, Item]",
    reads: ["Item"],
    writes: ["Pair"],
  },
  {
    rule: "a generic type alias's parameters are local",
    code: "type Box[T] = list[T]",
    reads: [],
    writes: ["Box"],
  },
  {
    rule: "a generic function's type parameters are local",
    code: "def first[T](xs: list[T]) -> T:\n    return xs[0]",
    reads: [],
    writes: ["first"],
  },
  {
    rule: "a generic class's type parameters are local and its bases read",
    code: "class Box[T](Base):\n    item: T",
    reads: ["Base"],
    writes: ["Box"],
  },
  {
    rule: "a type parameter bound is a read",
    code: "def f[T: Bound](x: T) -> T:\n    return x",
    reads: ["Bound"],
    writes: ["f"],
  },
  // errors
  {
    rule: "a syntax error names its line and column",
    code: "x = (",
    error: "SyntaxError",
    message: /line 1, column 5/,
  },
  {
    rule: "a syntax error on a later line names that line",
    code: "a = 1\nb = = 2",
    error: "SyntaxError",
    message: /line 2/,
  },
  { rule: "return outside a function is a syntax error", code: "return 1", error: "SyntaxError" },
  { rule: "nonlocal at module level is a syntax error", code: "nonlocal x", error: "SyntaxError" },
  { rule: "bad indentation is a syntax error", code: "if x:\npass", error: "IndentationError" },
  {
    rule: "deeply nested parentheses are an error, not a crash",
    code: "(".repeat(100000),
    error: "SyntaxError",
  },
  {
    rule: "a long chain of binary operators is an error, not a crash",
    code: `${"1+".repeat(100000)}1`,
    error: "SyntaxError",
    message: /nested too deeply/,
  },
  {
    rule: "a long attribute chain is an error, not a crash",
    code: `${"a.".repeat(50000)}b`,
    error: "SyntaxError",
  },
  {
    rule: "a long subscript chain is an error, not a crash",
    code: `x${"[0]".repeat(100000)}`,
    error: "SyntaxError",
  },
  {
    rule: "a long call chain is an error, not a crash",
    code: `f${"()".repeat(100000)}`,
    error: "SyntaxError",
  },
  {
    rule: "a long unary chain is an error, not a crash",
    code: `${"-".repeat(100000)}1`,
    error: "SyntaxError",
  },
  {
    rule: "a long not chain is an error, not a crash",
    code: `${"not ".repeat(100000)}x`,
    error: "SyntaxError",
  },
  {
    rule: "nested lambdas are an error, not a crash",
    code: `${"lambda: ".repeat(2000)}1`,
    error: "SyntaxError",
  },
  {
    rule: "too many indentation levels is an error",
    code:
      Array.from({ length: 120 }, (_, i) => `${" ".repeat(i)}if x:`).join("\n") + `\n${" ".repeat(120)}pass`,
    error: "IndentationError",
  },
];

for (const c of cases) {
  test(`analysis: ${c.rule}`, () => {
    const result = JSON.parse(kernel.analyze(c.code)) as Analysis;
    if (c.error) {
      assert.equal(result.error?.name, c.error, JSON.stringify(result.error));
      if (c.message) assert.match(result.error?.message ?? "", c.message);
      assert.deepEqual([result.reads, result.writes], [[], []]);
    } else {
      assert.equal(result.error, null, JSON.stringify(result.error));
      assert.deepEqual({ reads: result.reads, writes: result.writes }, { reads: c.reads, writes: c.writes });
    }
  });
}

test("analysis: there is a case for at least a hundred rules", () => {
  assert.ok(cases.length >= 100, `${cases.length} cases`);
  assert.equal(new Set(cases.map((c) => c.rule)).size, cases.length, "rule names are unique");
});

test("analysis: a large flat literal is not mistaken for deep nesting", () => {
  const result = JSON.parse(kernel.analyze(`x = [${"-1, ".repeat(20000)}]`)) as Analysis;
  assert.deepEqual(result, { reads: [], writes: ["x"], error: null });
});

test("analysis: the interpreter survives hostile input and keeps answering", () => {
  assert.deepEqual(JSON.parse(kernel.analyze("y = x")), { reads: ["x"], writes: ["y"], error: null });
});
