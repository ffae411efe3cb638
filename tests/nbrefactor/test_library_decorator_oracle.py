"""Re-checks 36 to 40's reproductions, run: each notebook prints the same after `migrate`.

A library decorator keeping state per decoration, or doing something when applied, and a
function keeping state on itself: each was replaced, and the notebook printed something
else (`(6, 1)` became `(6, 3)`, a second "loading" line went). Each case is run as a
kernel would, cell by cell in one namespace, before and after the migration; the kept
ones must be kept for the reason given, the others replaced (decorators that only wrap:
the safe side must not keep everything).
"""

from __future__ import annotations

import ast
import contextlib
import io
import sys
from pathlib import Path

import pytest
from conftest import TITLE, code, migrate_text, notebook_text

from nbrefactor.analysis.catalog import load_catalog


def _defined_twice(decorator: str) -> list[str]:
    """The notebook most cases share: the library's `decorator` imported, `load` decorated
    by it defined twice, each copy called (state kept per decoration shows in the second)."""
    copy = f"@{decorator}\ndef load(x):\n    return x * 2"
    return [
        f"from mylib import {decorator}",
        copy,
        "load(1); print(load(2))",
        copy,
        "print(load(3))",
    ]


CASES = [
    pytest.param(
        (
            "import functools\n\n@functools.singledispatch\ndef show(x):\n    return 'object'\n\n"
            "@show.register(int)\ndef _(x):\n    return 'int'\n"
        ),
        [
            "import functools",
            "@functools.singledispatch\ndef show(x):\n    return 'object'",
            'print(show(1), show("a"))',
        ],
        "NBR261",
        id="p19-the-library-registers-an-overload-after-the-def",
    ),
    pytest.param(
        (
            "import functools\n\n@functools.singledispatch\ndef show(x):\n    return 'object'\n\n"
            "show.__doc__ = 'Shows x.'\n"
        ),
        [
            "import functools",
            "@functools.singledispatch\ndef show(x):\n    return 'object'",
            'print(show(1), show("a"))',
        ],
        None,
        id="its-docstring-set-after-the-def-changes-nothing-printed",
    ),
    pytest.param(
        "import functools\n\nclass Stats:\n    def __init__(self):\n        self.n = 0\n    def record(self):\n        self.n += 1\n        return self.n\n\ndef counted(fn):\n    stats = Stats()\n    @functools.wraps(fn)\n    def wrapper(x):\n        n = stats.record()\n        return fn(x), n\n    return wrapper\n\n@counted\ndef load(x):\n    return x * 2\n",
        _defined_twice("counted"),
        "NBR246",
        id="p05-an-object-the-decorator-made-changed-by-its-method",
    ),
    pytest.param(
        "import collections, functools\n\ndef recent(fn):\n    last = collections.deque(maxlen=3)\n    @functools.wraps(fn)\n    def wrapper(x):\n        last.appendleft(x)\n        return fn(x), list(last)\n    return wrapper\n\n@recent\ndef load(x):\n    return x * 2\n",
        _defined_twice("recent"),
        "NBR259",
        id="p03-a-deque-the-decorator-made",
    ),
    pytest.param(
        "import random, functools\n\ndef jittered(fn):\n    rng = random.Random(0)\n    @functools.wraps(fn)\n    def wrapper(x):\n        return fn(x) + round(rng.random(), 3)\n    return wrapper\n\n@jittered\ndef load(x):\n    return x * 2\n",
        [
            "from mylib import jittered",
            "@jittered\ndef load(x):\n    return x * 2",
            "print(load(1), load(2))",
            "@jittered\ndef load(x):\n    return x * 2",
            "print(load(1))",
        ],
        "NBR259",
        id="p04-a-random-generator-the-decorator-made",
    ),
    pytest.param(
        'import functools, io\n\ndef logged(fn):\n    buf = io.StringIO()\n    @functools.wraps(fn)\n    def wrapper(x):\n        print("call", x, file=buf)\n        return fn(x), buf.getvalue().count("call")\n    return wrapper\n\n@logged\ndef load(x):\n    return x * 2\n',
        _defined_twice("logged"),
        "NBR259",
        id="p20-a-StringIO-the-wrapper-prints-into",
    ),
    pytest.param(
        "import functools, time\n\ndef _record(timings, name, dt):\n    timings.append((name, dt))\n\ndef timed(fn):\n    timings = []\n    @functools.wraps(fn)\n    def wrapper(x):\n        _record(timings, fn.__name__, 0.0)\n        return fn(x), len(timings)\n    return wrapper\n\n@timed\ndef load(x):\n    return x * 2\n",
        _defined_twice("timed"),
        "NBR259",
        id="p06-a-list-the-decorator-made-changed-by-a-helper-it-is-handed-t",
    ),
    pytest.param(
        'import functools\ndef counted(label):\n    calls = []\n    def bump():\n        calls.append(1)\n        return len(calls)\n    def deco(fn):\n        @functools.wraps(fn)\n        def wrapper(x):\n            return fn(x), bump()\n        return wrapper\n    return deco\n\n\n@counted("c")\ndef load(x):\n    return x * 2\n',
        [
            "from mylib import counted",
            '@counted("c")\ndef load(x):\n    return x * 2',
            "load(1); print(load(2))",
            '@counted("c")\ndef load(x):\n    return x * 2',
            "print(load(3))",
        ],
        "NBR259",
        id="p36-a-factorys-list-changed-by-a-function-it-defines",
    ),
    pytest.param(
        'import functools\ndef loader(fn):\n    @functools.cache\n    def compute(x):\n        print("computing", x)\n        return fn(x)\n    @functools.wraps(fn)\n    def wrapper(x):\n        return compute(x)\n    return wrapper\n\n@loader\ndef load(x):\n    return x * 2\n',
        [
            "from mylib import loader",
            "@loader\ndef load(x):\n    return x * 2",
            "print(load(1))",
            "@loader\ndef load(x):\n    return x * 2",
            "print(load(1))",
        ],
        "NBR259",
        id="p30c-a-cached-function-the-decorator-defines",
    ),
    pytest.param(
        'def with_table(fn):\n    fn.table = {}\n    return fn\n\n@with_table\ndef fib(n):\n    if n in fib.table:\n        return fib.table[n]\n    print("compute", n)\n    r = n if n < 2 else fib(n - 1) + fib(n - 2)\n    fib.table[n] = r\n    return r\n',
        [
            "from mylib import with_table",
            '@with_table\ndef fib(n):\n    if n in fib.table:\n        return fib.table[n]\n    print("compute", n)\n    r = n if n < 2 else fib(n - 1) + fib(n - 2)\n    fib.table[n] = r\n    return r',
            "print(fib(3))",
            '@with_table\ndef fib(n):\n    if n in fib.table:\n        return fib.table[n]\n    print("compute", n)\n    r = n if n < 2 else fib(n - 1) + fib(n - 2)\n    fib.table[n] = r\n    return r',
            "print(fib(3))",
        ],
        "NBR259",
        id="p16b-an-item-of-the-functions-own-attribute",
    ),
    pytest.param(
        "def with_log(fn):\n    fn.log = []\n    return fn\n\n@with_log\ndef step(x):\n    step.log.append(x)\n    return len(step.log)\n",
        [
            "from mylib import with_log",
            "@with_log\ndef step(x):\n    step.log.append(x)\n    return len(step.log)",
            "step(1); print(step(2))",
            "@with_log\ndef step(x):\n    step.log.append(x)\n    return len(step.log)",
            "print(step(3))",
        ],
        "NBR259",
        id="p16c-the-functions-own-list-attribute-appended-to",
    ),
    pytest.param(
        'def tick():\n    me = tick\n    me.calls = getattr(me, "calls", 0) + 1\n    return me.calls\n',
        [
            'def tick():\n    me = tick\n    me.calls = getattr(me, "calls", 0) + 1\n    return me.calls',
            "tick(); print(tick())",
            'def tick():\n    me = tick\n    me.calls = getattr(me, "calls", 0) + 1\n    return me.calls',
            "print(tick())",
        ],
        "NBR259",
        id="p15-its-attribute-set-through-another-name",
    ),
    pytest.param(
        'def bump(f):\n    f.calls = getattr(f, "calls", 0) + 1\n    return f.calls\n\ndef tick():\n    return bump(tick)\n',
        [
            "from mylib import bump",
            "def tick():\n    return bump(tick)",
            "tick(); print(tick())",
            "def tick():\n    return bump(tick)",
            "print(tick())",
        ],
        "NBR259",
        id="p17-handed-to-a-function-setting-its-attribute",
    ),
    pytest.param(
        'HOOKS = {}\n\ndef on(event):\n    def deco(fn):\n        HOOKS.setdefault(event, []).append(fn)\n        return fn\n    return deco\n\ndef fire(event, x):\n    return [h(x) for h in HOOKS.get(event, [])]\n\n@on("start")\ndef greet(x):\n    return f"hello {x}"\n',
        [
            "from mylib import on, fire",
            '@on("start")\ndef greet(x):\n    return f"hello {x}"',
            'print(fire("start", "bob"))',
        ],
        "NBR246",
        id="p07-a-factorys-decorator-registering-the-function",
    ),
    pytest.param(
        'PLUGINS = []\n\ndef _register(fn):\n    PLUGINS.append(fn)\n    return fn\n\ndef plugin(fn):\n    return _register(fn)\n\n@plugin\ndef greet(x):\n    return f"hello {x}"\n',
        [
            "from mylib import plugin, PLUGINS",
            '@plugin\ndef greet(x):\n    return f"hello {x}"',
            'print([p("bob") for p in PLUGINS])',
        ],
        "NBR246",
        id="p08-returning-what-a-registering-function-gives",
    ),
    pytest.param(
        "import itertools\n_ids = itertools.count()\n\ndef step(fn):\n    fn.order = next(_ids)\n    return fn\n\n@step\ndef prepare(x):\n    return x + 1\n",
        [
            "from mylib import step",
            "@step\ndef prepare(x):\n    return x + 1",
            "print(prepare.order, prepare(1))",
        ],
        "NBR246",
        id="p09-an-attribute-set-to-the-next-of-a-counter",
    ),
    pytest.param(
        "PIPELINE = []\n\ndef checkpoint(fn):\n    PIPELINE.append(fn)\n    return fn\n\n@checkpoint\ndef clean(x):\n    return x.strip()\n",
        [
            "from mylib import checkpoint, PIPELINE",
            "@checkpoint\ndef clean(x):\n    return x.strip()",
            'print(len(PIPELINE), [step("  a ") for step in PIPELINE])',
        ],
        "NBR246",
        id="p21-the-librarys-own-checkpoint-not-torchs",
    ),
    pytest.param(
        'import functools\n\n@functools.cache\ndef load(path):\n    print("loading", path)\n    return len(path)\n\ndef total(paths):\n    return sum(load(p) for p in paths)\n',
        [
            "import functools\nfrom mylib import total",
            '@functools.cache\ndef load(path):\n    print("loading", path)\n    return len(path)',
            'print(total(["a.csv", "b.csv"]))\nprint(load("a.csv"))',
        ],
        "NBR260",
        id="p10-one-cached-copy-the-librarys-function-used-by-another",
    ),
    pytest.param(
        "import functools\n\ndef counted(fn):\n    calls = [0]\n    @functools.wraps(fn)\n    def wrapper(x):\n        calls[0] += 1\n        return fn(x), calls[0]\n    return wrapper\n\n@counted\ndef load(x):\n    return x * 2\n",
        [
            "from mylib import counted, load",
            "print(load(1), load(2))",
            "@counted\ndef load(x):\n    return x * 2",
            "print(load(3))",
        ],
        "NBR260",
        id="p11-the-librarys-function-imported-then-a-copy",
    ),
    pytest.param(
        "import functools\n\ndef counted(fn):\n    calls = [0]\n    @functools.wraps(fn)\n    def wrapper(x):\n        calls[0] += 1\n        return fn(x), calls[0]\n    return wrapper\n\n@counted\ndef load(x):\n    return x * 2\n",
        [
            "import mylib\nfrom mylib import counted",
            "@counted\ndef load(x):\n    return x * 2",
            "print(mylib.load(1), mylib.load(2))\nprint(load(3))",
        ],
        "NBR260",
        id="p23-the-librarys-function-used-as-mylib.load",
    ),
    pytest.param(
        'import functools\n\n@functools.cache\ndef load(x):\n    print("loading", x)\n    return x * 2\n',
        [
            "import functools",
            '@functools.cache\ndef load(x):\n    print("loading", x)\n    return x * 2',
            "print(load(1))",
            "from mylib import load\nprint(load(1))",
        ],
        "NBR260",
        id="p24-a-cached-copy-then-the-librarys-imported",
    ),
    pytest.param(
        "import functools, collections\n\nTIMINGS = collections.defaultdict(list)\n\ndef timed(fn):\n    @functools.wraps(fn)\n    def wrapper(*a, **k):\n        TIMINGS[fn.__name__].append(0.0)\n        return fn(*a, **k)\n    return wrapper\n\n@timed\ndef load(x):\n    return x * 2\n",
        [
            "from mylib import timed, TIMINGS",
            "@timed\ndef load(x):\n    return x * 2",
            "print(load(1), load(2))",
            "@timed\ndef load(x):\n    return x * 2",
            'print(load(3), len(TIMINGS["load"]))',
        ],
        None,
        id="f01-a-module-level-registry-the-wrapper-fills-shared-either-way",
    ),
    pytest.param(
        'import functools, time\n\ndef timed(fn):\n    @functools.wraps(fn)\n    def wrapper(*a, **k):\n        t0 = time.perf_counter()\n        res = fn(*a, **k)\n        res["elapsed_ok"] = time.perf_counter() - t0 >= 0\n        return res\n    return wrapper\n\n@timed\ndef evaluate(x):\n    return {"score": x * 2}\n',
        [
            "from mylib import timed",
            '@timed\ndef evaluate(x):\n    return {"score": x * 2}',
            "print(evaluate(1))",
            '@timed\ndef evaluate(x):\n    return {"score": x * 2}',
            "print(evaluate(3))",
        ],
        None,
        id="f02-the-wrapper-changes-what-the-call-returned",
    ),
    pytest.param(
        'import functools\n\nRC = {"font.size": 10}\nSTYLE = {"font.size": 9}\n\ndef styled(fn):\n    @functools.wraps(fn)\n    def wrapper(*a, **k):\n        RC.update(STYLE)\n        return fn(*a, **k)\n    return wrapper\n\n@styled\ndef plot(xs):\n    return sum(xs)\n',
        [
            "from mylib import styled, RC",
            "@styled\ndef plot(xs):\n    return sum(xs)",
            'print(plot([1, 2]), RC["font.size"])',
            "@styled\ndef plot(xs):\n    return sum(xs)",
            'print(plot([3, 4]), RC["font.size"])',
        ],
        None,
        id="f03-the-wrapper-sets-a-modules-settings",
    ),
    pytest.param(
        'import functools, logging\nlog = logging.getLogger("mylib")\n\ndef logged(fn):\n    @functools.wraps(fn)\n    def wrapper(*args, **kwargs):\n        print(f"calling {fn.__name__} with {args}")\n        result = fn(*args, **kwargs)\n        print(f"{fn.__name__} returned {result}")\n        return result\n    return wrapper\n\n@logged\ndef load(x):\n    return x * 2\n',
        [
            "from mylib import logged",
            "@logged\ndef load(x):\n    return x * 2",
            "print(load(1))",
            "@logged\ndef load(x):\n    return x * 2",
            "print(load(3))",
        ],
        None,
        id="f07-a-logging-wrapper",
    ),
    pytest.param(
        'import functools\n\ndef retry(times=3):\n    def deco(fn):\n        @functools.wraps(fn)\n        def wrapper(*a, **k):\n            for attempt in range(times):\n                try:\n                    return fn(*a, **k)\n                except ValueError:\n                    print("retry", attempt)\n            raise RuntimeError("failed")\n        return wrapper\n    return deco\n\n@retry(2)\ndef parse(s):\n    return int(s)\n',
        [
            "from mylib import retry",
            "@retry(2)\ndef parse(s):\n    return int(s)",
            'print(parse("3"))',
            "@retry(2)\ndef parse(s):\n    return int(s)",
            'print(parse("4"))\ntry:\n    parse("x")\nexcept RuntimeError as e:\n    print(e)',
        ],
        None,
        id="f10-a-factory-given-a-constant",
    ),
    pytest.param(
        'import functools, inspect\ndef coerce(fn):\n    sig = inspect.signature(fn)\n    @functools.wraps(fn)\n    def wrapper(*args, **kwargs):\n        bound = sig.bind(*args, **kwargs)\n        bound.arguments["x"] = float(bound.arguments["x"])\n        return fn(*bound.args, **bound.kwargs)\n    return wrapper\n\n\n@coerce\ndef load(x):\n    return x * 2\n',
        _defined_twice("coerce"),
        None,
        id="f12-a-signature-bound-at-each-call",
    ),
    pytest.param(
        'import functools\ndef quiet(fn):\n    @functools.wraps(fn)\n    def wrapper(*args, **kwargs):\n        params = kwargs.copy()\n        params.setdefault("y", 0)\n        params.pop("y")\n        return fn(*args, **params)\n    return wrapper\n\n\n@quiet\ndef load(x):\n    return x * 2\n',
        _defined_twice("quiet"),
        None,
        id="f13-a-copy-of-the-keywords-at-each-call",
    ),
    pytest.param(
        "import functools\ndef counted(fn, key=lambda x: x):\n    n = 0\n    @functools.wraps(fn)\n    def wrapper(x):\n        nonlocal n\n        n += 1\n        return fn(x), n\n    return wrapper\n\n@counted\ndef load(x):\n    return x * 2\n",
        _defined_twice("counted"),
        "NBR259",
        id="r37-m13-a-lambda-in-the-decorators-defaults",
    ),
    pytest.param(
        'import functools\ndef counted(fn):\n    target = fn\n    @functools.wraps(fn)\n    def wrapper(x):\n        target.calls = getattr(target, "calls", 0) + 1\n        return fn(x), target.calls\n    return wrapper\n\n@counted\ndef load(x):\n    return x * 2\n',
        _defined_twice("counted"),
        "NBR259",
        id="r37-m19-state-set-on-another-name-for-the-function",
    ),
    pytest.param(
        'import functools\ndef counted(fn):\n    @functools.wraps(fn)\n    def wrapper(x, _f=fn):\n        _f.calls = getattr(_f, "calls", 0) + 1\n        return _f(x), _f.calls\n    return wrapper\n\n@counted\ndef load(x):\n    return x * 2\n',
        _defined_twice("counted"),
        "NBR259",
        id="r37-m20-state-set-on-the-function-through-a-wrappers-default",
    ),
    pytest.param(
        'import functools\ndef counted(fn):\n    store = getattr(fn, "__dict__")\n    @functools.wraps(fn)\n    def wrapper(x):\n        store["n"] = store.get("n", 0) + 1\n        return fn(x), store["n"]\n    return wrapper\n\n@counted\ndef load(x):\n    return x * 2\n',
        _defined_twice("counted"),
        "NBR259",
        id="r37-m05-the-functions-dict-through-getattr",
    ),
    pytest.param(
        'import functools\ndef traced(fn):\n    @functools.wraps(fn)\n    def wrapper(*a):\n        print("call", f"{fn.__module__}.{fn.__qualname__}")\n        return fn(*a)\n    return wrapper\n\n@traced\ndef load(x):\n    return x * 2\n',
        ["from mylib import traced", "@traced\ndef load(x):\n    return x * 2", "print(load(2))"],
        "NBR246",
        id="r37-m01-the-wrapper-prints-the-functions-module",
    ),
    pytest.param(
        'import functools\nVERBOSE = False\ndef traced(fn):\n    verbose = VERBOSE\n    @functools.wraps(fn)\n    def wrapper(*a):\n        if verbose:\n            print("calling", fn.__name__)\n        return fn(*a)\n    return wrapper\n\n@traced\ndef load(x):\n    return x * 2\n',
        [
            "import mylib\nfrom mylib import traced\nmylib.VERBOSE = True",
            "@traced\ndef load(x):\n    return x * 2",
            "print(load(2))",
        ],
        "NBR246",
        id="r37-m03-a-module-variable-read-when-applied",
    ),
    pytest.param(
        'import functools, types\nconfig = types.SimpleNamespace(verbose=False)\ndef traced(fn):\n    verbose = config.verbose\n    @functools.wraps(fn)\n    def wrapper(*a):\n        if verbose:\n            print("calling", fn.__name__)\n        return fn(*a)\n    return wrapper\n\n@traced\ndef load(x):\n    return x * 2\n',
        [
            "from mylib import traced, config\nconfig.verbose = True",
            "@traced\ndef load(x):\n    return x * 2",
            "print(load(2))",
        ],
        "NBR246",
        id="r37-m11-a-module-objects-attribute-read-when-applied",
    ),
    pytest.param(
        "import functools\nLEVEL = 1\ndef traced(fn):\n    @functools.wraps(fn)\n    def wrapper(x, _level=LEVEL):\n        return fn(x) * _level\n    return wrapper\n\n@traced\ndef load(x):\n    return x * 2\n",
        [
            "import mylib\nfrom mylib import traced\nmylib.LEVEL = 10",
            "@traced\ndef load(x):\n    return x * 2",
            "print(load(2))",
        ],
        "NBR246",
        id="r37-m12-a-wrappers-default-reading-a-module-variable",
    ),
    pytest.param(
        "import functools\ndef counted(fn):\n    calls = []\n    @functools.wraps(fn)\n    def wrapper(x):\n        calls.append(x)\n        return fn(x), len(calls)\n    return wrapper\n\n@counted\ndef load(x):\n    return x * 2\n\ndef counted(fn):\n    @functools.wraps(fn)\n    def wrapper(x):\n        return fn(x), 0\n    return wrapper\n",
        _defined_twice("counted"),
        "NBR246",
        id="r37-m17a-the-decorator-defined-again-below-the-function",
    ),
    pytest.param(
        "def load(x, _seen=[]):\n    _seen.append(x)\n    return len(_seen)\ndef warm():\n    load(0); load(0)\n",
        [
            "from mylib import warm\nwarm()",
            "def load(x, _seen=[]):\n    _seen.append(x)\n    return len(_seen)",
            "print(load(2))",
        ],
        "NBR260",
        id="r37-s02-a-mutable-default-the-librarys-own-code-fills",
    ),
    pytest.param(
        'from functools import singledispatch\n@singledispatch\ndef fmt(x):\n    return f"obj {x}"\ndef describe(x):\n    return fmt(x)\n',
        [
            "from functools import singledispatch\nfrom mylib import describe",
            '@singledispatch\ndef fmt(x):\n    return f"obj {x}"',
            '@fmt.register(int)\ndef _(x):\n    return f"int {x}"',
            "print(fmt(1), describe(1))",
        ],
        "NBR260",
        id="r37-s03-an-overload-registered-on-the-copy-by-the-notebook",
    ),
    pytest.param(
        'def load(x):\n    return x * 2\ndef run():\n    if getattr(load, "disabled", False):\n        return "skipped"\n    return load(1)\n',
        [
            "from mylib import run",
            "def load(x):\n    return x * 2",
            "load.disabled = True\nprint(run(), load(3))",
        ],
        "NBR260",
        id="r37-s08-an-attribute-the-notebook-sets-which-the-library-reads",
    ),
    pytest.param(
        "from functools import lru_cache\n@lru_cache(maxsize=None)\ndef fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\nTABLE = [fib(i) for i in range(10)]\n",
        [
            "from functools import lru_cache",
            "@lru_cache(maxsize=None)\ndef fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)",
            "print(fib(5), fib.cache_info())",
        ],
        "NBR261",
        id="r37-s09-a-cache-the-library-fills-when-imported",
    ),
    pytest.param(
        "def seen_count(x, seen={}):\n    seen[x] = 1\n    return len(seen)\n\n\nFIRST = seen_count('a')\n",
        [
            "import math",
            "def seen_count(x, seen={}):\n    seen[x] = 1\n    return len(seen)",
            "print(seen_count('b'))",
        ],
        "NBR261",
        id="r48a-c-a-mutable-default-the-library-fills-when-imported",
    ),
    pytest.param(
        "def seen_count(x, seen={}):\n    seen[x] = 1\n    return len(seen)\n",
        [
            "import math",
            "def seen_count(x, seen={}):\n    seen[x] = 1\n    return len(seen)",
            "print(seen_count('b'))",
        ],
        None,
        id="r48a-c-a-mutable-default-the-library-never-fills",
    ),
    pytest.param(
        "import functools\ndef counted(fn):\n    n = 0\n    @functools.wraps(fn)\n    def wrapper(x):\n        nonlocal n\n        n += 1\n        return fn(x), n\n    return wrapper\n@counted\ndef load(x):\n    return x * 2\nWARM = load(0)\n",
        [
            "import functools\ndef counted(fn):\n    n = 0\n    @functools.wraps(fn)\n    def wrapper(x):\n        nonlocal n\n        n += 1\n        return fn(x), n\n    return wrapper",
            "@counted\ndef load(x):\n    return x * 2",
            "print(load(2))",
        ],
        "NBR261",
        id="r37-s11-a-count-the-library-starts-when-imported",
    ),
    pytest.param(
        'import functools\ndef logged(fn):\n    @functools.wraps(fn)\n    def wrapper(*a):\n        name = getattr(fn, "__name__", repr(fn))\n        print("calling", name)\n        return fn(*a)\n    return wrapper\n\n@logged\ndef load(x):\n    return x * 2\n',
        [
            "from mylib import logged",
            "@logged\ndef load(x):\n    return x * 2",
            "print(load(2))",
            "@logged\ndef load(x):\n    return x * 2",
            "print(load(3))",
        ],
        "NBR259",  # re-check 39: `repr(fn)` (or `str(fn)`) holds its id, which a store may key
        id="r37-fp21-the-wrapper-reads-repr-fn",
    ),
    pytest.param(
        "import functools, inspect\ndef validated(fn):\n    @functools.wraps(fn)\n    def wrapper(*a, **k):\n        inspect.signature(fn).bind(*a, **k)\n        return fn(*a, **k)\n    return wrapper\n\n@validated\ndef load(x):\n    return x * 2\n",
        [
            "from mylib import validated",
            "@validated\ndef load(x):\n    return x * 2",
            "print(load(2))",
            "@validated\ndef load(x):\n    return x * 2",
            "print(load(3))",
        ],
        None,
        id="r37-fp22-the-wrapper-binds-the-functions-signature",
    ),
    pytest.param(
        "import functools\ndef retry(on=Exception, times=3):\n    def deco(fn):\n        @functools.wraps(fn)\n        def wrapper(*a, **k):\n            for i in range(times):\n                try:\n                    return fn(*a, **k)\n                except on:\n                    if i == times - 1:\n                        raise\n        return wrapper\n    return deco\n\n@retry(on=ValueError, times=2)\ndef parse(s):\n    return int(s)\n",
        [
            "from mylib import retry",
            "@retry(on=ValueError, times=2)\ndef parse(s):\n    return int(s)",
            "print(parse('5'))",
        ],
        None,
        id="r37-fp27-a-factory-given-a-class",
    ),
    pytest.param(
        'import functools, time\ndef timed(unit="ms"):\n    scale = 1000 if unit == "ms" else 1\n    def deco(fn):\n        @functools.wraps(fn)\n        def wrapper(*a, **k):\n            t0 = time.perf_counter()\n            r = fn(*a, **k)\n            _ = (time.perf_counter() - t0) * scale\n            print("done", fn.__name__, unit)\n            return r\n        return wrapper\n    return deco\n\n@timed(unit="s")\ndef load(x):\n    return x * 2\n',
        [
            "from mylib import timed",
            '@timed(unit="s")\ndef load(x):\n    return x * 2',
            "print(load(2))",
        ],
        None,
        id="r37-fp32-a-factory-computing-from-its-parameter",
    ),
    pytest.param(
        {
            "mylib.py": 'import functools\nfrom settings import DEBUG\ndef traced(fn):\n    debug = DEBUG\n    @functools.wraps(fn)\n    def wrapper(*a):\n        if debug:\n            print("call", fn.__name__)\n        return fn(*a)\n    return wrapper\n@traced\ndef load(x):\n    return x * 2\n',
            "settings.py": "DEBUG = False\n",
        },
        [
            "import mylib\nfrom mylib import traced\nmylib.DEBUG = True",
            "@traced\ndef load(x):\n    return x * 2",
            "print(load(2))",
        ],
        "NBR246",
        id="r38-m01-a-flag-the-library-imports-read-when-applied",
    ),
    pytest.param(
        'import functools\ndef configure(debug):\n    global DEBUG\n    DEBUG = debug\nconfigure(False)\ndef traced(fn):\n    debug = DEBUG\n    @functools.wraps(fn)\n    def wrapper(*a):\n        if debug:\n            print("call", fn.__name__)\n        return fn(*a)\n    return wrapper\n@traced\ndef load(x):\n    return x * 2\n',
        [
            "import mylib\nfrom mylib import traced\nmylib.configure(True)",
            "@traced\ndef load(x):\n    return x * 2",
            "print(load(2))",
        ],
        "NBR246",
        id="r38-m06-a-flag-a-library-function-sets-through-global",
    ),
    pytest.param(
        "import types\nEXPOSED = types.SimpleNamespace(latest=None)\ndef expose(fn, _into=EXPOSED):\n    _into.latest = fn.__name__\n    return fn\n@expose\ndef load(x):\n    return x * 2\n@expose\ndef save(x):\n    return x\n",
        [
            "import mylib\nfrom mylib import expose",
            "@expose\ndef load(x):\n    return x * 2",
            "print(mylib.EXPOSED.latest, load(1))",
        ],
        "NBR246",
        id="r38-m08-an-attribute-of-a-default-set-when-applied",
    ),
    pytest.param(
        {
            "mylib.py": "def expose(fn):\n    import registry\n    registry.latest = fn.__name__\n    return fn\n@expose\ndef load(x):\n    return x * 2\n@expose\ndef save(x):\n    return x\n",
            "registry.py": "latest = None\n",
        },
        [
            "import registry\nfrom mylib import expose",
            "@expose\ndef load(x):\n    return x * 2",
            "print(registry.latest, load(1))",
        ],
        "NBR246",
        id="r38-m09-an-attribute-of-an-imported-module-set-when-applied",
    ),
    pytest.param(
        'import functools\n_STORE = {}\ndef remember(fn):\n    @functools.wraps(fn)\n    def wrapper(x):\n        store = _STORE.setdefault(id(fn), {})\n        if x not in store:\n            store[x] = fn(x)\n        return store[x]\n    return wrapper\n@remember\ndef load(x):\n    print("computing", x)\n    return x * 2\ndef preload():\n    load(1)\n',
        [
            "from mylib import remember, preload\npreload()",
            '@remember\ndef load(x):\n    print("computing", x)\n    return x * 2',
            "print(load(1))",
        ],
        "NBR260",
        id="r38-m07-a-store-keyed-by-idfn",
    ),
    pytest.param(
        'import functools, typing\ndef counted(fn):\n    hints = typing.get_type_hints(fn)\n    @functools.wraps(fn)\n    def wrapper(x):\n        hints["calls"] = hints.get("calls", 0) + 1\n        return fn(x), hints["calls"]\n    return wrapper\n@counted\ndef load(x):\n    return x * 2\n',
        _defined_twice("counted"),
        "NBR259",
        id="r38-m25-the-dict-get_type_hints-made-changed-by-the-wrapper",
    ),
    pytest.param(
        'import functools\ndef logged(fn):\n    @functools.wraps(fn)\n    def wrapper(*a):\n        print("[" + getattr(fn, "__module__") + "]", fn.__name__)\n        return fn(*a)\n    return wrapper\n@logged\ndef load(x):\n    return x * 2\n',
        [
            'import functools\ndef logged(fn):\n    @functools.wraps(fn)\n    def wrapper(*a):\n        print("[" + getattr(fn, "__module__") + "]", fn.__name__)\n        return fn(*a)\n    return wrapper',
            "@logged\ndef load(x):\n    return x * 2",
            "print(load(2))",
        ],
        "NBR246",
        id="r38-m11-getattrfn-__module__",
    ),
    pytest.param(
        'import functools\ndef announce(d):\n    @functools.wraps(d)\n    def applying(fn):\n        print("decorating", fn.__name__)\n        return d(fn)\n    return applying\n@announce\ndef deco(fn):\n    @functools.wraps(fn)\n    def w(*a):\n        return fn(*a)\n    return w\n@deco\ndef load(x):\n    return x * 2\n',
        [
            "from mylib import deco",
            "print('between')",
            "@deco\ndef load(x):\n    return x * 2",
            "print(load(2))",
        ],
        "NBR246",
        id="r38-m22-a-decorator-the-library-decorates",
    ),
    pytest.param(
        "def greet(name):\n    return getattr(greet, 'prefix', 'Hi') + ' ' + name\nclass _Setup:\n    greet.prefix = 'Hello'\n",
        [
            "def greet(name):\n    return getattr(greet, 'prefix', 'Hi') + ' ' + name",
            "print(greet('Bob'))",
        ],
        "NBR261",
        id="r38-n04-an-attribute-set-in-a-class-body",
    ),
    pytest.param(
        "import functools\n@functools.lru_cache(maxsize=None)\ndef load(x):\n    print('computing', x)\n    return x * 2\nTABLE = list(map(load, [1]))\n",
        [
            "import functools",
            "print('between')",
            "@functools.lru_cache(maxsize=None)\ndef load(x):\n    print('computing', x)\n    return x * 2",
            "print(load(1))",
        ],
        "NBR261",
        id="r38-n09b-a-cache-filled-through-map-when-imported",
    ),
    pytest.param(
        "import functools\n@functools.lru_cache(maxsize=None)\ndef load(x):\n    print('computing', x)\n    return x * 2\n_l = load\nWARM = _l(1)\n",
        [
            "import functools",
            "print('between')",
            "@functools.lru_cache(maxsize=None)\ndef load(x):\n    print('computing', x)\n    return x * 2",
            "print(load(1))",
        ],
        "NBR261",
        id="r38-n16-a-cache-filled-through-another-name-when-imported",
    ),
    pytest.param(
        'def load(x):\n    return x * 2\ndef run():\n    if getattr(load, "disabled", False):\n        return "skipped"\n    return load(1)\n',
        [
            "from mylib import run",
            "def load(x):\n    return x * 2",
            "setattr(load, 'disabled', True)\nprint(run(), load(3))",
        ],
        "NBR260",
        id="r38-n19-setattr-on-the-copy-which-the-library-reads",
    ),
    pytest.param(
        'def load(x):\n    return x * 2\ndef run():\n    if getattr(load, "disabled", False):\n        return "skipped"\n    return load(1)\n',
        [
            "from mylib import run",
            "def load(x):\n    return x * 2",
            "print(load(2))",
            "def load(x):\n    return x * 2",
            "load.disabled = True\nprint(run(), load(3))",
        ],
        "NBR260",
        id="r38-n21-an-attribute-set-after-the-last-of-two-copies",
    ),
    pytest.param(
        {
            "mylib.py": 'import functools\nimport settings\ndef traced(fn):\n    debug = settings.DEBUG\n    @functools.wraps(fn)\n    def wrapper(*a):\n        if debug:\n            print("call", fn.__name__)\n        return fn(*a)\n    return wrapper\n@traced\ndef load(x):\n    return x * 2\n',
            "settings.py": "DEBUG = False\n",
        },
        [
            "from mylib import traced\nimport settings\nsettings.DEBUG = True",
            "@traced\ndef load(x):\n    return x * 2",
            "print(load(2))",
        ],
        "NBR246",
        id="r38-m02b-an-imported-modules-attribute-read-when-applied",
    ),
    pytest.param(
        'def load(x):\n    """Load x."""\n    return x * 2\ndef other():\n    return 1\n',
        [
            "from mylib import other",
            'def load(x):\n    """Load x."""\n    return x * 2',
            "print(load.__name__, load(2), other())",
        ],
        None,
        id="r38-fp15-the-copys-name-read",
    ),
    pytest.param(
        "import inspect\ndef area(r):\n    return 3.14 * r * r\narea.__signature__ = inspect.signature(area)\n",
        ["def area(r):\n    return 3.14 * r * r", "print(area(2))"],
        None,
        id="r38-fp04-the-library-sets-__signature__",
    ),
    pytest.param(
        "import functools\n@functools.lru_cache(maxsize=128)\ndef fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n_raw_fib = fib.__wrapped__\n",
        [
            "import functools",
            "@functools.lru_cache(maxsize=128)\ndef fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)",
            "print(fib(20))",
        ],
        None,
        id="r38-fp26-the-library-reads-__wrapped__",
    ),
    pytest.param(
        'import warnings\nclass deprecated:\n    def __init__(self, fn):\n        print(f"{fn.__name__} is deprecated and will be removed")\n        self.fn = fn\n    def __call__(self, *a):\n        return self.fn(*a)\n@deprecated\ndef load(x):\n    return x * 2\n',
        [
            "from mylib import deprecated",
            "@deprecated\ndef load(x):\n    return x * 2",
            "print(load(2))",
        ],
        "NBR246",
        id="r39-k34e-the-librarys-own-class-named-deprecated",
    ),
    pytest.param(
        "_REGISTRY = []\ndef _make():\n    def register(fn):\n        _REGISTRY.append(fn.__name__)\n        return fn\n    return register\ncheckpoint = _make()\n@checkpoint\ndef load(x):\n    return x * 2\n",
        [
            "import mylib\nfrom mylib import checkpoint",
            "@checkpoint\ndef load(x):\n    return x * 2",
            "print(load(2), mylib._REGISTRY)",
        ],
        "NBR246",
        id="r39-k34-a-known-name-the-library-binds-by-assignment",
    ),
    pytest.param(
        "class App:\n    def __init__(self):\n        self.functions = []\n    def function(self, **opts):\n        def deco(fn):\n            self.functions.append(fn.__name__)\n            return fn\n        return deco\napp = App()\n@app.function(gpu=None)\ndef train(x):\n    return x * 2\n",
        [
            "from mylib import app",
            "@app.function(gpu=None)\ndef train(x):\n    return x * 2",
            "print(train(2), app.functions)",
        ],
        "NBR246",
        id="r39-k35-a-decorator-method-of-a-library-object",
    ),
    pytest.param(
        "import collections, functools\n_CALLS = collections.Counter()\ndef counted(fn):\n    @functools.wraps(fn)\n    def wrapper(*a):\n        _CALLS[str(fn)] += 1\n        return fn(*a)\n    return wrapper\n@counted\ndef load(x):\n    return x * 2\ndef run():\n    return load(1)\ndef report():\n    return sorted(_CALLS.values())\n",
        [
            "import mylib\nfrom mylib import counted",
            "@counted\ndef load(x):\n    return x * 2",
            "mylib.run()\nload(2)\nprint(mylib.report())",
        ],
        "NBR260",
        id="r39-k40-a-counter-keyed-by-strfn",
    ),
    pytest.param(
        "import functools\n@functools.lru_cache(maxsize=None)\ndef fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\ndef _w():\n    return fib(5)\ndef g(x=_w()):\n    return x\n",
        [
            "import functools",
            "@functools.lru_cache(maxsize=None)\ndef fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n",
            "print(fib(10), fib.cache_info())",
        ],
        "NBR261",
        id="r39-c11-a-cache-filled-through-another-defs-default",
    ),
    pytest.param(
        "import functools\n@functools.lru_cache(maxsize=None)\ndef fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\nclass W:\n    def __init__(self):\n        fib(3)\n_w = W()\n",
        [
            "import functools",
            "@functools.lru_cache(maxsize=None)\ndef fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n",
            "print(fib(10), fib.cache_info())",
        ],
        "NBR261",
        id="r39-c03b-a-cache-filled-by-an-instance-made-when-imported",
    ),
    pytest.param(
        "import functools\n@functools.lru_cache(maxsize=None)\ndef fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\ndef _table():\n    return [fib(i) for i in range(4)]\nTABLE = _table()\n",
        [
            "import functools",
            "@functools.lru_cache(maxsize=None)\ndef fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n",
            "print(fib(10), fib.cache_info())",
        ],
        "NBR261",
        id="r39-c10b-a-cache-filled-by-a-helper-called-when-imported",
    ),
    pytest.param(
        'import functools\nimport logging\nfrom typing import Any, Callable, TypeVar, cast\nF = TypeVar("F", bound=Callable[..., Any])\nlogger = logging.getLogger(__name__)\ndef logged(fn: F) -> F:\n    @functools.wraps(fn)\n    def wrapper(*args: Any, **kwargs: Any) -> Any:\n        pass\n        return fn(*args, **kwargs)\n    return cast(F, wrapper)\n@logged\ndef load(x):\n    return x * 2\n',
        ["from mylib import logged", "@logged\ndef load(x):\n    return x * 2", "print(load(2))"],
        None,
        id="r39-fp16c-castf-wrapper-with-a-module-level-typevar",
    ),
    pytest.param(
        'import json\nimport functools\nimport numpy as np\n\n__all__ = ["flatten", "encode", "describe_all", "walk", "nested_apply", "CONST", "helper"]\nCONST = 3\n\n\ndef helper():\n    return "h"\n\n\ndef flatten(xs):\n    if not isinstance(xs, (list, tuple)):\n        return [xs]\n    return sum(map(flatten, xs), [])\n\n\ndef encode(o):\n    if isinstance(o, np.ndarray):\n        return o.tolist()\n    if isinstance(o, set):\n        return json.loads(json.dumps(sorted(o), default=encode))\n    raise TypeError(type(o))\n\n\ndef describe_all():\n    """Print a summary of all the steps."""\n    return describe_all.__doc__.strip()\n\n\ndef walk(tree, depth=0):\n    f = functools.partial(walk, depth=depth + 1)\n    out = [(depth, tree[0])]\n    for c in tree[1:]:\n        out += f(c)\n    return out\n\n\ndef nested_apply(fn, x):\n    if isinstance(x, list):\n        return [nested_apply(fn, v) for v in x]\n    return fn(x)\n',
        [
            "import json, functools\nimport numpy as np\nfrom mylib import CONST",
            "def flatten(xs):\n    if not isinstance(xs, (list, tuple)):\n        return [xs]\n    return sum(map(flatten, xs), [])\n",
            "print(flatten([1,[2,[3]]]), CONST)",
        ],
        None,
        id="r40-p31-a-recursive-helper-handing-itself-to-map",
    ),
    pytest.param(
        'import json\nimport functools\nimport numpy as np\n\n__all__ = ["flatten", "encode", "describe_all", "walk", "nested_apply", "CONST", "helper"]\nCONST = 3\n\n\ndef helper():\n    return "h"\n\n\ndef flatten(xs):\n    if not isinstance(xs, (list, tuple)):\n        return [xs]\n    return sum(map(flatten, xs), [])\n\n\ndef encode(o):\n    if isinstance(o, np.ndarray):\n        return o.tolist()\n    if isinstance(o, set):\n        return json.loads(json.dumps(sorted(o), default=encode))\n    raise TypeError(type(o))\n\n\ndef describe_all():\n    """Print a summary of all the steps."""\n    return describe_all.__doc__.strip()\n\n\ndef walk(tree, depth=0):\n    f = functools.partial(walk, depth=depth + 1)\n    out = [(depth, tree[0])]\n    for c in tree[1:]:\n        out += f(c)\n    return out\n\n\ndef nested_apply(fn, x):\n    if isinstance(x, list):\n        return [nested_apply(fn, v) for v in x]\n    return fn(x)\n',
        [
            "import json, functools\nimport numpy as np\nfrom mylib import helper",
            "def walk(tree, depth=0):\n    f = functools.partial(walk, depth=depth + 1)\n    out = [(depth, tree[0])]\n    for c in tree[1:]:\n        out += f(c)\n    return out\n",
            "print(walk(['a', ['b'], ['c', ['d']]]), helper())",
        ],
        None,
        id="r40-p34-a-helper-handing-itself-to-functoolspartial",
    ),
    pytest.param(
        'import functools\nimport inspect\nimport asyncio\nimport time\n__all__ = ["checked", "f1", "retry", "f2", "timer", "f3", "named", "f4", "bound", "f5", "documented", "f6", "MAX_RETRIES"]\nMAX_RETRIES = 3\n\n\ndef checked(fn):\n    assert callable(fn)\n    @functools.wraps(fn)\n    def wrapper(*a, **k):\n        return fn(*a, **k)\n    return wrapper\n\n\n@checked\ndef f1(x):\n    return x + 1\n\n\ndef retry(times=MAX_RETRIES):\n    def deco(fn):\n        @functools.wraps(fn)\n        def wrapper(*a, **k):\n            for _ in range(times):\n                try:\n                    return fn(*a, **k)\n                except OSError:\n                    pass\n        return wrapper\n    return deco\n\n\n@retry()\ndef f2(x):\n    return x + 2\n\n\ndef timer(fn):\n    if inspect.iscoroutinefunction(fn):\n        @functools.wraps(fn)\n        async def awrapper(*a, **k):\n            t0 = time.perf_counter()\n            return await fn(*a, **k)\n        return awrapper\n\n    @functools.wraps(fn)\n    def wrapper(*a, **k):\n        t0 = time.perf_counter()\n        return fn(*a, **k)\n    return wrapper\n\n\n@timer\ndef f3(x):\n    return x + 3\n\n\ndef named(fn):\n    name = fn.__qualname__\n    @functools.wraps(fn)\n    def wrapper(*a, **k):\n        return (name, fn(*a, **k))\n    return wrapper\n\n\n@named\ndef f4(x):\n    return x + 4\n\n\ndef bound(fn):\n    sig = inspect.signature(fn)\n    @functools.wraps(fn)\n    def wrapper(*a, **k):\n        ba = sig.bind(*a, **k)\n        ba.apply_defaults()\n        return fn(*ba.args, **ba.kwargs)\n    return wrapper\n\n\n@bound\ndef f5(x, y=2):\n    return x * y\n\n\ndef documented(fn):\n    """Mark a function as part of the public API."""\n    fn.__doc__ = (fn.__doc__ or "") + " [public]"\n    return fn\n\n\n@documented\ndef f6(x):\n    """Six."""\n    return x + 6\n',
        [
            "import functools, inspect, time\nfrom mylib import checked, retry, timer, named, bound, documented\n",
            "@checked\ndef f1(x):\n    return x + 1\n",
            "print(f1(1))",
        ],
        None,
        id="r40-p70-assert-callablefn-when-applied",
    ),
    pytest.param(
        'import functools\nimport inspect\nimport asyncio\nimport time\n__all__ = ["checked", "f1", "retry", "f2", "timer", "f3", "named", "f4", "bound", "f5", "documented", "f6", "MAX_RETRIES"]\nMAX_RETRIES = 3\n\n\ndef checked(fn):\n    assert callable(fn)\n    @functools.wraps(fn)\n    def wrapper(*a, **k):\n        return fn(*a, **k)\n    return wrapper\n\n\n@checked\ndef f1(x):\n    return x + 1\n\n\ndef retry(times=MAX_RETRIES):\n    def deco(fn):\n        @functools.wraps(fn)\n        def wrapper(*a, **k):\n            for _ in range(times):\n                try:\n                    return fn(*a, **k)\n                except OSError:\n                    pass\n        return wrapper\n    return deco\n\n\n@retry()\ndef f2(x):\n    return x + 2\n\n\ndef timer(fn):\n    if inspect.iscoroutinefunction(fn):\n        @functools.wraps(fn)\n        async def awrapper(*a, **k):\n            t0 = time.perf_counter()\n            return await fn(*a, **k)\n        return awrapper\n\n    @functools.wraps(fn)\n    def wrapper(*a, **k):\n        t0 = time.perf_counter()\n        return fn(*a, **k)\n    return wrapper\n\n\n@timer\ndef f3(x):\n    return x + 3\n\n\ndef named(fn):\n    name = fn.__qualname__\n    @functools.wraps(fn)\n    def wrapper(*a, **k):\n        return (name, fn(*a, **k))\n    return wrapper\n\n\n@named\ndef f4(x):\n    return x + 4\n\n\ndef bound(fn):\n    sig = inspect.signature(fn)\n    @functools.wraps(fn)\n    def wrapper(*a, **k):\n        ba = sig.bind(*a, **k)\n        ba.apply_defaults()\n        return fn(*ba.args, **ba.kwargs)\n    return wrapper\n\n\n@bound\ndef f5(x, y=2):\n    return x * y\n\n\ndef documented(fn):\n    """Mark a function as part of the public API."""\n    fn.__doc__ = (fn.__doc__ or "") + " [public]"\n    return fn\n\n\n@documented\ndef f6(x):\n    """Six."""\n    return x + 6\n',
        [
            "import functools, inspect, time\nfrom mylib import checked, retry, timer, named, bound, documented\n",
            "@timer\ndef f3(x):\n    return x + 3\n",
            "print(f3(1))",
        ],
        None,
        id="r40-p72-a-sync-or-async-wrapper-chosen-when-applied",
    ),
    pytest.param(
        'import random\n__all__ = ["half", "RUN_ID"]\nRUN_ID = f"run-{random.randint(0, 9999):04d}"\n\n\ndef half(x):\n    return x / 2\n',
        [
            "import random\nrandom.seed(0)\nimport os",
            "def half(x):\n    return x / 2\n",
            "print(half(2), random.random())",
        ],
        "NBR242",
        id="r40-p97-a-draw-from-random-when-imported",
    ),
    pytest.param(
        'import numpy as np\n__all__ = ["half", "TEMPLATE"]\nTEMPLATE = np.random.randn(3)\n\n\ndef half(x):\n    return x / 2\n',
        [
            "import numpy as np\nnp.random.seed(0)\nimport os",
            "def half(x):\n    return x / 2\n",
            "print(half(2), np.random.rand())",
        ],
        "NBR242",
        id="r40-p99-a-global-random-draw-when-imported",
    ),
    pytest.param(
        'import numpy as np\n__all__ = ["make_data"]\n\n\ndef make_data(n):\n    return np.random.rand(n).round(3).tolist()\n\n\nDEMO = make_data(5)\n',
        [
            "import numpy as np\nnp.random.seed(42)\nimport os\n",
            "def make_data(n):\n    return np.random.rand(n).round(3).tolist()\n",
            "print(make_data(2))",
        ],
        "NBR242",
        id="r44-f1a-a-draw-through-the-librarys-own-function",
    ),
    pytest.param(
        'import numpy as np\nimport numpy.random as npr\n__all__ = ["make_data"]\nNOISE = npr.randn(3)\n\n\ndef make_data(n):\n    return np.random.rand(n).round(3).tolist()\n',
        [
            "import numpy as np\nnp.random.seed(42)\nimport os\n",
            "def make_data(n):\n    return np.random.rand(n).round(3).tolist()\n",
            "print(make_data(2))",
        ],
        "NBR242",
        id="r44-f1b-a-draw-through-an-alias-of-numpy-random",
    ),
    pytest.param(
        'import torch\n__all__ = ["make_batch"]\nPROJ = torch.nn.Linear(4, 2)\n\n\ndef make_batch(n):\n    return torch.rand(n).round(decimals=3).tolist()\n',
        [
            "import torch\ntorch.manual_seed(0)\nimport os\n",
            "def make_batch(n):\n    return torch.rand(n).round(decimals=3).tolist()\n",
            "print(make_batch(2))",
        ],
        "NBR242",
        id="r44-f1b-a-layer-drawing-its-weights",
    ),
    pytest.param(
        "import numpy as np\nold_settings = np.seterr(all='ignore')\n__all__ = ['normalize']\n\n\ndef normalize(x):\n    return (x / x.sum()).tolist()\n",
        [
            "import numpy as np\n",
            "def normalize(x):\n    return (x / x.sum()).tolist()\n",
            "print(normalize(np.array([1.0, 3.0])), np.geterr()['divide'])",
        ],
        "NBR242",
        id="r44-f1c-a-setting-changed-and-its-old-value-kept",
    ),
]


def _printed(cells: list[str], folder: Path, modules: list[str]) -> str:
    """What the cells print, run in order in one namespace with `modules` found in `folder`."""
    printed = io.StringIO()
    for module in modules:
        sys.modules.pop(module, None)
    sys.path.insert(0, str(folder))
    try:
        namespace: dict = {"__name__": "__main__"}
        with contextlib.redirect_stdout(printed):
            for cell in cells:
                exec(compile(cell, "<cell>", "exec"), namespace)  # noqa: S102 - the test's cells
    finally:
        sys.path.remove(str(folder))
        for module in modules:
            sys.modules.pop(module, None)
    return printed.getvalue()


@pytest.mark.parametrize(("library", "cells", "kept_for"), CASES)
def test_the_migrated_notebook_prints_what_it_printed(tmp_path, library, cells, kept_for):
    """`library`: mylib's text, or the files of the folder by name (`settings.py` beside)."""
    files = library if isinstance(library, dict) else {"mylib.py": library}
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    catalog = load_catalog(str(tmp_path / "mylib.py"))
    result, sources = migrate_text(notebook_text(TITLE, *map(code, cells)), catalog)
    migrated = [sources[number] for number in range(2, len(cells) + 2)]
    modules = [name.removesuffix(".py") for name in files]
    assert _printed(migrated, tmp_path, modules) == _printed(cells, tmp_path, modules)
    if kept_for is None:
        assert result.report.kept == () and result.report.replaced
    else:
        assert kept_for in {found.code for found in result.report.kept}


@pytest.mark.parametrize(
    ("decorator", "call", "expected"),
    [
        # harmless set-up: what inspecting calls give, a constant attribute, an import
        (
            (
                "def typed(fn):\n    import inspect\n    sig = inspect.signature(fn)\n"
                "    def wrapper(*a):\n        sig.bind(*a)\n        return fn(*a)\n"
                "    wrapper.checked = True\n    return wrapper"
            ),
            None,
            "ONLY_WRAPS",
        ),
        # a counter it binds to a constant, changed through `nonlocal`
        (
            (
                "def counted(fn):\n    n = 0\n    def wrapper(x):\n        nonlocal n\n        n += 1\n"
                "        return fn(x)\n    return wrapper"
            ),
            None,
            "KEEPS_STATE",
        ),
        # the decorated function kept as a key: identity per copy
        (
            (
                "SEEN = {}\ndef keyed(fn):\n    def wrapper(x):\n        SEEN[fn] = x\n        return fn(x)\n"
                "    return wrapper"
            ),
            None,
            "KEEPS_STATE",
        ),
        # a factory's parameter: harmless when the notebook passes a constant, not a list
        (
            (
                "def tagged(label):\n    def deco(fn):\n        def wrapper(x):\n"
                "            return fn(x), label\n        return wrapper\n    return deco"
            ),
            "tagged('x')",
            "ONLY_WRAPS",
        ),
        (
            (
                "def tagged(label):\n    def deco(fn):\n        def wrapper(x):\n"
                "            return fn(x), label\n        return wrapper\n    return deco"
            ),
            "tagged([])",
            "KEEPS_STATE",
        ),
        # a loop when applied; a wrapper's list default, made once per decoration
        ("def looped(fn):\n    for _ in range(2):\n        pass\n    return fn", None, "RUNS"),
        (
            (
                "def remembered(fn):\n    def wrapper(x, seen=[]):\n        seen.append(x)\n"
                "        return fn(x)\n    return wrapper"
            ),
            None,
            "KEEPS_STATE",
        ),
    ],
)
def test_what_applying_a_decorator_does(decorator, call, expected):
    from nbrefactor.rules.decorator_scope import Decoration
    from nbrefactor.rules.decorator_shapes import decoration

    module = ast.parse(decorator)
    function = module.body[-1]
    assert isinstance(function, ast.FunctionDef)
    applied = ast.parse(call, mode="eval").body if call is not None else None
    assert isinstance(applied, (ast.Call, type(None)))
    assert decoration(function, applied) is Decoration[expected]
