"""Rule: a definition goes only if it is the library's function (`rules/same_function.py`),
and what counts as a notebook variable (`notebook_variables.py`)."""

from __future__ import annotations

import ast
import symtable
from pathlib import Path

import pytest
from conftest import (
    FIXTURES,
    IMPORTS,
    REPO,
    TITLE,
    code,
    migrate_text,
    notebook_text,
    rendered,
)

from nbrefactor.analysis import notebook_variables
from nbrefactor.analysis.catalog import load_catalog
from nbrefactor.analysis.hidden_inputs import hidden_inputs
from nbrefactor.analysis.notebook_variables import NotebookVariables
from nbrefactor.analysis.scopes import free_names
from nbrefactor.nbfile.notebook import parse_notebook

LIBRARY = """
def make_data(N=30, err=1.0):
    return N, err

def save_plot(name, **kwargs):
    return name

def schedule(t):
    return t

def batches(items, size=2):
    for start in range(0, len(items), size):
        yield items[start : start + size]

def plot_digits(instances, images_per_row=10, **options):
    return instances
"""


@pytest.fixture
def mylib(tmp_path):
    path = tmp_path / "mylib.py"
    path.write_text(LIBRARY, encoding="utf-8")
    return load_catalog(str(path))


def _kept(result) -> list[str]:
    return [found.message for found in result.report.kept]


# -- 1. parameters -------------------------------------------------------------------


def test_other_parameter_names_keep_the_definition(mylib):
    text = notebook_text(
        TITLE,
        IMPORTS,
        code("def make_data(N, f=0.3):\n    return N * f"),
        code("x = make_data(30, 0.5)"),
    )
    result, _sources = migrate_text(text, mylib)
    assert _kept(result) == [
        "kept make_data (cell 3): its parameters (N, f) are not mylib.make_data's (N, err)"
    ]
    assert result.report.kept[0].code == "NBR220"
    assert not result.changed


@pytest.mark.parametrize(
    ("definition", "kept"),
    [
        (
            "def schedule(t):\n    yield t",
            (
                "kept schedule (cell 2): a generator, and mylib.schedule is not: a call would"
                " return a generator"
            ),
        ),
        (
            "def batches(items, size=2):\n    return [items]",
            (
                "kept batches (cell 2): not a generator, and mylib.batches is: a call would return"
                " a generator instead of its result"
            ),
        ),
        ("def schedule(t):\n    def inner():\n        yield t\n    return t", None),
        ("def schedule(t):\n    f = lambda: (yield)\n    return t", None),
        ("def batches(items, size=2):\n    yield from [items]", None),
        (  # re-check 29: a nested def's default runs in this function
            "def schedule(t):\n    def inner(x=(yield t)):\n        return x\n    return t",
            (
                "kept schedule (cell 2): a generator, and mylib.schedule is not: a call would"
                " return a generator"
            ),
        ),
    ],
    ids=["inline-generator", "library-generator", "nested-def", "lambda", "both", "default"],
)
def test_a_generator_is_not_a_function_returning_a_value(mylib, definition, kept):
    """Sweep 29: `yield fig` under the library's name was replaced; `for x in r` then
    iterated the library's Figure (TypeError). A `yield` in a nested scope is not the
    function's own."""
    name = definition.split("(")[0].removeprefix("def ")
    text = notebook_text(TITLE, code(definition), code(f"r = {name}([1])"))
    result, _ = migrate_text(text, mylib)
    if kept is None:
        assert [found.name for found in result.report.replaced] == [name]
    else:
        assert _kept(result) == [kept]
        assert [found.code for found in result.report.kept] == ["NBR257"]


def test_a_second_positional_parameter_in_the_wrong_place_keeps_the_definition(mylib):
    text = notebook_text(
        TITLE,
        code("def plot_digits(X, y, images_per_row=10):\n    return X"),
        code("plot_digits(X, y)"),
    )
    result, _ = migrate_text(text, mylib)
    assert _kept(result) == [
        (
            "kept plot_digits (cell 2): its parameters (X, y, images_per_row) are not "
            "mylib.plot_digits's (instances, images_per_row, **options)"
        )
    ]


@pytest.mark.parametrize(
    ("inline", "same"),
    [
        ("N=30, err=1.0", True),
        ("N", True),  # a prefix
        ("N, err", True),
        ("N, *, err=2.0", True),  # named in the library
        ("err, N", False),  # another order
        ("N, f=0.3", False),
        ("N, err, *, extra", False),  # required, and only the library's **kwargs could take it
        ("n", False),
        # Sweep s24 N3: a name collecting extra arguments on one side only means another
        # thing in the body (`make_data(1)`: err is `{}` inline, 1.0 in the library).
        ("N, **err", False),
        ("N, *err", False),
    ],
)
def test_parameters_are_the_librarys_by_name_and_in_order(mylib, inline, same):
    from nbrefactor.analysis.catalog import parameters_of
    from nbrefactor.rules.same_function import parameters_problem

    node = ast.parse(f"def make_data({inline}): pass").body[0]
    assert isinstance(node, ast.FunctionDef)
    problem = parameters_problem(parameters_of(node.args), mylib.functions["make_data"])
    assert (problem is None) is same


def test_a_named_parameter_the_library_collects_in_kwargs_keeps_the_definition(mylib):
    """`options=None` inline is the library's `**options`: `plot_digits(X)` gives None on one
    side, `{}` on the other."""
    from nbrefactor.analysis.catalog import parameters_of
    from nbrefactor.rules.same_function import parameters_problem

    node = ast.parse("def plot_digits(instances, images_per_row=10, options=None): pass").body[0]
    assert isinstance(node, ast.FunctionDef)
    problem = parameters_problem(parameters_of(node.args), mylib.functions["plot_digits"])
    assert problem is not None and problem.code == "NBR220"


def test_signature_compatibility_never_counts_the_librarys_kwargs(mylib):
    """A use without a call of `save_plot(name, *, dpi=100)`: the library's **kwargs would not use dpi."""
    text = notebook_text(
        TITLE,
        code("def save_plot(name, *, dpi=100):\n    return name"),
        code("callbacks = [save_plot]"),
    )
    result, _ = migrate_text(text, mylib)
    assert _kept(result) == [
        (
            "kept save_plot (cell 2): cell 3 refers to save_plot without calling it, and the "
            "inline signature accepts calls that mylib.save_plot does not bind the same way"
        )
    ]


# -- 2. forwarded keywords ---------------------------------------------------------------


def test_a_keyword_naming_an_inline_parameter_that_only_kwargs_takes_keeps_the_definition(mylib):
    text = notebook_text(
        TITLE,
        code("def save_plot(name, dpi=100):\n    return name"),
        code("save_plot('a.png', dpi=300)"),
    )
    result, _ = migrate_text(text, mylib)
    assert _kept(result) == [
        (
            "kept save_plot (cell 2): dpi= is a parameter inline; mylib.save_plot passes it on "
            "through **kwargs"
        )
    ]
    assert result.report.kept[0].code == "NBR221"


def test_the_same_extra_parameter_never_passed_is_replaced(mylib):
    text = notebook_text(
        TITLE,
        code("def save_plot(name, dpi=100):\n    return name"),
        code("save_plot('a.png')\nsave_plot('b.png', bbox='tight')"),
    )
    result, sources = migrate_text(text, mylib)
    assert sources[2] == "from mylib import save_plot"  # no import cell: where the def was
    assert [found.name for found in result.report.replaced] == ["save_plot"]


# -- 3. notebook variables ------------------------------------------------------------------


def test_a_body_reading_a_notebook_variable_keeps_the_definition(mylib):
    text = notebook_text(
        TITLE,
        code("import os\nFIG_DIR = 'figures'"),
        code("def save_plot(name):\n    return os.path.join(FIG_DIR, name)"),
        code("save_plot('a.png')"),
    )
    result, _ = migrate_text(text, mylib)
    assert _kept(result) == [
        (
            "kept save_plot (cell 3): reads notebook variable FIG_DIR (cell 2), which "
            "mylib.save_plot cannot see"
        )
    ]
    assert result.report.kept[0].code == "NBR222"


@pytest.mark.parametrize(
    ("defined", "shown"),
    [
        ("def \\\n_scale(x):\n    return x * 3", "def _scale(x):"),
        ("def _scale\\\r\n(x):\n    return x * 3", "def _scale(x):"),
        ("class \\\n_scale:\n    pass", "class _scale:"),
    ],
)
def test_a_helper_whose_header_a_backslash_continues_is_a_notebook_binding(
    tmp_path, defined, shown
):
    """Found while mending round 62a M1: `def \\` then `_scale(x):` in cell 1 was not seen
    by the text search for the cells defining a name (`cell_definitions.defined_names`),
    so the copy of `f` reading `_scale` was said to raise NameError and replaced: 3 became
    2 (mylib.f reads mylib._scale)."""
    library = tmp_path / "mylib.py"
    library.write_text(
        "def _scale(x):\n    return x * 2\n\n\ndef f(x):\n    return _scale(x)\n",
        encoding="utf-8",
    )
    text = notebook_text(
        TITLE, code(defined), code("def f(x):\n    return _scale(x)"), code("print(f(1))")
    )
    result, _ = migrate_text(text, load_catalog(str(library)))
    line = f"kept f (cell 3): reads _scale, which `{shown}` in cell 2 binds, where mylib.f "
    assert _kept(result) == [line + "reads mylib._scale"]


def _save_plot_returning(mylib, setup: str, returned: str):
    """The migration of a notebook: `setup`, a pasted `save_plot` returning `returned`, a call."""
    text = notebook_text(
        TITLE,
        code(setup),
        code(f"def save_plot(name):\n    return {returned}"),
        code("save_plot('a.png')"),
    )
    result, _ = migrate_text(text, mylib)
    return result


@pytest.mark.parametrize("read", ["_", "Out[max(Out)]", "_3", "_i3", "In[-1]", "_exit_code"])
def test_a_body_reading_ipythons_history_keeps_the_definition(mylib, read):
    """Sweep 20 repro_4: `def prev(): return _` read the notebook's last output (42); the
    library's `prev` raised NameError. IPython binds these in the notebook, in no cell."""
    result = _save_plot_returning(mylib, "40 + 2", read)
    name = read.partition("[")[0]
    assert _kept(result) == [
        (
            f"kept save_plot (cell 3): reads {name}, which IPython binds in the notebook (its "
            "input and output history), and mylib.save_plot cannot see"
        )
    ]
    assert result.report.kept[0].code == "NBR222"


@pytest.mark.parametrize("command", ["exit", "quit"])
def test_a_body_calling_ipythons_exit_keeps_the_definition(mylib, command):
    """Sweep 26 F3: `exit()` in the notebook is IPython's exit command; a library running in
    the kernel finds no `exit` (IPython hides Python's while a cell runs): NameError."""
    result = _save_plot_returning(mylib, "import os", f"{command}()")
    assert _kept(result) == [
        (
            f"kept save_plot (cell 3): reads {command}, which IPython binds in the notebook (its "
            "exit command), and mylib.save_plot cannot see"
        )
    ]
    assert result.report.kept[0].code == "NBR222"


# Moved into the library, the same code would read the library's module instead; a frame's
# or IPython's namespace is not followed (sweep 18's J3: `sys._getframe(1).f_globals` is the
# caller's, from either), and the words say only that.
_OWN_MODULE = (
    "reads the notebook's variables through {}, where mylib.save_plot would read its own module's"
)
# Extract sweep 28b: a module's own attribute is no variable of the notebook's.
_OWN_ATTRIBUTE = (
    "reads its module's own {}: the notebook's inline, mylib.save_plot's module's once moved"
)
_NOT_FOLLOWED = (
    "reads variables through {} (a frame's or IPython's namespace), which nbrefactor does not "
    "compare with what mylib.save_plot would read"
)


@pytest.mark.parametrize(
    ("body", "through", "words"),
    [
        ("os.path.join(globals().get('FIG_DIR', '.'), name)", "globals()", _OWN_MODULE),
        ("os.path.join(globals()['FIG_DIR'], name)", "globals()", _OWN_MODULE),
        ("os.path.join(eval('FIG_DIR'), name)", "eval()", _OWN_MODULE),
        # Sweep 25 (differential runs): None as eval's globals is the caller's module too,
        # and a function's `__globals__` is its module's namespace.
        ("os.path.join(eval('FIG_DIR', None, {'n': 1}), name)", "eval()", _OWN_MODULE),
        ("os.path.join(save_plot.__globals__['FIG_DIR'], name)", ".__globals__", _OWN_MODULE),
        ("exec('print(FIG_DIR)') or name", "exec()", _OWN_MODULE),
        ("os.path.join(__import__('__main__').FIG_DIR, name)", "__main__", _OWN_MODULE),
        ("os.path.join(sys.modules['__main__'].FIG_DIR, name)", "__main__", _OWN_MODULE),
        ("os.path.join(sys.modules[__name__].FIG_DIR, name)", "__main__", _OWN_MODULE),
        # The module's own attributes: the notebook's inline, the library's once moved.
        ("logging.getLogger(__name__).name + name", "__name__", _OWN_ATTRIBUTE),
        ("name if __name__ == '__main__' else name", "__name__", _OWN_ATTRIBUTE),
        ("os.path.join(os.path.dirname(__file__), name)", "__file__", _OWN_ATTRIBUTE),
        ("os.path.join(sys._getframe(1).f_globals['FIG_DIR'], name)", ".f_globals", _NOT_FOLLOWED),
        (
            "os.path.join(inspect.currentframe().f_back.f_locals['FIG_DIR'], name)",
            ".f_locals",
            _NOT_FOLLOWED,
        ),
        ("os.path.join(get_ipython().user_ns['FIG_DIR'], name)", ".user_ns", _NOT_FOLLOWED),
    ],
)
def test_a_body_reading_the_notebooks_variables_by_no_name_keeps_the_definition(
    mylib, body, through, words
):
    result = _save_plot_returning(mylib, "import os, sys, inspect\nFIG_DIR = 'figures'", body)
    assert _kept(result) == [f"kept save_plot (cell 3): {words.format(through)}"]
    assert result.report.kept[0].code == "NBR234"


@pytest.mark.parametrize(
    ("module", "body", "through"),
    [
        ("__main__", "__main__.FIG_DIR + name", "__main__"),
        # Sweep 18: `builtins.globals()` is `globals()` (KeyError once moved)
        ("builtins", "builtins.globals()['FIG_DIR'] + name", "globals()"),
        ("builtins", "builtins.eval('FIG_DIR') + name", "eval()"),
    ],
)
def test_a_body_reading_the_namespace_through_a_module_it_imports_keeps_it(
    mylib, module, body, through
):
    text = notebook_text(
        TITLE,
        code("FIG_DIR = 'figures'"),
        code(f"def save_plot(name):\n    import {module}\n    return {body}"),
        code("save_plot('a.png')"),
    )
    result, _ = migrate_text(text, mylib)
    assert [found.code for found in result.report.kept] == ["NBR234"]
    assert f"through {through}," in result.report.kept[0].message


@pytest.mark.parametrize(
    "body",
    [
        "name.eval() or name",  # a method named eval
        "eval(name, {})",  # its own namespace
        "exec(name, {'x': 1}) or name",
        "locals().get('x', name)",  # the function's own variables
        "name  # globals() in a comment",
        "name.__name__",  # an attribute, not the module's
        "{'__file__': name}['__file__']",
    ],
)
def test_a_body_with_eval_or_globals_of_its_own_is_replaced(mylib, body):
    text = notebook_text(
        TITLE,
        code("import os"),
        code(f"def save_plot(name):\n    return {body}"),
        code("save_plot('a.png')"),
    )
    result, _ = migrate_text(text, mylib)
    assert [found.name for found in result.report.replaced] == ["save_plot"]
    assert _kept(result) == []


def test_every_definition_of_the_name_is_kept_with_the_one_that_reads_a_variable(mylib):
    text = notebook_text(
        TITLE,
        code("t0, t1 = 200, 1000"),
        code("def schedule(t):\n    return t"),
        code("def schedule(t):\n    return t0 / (t + t1)"),
        code("schedule(3)"),
    )
    result, _ = migrate_text(text, mylib)
    assert _kept(result) == [
        (
            "kept schedule (cell 3): the definition in cell 4 is kept, and a name's definitions "
            "go together"
        ),
        (
            "kept schedule (cell 4): reads notebook variable t0 (cell 2), which mylib.schedule "
            "cannot see"
        ),
    ]


@pytest.mark.parametrize(
    ("inline", "call", "reason"),
    [
        (
            "def make_data(N=30, *sizes):\n    return N, sizes",
            "make_data(3, 0.5)",
            (
                "call in cell 3 passes argument 2, which the inline *sizes collects and "
                "mylib.make_data takes as err"
            ),
        ),
        (
            "def make_data(N=30, **options):\n    return N, options",
            "make_data(3, err=0.5)",
            (
                "call in cell 3 passes err=, which the inline **options collects and "
                "mylib.make_data takes as err"
            ),
        ),
    ],
)
def test_an_argument_the_inline_star_parameter_collects_keeps_the_definition(
    mylib, inline, call, reason
):
    text = notebook_text(TITLE, code(inline), code(call))
    result, _ = migrate_text(text, mylib)
    assert [(found.code, found.reason) for found in result.report.kept] == [("NBR226", reason)]


def test_a_star_parameter_no_call_fills_is_replaced(mylib):
    text = notebook_text(
        TITLE, code("def make_data(N=30, *sizes, **options):\n    return N"), code("make_data(3)")
    )
    result, _ = migrate_text(text, mylib)
    assert result.report.kept == ()


@pytest.mark.parametrize(
    ("notebook_import", "kept"),
    [
        ("import pickle as ser", True),
        ("import json as ser", False),
        ("from json import dumps as ser_dumps\nimport json as ser", False),
        ("try:\n    import json as ser\nexcept ImportError:\n    import pickle as ser", True),
        (
            "from os import (\n    sep,\n)\nfrom pickle import (\n    dumps,\n)\nimport pickle as ser",
            True,
        ),
        ("from pickle import (\n    loads as ser,\n)", "pickle.loads"),
    ],
)
def test_a_name_imported_as_another_thing_keeps_the_definition(tmp_path, notebook_import, kept):
    library = tmp_path / "serial.py"
    library.write_text("import json as ser\n\ndef to_text(x):\n    return ser.dumps(x)\n")
    catalog = load_catalog(str(library))
    text = notebook_text(
        TITLE,
        code(notebook_import),
        code("def to_text(x):\n    return ser.dumps(x)"),
        code("to_text([1])"),
    )
    result, _ = migrate_text(text, catalog)
    reasons = [(found.code, found.reason) for found in result.report.kept]
    target = kept if isinstance(kept, str) else "pickle"
    expected = (
        f"reads ser, which cell 2 imports as {target} and the module of serial.to_text as json"
    )
    assert reasons == ([("NBR227", expected)] if kept else [])


@pytest.mark.parametrize(
    ("module_imports", "theirs"),
    [
        # An optional dependency: the library may bind either.
        (
            "try:\n    import pickle as ser\nexcept ImportError:\n    import json as ser",
            "pickle or json",
        ),
        ("import json as ser\nif FAST:\n    import pickle as ser", "json or pickle"),
        # A star import after the import may rebind it.
        ("import json as ser\nfrom fastser import *", "json or what `from fastser import *` binds"),
    ],
)
def test_a_name_the_librarys_module_may_import_as_another_thing_keeps_the_definition(
    tmp_path, module_imports, theirs
):
    library = tmp_path / "serial.py"
    body = "def to_text(x):\n    return ser.dumps(x)\n"
    library.write_text(f"FAST = False\n{module_imports}\n\n{body}")
    catalog = load_catalog(str(library))
    text = notebook_text(TITLE, code("import json as ser"), code(body), code("to_text([1])"))
    result, _ = migrate_text(text, catalog)
    assert [(found.code, found.reason) for found in result.report.kept] == [
        (
            "NBR227",
            f"reads ser, which cell 2 imports as json and the module of serial.to_text as {theirs}",
        )
    ]


@pytest.mark.parametrize(
    ("library_imports", "notebook_imports", "body"),
    [
        (  # the same in every branch
            "try:\n    import json as ser\nexcept ImportError:\n    ser = None",
            "import json as ser",
            "def to_text(x):\n    return ser.dumps(x)\n",
        ),
        (  # a star import may bind it: not a forgotten import (sweep R repro_10)
            "from math import *",
            "from math import sqrt",
            "def to_text(x):\n    return sqrt(x) + 1\n",
        ),
    ],
)
def test_a_name_the_librarys_module_imports_its_own_way_is_replaced(
    tmp_path, library_imports, notebook_imports, body
):
    library = tmp_path / "serial.py"
    library.write_text(f"{library_imports}\n\n{body}")
    catalog = load_catalog(str(library))
    text = notebook_text(TITLE, code(notebook_imports), code(body), code("to_text(4)"))
    result, _ = migrate_text(text, catalog)
    assert result.report.kept == ()


@pytest.mark.parametrize(
    ("binding", "line"),
    [
        ("class g:\n    def __repr__(self):\n        return 'G'", "class g:"),
        ("if FAST:\n    def g(x):\n        return x + 100", "def g(x):"),
        ("try:\n    def g(x):\n        return x + 100\nexcept Exception:\n    pass", "def g(x):"),
    ],
)
def test_a_public_helper_the_notebook_binds_otherwise_keeps_its_users(tmp_path, binding, line):
    """Sweep 21 repro_1: the library's `f` calls its own public `g`; the notebook's `g` is a
    class, or a def in a block, which the migration does not decide (only top-level defs
    are replaced or kept): the pasted `f` calling it was replaced, and printed 2, not G."""
    library = tmp_path / "deplib.py"
    library.write_text("def g(x):\n    return x + 1\n\n\ndef f(x):\n    return g(x)\n")
    text = notebook_text(
        TITLE,
        code(f"FAST = True\n{binding}"),
        code("def f(x):\n    return g(x)"),
        code("print(f(1))"),
    )
    result, _ = migrate_text(text, load_catalog(str(library)))
    assert not result.changed
    assert _kept(result) == [
        f"kept f (cell 3): reads g, which `{line}` in cell 2 binds, where deplib.f reads deplib.g"
    ]


FORMATTING = """
def _fmt(v):
    return f"{v:.3f}"

def show(v):
    return "value " + _fmt(sum([v]))
"""


@pytest.mark.parametrize(
    ("notebook_cells", "kept"),
    [
        # The notebook's own _fmt is not the module's: the library's show reads its own.
        (
            ['def _fmt(v):\n    return f"{v:.1f}"'],
            "reads _fmt, which `def _fmt(v):` in cell 2 binds, where fmtlib.show reads fmtlib._fmt",
        ),
        (['def _fmt(v):\n    """Three decimals."""\n    return f"{v:.3f}"'], None),  # the same
        (["from fmtlib import _fmt"], None),
        (
            ["from mylib import _fmt"],
            (
                "reads _fmt, which an import of mylib._fmt in cell 2 binds, where fmtlib.show reads "
                "fmtlib._fmt"
            ),
        ),
        # A builtin the library's function reads: the notebook's sum is numpy's.
        (
            ["from fmtlib import _fmt\nfrom numpy import sum"],
            (
                "reads sum, which an import of numpy.sum in cell 2 binds, where fmtlib.show reads "
                "builtins.sum"
            ),
        ),
        (
            ["from fmtlib import _fmt", "from numpy import *"],
            (
                "reads sum, which `from numpy import *` in cell 3 may bind, where fmtlib.show reads "
                "builtins.sum"
            ),
        ),
        (
            ["from fmtlib import _fmt", "%pylab inline"],
            (
                "reads sum, which `%pylab inline` in cell 3 may bind, where fmtlib.show reads "
                "builtins.sum"
            ),
        ),
        (["from fmtlib import _fmt", "from fmtlib import *"], None),  # the library's own names
        (
            ["from fmtlib import _fmt", "get_ipython().run_line_magic('pylab', 'inline')"],
            (
                "reads sum, which `get_ipython().run_line_magic('pylab', 'inline')` in cell 3 "
                "may bind, where fmtlib.show reads builtins.sum"
            ),
        ),
        # A script or `exec` hardly shadows a builtin: only star imports count for one.
        (["from fmtlib import _fmt", "%run setup.py"], None),
        (["from fmtlib import _fmt", "%store -r"], None),
        # ... unless the line names it (sweep 26 F1: `globals()['max'] = min` bound max).
        *(
            (
                ["from fmtlib import _fmt", line],
                f"reads sum, which `{line}` in cell 3 may bind, where fmtlib.show reads builtins.sum",
            )
            for line in (
                "globals()['sum'] = len",
                "globals().update(sum=len)",
                "vars().setdefault('sum', len)",
                "import __main__; __main__.sum = len",
                "get_ipython().user_ns['sum'] = len",
            )
        ),
        (["from fmtlib import _fmt", "globals()['total'] = len"], None),
        (["from fmtlib import _fmt", "import builtins; builtins.sum = len"], None),  # both see it
        # `--no-import-all` star-imports nothing (sweep 26 F10).
        (["from fmtlib import _fmt", "%pylab inline --no-import-all"], None),
    ],
)
def test_a_name_the_librarys_function_reads_from_its_module_bound_otherwise_keeps_it(
    tmp_path, notebook_cells, kept
):
    library = tmp_path / "fmtlib.py"
    library.write_text(FORMATTING, encoding="utf-8")
    catalog = load_catalog(str(library))
    inline = 'def show(v):\n    return "value " + _fmt(sum([v]))'
    text = notebook_text(TITLE, *map(code, notebook_cells), code(inline), code("show(1)"))
    result, _ = migrate_text(text, catalog)
    reasons = [(found.code, found.reason) for found in result.report.kept]
    assert reasons == ([("NBR233", kept)] if kept else [])


@pytest.mark.parametrize(
    ("module", "notebook_cells", "kept"),
    [
        # The same text, but the notebook's _fmt reads the notebook's SCALE.
        (
            "SCALE = 2\n\ndef _fmt(x):\n    return x * SCALE\n",
            ["SCALE = 3", "def _fmt(x):\n    return x * SCALE"],
            (
                "reads _fmt, which `def _fmt(x):` (reading notebook variable SCALE from cell 2) in "
                "cell 3 binds, where deeplib.total reads deeplib._fmt"
            ),
        ),
        # One level further down: the notebook's _g is not the module's.
        (
            "def _g(x):\n    return x + 1\n\ndef _fmt(x):\n    return _g(x) * 2\n",
            ["def _g(x):\n    return x + 100", "def _fmt(x):\n    return _g(x) * 2"],
            (
                "reads _fmt, which `def _fmt(x):` (reading _g, which the notebook binds otherwise) "
                "in cell 3 binds, where deeplib.total reads deeplib._fmt"
            ),
        ),
        (  # the same all the way down
            "def _g(x):\n    return x + 1\n\ndef _fmt(x):\n    return _g(x) * 2\n",
            ["def _g(x):\n    return x + 1", "def _fmt(x):\n    return _g(x) * 2"],
            None,
        ),
        # A def in a block of the notebook's module scope binds the name too.
        (
            "def _fmt(x):\n    return x * 2\n",
            ["USE_LOG = True", "if USE_LOG:\n    def _fmt(x):\n        return x * 3"],
            (
                "reads _fmt, which `def _fmt(x):` in cell 3 binds, where deeplib.total reads "
                "deeplib._fmt"
            ),
        ),
        (
            "def _fmt(x):\n    return x * 2\n",
            ["import os\nwith open(os.devnull):\n    def _fmt(x):\n        return x * 3"],
            (
                "reads _fmt, which `def _fmt(x):` in cell 2 binds, where deeplib.total reads "
                "deeplib._fmt"
            ),
        ),
        # A class of the same text is another class: `except`, `isinstance` tell them apart.
        (
            "class _fmt(float):\n    pass\n",
            ["class _fmt(float):\n    pass"],
            (
                "reads _fmt, which `class _fmt(float):` (a class of its own, though of the same "
                "text) in cell 2 binds, where deeplib.total reads deeplib._fmt"
            ),
        ),
        (  # reading one another: compared once each
            "def _fmt(x):\n    return _fmt(x - 1) if x else 0\n",
            ["def _fmt(x):\n    return _fmt(x - 1) if x else 0"],
            None,
        ),
    ],
)
def test_a_copy_of_the_modules_helper_must_read_what_the_modules_reads(
    tmp_path, module, notebook_cells, kept
):
    library = tmp_path / "deeplib.py"
    total = "def total(xs):\n    return sum(_fmt(x) for x in xs)\n"
    library.write_text(f'__all__ = ["total"]\n\n{module}\n{total}', encoding="utf-8")
    catalog = load_catalog(str(library))
    cells = [*map(code, notebook_cells), code(total), code("print(total([1, 2]))")]
    result, _ = migrate_text(notebook_text(TITLE, *cells), catalog)
    reasons = [(found.code, found.reason) for found in result.report.kept]
    assert reasons == ([("NBR233", kept)] * len(result.report.kept) if kept else [])
    assert bool(result.report.kept) == bool(kept)


def _helper_kept(cell: int, first_line: str, apart: str) -> str:
    return (
        f"reads _fmt, which `{first_line}` ({apart}) in cell {cell} binds, where "
        "deeplib.total reads deeplib._fmt"
    )


@pytest.mark.parametrize(
    ("helper", "other_cells", "kept"),
    [
        # Round 59a: the notebook keeps its own `_fmt` beside the import, and the two keep or
        # set things apart: `_tick` counting through `global N_CALLS` printed 0 for 2.
        (
            "def _fmt(x):\n    global CALLS\n    CALLS += 1\n    return x * 2",
            ["CALLS = 0"],
            _helper_kept(3, "def _fmt(x):", "setting CALLS through global"),
        ),
        (
            (
                "def _fmt(x):\n    def count():\n        global CALLS\n        CALLS = 1\n"
                "    count()\n    return x * 2"
            ),
            [],
            _helper_kept(2, "def _fmt(x):", "setting CALLS through global"),
        ),
        (  # loaded twice: once by the notebook's cache, once by the module's
            "@functools.lru_cache(maxsize=None)\ndef _fmt(x):\n    return x * 2",
            ["import functools"],
            _helper_kept(3, "def _fmt(x):", "decorated with @functools.lru_cache(maxsize=None)"),
        ),
        (
            "def _fmt(x, seen=[]):\n    seen.append(x)\n    return x * len(seen)",
            [],
            _helper_kept(2, "def _fmt(x, seen=[]):", "its default [], made by its own def"),
        ),
        (  # `print(_fmt.calls)` in the notebook raised AttributeError once replaced
            "def _fmt(x):\n    _fmt.calls = getattr(_fmt, 'calls', 0) + 1\n    return x * 2",
            [],
            _helper_kept(2, "def _fmt(x):", "its body using _fmt itself, not only calling it"),
        ),
        (
            "def _fmt(x, k=2):\n    return x * k",
            ["", "_fmt.__defaults__ = (4,)"],
            _helper_kept(3, "def _fmt(x, k=2):", "the notebook using _fmt.__defaults__"),
        ),
        (
            "def _fmt(x):\n    return x * globals().get('K', 2)",
            [],
            _helper_kept(2, "def _fmt(x):", "reading its module through globals()"),
        ),
        # Round 61a: its attributes set by other means than `_fmt.attr`
        (
            "def _fmt(x, k=2):\n    return x * k",
            ["", "setattr(_fmt, '__defaults__', (4,))"],
            _helper_kept(
                3,
                "def _fmt(x, k=2):",
                "the notebook setting its attributes (`setattr(_fmt, ...)`)",
            ),
        ),
        (
            "def _fmt(x, k=2):\n    return x * k",
            ["", "fmt = _fmt\nfmt.__defaults__ = (4,)"],
            _helper_kept(3, "def _fmt(x, k=2):", "the notebook naming _fmt under another name"),
        ),
        (
            "def _fmt(x, k=2):\n    return x * k",
            ["", "globals()['_fmt'].__defaults__ = (4,)"],
            _helper_kept(
                3, "def _fmt(x, k=2):", "the notebook reaching it through `globals()['_fmt']`"
            ),
        ),
        # A default naming a constant or an attribute is read when the def runs, as the
        # body's names are: the module's reads the module's (round 61a: dtype=np.float64)
        ("def _fmt(x, dtype=functools.partial):\n    return x * 2", ["import functools"], None),
        # A plain function, calling itself, with constant defaults: the same.
        ("def _fmt(x, k=2, *, sign=-1.0):\n    return _fmt(x - 1) if x else k * sign", [], None),
        ("def _fmt(x, k=2):\n    return x * k", ["", "print(_fmt(3), _fmt.__name__)"], None),
    ],
)
def test_a_copy_of_the_modules_helper_must_keep_and_set_nothing_apart(
    tmp_path, helper, other_cells, kept
):
    library = tmp_path / "deeplib.py"
    total = "def total(xs):\n    return sum(_fmt(x) for x in xs)\n"
    imports = "import functools\nCALLS = 0\n"
    library.write_text(f'__all__ = ["total"]\n{imports}\n{helper}\n\n{total}', encoding="utf-8")
    catalog = load_catalog(str(library))
    cells = [*map(code, [*other_cells[:1], helper, *other_cells[1:]]), code(total)]
    result, _ = migrate_text(notebook_text(TITLE, *cells, code("print(total([1, 2]))")), catalog)
    reasons = [(found.code, found.reason) for found in result.report.kept]
    assert reasons == ([("NBR233", kept)] if kept else [])


@pytest.mark.parametrize(
    ("module", "theirs"),
    [
        ("from math import pow", "math.pow"),
        ("def pow(x, y):\n    return float(x) ** y", "powlib.pow"),
        ("import math\npow = math.pow", "powlib.pow"),
        ("from numpy import *", "what `from numpy import *` binds, else builtins.pow"),
    ],
)
def test_a_builtin_the_librarys_module_binds_otherwise_keeps_the_definition(
    tmp_path, module, theirs
):
    library = tmp_path / "powlib.py"
    cube = "def cube(x):\n    return pow(x, 3)\n"
    library.write_text(f'__all__ = ["cube"]\n{module}\n\n{cube}', encoding="utf-8")
    catalog = load_catalog(str(library))
    result, _ = migrate_text(notebook_text(TITLE, code(cube), code("print(cube(2))")), catalog)
    assert [(found.code, found.reason) for found in result.report.kept] == [
        ("NBR236", f"reads pow, the builtin here, where powlib.cube reads {theirs}")
    ]


def test_a_copy_reading_a_name_the_notebook_binds_nowhere_is_replaced_and_said(tmp_path):
    """Sweep s24 F3: the copy raised NameError (no `import numpy as np`), the library's
    function finds its module's numpy: the call now works, and the report says why."""
    library = tmp_path / "arrlib.py"
    arr = "def arr(n):\n    return np.arange(n).tolist()\n"
    library.write_text(f'__all__ = ["arr"]\nimport numpy as np\n\n{arr}', encoding="utf-8")
    catalog = load_catalog(str(library))
    said = "reads np, which the notebook binds nowhere (calling the copy raised NameError)"
    for imports, details in (
        ([], [("NBR115", f"{said}, where arrlib.arr reads numpy")]),
        ([code("import numpy as np")], []),
    ):
        cells = [*imports, code(arr), code("print(arr(2))")]
        result, _ = migrate_text(notebook_text(TITLE, *cells), catalog)
        assert result.report.kept == ()
        (replaced,) = result.report.replaced
        assert [(code_, replaced.reason) for code_ in replaced.detail_codes] == details


@pytest.mark.parametrize("builtin", ["display", "get_ipython"])
def test_a_name_ipython_adds_to_the_builtins_counts_as_a_builtin_here(tmp_path, builtin):
    """Sweep s24 F2: the notebook's `show` calls IPython's display (`=>3`), the module's
    its own `display` (`D: 3`); and where the module defines none, the library's function
    finds IPython's too: replaced."""
    show = f"def show(v):\n    return {builtin}(v)\n"
    own = f"def {builtin}(x):\n    print('D:', x)\n"
    # Round 55a: the module's import of IPython's own is the builtin too (it was kept)
    imported = {"display": "from IPython.display import display\n"}.get(
        builtin, "from IPython import get_ipython\n"
    )
    for module, kept in ((own, True), ("", False), (imported, False)):
        library = tmp_path / "showlib.py"
        library.write_text(f'__all__ = ["show"]\n\n{module}\n{show}', encoding="utf-8")
        catalog = load_catalog(str(library))
        result, _ = migrate_text(notebook_text(TITLE, code(show), code("show(3)")), catalog)
        reasons = [(found.code, found.reason) for found in result.report.kept]
        theirs = f"showlib.{builtin}"
        expected = [
            ("NBR236", f"reads {builtin}, the builtin here, where showlib.show reads {theirs}")
        ]
        assert reasons == (expected if kept else [])
        assert [found.name for found in result.report.replaced] == ([] if kept else ["show"])


def test_a_builtins_name_the_notebook_defines_as_the_librarys_is_not_a_builtin_here(tmp_path):
    """Sweep s24 F4: the notebook's `def open` is replaced too, so `read`'s open is the
    library's after the migration: `read` is replaced, not kept as reading the builtin."""
    library = tmp_path / "iolib.py"
    own_open, read = "def open(p):\n    return 'fake:' + p\n", "def read(p):\n    return open(p)\n"
    library.write_text(f'__all__ = ["open", "read"]\n\n{own_open}\n{read}', encoding="utf-8")
    catalog = load_catalog(str(library))
    cells = [code(own_open), code(read), code("print(read('x'))")]
    result, _ = migrate_text(notebook_text(TITLE, *cells), catalog)
    assert result.report.kept == ()
    assert [found.name for found in result.report.replaced] == ["open", "read"]


@pytest.mark.parametrize(
    "line",
    [
        'globals()["sq"] = abs',
        "__main__.sq = abs",
        'setattr(sys.modules[__name__], "sq", abs)',
        'get_ipython().user_ns["sq"] = abs',
        'get_ipython().push({"sq": abs})',
        "globals().update(sq=abs)",
        'globals().__ior__({"sq": abs})',  # rerun 59: as `vars(mylib).__ior__` of a module
        'mock.patch("__main__.sq", abs).start()',  # round 57b
        'with mock.patch(f"{__name__}.sq", abs): show(-3)',
    ],
)
def test_a_replaced_def_that_a_line_naming_it_may_rebind_keeps_its_readers(tmp_path, line):
    """Round 52d: the notebook's `def sq` becomes the module's import, but the notebook then
    rebinds `sq` by a name in a string or an attribute: `show` called `abs` inline, and
    the module's `sq` once replaced (`sq = abs` keeps it as a notebook variable)."""
    library = tmp_path / "sqlib.py"
    sq, show = "def sq(x):\n    return x * x\n", "def show(x):\n    print(sq(x))\n"
    library.write_text(f"{sq}\n\n{show}", encoding="utf-8")
    catalog = load_catalog(str(library))
    rebinding = f"import sys, __main__\nfrom unittest import mock\n{line}"
    cells = [code(sq), code(show), code(rebinding), code("show(-3)")]
    result, _ = migrate_text(notebook_text(TITLE, *cells), catalog)
    assert [found.name for found in result.report.replaced] == ["sq"]
    assert [(found.code, found.reason) for found in result.report.kept] == [
        ("NBR233", f"reads sq, which `{line}` in cell 4 may bind, where sqlib.show reads sqlib.sq")
    ]


def test_a_patch_of_the_notebook_s_import_by_a_string_target_keeps_its_readers(tmp_path):
    """Round 57b: `mock.patch("__main__.math")` set the notebook's `math`, which the copy
    read; the library's `root` reads its own module's, and `mocked` became `2.0`."""
    library = tmp_path / "rootlib.py"
    root = "def root(x):\n    return math.sqrt(x)\n"
    library.write_text(f"import math\n\n\n{root}", encoding="utf-8")
    catalog = load_catalog(str(library))
    patch = 'with mock.patch("__main__.math") as fake:'
    cells = [
        code(f"import math\nfrom unittest import mock\n{root}"),
        code(f"{patch}\n    fake.sqrt.return_value = 'mocked'\n    print(root(4))"),
    ]
    result, _ = migrate_text(notebook_text(TITLE, *cells), catalog)
    assert result.report.replaced == ()
    assert [(found.code, found.reason) for found in result.report.kept] == [
        ("NBR233", f"reads math, which `{patch}` in cell 3 may bind, where rootlib.root reads math")
    ]


def test_a_notebook_def_of_a_name_the_module_imports_keeps_the_definition(tmp_path):
    library = tmp_path / "powlib.py"
    cube = "def cube(x):\n    return pow(x, 3)\n"
    library.write_text(f'__all__ = ["cube"]\nfrom math import pow\n\n{cube}', encoding="utf-8")
    catalog = load_catalog(str(library))
    cells = [code("def pow(x, y):\n    return 99"), code(cube), code("print(cube(2))")]
    result, _ = migrate_text(notebook_text(TITLE, *cells), catalog)
    assert [(found.code, found.reason) for found in result.report.kept] == [
        (
            "NBR233",
            "reads pow, which `def pow(x, y):` in cell 2 binds, where powlib.cube reads math.pow",
        )
    ]


@pytest.mark.parametrize(
    "binder",
    [
        "%run setup.py",
        "exec('SCALE = 3')",
        "globals()['SCALE'] = 3",
        "vars().update(settings)",
        "locals()['SCALE'] = 3",
        "%store -r SCALE",
        "get_ipython().run_line_magic('run', 'setup.py')",
        "get_ipython().push(settings)",
    ],
)
def test_a_name_bound_nowhere_in_sight_is_a_hidden_input_after_a_line_binding_any(mylib, binder):
    """`%run setup.py`, `exec` or `globals()` may set `SCALE`: the inline body reads it, the
    library's cannot."""
    text = notebook_text(
        TITLE,
        code(binder),
        code("def schedule(t):\n    return t * SCALE"),
        code("schedule(2)"),
    )
    result, _ = migrate_text(text, mylib)
    assert [(found.code, found.reason) for found in result.report.kept] == [
        (
            "NBR233",
            f"reads SCALE, which `{binder}` in cell 2 may bind, and mylib.schedule cannot see it",
        )
    ]


@pytest.mark.parametrize(
    ("cell", "line"),
    [
        # Sweep Y repro_17: IPython through a name, the notebook's module through sys.modules
        ("ip = get_ipython()\nip.push(settings)", "ip.push(settings)"),
        ("ip = get_ipython()\nip.run_line_magic('run', 'setup.py')", None),
        ("import sys\nsetattr(sys.modules[__name__], 'SCALE', 3)", None),
        (
            "import sys\nthis = sys.modules[__name__]\nthis.SCALE = 3",
            "this = sys.modules[__name__]",
        ),
    ],
)
def test_a_line_binding_any_name_is_seen_through_a_name_for_it(mylib, cell, line):
    text = notebook_text(
        TITLE, code(cell), code("def schedule(t):\n    return t * SCALE"), code("schedule(2)")
    )
    result, _ = migrate_text(text, mylib)
    quoted = line or cell.splitlines()[-1]
    assert [(found.code, found.reason) for found in result.report.kept] == [
        (
            "NBR233",
            f"reads SCALE, which `{quoted}` in cell 2 may bind, and mylib.schedule cannot see it",
        )
    ]


@pytest.mark.parametrize(
    "line", ["%watermark -v", "%time x = 1", "get_ipython().run_line_magic('matplotlib', 'inline')"]
)
def test_a_line_magic_that_binds_nothing_leaves_a_name_bound_nowhere_alone(mylib, line):
    """`SCALE` is bound nowhere in sight, and nothing may bind it: the body fails either way."""
    text = notebook_text(
        TITLE, code(line), code("def schedule(t):\n    return t * SCALE"), code("schedule(2)")
    )
    result, _ = migrate_text(text, mylib)
    assert result.report.kept == ()


def test_a_look_up_in_globals_binds_nothing(mylib):
    text = notebook_text(
        TITLE,
        code("if 'SCALE' not in globals():\n    print(globals()['SCALE'] == 3)"),
        code("def schedule(t):\n    return t * SCALE"),
        code("schedule(2)"),
    )
    result, _ = migrate_text(text, mylib)
    assert result.report.kept == ()


def test_a_library_name_rebound_after_its_def_is_not_a_function_of_the_catalog(tmp_path):
    library = tmp_path / "rebound.py"
    library.write_text(
        "def scale(x, factor=2):\n    return x * factor\n\n"
        "def keep(x):\n    return x\n\n"
        "def _other(x):\n    return -x\n\nscale = _other\n",
        encoding="utf-8",
    )
    assert sorted(load_catalog(str(library)).functions) == ["keep"]


@pytest.mark.parametrize(
    ("decorators", "kept"),
    [
        ("@functools.lru_cache(maxsize=None)\n", "@functools.lru_cache(maxsize=None)"),
        ("@np.vectorize\n", "@np.vectorize"),
        ("@torch.no_grad()\n", None),
        ("@torch.inference_mode()\n@torch.no_grad\n", None),
    ],
)
def test_decorators_other_than_a_body_context_keep_the_definition(mylib, decorators, kept):
    text = notebook_text(
        TITLE,
        code("import functools\nimport numpy as np\nimport torch"),
        code(decorators + "def schedule(t):\n    return t"),
        code("schedule(3)"),
    )
    result, _ = migrate_text(text, mylib)
    reasons = [(found.code, found.reason) for found in result.report.kept]
    expected = f"its decorators ({kept}) are not mylib.schedule's (none)"
    assert reasons == ([] if kept is None else [("NBR229", expected)])
    if kept is None:  # replaced, saying so: the body may compute otherwise in that context
        ours = " ".join(f"@{line}" for line in decorators.replace("@", "").split())
        replaced = result.report.replaced[0]
        assert replaced.detail_codes == ("NBR111",)
        assert replaced.reason == f"runs in another context: {ours} inline, none in the library"


@pytest.mark.parametrize(
    ("signature", "details"),
    [
        ("def schedule(t: float) -> float:", ("NBR112",)),  # data the function carries
        ("def schedule(t):", ()),  # an untyped copy relies on no annotation
    ],
)
def test_annotations_the_library_does_not_have_are_said(mylib, signature, details):
    text = notebook_text(TITLE, code(f"{signature}\n    return t"), code("schedule(3)"))
    result, _ = migrate_text(text, mylib)
    replaced = result.report.replaced[0]
    assert replaced.detail_codes == details
    if details:
        assert replaced.reason == "annotations differ from mylib.schedule's"


def test_a_definition_using_a_kept_definition_is_kept(mylib):
    """The library's make_data would call the library's schedule, not the notebook's."""
    text = notebook_text(
        TITLE,
        code("t0 = 200"),
        code("def schedule(t):\n    return t0 / t"),
        code("def make_data(N=30, err=1.0):\n    return schedule(N), err"),
        code("def make_data(N=30, err=1.0):\n    return N, err"),
        code("make_data(3)"),
    )
    result, _ = migrate_text(text, mylib)
    assert result.new_sources == {}
    assert _kept(result) == [
        (
            "kept schedule (cell 3): reads notebook variable t0 (cell 2), which mylib.schedule "
            "cannot see"
        ),
        (
            "kept make_data (cell 4): uses schedule, whose definition in cell 3 is kept; "
            "mylib.make_data would use mylib.schedule instead"
        ),
        (
            "kept make_data (cell 5): the definition in cell 4 is kept, and a name's definitions "
            "go together"
        ),
    ]
    assert [found.code for found in result.report.kept] == ["NBR222", "NBR225", "NBR224"]


def test_a_definition_using_a_replaced_definition_is_replaced(mylib):
    text = notebook_text(
        TITLE,
        code("def schedule(t):\n    return t"),
        code("def make_data(N=30, err=1.0):\n    return schedule(N), err"),
        code("make_data(3)"),
    )
    result, sources = migrate_text(text, mylib)
    assert _kept(result) == []
    # schedule is used only inside make_data, and imported all the same: it stays bound.
    assert (sources[2], sources[3]) == ("from mylib import make_data, schedule", "")


def test_a_definition_setting_a_notebook_variable_through_global_is_kept(mylib):
    text = notebook_text(
        TITLE,
        code("def schedule(t):\n    global calls\n    calls = t\n    return t"),
        code("schedule(3)"),
    )
    result, _ = migrate_text(text, mylib)
    assert _kept(result) == [
        "kept schedule (cell 2): sets notebook variable calls (global), which mylib.schedule cannot"
    ]


BINDINGS = {
    "assignment": "K = 1",
    "tuple": "a, (K, b) = 1, (2, 3)",
    "starred": "a, *K = [1, 2]",
    "annotated": "K: int = 1",
    "augmented": "K += 1",
    "for": "for K in range(3):\n    pass",
    "with": "with open('f') as K:\n    pass",
    "except": "try:\n    pass\nexcept Exception as K:\n    pass",
    "walrus": "if (K := 3):\n    pass",
    "walrus in a comprehension": "[(K := x) for x in range(3)]",
    "global in a function": "def setup():\n    global K\n    K = 1",
    "global in a method": "class Setup:\n    def run(self):\n        global K\n        K = 1",
    "match capture": "match x:\n    case [K]:\n        pass",
    "nested in if": "if True:\n    K = 1",
    "shell assignment": "K = !ls",
    "after a cell magic": "%%time\nK = 1",
    "capture magic": "%%capture K\nprint(1)",
    "in lines that do not parse": "x = (\nK = 1",
    "keyword then binding": "f(K=1)\nK = 2",
    "first of a line": "K = 1; print(K)",
    "decorator walrus": "@register(K := 3)\ndef f():\n    pass",
    "in a long cell": "x = 1\n" * 50
    + "if x:\n    y = [\n        K\n        for K in []\n    ]\n    K = 2\n",
}
NOT_BINDINGS = {
    "import": "import K",
    "from import": "from m import K",
    "import as": "import numpy as K",
    "def": "def K():\n    pass",
    "class": "class K:\n    pass",
    "attribute": "K.x = 1\nK[0] = 1\nK(3)\nobj.K = 2",
    "local": "def f():\n    K = 1",
    "comprehension target": "[K for K in range(3)]",
    "keyword argument": "f(K=1)",
    "class attribute": "class C:\n    K = 1",
    "bash cell": "%%bash\nK=1",
    "string": "print('K')",
}


@pytest.mark.parametrize("source", BINDINGS.values(), ids=BINDINGS.keys())
def test_what_binds_a_notebook_variable(source):
    notebook = parse_notebook(notebook_text(code("x = 1"), code(source)))
    assert NotebookVariables(notebook).first_binding("K") == 2


@pytest.mark.parametrize("source", NOT_BINDINGS.values(), ids=NOT_BINDINGS.keys())
def test_what_does_not_bind_a_notebook_variable(source):
    notebook = parse_notebook(notebook_text(code(source)))
    assert NotebookVariables(notebook).first_binding("K") is None


@pytest.mark.parametrize("name", ["top", "tip"])
def test_the_locals_of_a_function_named_top_are_its_own(name):
    """Sweep U repro_4: CPython 3.11's symtable takes a table named "top" for the module's,
    so `top`'s parameter `xs` was read as a notebook variable, and the definition kept."""
    source = f"def {name}(xs, n=1):\n    kept = sorted(xs)\n    return kept[-n:] + [LIMIT]\n"
    assert free_names(source).reads == ("sorted", "LIMIT")


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("def f(x, x):\n    return LIMIT\n", "duplicate argument 'x' in function definition"),
        ("def f(x):\n    nonlocal q\n    return x.y\n", "no binding for nonlocal 'q' found"),
    ],
)
def test_free_names_of_a_definition_python_does_not_compile_counts_every_name(source, error):
    """Re-check 46: symtable raised SyntaxError (an internal error in migrate, a traceback in
    extract); every name but attributes counts as read, the safe side."""
    found = free_names(source)
    assert found.error == error
    assert set(found.reads) >= {"f", "x"} and "y" not in found.reads


@pytest.mark.parametrize(
    ("imports", "library_imports", "kept"),
    [
        ("from IPython.display import display", "", False),
        ("from IPython.core.display import display", "", False),
        ("from IPython.display import display", "from IPython.display import display\n", False),
        ("from IPython import get_ipython", "", False),
        ("from rich import print as display", "", True),  # another function
    ],
)
def test_an_import_of_ipythons_builtin_is_the_builtin(tmp_path, imports, library_imports, kept):
    """Re-check 46: `from IPython.display import display` binds the function IPython puts
    in the builtins, which the library's function reads: the copy was kept."""
    body = "def show(x):\n    display(x)\n    return get_ipython() is not None\n"
    library = tmp_path / "showlib.py"
    library.write_text(library_imports + body, encoding="utf-8")
    catalog = load_catalog(str(library))
    text = notebook_text(TITLE, code(imports), code(body), code("show(1)"))
    result, _ = migrate_text(text, catalog)
    assert bool(result.report.kept) is kept
    assert [found.name for found in result.report.replaced] == ([] if kept else ["show"])


def _free_names_of_every_symbol(source):
    """free_names as it was first written: every symbol of every scope made a `Symbol`."""
    table = symtable.symtable(source, "<definition>", "exec")
    reads = {s.get_name(): None for s in table.get_symbols() if s.is_referenced()}
    declared = set()
    pending = list(table.get_children())
    while pending:
        scope = pending.pop()
        pending.extend(scope.get_children())
        for symbol in scope.get_symbols():
            if not symbol.is_global() or symbol.is_local():
                continue
            if symbol.is_referenced():
                reads[symbol.get_name()] = None
            if symbol.is_declared_global() and symbol.is_assigned():
                declared.add(symbol.get_name())
    return tuple(reads), frozenset(declared)


@pytest.mark.parametrize("name", ["top", "tip"])
@pytest.mark.parametrize(
    "body",
    [
        "    global G, H\n    G = K\n    return H\n",
        "    def top():\n        global G\n        G = 1\n        return K\n    return top\n",
        "    class C:\n        x = K\n        global G\n        G = x\n    return C\n",
        "    y = 1\n    def g():\n        nonlocal y\n        y = K\n    return [y for _ in R]\n",
    ],
)
def test_free_names_ask_only_the_symbols_that_may_be_global(name, body):
    source = f"@deco(D)\ndef {name}(a=A):\n{body}"
    found = free_names(source)
    assert (found.reads, found.declared_global) == _free_names_of_every_symbol(source)


def test_free_names_come_from_the_definitions_scopes():
    source = (
        "@register(REGISTRY)\n"
        "def f(x, scale=SCALE, key=lambda v: v + OFFSET, *, hint: Hint = None) -> Result:\n"
        "    y = x\n"
        "    def inner():\n"
        "        return y + DEPTH\n"
        "    class Box:\n"
        "        size = SIZE\n"
        "    return [i * FACTOR for i in range(y)] + inner() + len(x)\n"
    )
    names = set(free_names(source).reads)
    assert names == {
        "register", "REGISTRY", "SCALE", "OFFSET", "DEPTH", "SIZE", "FACTOR", "range", "len",
        "Hint", "Result",  # annotations count: the safe side
    }  # fmt: skip


def test_builtins_imports_functions_and_unbound_names_are_not_hidden_inputs():
    notebook = parse_notebook(
        notebook_text(
            code("import numpy as np\nfrom os import path"),
            code("def helper():\n    pass\n\nclass Box:\n    pass"),
            code(
                "def f(x):\n    return np.sum(path.join(x)) + helper() + Box() + len(x) + NOWHERE"
            ),
        )
    )
    node = ast.parse(notebook.cells[2].source).body[0]
    assert isinstance(node, ast.FunctionDef)
    assert hidden_inputs(node, NotebookVariables(notebook)) == ()


def test_a_builtin_the_notebook_assigns_is_a_notebook_variable():
    notebook = parse_notebook(notebook_text(code("max = 3"), code("def f(x):\n    return max(x)")))
    node = ast.parse(notebook.cells[1].source).body[0]
    assert isinstance(node, ast.FunctionDef)
    (found,) = hidden_inputs(node, NotebookVariables(notebook))
    assert (found.name, found.cell, found.reads) == ("max", 1, True)


def test_cells_that_only_use_a_name_are_not_parsed(monkeypatch):
    """`plt.plot(...)` in a hundred cells: none of them is parsed to look for `plt = ...`."""
    parsed = []
    real = notebook_variables.read_cell

    def counting(number, source, watched):
        parsed.append(source)
        return real(number, source, watched)

    monkeypatch.setattr(notebook_variables, "read_cell", counting)
    cells = [code("import matplotlib.pyplot as plt")]
    cells += [code(f"plt.plot([{i}])\nplt.title('step {i}')\nfig = plt.gcf()") for i in range(100)]
    cells.append(code("def f(x):\n    plt.plot(x)"))
    notebook = parse_notebook(notebook_text(*cells))
    variables = NotebookVariables(notebook)
    assert variables.first_binding("plt") is None
    assert parsed == []


def test_cells_naming_only_the_modules_last_part_are_not_parsed_for_patches(monkeypatch):
    """The module `viz_utils.gradients`: the demo's cells say `gradients` everywhere, and
    none of them sets an attribute of the module; only a cell naming the module in full or
    a name the notebook imports it as is parsed for `LIB.g = fake`."""
    from nbrefactor.analysis import module_patches
    from nbrefactor.analysis.notebook_imports import NotebookImports

    parsed = []
    real = module_patches.parse_cell

    def counting(source, *args, **kwargs):
        parsed.append(source)
        return real(source, *args, **kwargs)

    # Where the search for `LIB.g = fake` parses cells (it was patched in `notebook_imports`,
    # which does not parse for it: the test held whatever the search parsed).
    monkeypatch.setattr(module_patches, "parse_cell", counting)
    cells = [code("import viz_utils.gradients as G")]
    cells += [code(f"gradients = model.grad({i})\nplot(gradients)") for i in range(100)]
    cells.append(code("G.SCALE = 10"))
    notebook = parse_notebook(notebook_text(*cells))
    imports = NotebookImports(notebook)
    assert imports.patch_of("viz_utils.gradients", "SCALE") == (102, "G.SCALE = 10")
    assert [source for source in parsed if "gradients =" in source] == []
    assert "G.SCALE = 10" in parsed  # the cell naming the module's alias was parsed


SAME_FUNCTION_CASES = [
    "noop_other_parameter_names",
    "noop_forwarded_keyword",
    "extra_parameter_never_passed",
    "noop_reads_notebook_variable",
    "noop_notebook_variable_default",
    "noop_notebook_variable_global",
    "reads_only_imports_and_functions",
    "keyword_no_signature_names",
]


@pytest.mark.parametrize("case", SAME_FUNCTION_CASES)
def test_check_verbose_prints_the_cases_report_lines(case, tmp_path, monkeypatch):
    """`nbrefactor migrate --check -v` on each fixture prints its `kept`/`replaced` line."""
    import shutil

    from click.testing import CliRunner

    from nbrefactor.cli import main

    shutil.copy(FIXTURES / f"{case}.ipynb", tmp_path / f"{case}.ipynb")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        main, ["migrate", "--check", "-v", "--jobs", "1", "--module", str(REPO / "viz_utils"), "."]
    )
    changes = not case.startswith("noop_")
    assert result.exit_code == (1 if changes else 0), result.output
    expected = (FIXTURES / f"{case}.report.txt").read_text(encoding="utf-8").splitlines()
    definition_lines = [line for line in expected if line.startswith(("kept ", "replaced "))]
    assert definition_lines
    printed = [line.strip() for line in result.stderr.splitlines()]
    for line in definition_lines:
        assert line in printed


def test_a_body_that_does_not_parse_is_read_word_by_word(mylib):
    """No scopes to go by: a name in it that the notebook binds keeps the definition."""
    text = notebook_text(
        TITLE,
        code("FIG_DIR = 'figures'"),
        code("def save_plot(name):\n    return os.path.join(FIG_DIR, name.strip(.strip()))\n"),
        code("save_plot('a.png')"),
    )
    result, _ = migrate_text(text, mylib)
    assert _kept(result) == [
        (
            "kept save_plot (cell 3): reads notebook variable FIG_DIR (cell 2), which "
            "mylib.save_plot cannot see"
        )
    ]


def test_a_body_that_does_not_parse_and_reads_no_variable_is_replaced(mylib):
    text = notebook_text(
        TITLE,
        code("name = 'figures'"),  # a parameter's name: local in the body
        code("def save_plot(name):\n    return os.path.join(name.strip(.strip()))\n"),
        code("save_plot('a.png')"),
    )
    result, _ = migrate_text(text, mylib)
    assert [found.name for found in result.report.replaced] == ["save_plot"]


def _kept_reasons(library: Path, source: str, *cells: dict) -> list[tuple[str, str]]:
    """(code, reason) of each definition kept when a notebook of the title and `cells`
    migrates onto the module `source`, written to `library`."""
    library.write_text(source)
    result, _ = migrate_text(notebook_text(TITLE, *cells), load_catalog(str(library)))
    return [(found.code, found.reason) for found in result.report.kept]


@pytest.mark.parametrize(
    ("default", "kept"),
    [
        ('plt.rcParams["figure.figsize"]', True),  # read when the def runs
        ("np.random.normal(scale=0.01)", True),  # draws from the global generator then
        ("(offset := (6.4, 4.8))", True),  # binds the notebook's offset then (sweep I)
        ("(6.4, 4.8)", False),
        ('float("inf")', False),  # a builtin constructor of constants
        ("np.pi", False),
        ("1 / np.sqrt(2 * np.pi)", False),  # a number of numpy's from constants (sweep Z, hist)
        ("-np.inf", False),
        ("np.sqrt(np.random.rand())", True),  # but a draw
        ("np.sqrt(x0)", True),  # reads a name
        ("lambda v: np.log1p(v)", False),  # its body runs when called (re-check 29)
        # Re-check 29 (2): the same value whenever it is made, from constants
        ("tuple(np.linspace(0, 1, 5))", False),
        ("(max(6, 8), 4)", False),
        ("os.getcwd()", True),  # reads the folder then
        # Re-check 29 (3): no argument reads the rc file's; types and numbers are constants
        ("plt.get_cmap()", True),
        (
            "(np.finfo(float).eps, np.zeros(2 ** 3).size, tuple(np.linspace(0, 2 * np.pi, 2)))",
            False,
        ),
    ],
)
def test_a_default_computed_when_the_def_runs_keeps_the_definition(tmp_path, default, kept):
    """Inline, the default is computed at the def (after cell 2 set the figure size); the
    library's when its module is imported (sweep G repro_6)."""
    inline = f"def size(figsize={default}):\n    return figsize"
    reasons = _kept_reasons(
        tmp_path / "figlib.py",
        f'import numpy as np\nimport matplotlib.pyplot as plt\n__all__ = ["size"]\n\n{inline}\n',
        IMPORTS,
        code('plt.rcParams["figure.figsize"] = (12, 4)\nnp.random.seed(0)'),
        code(inline),
        code("print(size())"),
    )
    expected = (
        f"its default figsize={default.replace(chr(34), chr(39))} is computed when the def runs, "
        "and figlib.size's when its module is imported"
    )
    assert reasons == ([("NBR237", expected)] if kept else [])


@pytest.mark.parametrize(
    ("default", "kept"),
    [
        ("np.random.rand()", True),  # sweep 29: every later draw moved
        ('print("defining") or (6.4, 4.8)', True),  # its output went
        ('os.makedirs("figs", exist_ok=True)', True),  # a later isdir() said False
        ("(offset := (6.4, 4.8))", True),  # binds the notebook's offset
        ('plt.rcParams["figure.figsize"]', False),  # reads only: the library's default wins
        ("(8, 6)", False),
        ('float("inf")', False),
        ("1 / np.sqrt(2 * np.pi)", False),
        # Re-check 29: calls that only make a value, and a lambda's body, which runs later
        ("tuple(np.linspace(0, 1, 2))", False),
        ('plt.get_cmap("magma").N and (8, 6)', False),
        ("(max(6, 8), sorted([4, 3])[0])", False),
        ("(lambda v: np.random.rand())", False),
        ("(lambda v=np.random.rand(): v)", True),  # a lambda's default is computed now
        ("tuple(np.array([np.random.rand()]))", True),  # an argument's call counts
        # Re-check 29 (2): readers change nothing; what a call is handed may run
        ("(np.finfo(float).eps, os.getcwd())", False),
        ('tuple(map(print, ["def ran"]))', True),
        ("tuple(sorted([3, 1], key=lambda v: print(v)))", True),
        # Re-check 45: a generator's items are computed when a call consumes it, not before
        ("(np.random.rand() for _ in range(2))", False),
        ("tuple(np.random.rand() for _ in range(2))", True),
    ],
)
def test_a_drifted_default_computed_with_effects_keeps_the_definition(tmp_path, default, kept):
    """A default whose text is not the library's is drift, replaced; unless computing it
    changes state when the def runs, which the replaced definition would no longer do."""
    inline = f"def size(figsize={default}):\n    return figsize"
    reasons = _kept_reasons(
        tmp_path / "figlib.py",
        'import numpy as np\n__all__ = ["size"]\n\ndef size(figsize=(6.4, 4.8)):\n'
        "    return figsize\n",
        code("import os\nimport numpy as np\nimport matplotlib.pyplot as plt"),
        code(inline),
        code("print(size())"),
    )
    shown = ast.unparse(ast.parse(default, mode="eval"))
    # Round 59b: a walrus binds a name, which the reason says, not "runs a call".
    runs = "assigns offset" if default.startswith("(offset :=") else "runs a call"
    expected = (
        f"its default figsize={shown} {runs} when the def runs, which figlib.size's"
        " ((6.4, 4.8)) does not: once replaced, it would not run"
    )
    assert reasons == ([("NBR237", expected)] if kept else [])


@pytest.mark.parametrize(
    ("header", "kept"),
    [
        # Round 54a: `n` was bound inline, and not once replaced (NameError)
        ("def f(x: (n := 3)):", "its annotation x: (n := 3) runs"),
        ("def f(x) -> print('ann'):", "its annotation -> print('ann') runs"),  # printed
        ("def f(x: random.random()):", "its annotation x: random.random() runs"),  # a draw
        ("def f(x: int, *, k: dict[str, int] = {}) -> tuple[int, ...]:", None),
        ("def f(x: np.ndarray) -> 'Pt':", None),
        ("def f(x: Optional[int] = None) -> float:", None),
    ],
)
def test_an_annotation_that_may_change_state_keeps_the_definition(tmp_path, header, kept):
    inline = f"{header}\n    return x"
    reasons = _kept_reasons(
        tmp_path / "annlib.py",
        "def f(x):\n    return x\n",
        code("import random\nimport numpy as np\nfrom typing import Optional"),
        code(inline),
        code("print(f(2))"),
    )
    if kept is None:
        assert reasons == []
        return
    expected = f"{kept} a call or a walrus when the def runs: once replaced, it would run where"
    assert reasons == [("NBR266", f"{expected} annlib is imported, if at all")]


@pytest.mark.parametrize(
    ("default", "line", "kept"),
    [
        ("cfg.SCALE", "cfg.SCALE = 10", True),  # sweep Z2 repro_1: 2 printed where 20 was
        ("cfg.SCALE", "cfg.SCALE += 1", True),
        ("cfg.SCALE", "cfg.SCALE == 10", False),
        ("cfg.SCALE", "cfg.SCALE_MAX = 10", False),
        ("cfg.SCALE", "print(cfg.SCALE)", False),
        # round 57b: a setter call set `cfg.root.level`, which the default read: the import
        # above it read it before (`logging.root.setLevel`: DEBUG became WARNING)
        ("cfg.root.level", "cfg.root.setLevel(10)", True),
        ("cfg.root.level", "cfg.root . setLevel (10)", True),
        ("cfg.root.level", "cfg.root.update_level(10)", True),
        ("cfg.root.level", "cfg.root.info('x')", False),
        ("cfg.root.level", "cfg.root.level", False),
    ],
)
def test_a_default_reading_an_attribute_the_notebook_changes_keeps_the_definition(
    tmp_path, default, line, kept
):
    """`factor=cfg.SCALE` is read when the def runs: inline after cell 2 set it, the
    library's when its module was imported, before."""
    inline = f"def scaled(x, factor={default}):\n    return x * factor"
    reasons = _kept_reasons(
        tmp_path / "scalib.py",
        f'import cfg\n__all__ = ["scaled"]\n\n{inline}\n',
        code(f"import cfg\n{line}"),
        code(inline),
        code("print(scaled(2))"),
    )
    expected = (
        f"its default factor={default} is computed when the def runs, and scalib.scaled's when "
        "its module is imported"
    )
    assert reasons == ([("NBR237", expected)] if kept else [])


@pytest.mark.parametrize(
    ("line", "kept"),
    [("cfg.CACHE_SIZE = 4", True), ("print(cfg.CACHE_SIZE)", False)],  # sweep Z2 repro_2
)
def test_a_wrapping_decorators_argument_the_notebook_assigns_keeps_the_definition(
    tmp_path, line, kept
):
    decorator = "@functools.lru_cache(maxsize=cfg.CACHE_SIZE)"
    inline = f"{decorator}\ndef power(n=2):\n    return n ** 2"
    reasons = _kept_reasons(
        tmp_path / "declib.py",
        f'import cfg\nimport functools\n__all__ = ["power"]\n\n{inline}\n',
        code(f"import cfg\nimport functools\n{line}"),
        code(inline),
        code("power(3)"),
    )
    expected = (
        f"its decorator {decorator} runs when the def runs, and declib.power's when its module "
        "is imported"
    )
    assert reasons == ([("NBR246", expected)] if kept else [])


_DECORATOR_IMPORTS = "import functools\nimport numba\nimport torch\nfrom ipywidgets import interact"


@pytest.mark.parametrize(
    ("decorator", "kept"),
    [
        ("@interact(n=(1, 5))", True),  # displays a widget when the def runs (sweep X repro_5)
        ("@register_cell_magic", True),  # an unknown decorator: it may do anything then
        ("@functools.lru_cache(maxsize=None)", False),  # only wraps the function
        ("@numba.njit(cache=True)", False),
        ("@torch.no_grad()", False),
    ],
)
def test_a_decorator_that_may_run_for_effect_keeps_the_definition(tmp_path, decorator, kept):
    """The library has the same decorator, but it runs where the library is imported: the
    widget `@interact` displays moved from cell 3 to the import's cell."""
    inline = f"{decorator}\ndef power(n=2):\n    return n ** 2"
    reasons = _kept_reasons(
        tmp_path / "declib.py",
        f'{_DECORATOR_IMPORTS}\n\n__all__ = ["power"]\n\n{inline}\n',
        code(_DECORATOR_IMPORTS),
        code(inline),
        code("print(power(3))"),
    )
    expected = (
        f"its decorator {decorator} runs when the def runs, and declib.power's when its module "
        "is imported"
    )
    assert reasons == ([("NBR246", expected)] if kept else [])


@pytest.mark.parametrize(
    ("decorator", "runs"),
    [
        ("@timer", False),  # defined beside it, only wraps
        ("@tagged('x')", False),  # a factory that only wraps
        ("@register", True),  # appends to a registry when the def runs
        ("@shout", True),  # prints then
        ("@absent", True),  # defined nowhere known
    ],
)
def test_a_decorator_defined_beside_the_function_only_wraps_if_its_body_does(decorator, runs):
    from nbrefactor.rules.definition_time import decorator_run_for_effect

    module = ast.parse(
        'def timer(f):\n    """Time it."""\n    def wrapper(*a):\n        return f(*a)\n'
        "    wrapper.timed = True\n    return wrapper\n"
        "def tagged(tag):\n    def apply(f):\n        f.tag = tag\n        return f\n"
        "    return apply\n"
        "REGISTRY = []\ndef register(f):\n    REGISTRY.append(f)\n    return f\n"
        "def shout(f):\n    print('defined', f)\n    return f\n"
    )
    defined = {node.name: node for node in module.body if isinstance(node, ast.FunctionDef)}
    node = ast.parse(f"{decorator}\ndef g():\n    pass").body[0]
    assert decorator_run_for_effect(node, defined) == (decorator if runs else None)


@pytest.mark.parametrize(
    ("default", "kept"),
    [
        ("[]", True),
        ("{}", True),
        ("set()", True),
        ("()", False),
        # sweep 31: a new list inside the value made of it was taken for immutable
        ("[0] * 1", True),
        ("([0],)", True),
        ("[0] + []", True),
        ("None or [0]", True),
        ("(x for x in ())", True),
        ("(1, 2) * 3", False),
        ("tuple([1, 2])", False),
        ("-1", False),
        ("lambda: []", False),  # its list is made when it is called
        ("lambda v, seen=[]: v", True),  # re-check 31: a lambda's defaults are made now
    ],
)
def test_a_mutable_default_of_a_name_defined_twice_keeps_the_definitions(tmp_path, default, kept):
    """Each def starts with its own empty `acc`; one import would share the library's
    (sweep G repro_1: `[3]` became `[1, 2, 3]`)."""
    inline = f"def add(x, acc={default}):\n    return acc"
    library = tmp_path / "mutlib.py"
    library.write_text(f'__all__ = ["add"]\n\n{inline}\n')
    catalog = load_catalog(str(library))
    text = notebook_text(TITLE, code(inline), code("add(1)"), code(inline), code("add(2)"))
    result, _ = migrate_text(text, catalog)
    codes = [found.code for found in result.report.kept]
    assert codes == (["NBR238", "NBR238"] if kept else [])
    if kept:
        assert result.report.kept[0].reason == (
            f"defined again in cell 4: each def makes its own acc={default}, where one import "
            "would share mutlib.add's"
        )


@pytest.mark.parametrize(
    ("inline", "state"),
    [
        (
            "import functools\n@functools.cache\ndef load(x):\n    return x",
            "cache (@functools.cache)",
        ),
        (
            "from functools import lru_cache\n@lru_cache(maxsize=None)\ndef load(x):\n    return x",
            "cache (@lru_cache(maxsize=None))",
        ),
        (
            "def load(x):\n    load.calls = getattr(load, 'calls', 0) + 1\n    return x",
            "load.calls",
        ),
        ("def load(x):\n    setattr(load, 'seen', x)\n    return x", "load's attributes"),
        ("def load(x):\n    x.calls = 1\n    return x", None),  # not itself
        # re-check 31: through its attributes' dict; not a local of its name; by words
        ("def load(x):\n    load.__dict__['n'] = x\n    return x", "load's attributes"),
        ("def load(x):\n    vars(load).setdefault('n', x)\n    return x", "load's attributes"),
        ("def load(x):\n    load = [x]\n    load.n = 1\n    return x", None),
        ("def load(x, load=None):\n    load.n = 1\n    return x", None),
        (  # re-check 32: a lambda's parameter is not the function's local
            "def load(x):\n    load.n = sorted([x], key=lambda load: -load)\n    return x",
            "load.n",
        ),
        ("import functools\n@functools.wraps(print)\ndef load(x):\n    return x", None),
    ],
)
def test_a_function_keeping_state_on_itself_defined_twice_keeps_the_definitions(
    tmp_path, inline, state
):
    """Sweep 31: a second `@functools.cache` def recomputed, a second `load.calls` counted
    from 0; one import shared the library's cache and count."""
    library = tmp_path / "statelib.py"
    library.write_text(f'__all__ = ["load"]\n\n{inline}\n')
    catalog = load_catalog(str(library))
    text = notebook_text(
        TITLE, code("pass"), code(inline), code("load(1)"), code(inline), code("load(1)")
    )
    result, _ = migrate_text(text, catalog)
    kept = [(found.code, found.reason) for found in result.report.kept]
    if state is None:
        assert kept == []
        return
    assert kept[0] == (
        "NBR259",
        (
            f"defined again in cell 5: each def keeps its own {state}, where one import would "
            "share statelib.load's"
        ),
    )
    assert len(kept) == 2


@pytest.mark.parametrize(
    ("default", "mutable"),
    [
        # re-check 31: what only gives a part of the value, or an immutable one, is not
        ("np.finfo(float).eps", False),
        ("(max(1, 2), 3)", False),
        ("(np.float32(1), 2)", False),
        ("-np.float32(1)", False),
        ('Path("a") / "b"', False),
        ('(torch.device("cpu"),)', False),
        ('len("ab") + 1', False),
        ("frozenset({1})", False),
        ("f'{x}'", False),
        ("CONFIG['k']", False),  # an item of a shared value, not one made anew
        ("(np.zeros(3),)", True),
        ('{"k": []}["k"]', True),
        ("my_factory()", True),
        ("(x for x in ())", True),
        # re-check 32: an immutable-result maker given lists gives a list or an array
        ("np.float32([0, 0])", True),
        ("sum([[0]], [])", True),
        ("max([0], [1])", True),
        ("tuple([[0]])", True),
        ("tuple([1, 2])", False),
    ],
)
def test_a_default_is_made_anew_only_where_its_value_is(default, mutable):
    from nbrefactor.rules.computed_values import makes_mutable

    assert makes_mutable(ast.parse(default, mode="eval").body) is mutable


@pytest.mark.parametrize(
    ("wrapper", "state"),
    [
        ("    def wrapper(x):\n        wrapper.calls += 1\n        return fn(x)\n", True),
        ("    def wrapper(x):\n        seen.append(x)\n        return fn(x)\n", True),
        ("    def wrapper(x):\n        print('calling')\n        return fn(x)\n", False),
        # re-check 32: a counter the decorator made; a list each call makes; the library's
        # own global, shared either way; a keyword dict of the call
        (
            "    c = iter(range(9))\n    def wrapper(x):\n        next(c)\n        return fn(x)\n",
            True,
        ),
        (
            "    def wrapper(x):\n        out = []\n        out.append(x)\n        return fn(x)\n",
            False,
        ),
        ("    def wrapper(x, **kw):\n        kw.setdefault('k', 1)\n        return fn(x)\n", False),
    ],
)
def test_a_library_decorator_whose_wrapper_keeps_state_keeps_copies_defined_twice(
    tmp_path, wrapper, state
):
    """Re-check 31: `@counted`, a library decorator counting calls on its wrapper, was taken
    to only wrap: each `def` made its own count, one import shared the library's."""
    library = tmp_path / "deco.py"
    library.write_text(
        '__all__ = ["load"]\n\n\ndef counted(fn):\n    seen = []\n'
        + wrapper
        + "    wrapper.calls = 0\n    return wrapper\n\n\n"
        "@counted\ndef load(x):\n    return x\n"
    )
    inline = "@counted\ndef load(x):\n    return x"
    text = notebook_text(
        TITLE,
        code("from deco import counted"),
        code(inline),
        code("load(1)"),
        code(inline),
        code("load(1)"),
    )
    result, _ = migrate_text(text, load_catalog(str(library)))
    kept = [(found.code, found.reason) for found in result.report.kept]
    if not state:
        assert kept == []
        return
    assert kept[0] == (
        "NBR259",
        (
            "defined again in cell 5: each def keeps its own wrapper's state (@counted), where one"
            " import would share deco.load's"
        ),
    )


@pytest.mark.parametrize(
    "call",
    [
        "stream = open('patchlib.g', 'w')",
        "log = logging.getLogger('patchlib.g')",
        "os.path.exists('patchlib.g')",
    ],
)
def test_a_string_naming_the_library_s_attribute_is_a_patch_only_for_a_patcher(tmp_path, call):
    """Re-check 32: any call given 'patchlib.g' was taken to set `g` on the library, and
    the copies of `g` and of what reads it were kept."""
    definitions = "def g(x):\n    return x * 100\n\n\ndef f(x):\n    return g(x) + 1"
    library = tmp_path / "patchlib.py"
    library.write_text(f'__all__ = ["f", "g"]\n\n{definitions}\n')
    catalog = load_catalog(str(library))
    text = notebook_text(
        TITLE,
        code(f"import os, logging\nimport patchlib\n{call}"),
        code(definitions),
        code("print(f(1))"),
    )
    result, _ = migrate_text(text, catalog)
    assert result.report.kept == ()
    assert [found.name for found in result.report.replaced] == ["g", "f"]


@pytest.mark.parametrize(
    ("decorator", "state"),
    [
        (  # re-check 33: a class it defines, counting on `self`
            (
                "def counted(fn):\n    class W:\n        calls = 0\n"
                "        def __call__(self, x):\n            self.calls += 1\n"
                "            return fn(x)\n    return W()\n"
            ),
            True,
        ),
        (  # re-check 33: a local name for the decorator's own dict
            (
                "def counted(fn):\n    store = {}\n    def wrapper(x):\n        s = store\n"
                "        s[x] = 1\n        return fn(x)\n    return wrapper\n"
            ),
            True,
        ),
        (  # re-check 33: a partial over state it made
            (
                "import functools\n\ndef _call(fn, state, x):\n    state[0] += 1\n"
                "    return fn(x)\n\ndef counted(fn):\n"
                "    return functools.partial(_call, fn, [0])\n"
            ),
            True,
        ),
        (  # re-check 33: a helper inside the wrapper with a list of its own
            (
                "import functools\n\ndef counted(fn):\n    @functools.wraps(fn)\n"
                "    def wrapper(x):\n        def fmt():\n            parts = []\n"
                "            parts.append(x)\n            return parts\n        fmt()\n"
                "        return fn(x)\n    return wrapper\n"
            ),
            False,
        ),
        (
            (
                "import functools\n\ndef counted(fn):\n    def wrapper(x):\n        return fn(x)\n"
                "    return functools.wraps(fn)(wrapper)\n"
            ),
            False,
        ),
        # re-check 34: a helper's own name does not hide the wrapper's change of the
        # decorator's dict; a function changing its first argument changes it
        (
            (
                "def counted(fn):\n    store = {}\n    def wrapper(x):\n        def fmt():\n"
                "            store = []\n            return store\n        store[x] = 1\n"
                "        fmt()\n        return fn(x)\n    return wrapper\n"
            ),
            True,
        ),
        (
            (
                "import heapq\n\ndef counted(fn):\n    seen = []\n    def wrapper(x):\n"
                "        heapq.heappush(seen, x)\n        return fn(x)\n    return wrapper\n"
            ),
            True,
        ),
        # re-check 34: returns that only wrap
        # re-check 35: a returned lambda may close over state; the safe side keeps it
        ("def counted(fn):\n    return lambda x: fn(x)\n", True),
        (
            (
                "def counted(fn):\n    calls = []\n    def wrapper(x):\n"
                "        any(calls.append(1) for _ in [0])\n        return fn(x)\n    return wrapper\n"
            ),
            True,
        ),
        (
            (
                "import functools\n\ndef counted(fn):\n    def wrapper(x):\n        return fn(x)\n"
                "    return functools.update_wrapper(wrapper, fn)\n"
            ),
            False,
        ),
        ("def counted(fn, /):\n    return fn\n", False),
        ("def counted(*fns):\n    return fns[0]\n", False),
    ],
)
def test_what_a_library_decorator_returns_decides_whether_it_keeps_state(
    tmp_path, decorator, state
):
    library = tmp_path / "deco.py"
    library.write_text(
        f'__all__ = ["load"]\n\n{decorator}\n\n@counted\ndef load(x):\n    return x\n'
    )
    inline = "@counted\ndef load(x):\n    return x"
    text = notebook_text(
        TITLE, code("from deco import counted"), code(inline), code("load(1)"), code(inline)
    )
    result, _ = migrate_text(text, load_catalog(str(library)))
    codes = [found.code for found in result.report.kept]
    assert codes == (["NBR259", "NBR259"] if state else []), result.report.kept


def test_a_decorator_factory_s_set_up_is_not_state(tmp_path):
    """Re-check 34: `@tagged("x")`, whose inner decorator sets `fn.tag` once per
    decoration, was taken to keep state; the copies mean the same."""
    library = tmp_path / "deco.py"
    library.write_text(
        '__all__ = ["load"]\n\n\ndef tagged(label):\n    def deco(fn):\n'
        "        fn.tag = label\n        return fn\n    return deco\n\n\n"
        '@tagged("x")\ndef load(x):\n    return x\n'
    )
    inline = '@tagged("x")\ndef load(x):\n    return x'
    text = notebook_text(
        TITLE, code("from deco import tagged"), code(inline), code("load(1)"), code(inline)
    )
    result, _ = migrate_text(text, load_catalog(str(library)))
    assert result.report.kept == ()


class _CountedSteps(list):
    """A list that counts the elements its iterators hand out."""

    steps = 0

    def __iter__(self):
        for item in super().__iter__():
            self.steps += 1
            yield item


def test_each_definition_finds_another_of_its_name_in_a_step_or_two(tmp_path):
    """Asked of each of a name's definitions, the rule reads the cell of one other, not the
    list of all the others: with the growth bench's 10,000 definitions, that list made
    `--check` quadratic (20,000 definitions took 2.9 times as long as 10,000)."""
    from nbrefactor.analysis.mentions import watched
    from nbrefactor.analysis.reader import read_cell
    from nbrefactor.rules.definition_time import definition_time_problem

    inline = "def add(x, acc=[]):\n    return acc\n"
    library = tmp_path / "mutlib.py"
    library.write_text(f'__all__ = ["add"]\n\n{inline}')
    catalog = load_catalog(str(library))
    watch = watched(frozenset({"add"}), "mutlib")
    definitions = _CountedSteps(
        read_cell(number, inline, watch, whole_trees=False).facts.bindings[0]
        for number in range(1, 1001)
    )
    problem = definition_time_problem(definitions[500], catalog.function_for("add"), definitions)
    assert problem is not None and problem.code == "NBR238"
    assert definitions.steps <= 2


def test_a_mutable_default_of_a_name_defined_once_is_replaced(tmp_path):
    inline = "def add(x, acc=[]):\n    return acc"
    library = tmp_path / "mutlib.py"
    library.write_text(f'__all__ = ["add"]\n\n{inline}\n')
    catalog = load_catalog(str(library))
    result, _ = migrate_text(notebook_text(TITLE, code(inline), code("add(1)")), catalog)
    assert result.report.kept == ()


@pytest.mark.parametrize(
    "patch",
    [
        "patchlib.g = lambda x: 0",
        "setattr(patchlib, 'g', lambda x: 0)",
        # sweep 31: unittest.mock's patch by the name its string gives
        "p = mock.patch('patchlib.g', lambda x: 0)",
        "p = mock.patch(target='patchlib.g.__call__', new=print)",
        # re-check 31: under another name, pytest's, and patch.multiple
        "from unittest.mock import patch as p; q = p('patchlib.g', lambda x: 0)",
        "pytest.MonkeyPatch().setattr('patchlib.g', lambda x: 0)",
        "q = mock.patch.multiple('patchlib', g=lambda x: 0)",
        # re-check 33: other names for patch
        "from unittest.mock import MagicMock, patch as p; q = p('patchlib.g', print)",
        "P = unittest.mock.patch; q = P('patchlib.g', print)",
        "p0 = functools.partial(patch, new=print); q = p0('patchlib.g')",
        # re-check 34: annotated and tuple assignments
        "P: object = unittest.mock.patch; q = P('patchlib.g', print)",
        "P, Q = unittest.mock.patch, 1; q = P('patchlib.g', print)",
    ],
)
def test_a_notebook_that_sets_a_name_on_the_librarys_module_keeps_what_reads_it(tmp_path, patch):
    """After `patchlib.g = ...`, the module's f calls the notebook's lambda, and an import of
    g binds it (sweep I repro_3: `inline f: 101` became `1`)."""
    definitions = "def g(x):\n    return x * 100\n\n\ndef f(x):\n    return g(x) + 1"
    library = tmp_path / "patchlib.py"
    library.write_text(f'__all__ = ["f", "g"]\n\n{definitions}\n')
    catalog = load_catalog(str(library))
    text = notebook_text(
        TITLE, code(f"import patchlib\n{patch}"), code(definitions), code("print(f(1))")
    )
    result, _ = migrate_text(text, catalog)
    assert [(found.code, found.reason) for found in result.report.kept] == [
        ("NBR239", f"cell 2 sets patchlib.g (`{patch}`), which the import would bind"),
        (
            "NBR233",
            f"reads g, which `{patch}` in cell 2 sets, where patchlib.f reads patchlib.g",
        ),
    ]


@pytest.mark.parametrize(
    ("patch", "kept"),
    [
        ("patchlib.g = g", ("NBR239", "patchlib.g = g")),
        ("setattr(patchlib, 'g', g)", ("NBR239", "setattr(patchlib, 'g', g)")),
        ("setattr(patchlib, 'g',\n        g)", ("NBR239", "setattr(patchlib, 'g',")),
        # `setattr(g, 'tag', 1)`: the first argument's attributes change (`NBR260`)
        ("setattr(g, 'tag', 1)", ("NBR260", None)),
    ],
)
def test_the_copy_set_on_the_librarys_module_by_setattr_is_a_patch_not_its_attributes(
    tmp_path, patch, kept
):
    """Round 60a: `setattr(patchlib, 'g', g)` sets an attribute of the module, none of g's:
    the reason is `NBR239`, as for `patchlib.g = g`, not that cell 3 uses g's attributes."""
    definitions = "def g(x):\n    return x * 100\n\n\ndef f(x):\n    return g(x) + 1"
    library = tmp_path / "patchlib.py"
    library.write_text(f'__all__ = ["f", "g"]\n\n{definitions}\n')
    catalog = load_catalog(str(library))
    text = notebook_text(
        TITLE,
        code("import patchlib"),
        code("def g(x):\n    return x * 100"),
        code(patch),
        code("print(patchlib.f(1))"),
    )
    result, _ = migrate_text(text, catalog)
    (found,) = result.report.kept
    reason_code, quoted = kept
    assert found.code == reason_code
    if quoted is not None:
        assert found.reason == f"cell 4 sets patchlib.g (`{quoted}`), which the import would bind"


@pytest.mark.parametrize(
    ("patch", "reason"),
    [
        (  # round 52b: said "sets patchlib.f", which the line does not
            "vars(patchlib).__setitem__('K', 10)",
            (
                "reads K, which `vars(patchlib).__setitem__('K', 10)` in cell 2 sets, where"
                " patchlib.f reads patchlib.K"
            ),
        ),
        (
            "patchlib.__setattr__('K', 10)",
            (
                "reads K, which `patchlib.__setattr__('K', 10)` in cell 2 sets, where"
                " patchlib.f reads patchlib.K"
            ),
        ),
        (
            "for k in ['K']:\n    setattr(patchlib, k, 10)",
            (
                "cell 2 may set any attribute of patchlib (`setattr(patchlib, k, 10)`), patchlib.f"
                " among them, which the import would bind"
            ),
        ),
    ],
)
def test_a_line_setting_another_attribute_of_the_module_is_not_said_to_set_the_function(
    tmp_path, patch, reason
):
    """What the kept line says the notebook sets is what its line sets: K by name, or any
    attribute, not the function itself."""
    library = tmp_path / "patchlib.py"
    library.write_text("K = 1\n\n\ndef f(x):\n    return x * K\n")
    catalog = load_catalog(str(library))
    text = notebook_text(
        TITLE,
        code(f"import patchlib\n{patch}"),
        code("def f(x):\n    return x * K"),
        code("print(f(2))"),
    )
    result, _ = migrate_text(text, catalog)
    assert next(found.reason for found in result.report.kept) == reason


@pytest.mark.parametrize(
    ("patch", "kept"),
    [
        ("consts.SCALE = 10", True),
        ("setattr(consts, 'SCALE', 10)", True),
        ("consts.OTHER = 10", False),  # not what the library imports
        ("print(consts.SCALE)", False),
    ],
)
def test_a_notebook_that_sets_what_the_library_imports_on_its_source_keeps_what_reads_it(
    tmp_path, patch, kept
):
    """The library took `from consts import SCALE` when it was imported, the notebook after
    setting it (sweep 25 F1: `f(1)` printed 10 inline and 1 once replaced)."""
    inline = "def f(x):\n    return x * SCALE"
    found = _kept_reasons(
        tmp_path / "srclib.py",
        f'from consts import SCALE\n\n__all__ = ["f"]\n\n\n{inline}\n',
        code(f"import consts\n{patch}\nfrom consts import SCALE"),
        code(inline),
        code("print(f(1))"),
    )
    reason = f"reads SCALE, which `{patch}` in cell 2 sets, where srclib.f reads consts.SCALE"
    assert found == ([("NBR233", reason)] if kept else [])


_RELU = "@np.vectorize\ndef relu(x, floor=math.inf * 0):\n    return x if x > floor else floor"


@pytest.mark.parametrize(
    ("above", "below", "reason"),
    [
        (
            "import math",
            "import numpy as np",
            "its decorator reads np, bound first in cell 4, after it",
        ),
        ("import numpy as np", "x = 1", "its default reads math, which no cell binds"),
        ("import math\ntry:\n    import numpy as np\nexcept ImportError:\n    pass", "", None),
        ("import math\nfor np in [__import__('numpy')]:\n    pass", "", None),
        ("import math\nfrom numpy import *", "", None),
        ("import math\n%run setup.py", "", None),
        ("import math\nx = 1)\nimport numpy as np", "", None),  # a cell that does not parse
    ],
)
@pytest.mark.parametrize("after", ["", "\nprint('defined')"])
def test_a_def_reading_when_it_runs_a_name_bound_only_later_is_kept(
    tmp_path, above, below, reason, after
):
    """A decorator or default reading a name no cell binds before the def: the def raised
    NameError, so its name stayed unbound and the rest of its cell never ran (sweep 25 F3);
    the import would bind the name there."""
    kept = _kept_reasons(
        tmp_path / "deflib.py",
        f'import math\n\nimport numpy as np\n\n__all__ = ["relu"]\n\n\n{_RELU}\n',
        *[code(above), code(_RELU + after), code(below), code("print(relu(1))")],
    )
    if reason is None:  # bound above, or may be: another rule may still keep it (NBR222)
        assert "NBR253" not in [code for code, _ in kept]
    else:
        raised = "the def raised NameError when it ran, and the import would bind deflib.relu"
        assert kept == [("NBR253", f"{reason}: {raised} there")]


_SUM = "def total(x: np.ndarray) -> float:\n    return float(x.sum())"


@pytest.mark.parametrize(
    ("above", "reason"),
    [
        # Sweep 28: annotations run with the def, unless a future statement postponed them.
        ("import math", "its annotation reads np, bound first in cell 4, after it"),
        ("from __future__ import annotations", None),
        ("import numpy as np", None),
        # Re-check 28: IPython compiles a cell's statements one by one; a future statement
        # below the def in its cell came too late for it.
        ("", "its annotation reads np, bound first in cell 4, after it"),
    ],
)
def test_a_def_whose_annotation_reads_a_name_bound_only_later_is_kept(tmp_path, above, reason):
    below = "\nfrom __future__ import annotations" if not above else ""
    kept = _kept_reasons(
        tmp_path / "sumlib.py",
        f'import numpy as np\n\n__all__ = ["total"]\n\n\n{_SUM}\n',
        *[code(above), code(_SUM + below), code("import numpy as np"), code("total(np.ones(3))")],
    )
    if reason is None:
        assert kept == []
    else:
        raised = "the def raised NameError when it ran, and the import would bind sumlib.total"
        assert kept == [("NBR253", f"{reason}: {raised} there")]


@pytest.mark.parametrize(
    ("default", "kept"),
    [
        ("[v for v in (np.pi,)]", True),  # sweep 28
        ("[a for a in (1, 2) if np.pi]", True),  # re-check 28: a list comprehension runs whole
        ("{a: np.pi for a in (1, 2)}", True),
        ("(a for a in (np.pi,))", True),  # a generator expression: its first iterable
        ("(a for a in (1, 2) if np.pi)", False),  # ... and not the rest, read when iterated
        ("[np for np in (1, 2)]", False),  # its own name
    ],
)
def test_a_default_comprehension_reads_what_it_runs_when_the_def_runs(tmp_path, default, kept):
    inline = f"def f(x, d={default}):\n    return x"
    found = _kept_reasons(
        tmp_path / "complib.py",
        f'import numpy as np\n\n__all__ = ["f"]\n\n\n{inline}\n',
        *[code("import math"), code(inline), code("import numpy as np"), code("f(1)")],
    )
    assert [reason for reason, _ in found] == (["NBR253"] if kept else [])


@pytest.mark.parametrize(
    "definition",
    ["def apply(x, fn=double):\n    return fn(x)", "@double\ndef apply(x):\n    return x"],
)
def test_a_def_reading_a_library_name_defined_only_later_is_kept_and_stays_kept(
    tmp_path, definition
):
    """Sweep 28: `fn=double` above the cell defining `double` raised NameError; both were
    replaced, and the import binding them made the cell run. `apply` is kept, and the
    import of `double` goes where its definition was, not above `apply`'s use of it: a
    second run changes nothing."""
    double = "def double(x):\n    return 2 * x"
    library = tmp_path / "twolib.py"
    library.write_text(f'__all__ = ["apply", "double"]\n\n\n{double}\n\n\n{definition}\n')
    catalog = load_catalog(str(library))
    text = notebook_text(
        TITLE, code("import math"), code(definition), code(double), code("print(apply(3))")
    )
    result, sources = migrate_text(text, catalog)
    assert [(found.name, found.code) for found in result.report.kept] == [("apply", "NBR253")]
    assert [found.name for found in result.report.replaced] == ["double"]
    assert sources[2] == "import math"
    assert sources[4] == "from twolib import double"
    again, _ = migrate_text(rendered(parse_notebook(text), result.new_sources).decode(), catalog)
    assert not again.changed


def test_a_def_reading_a_library_name_the_library_s_star_import_binds_is_not_unbound(tmp_path):
    double = "def double(x):\n    return 2 * x"
    definition = "def apply(x, fn=double):\n    return fn(x)"
    kept = _kept_reasons(
        tmp_path / "starlib.py",
        f'__all__ = ["apply", "double"]\n\n\n{double}\n\n\n{definition}\n',
        *[code("from starlib import *"), code(definition), code("print(apply(3))")],
    )
    assert "NBR253" not in [found for found, _ in kept]


@pytest.mark.parametrize(
    ("read", "shown"),
    [
        ("model.__code__.co_argcount - 1", "model.__code__"),  # a curve-fitting idiom
        ("model.__code__.co_varnames", "model.__code__"),
        ("list(model.__defaults__)", "model.__defaults__"),
    ],
)
def test_a_function_whose_parameters_the_notebook_reads_by_attribute_is_kept(tmp_path, read, shown):
    """Sweep 28: `model.__code__.co_argcount - 1` fitted 2 parameters inline and 3 once
    replaced by a library function with one more optional parameter (`NBR250`)."""
    inline = "def model(x, a=1.0, b=2.0):\n    return a * x + b"
    library = "def model(x, a=1.0, b=2.0, c=0.0):\n    return a * x + b + c"
    kept = _kept_reasons(
        tmp_path / "fitlib.py",
        f'__all__ = ["model"]\n\n\n{library}\n',
        *[code(inline), code(f"print({read})")],
    )
    assert kept == [
        (
            "NBR250",
            (
                f"cell 3 reads {shown}, which gives its parameters: (x, a=1.0, b=2.0) inline,"
                " (x, a=1.0, b=2.0, c=0.0) in fitlib.model"
            ),
        )
    ]


@pytest.mark.parametrize(
    ("use", "how"),
    [
        # Re-check 28: the default values themselves
        ("print(model.__defaults__)", "cell 3 reads model.__defaults__"),
        # ... and the function reached as a value by what reads the attribute
        (
            "def nparams(fn):\n    return fn.__code__.co_argcount - 1\n\nprint(nparams(model))",
            "cell 3 uses model as a value, and the notebook reads a function's __defaults__",
        ),
    ],
)
def test_the_default_values_a_notebook_reads_are_the_library_s_too(tmp_path, use, how):
    inline = "def model(x, a=1.0):\n    return a * x"
    library = "def model(x, a=2.0):\n    return a * x"
    use = use.replace("__code__.co_argcount - 1", "__defaults__")
    kept = _kept_reasons(
        tmp_path / "deflib.py", f'__all__ = ["model"]\n\n\n{library}\n', code(inline), code(use)
    )
    assert kept == [
        (
            "NBR250",
            f"{how}, which gives its parameters: (x, a=1.0) inline, (x, a=2.0) in deflib.model",
        )
    ]


@pytest.mark.parametrize(
    ("body", "through"),
    [("sorted(__annotations__)", "__annotations__"), ("__builtins__.len(xs)", "__builtins__")],
)
def test_a_body_reading_its_module_s_own_attributes_is_kept_with_the_true_reason(
    tmp_path, body, through
):
    """Sweep 28: `__annotations__` was not among the module's own attributes (the copy was
    replaced; NameError once moved), and `__builtins__` was said to be bound by a line
    binding nothing."""
    inline = f"def declared(xs=()):\n    return {body}"
    kept = _kept_reasons(
        tmp_path / "modlib.py",
        f'__all__ = ["declared"]\n\n\n{inline}\n',
        *[code("rate: float = 0.1"), code(inline), code("print(declared([1]))")],
    )
    assert kept == [
        (
            "NBR234",
            (
                f"reads its module's own {through}: the notebook's inline, modlib.declared's"
                " module's once moved"
            ),
        )
    ]


@pytest.mark.parametrize(
    "default", ["lambda math: math", "[math for math in range(3)]", "__name__"]
)
def test_names_a_default_binds_itself_or_the_kernel_binds_are_not_unbound(tmp_path, default):
    inline = f"def pick(x, key={default}):\n    return x"
    library_text = f'__all__ = ["pick"]\n\n\n{inline}\n'
    kept = _kept_reasons(tmp_path / "picklib.py", library_text, code(inline), code("pick(1)"))
    assert "NBR253" not in [code for code, _ in kept]


@pytest.mark.parametrize(
    ("use", "kept"),
    [
        ("add.calls = 0", True),  # an attribute of the first function object
        ("add.__defaults__ = (1,)", True),
        ("print(add.calls)", True),
        ("print(add(1))", False),  # calls only: one function or two compute the same
        ("system = make_system(add)", False),  # passed on: the second def does not change it
    ],
)
def test_a_name_defined_twice_and_used_as_an_object_keeps_its_definitions(tmp_path, use, kept):
    """Each def makes another function object; one import makes one (sweep I repro_1: a
    memo on the first function object grew from 6 entries to 21)."""
    inline = "def add(x, y=2):\n    return x + y"
    library = tmp_path / "addlib.py"
    library.write_text(f'__all__ = ["add"]\n\n{inline}\n')
    catalog = load_catalog(str(library))
    text = notebook_text(TITLE, code(inline), code(use), code(inline), code("add(3)"))
    result, _ = migrate_text(text, catalog)
    reasons = [(found.code, found.reason) for found in result.report.kept]
    if not kept:
        assert reasons == []
        return
    assert reasons == [
        (
            "NBR240",
            (
                f"defined again in cell {other}, and cell 3 uses an attribute of it: each def "
                "makes another function, where one import would share addlib.add"
            ),
        )
        for other in (4, 2)
    ]


def test_a_name_defined_once_and_used_as_an_object_is_replaced(tmp_path):
    inline = "def add(x, y=2):\n    return x + y"
    library = tmp_path / "addlib.py"
    library.write_text(f'__all__ = ["add"]\n\n{inline}\n')
    catalog = load_catalog(str(library))
    text = notebook_text(TITLE, code(inline), code("add.calls = 0\nprint(add(1))"))
    result, _ = migrate_text(text, catalog)
    assert result.report.kept == ()


@pytest.mark.parametrize(
    ("binder", "line"),
    [
        ('get_ipython().user_ns["EPS"] = 1e-6', 'get_ipython().user_ns["EPS"] = 1e-6'),
        ("get_ipython().user_ns.update(EPS=1e-6)", "get_ipython().user_ns.update(EPS=1e-6)"),
        ("ip = get_ipython()\nip.user_ns.update(EPS=1e-6)", "ip.user_ns.update(EPS=1e-6)"),
        ('ns = globals()\nns["EPS"] = 1e-6', "ns = globals()"),
        ("def setup(ns):\n    ns['EPS'] = 1e-6\nsetup(globals())", "setup(globals())"),
        ("import __main__ as m\nm.EPS = 1e-6", "import __main__ as m"),
        ('import __main__\nvars(__main__)["EPS"] = 1e-6', "import __main__"),
        (
            "import sys\nsys.modules['__main__'].__dict__['EPS'] = 1e-6",
            "sys.modules['__main__'].__dict__['EPS'] = 1e-6",
        ),
        ("import builtins\nbuiltins.EPS = 1e-6", "import builtins"),
        ("__builtins__.EPS = 1e-6", "__builtins__.EPS = 1e-6"),
        # round 76b F16: other spellings through __builtins__
        ("setattr(__builtins__, 'EPS', 1e-6)", "setattr(__builtins__, 'EPS', 1e-6)"),
        ("b = __builtins__\nb.EPS = 1e-6", "b = __builtins__"),
        ("vars(__builtins__)['EPS'] = 1e-6", "vars(__builtins__)['EPS'] = 1e-6"),
        (  # round 77a F5: a function whose name ends in `type`
            "def settype(b):\n    b.EPS = 1e-6\nsettype(__builtins__)",
            "settype(__builtins__)",
        ),
        # round 73b F6: read whole, or another word, it binds nothing
        ("print(type(__builtins__).__name__)", None),
        ("mybuiltins = 1", None),
        # Sweep 27: IPython's other names for the namespace, and the frame's.
        (
            'get_ipython().user_global_ns["EPS"] = 1e-6',
            'get_ipython().user_global_ns["EPS"] = 1e-6',
        ),
        ("get_ipython().ex('EPS = 1e-6')", "get_ipython().ex('EPS = 1e-6')"),
        (
            "get_ipython().run_code(compile('EPS = 1e-6', 'x', 'exec'))",
            "get_ipython().run_code(compile('EPS = 1e-6', 'x', 'exec'))",
        ),
        (
            "import sys\nsys._getframe().f_globals['EPS'] = 1e-6",
            "sys._getframe().f_globals['EPS'] = 1e-6",
        ),
        (
            "import inspect\ninspect.currentframe().f_locals.update(EPS=1e-6)",
            "inspect.currentframe().f_locals.update(EPS=1e-6)",
        ),
        # Look-ups bind nothing: f then reads a name bound nowhere, which the library binds.
        ('print("EPS" in globals(), globals().get("EPS"))', None),
        ('if __name__ == "__main__":\n    print("main")', None),
    ],
)
def test_a_variable_bound_through_a_namespace_the_text_does_not_spell_keeps_it(
    tmp_path, binder, line
):
    """Sweep M repro_2: `get_ipython().user_ns["EPS"] = 1e-6` gave the inline `f` the
    notebook's EPS (1.000001); LIB.f reads LIB.EPS (1.001)."""
    library = tmp_path / "epslib.py"
    library.write_text("EPS = 1e-3\n\n\ndef f(x):\n    return x + EPS\n", encoding="utf-8")
    catalog = load_catalog(str(library))
    inline = "def f(x):\n    return x + EPS"
    text = notebook_text(TITLE, code("import math"), code(binder), code(inline), code("f(1)"))
    result, _ = migrate_text(text, catalog)
    reasons = [(found.code, found.reason) for found in result.report.kept]
    expected = f"reads EPS, which `{line}` in cell 3 may bind, where epslib.f reads epslib.EPS"
    assert reasons == ([("NBR233", expected)] if line else [])


@pytest.mark.parametrize(
    "imports",
    [
        "from posixpath import (  # noqa: F401\n    basename,\n)",
        "from posixpath import (\n    basename,  # c\n)",
    ],
)
def test_a_parenthesised_import_with_a_comment_after_its_parenthesis_binds(tmp_path, imports):
    """Extract sweep 27: `from posixpath import (  # c` was read as binding nothing, and the
    copy replaced as reading a name `the notebook binds nowhere`: the library's
    `ntpath.basename` then split `a\\b` otherwise."""
    library = tmp_path / "pathlib2.py"
    body = "def base(p):\n    return basename(p)\n"
    library.write_text(f"from ntpath import basename\n\n\n{body}", encoding="utf-8")
    catalog = load_catalog(str(library))
    text = notebook_text(TITLE, code(imports), code(body), code("base('a\\\\b')"))
    result, _ = migrate_text(text, catalog)
    expected = (
        "reads basename, which cell 2 imports as posixpath.basename and the module of"
        " pathlib2.base as ntpath.basename"
    )
    assert [(found.code, found.reason) for found in result.report.kept] == [("NBR227", expected)]


@pytest.mark.parametrize(
    "call",
    ['ip.push({"EPS": 1e-6})', "ip.run_cell('EPS = 1e-6')", "ip.run_line_magic('time', 'EPS = 1')"],
)
def test_ipythons_api_through_a_name_bound_in_another_cell_may_bind_any_name(tmp_path, call):
    """Sweep 27: `ip = get_ipython()` in the import cell, `ip.push(...)` in a later one: the
    copy was replaced as reading a name `the notebook binds nowhere`, and the library's
    EPS read instead of the notebook's."""
    library = tmp_path / "epslib.py"
    library.write_text("EPS = 1e-3\n\n\ndef f(x):\n    return x + EPS\n", encoding="utf-8")
    catalog = load_catalog(str(library))
    inline = "def f(x):\n    return x + EPS"
    cells = (code("import math\nip = get_ipython()"), code(call), code(inline), code("f(1)"))
    result, _ = migrate_text(notebook_text(TITLE, *cells), catalog)
    expected = f"reads EPS, which `{call}` in cell 3 may bind, where epslib.f reads epslib.EPS"
    assert [(found.code, found.reason) for found in result.report.kept] == [("NBR233", expected)]


@pytest.mark.parametrize(
    ("notebook_cell", "expected"),
    [
        (
            "import numpy as np",
            "reads np, which an import of numpy in cell 2 binds, and forgot.f cannot see it",
        ),
        (
            "def np():\n    return 1",
            "reads np, which `def np():` in cell 2 binds, and forgot.f cannot see it",
        ),
    ],
)
def test_a_name_the_librarys_module_binds_nowhere_keeps_the_definition(
    tmp_path, notebook_cell, expected
):
    """Sweep R repro_10: forgot.py lacks `import numpy as np`; its f raises NameError where
    the notebook's identical copy reads the notebook's np."""
    library = tmp_path / "forgot.py"
    body = "def f(x):\n    return np.sqrt(x) + 1\n"
    library.write_text(body, encoding="utf-8")
    catalog = load_catalog(str(library))
    text = notebook_text(TITLE, code(notebook_cell), code(body), code("f(4)"))
    result, _ = migrate_text(text, catalog)
    assert [(found.code, found.reason) for found in result.report.kept] == [("NBR233", expected)]


SETTER_LIBRARY = """
def _unit(x):
    return x

def set_mode(m):
    global _unit
    if m == "double":
        _unit = lambda x: 2 * x

def f(x):
    return _unit(x) + 1
"""


@pytest.mark.parametrize(("imported", "kept"), [("set_mode", True), ("_unit", False)])
def test_an_imported_library_function_setting_a_global_the_function_reads_keeps_it(
    tmp_path, imported, kept
):
    """Sweep R repro_7: `set_mode("double")` rebinds modelib._unit, which modelib.f reads;
    the notebook's identical copies read the notebook's `_unit` (2, then 3 once replaced)."""
    library = tmp_path / "modelib.py"
    library.write_text(SETTER_LIBRARY, encoding="utf-8")
    catalog = load_catalog(str(library))
    copies = "def _unit(x):\n    return x\n\ndef f(x):\n    return _unit(x) + 1"
    text = notebook_text(TITLE, code(f"from modelib import {imported}"), code(copies), code("f(1)"))
    result, _ = migrate_text(text, catalog)
    reasons = [(found.code, found.reason) for found in result.report.kept]
    expected = (
        "reads _unit, which an import of modelib.set_mode (its body sets modelib._unit through "
        "`global`) in cell 2 may bind, where modelib.f reads modelib._unit"
    )
    assert reasons == ([("NBR233", expected)] if kept else [])


CHAPTER_LIBRARY = """import os
IMAGES_PATH = "images"

def configure(path):
    global IMAGES_PATH
    IMAGES_PATH = path

def set_chapter(chapter):
    configure(os.path.join("images", chapter))

def save_fig(fig_id):
    return os.path.join(IMAGES_PATH, fig_id + ".png")
"""
SAVE_FIG = 'def save_fig(fig_id):\n    return os.path.join(IMAGES_PATH, fig_id + ".png")'


@pytest.mark.parametrize(
    ("imports", "call", "setter"),
    [
        # Re-check 44: a function calling the setter sets it too
        (
            "from chapterlib import IMAGES_PATH, set_chapter",
            "set_chapter('ch3')",
            (
                "an import of chapterlib.set_chapter (its body calls configure, which sets "
                "chapterlib.IMAGES_PATH through `global`) in cell 2"
            ),
        ),
        # ... and so does a call through the module, by any name the notebook gives it
        (
            "import chapterlib\nfrom chapterlib import IMAGES_PATH",
            "chapterlib.configure('out')",
            (
                "`chapterlib.configure('out')` (its body sets chapterlib.IMAGES_PATH through "
                "`global`) in cell 4"
            ),
        ),
        (
            "import chapterlib as ch\nfrom chapterlib import IMAGES_PATH",
            "ch.set_chapter('ch3')",
            (
                "`ch.set_chapter('ch3')` (its body calls configure, which sets "
                "chapterlib.IMAGES_PATH through `global`) in cell 4"
            ),
        ),
        # ... an import of it under another name (re-check 45)
        (
            "from chapterlib import IMAGES_PATH\nfrom chapterlib import configure as cfg",
            "cfg('out')",
            (
                "an import of chapterlib.configure as cfg (its body sets chapterlib.IMAGES_PATH "
                "through `global`) in cell 2"
            ),
        ),
        # ... and a call by its name, bound by a star import of the module
        (
            "from chapterlib import *",
            "configure('out')",
            "`configure('out')` (its body sets chapterlib.IMAGES_PATH through `global`) in cell 4",
        ),
        (  # ... on one line with another import
            "import sys; from chapterlib import *",
            "configure('out')",
            "`configure('out')` (its body sets chapterlib.IMAGES_PATH through `global`) in cell 4",
        ),
    ],
)
def test_a_library_global_a_notebook_call_rebinds_keeps_a_copy_reading_it(
    tmp_path, imports, call, setter
):
    """The copy reads the notebook's IMAGES_PATH, taken from the module when imported; the
    library's function reads the module's, which the call rebinds (`images/ch3/a.png`
    where the notebook printed `images/a.png`)."""
    (tmp_path / "chapterlib.py").write_text(CHAPTER_LIBRARY, encoding="utf-8")
    catalog = load_catalog(str(tmp_path / "chapterlib.py"))
    cells = [f"import os\n{imports}", SAVE_FIG, f"{call}\nprint(save_fig('a'))"]
    result, _ = migrate_text(notebook_text(TITLE, *map(code, cells)), catalog)
    expected = (
        f"reads IMAGES_PATH, which {setter} may bind, where chapterlib.save_fig reads "
        "chapterlib.IMAGES_PATH"
    )
    assert [(found.code, found.reason) for found in result.report.kept] == [("NBR233", expected)]


@pytest.mark.parametrize(
    "imports",
    [
        "import os\nfrom chapterlib import *",
        "import os; from chapterlib import *",  # read whole, not split on spaces
        "from chapterlib import *; import os",
    ],
)
def test_a_library_global_a_star_import_of_the_module_binds_is_bound(tmp_path, imports):
    """Re-check 44: `from chapterlib import *` binds IMAGES_PATH to the module's own value;
    the report said the notebook bound it nowhere (`NBR115`, "calling the copy raised
    NameError"), where the copy printed `images/a.png`."""
    (tmp_path / "chapterlib.py").write_text(CHAPTER_LIBRARY, encoding="utf-8")
    catalog = load_catalog(str(tmp_path / "chapterlib.py"))
    cells = [imports, SAVE_FIG, "print(save_fig('a'))"]
    result, _ = migrate_text(notebook_text(TITLE, *map(code, cells)), catalog)
    assert result.report.kept == ()
    [found] = result.report.replaced
    assert "NBR115" not in found.detail_codes


def test_a_call_through_the_module_of_a_function_setting_nothing_keeps_nothing(tmp_path):
    """`chapterlib.save_fig("b")` sets no global: the copy of save_fig reads the
    IMAGES_PATH imported from the module, which nothing rebinds."""
    (tmp_path / "chapterlib.py").write_text(CHAPTER_LIBRARY, encoding="utf-8")
    catalog = load_catalog(str(tmp_path / "chapterlib.py"))
    cells = [
        "import os\nimport chapterlib\nfrom chapterlib import IMAGES_PATH",
        SAVE_FIG,
        "chapterlib.save_fig('b')\nprint(save_fig('a'))",
    ]
    result, _ = migrate_text(notebook_text(TITLE, *map(code, cells)), catalog)
    assert result.report.kept == ()
    assert [found.name for found in result.report.replaced] == ["save_fig"]


@pytest.mark.parametrize(
    ("cells", "kept"),
    [
        (["import random\nfrom numpy import *"], "`from numpy import *` in cell 2"),
        # Sweep Y repro_16: both on one line
        (["import random; from numpy import *"], "`import random; from numpy import *` in cell 2"),
        (["import random", "%pylab inline"], "`%pylab inline` in cell 3"),
        (["from numpy import *\nimport random"], None),  # the import comes last: stdlib's
        (["import random\nfrom picklib import *"], None),  # the library's own names
        (["import random"], None),
    ],
)
def test_a_star_import_after_the_same_import_may_rebind_it(tmp_path, cells, kept):
    """Sweep U repro_1: `from numpy import *` after `import random` binds numpy's `random`,
    which the inline `pick` read; picklib's `pick` reads the standard library's."""
    body = "def pick():\n    random.seed(0)\n    return random.randint(1, 3)"
    library = tmp_path / "picklib.py"
    library.write_text(f"import random\n\n\n{body}\n", encoding="utf-8")
    catalog = load_catalog(str(library))
    text = notebook_text(TITLE, *(code(cell) for cell in cells), code(body), code("pick()"))
    result, _ = migrate_text(text, catalog)
    if kept is None:
        assert [found.name for found in result.report.replaced] == ["pick"]
        return
    cell = len(cells) + 2
    assert [(found.code, found.message) for found in result.report.kept] == [
        (
            "NBR233",
            (
                f"kept pick (cell {cell}): reads random, which {kept} may bind, where "
                "picklib.pick reads random"
            ),
        )
    ]


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("from cmath import *", True),  # cmath's sqrt: (2+0j) became 2.0
        ("from numpy import *", True),  # numpy.float64 became float
        ("%pylab inline", True),  # numpy's, star-imported
        ("%run setup.py", True),  # the script's, whatever it binds
        ("import cmath\nglobals()['sqrt'] = cmath.sqrt", True),
        ("exec('from cmath import sqrt')", True),
        ("from math import *", False),  # what the module imports: the same function
        ("%pylab inline --no-import-all", False),  # no star import: the copy raised NameError
        ("x = 1", False),  # bound nowhere: the copy raised NameError (NBR115)
    ],
)
def test_a_name_the_module_imports_bound_only_by_a_line_that_may_bind_any(tmp_path, line, kept):
    """Round 54b: a copy reading `sqrt`, which only `from cmath import *` bound in the
    notebook, was replaced with no word, where the module's `from math import sqrt` did."""
    (tmp_path / "setup.py").write_text("from cmath import sqrt\n", encoding="utf-8")
    body = "def root(x):\n    return sqrt(x)"
    library = tmp_path / "rootlib.py"
    library.write_text(f"from math import sqrt\n\n\n{body}\n", encoding="utf-8")
    catalog = load_catalog(str(library))
    text = notebook_text(TITLE, code(line), code(body), code("print(root(4))"))
    result, _ = migrate_text(text, catalog)
    if not kept:
        assert [found.name for found in result.report.replaced] == ["root"]
        return
    shown = line.splitlines()[-1]
    assert [(found.code, found.message) for found in result.report.kept] == [
        (
            "NBR233",
            (
                f"kept root (cell 3): reads sqrt, which `{shown}` in cell 2 may bind, where "
                "rootlib.root reads math.sqrt"
            ),
        )
    ]


@pytest.mark.parametrize(
    ("cells", "kept"),
    [
        # Round 55b: the second star import binds cmath's sqrt (2j became a ValueError)
        (["from math import *\nfrom cmath import *"], "`from cmath import *` in cell 2"),
        (["from math import *", "%run setup.py"], "`%run setup.py` in cell 3"),
        (["from math import *", "from math import *"], None),
        # ... and a line naming it rebinds the same import: 4 became a ValueError
        (["from math import sqrt\nglobals()['sqrt'] = abs"], "`globals()['sqrt'] = abs` in cell 2"),
        (["from math import *\nglobals()['sqrt'] = abs"], "`globals()['sqrt'] = abs` in cell 2"),
        (["from math import sqrt\nglobals()['other'] = abs"], None),
    ],
)
def test_every_line_that_may_bind_the_imported_name_is_asked(tmp_path, cells, kept):
    (tmp_path / "setup.py").write_text("from cmath import sqrt\n", encoding="utf-8")
    body = "def root(x):\n    return sqrt(x)"
    reasons = _kept_reasons(
        tmp_path / "rootlib.py",
        f"from math import sqrt\n\n\n{body}\n",
        *(code(cell) for cell in cells),
        code(body),
        code("print(root(-4))"),
    )
    expected = f"reads sqrt, which {kept} may bind, where rootlib.root reads math.sqrt"
    assert reasons == ([("NBR233", expected)] if kept else [])


@pytest.mark.parametrize(
    "rebinding",
    [
        "globals()['K'] = 100",
        "globals().update(K=100)",
        "import __main__\n__main__.K = 100",
        "get_ipython().push({'K': 100})",
        "del globals()['K']",  # round 56a: NameError became 20
    ],
)
def test_a_name_imported_from_the_library_then_rebound_by_a_line_naming_it(tmp_path, rebinding):
    """Round 55b: `from mylib import K`, then `globals()['K'] = 100`: the copy read 100,
    the library's function reads its module's 1 (101 became 2)."""
    body = "def f(x):\n    return x + K"
    reasons = _kept_reasons(
        tmp_path / "klib.py",
        f"K = 1\n\n\n{body}\n",
        code("from klib import K"),
        code(body),
        code(f"{rebinding}\nprint(f(1))"),
    )
    line = rebinding.splitlines()[-1]
    expected = f"reads K, which `{line}` in cell 4 may bind, where klib.f reads klib.K"
    assert reasons == [("NBR233", expected)]


def test_a_function_the_notebook_defines_and_rebinds_by_name_keeps_its_reader_on_a_second_run(
    tmp_path,
):
    """Round 55b: `def g` and `def f` (calling g) in one cell, then `globals()['g'] = abs`:
    the first run kept f and replaced g; migrating the result again replaced f (the check
    before writing refused: "migrating the result again would change it")."""
    library = "def g(x):\n    return x + 1\n\n\ndef f(x):\n    return g(x) * 2\n"
    (tmp_path / "glib.py").write_text(library, encoding="utf-8")
    catalog = load_catalog(str(tmp_path / "glib.py"))
    cells = ["import os", library, "globals()['g'] = abs", "print(f(-1))"]
    result, _ = migrate_text(notebook_text(TITLE, *(code(cell) for cell in cells)), catalog)
    assert [found.name for found in result.report.replaced] == ["g"]
    assert [found.code for found in result.report.kept] == ["NBR233"]


@pytest.mark.parametrize(
    "imports", ["import math\nfrom numpy import mean", "import math; from numpy import mean"]
)
def test_an_import_after_a_semicolon_binds_as_one_on_its_own_line(tmp_path, imports):
    """Sweep Y repro_16: `from numpy import mean` after `;` bound numpy's mean, which the
    inline `summary` read; the library's reads statistics.mean."""
    body = "def summary(xs):\n    return mean(xs)"
    library = tmp_path / "meanlib.py"
    library.write_text(f"from statistics import mean\n\n\n{body}\n", encoding="utf-8")
    catalog = load_catalog(str(library))
    text = notebook_text(TITLE, code(imports), code(body), code("summary([1, 2])"))
    result, _ = migrate_text(text, catalog)
    assert [found.code for found in result.report.kept] == ["NBR227"]


@pytest.mark.parametrize(
    ("folder", "relative", "absolute"),
    [
        ("pkg", "from .constants import SCALE", "from pkg.constants import SCALE"),
        # Sweep Y repro_14: two levels up, the package of the package
        ("pkg/sub", "from ..constants import SCALE", "from pkg.constants import SCALE"),
        ("pkg/sub", "from .. import constants as c", "from pkg import constants as c"),
    ],
)
def test_a_relative_import_of_a_module_in_a_package_is_resolved(
    tmp_path, folder, relative, absolute
):
    """Sweep W repro_2: pkg/utils.py's `from .constants import SCALE` is the notebook's
    `from pkg.constants import SCALE`; it was read as binding nothing ("cannot see it")."""
    package = tmp_path / folder
    package.mkdir(parents=True)
    for init in {tmp_path / "pkg", package}:
        (init / "__init__.py").write_text("")
    (tmp_path / "pkg" / "constants.py").write_text("SCALE = 10\n")
    scale = "c.SCALE" if " as c" in relative else "SCALE"
    body = f"def scaled(x):\n    return x * {scale}"
    (package / "utils.py").write_text(f"{relative}\n\n\n{body}\n")
    catalog = load_catalog(str(package / "utils.py"))
    text = notebook_text(TITLE, code(absolute), code(body), code("scaled(3)"))
    result, _ = migrate_text(text, catalog)
    assert [found.name for found in result.report.replaced] == ["scaled"]


def test_a_name_the_library_may_take_from_a_star_import_is_not_the_notebooks(tmp_path):
    """Sweep W repro_5: the library's `from numpy import *` binds numpy's floor, the
    notebook's `from math import floor` math's: 2 became 2.0."""
    body = "def bucket(x):\n    return floor(x / 10)"
    library = tmp_path / "LIB.py"
    library.write_text(f"from numpy import *\n\n\n{body}\n", encoding="utf-8")
    catalog = load_catalog(str(library))
    text = notebook_text(TITLE, code("from math import floor"), code(body), code("bucket(25)"))
    result, _ = migrate_text(text, catalog)
    assert [(found.code, found.message) for found in result.report.kept] == [
        (
            "NBR233",
            (
                "kept bucket (cell 3): reads floor, which an import of math.floor in cell 2 binds, "
                "where LIB.bucket reads what `from numpy import *` binds"
            ),
        )
    ]


@pytest.mark.parametrize(
    ("notebook_import", "kept"),
    [("from pk.helpers import _fmt", True), ("from pk.sub.helpers import _fmt", False)],
)
def test_a_nested_submodules_relative_import_starts_from_its_own_package(
    tmp_path, notebook_import, kept
):
    """Sweep 29: `pk/sub/plots.py`'s `from .helpers import _fmt` was read as pk.helpers'
    (the top package's), so a copy reading the notebook's `from pk.helpers import _fmt`
    was replaced, and `TOP3` became `SUB3`."""
    package = tmp_path / "pk"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("from .sub.plots import label\n")
    (package / "helpers.py").write_text('def _fmt(x):\n    return "TOP" + str(x)\n')
    (package / "sub" / "__init__.py").write_text("")
    (package / "sub" / "helpers.py").write_text('def _fmt(x):\n    return "SUB" + str(x)\n')
    body = "def label(x):\n    return _fmt(x)"
    (package / "sub" / "plots.py").write_text(f"from .helpers import _fmt\n\n\n{body}\n")
    catalog = load_catalog(str(package / "__init__.py"))
    text = notebook_text(TITLE, code(notebook_import), code(body), code("print(label(3))"))
    result, _ = migrate_text(text, catalog)
    if kept:
        assert _kept(result) == [
            (
                "kept label (cell 3): reads _fmt, which cell 2 imports as pk.helpers._fmt and the"
                " module of pk.label as pk.sub.helpers._fmt"
            )
        ]
    else:
        assert [found.name for found in result.report.replaced] == ["label"]


def test_an_import_only_type_checkers_run_binds_nothing_in_the_library(tmp_path):
    """Sweep 29: `if TYPE_CHECKING: import numpy as np` counted as the library's import, a
    copy reading the notebook's np was replaced, and the library's function raised
    NameError. Its `else:` runs."""
    body = "def as_array(x):\n    return np.asarray(x)"
    library = (
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    import numpy as np\n"
        f"else:\n    import json\n\n__all__ = ['as_array', 'dumps']\n\n\n{body}\n\n\n"
        "def dumps(x):\n    return json.dumps(x)\n"
    )
    dumps = "def dumps(x):\n    return json.dumps(x)"
    library_file = tmp_path / "tclib.py"
    library_file.write_text(library)
    text = notebook_text(
        TITLE,
        code("import json\nimport numpy as np"),
        code(body),
        code(dumps),
        code("print(as_array([1]), dumps(1))"),
    )
    result, _ = migrate_text(text, load_catalog(str(library_file)))
    assert [(found.code, found.reason) for found in result.report.kept] == [
        (
            "NBR233",
            (
                "reads np, which an import of numpy in cell 2 binds, where tclib.as_array reads"
                " tclib.np"
            ),
        )
    ]
    assert [found.name for found in result.report.replaced] == ["dumps"]  # `else:` runs


def test_a_name_only_the_librarys_unevaluated_annotations_read_is_not_read(tmp_path):
    """Re-check 29: with `from __future__ import annotations` and `np` imported only under
    TYPE_CHECKING, an exact copy reading np only in its annotations was kept ("reads np,
    ... where mylib.total reads mylib.np"); the library's function reads nothing of np."""
    body = "def total(x: np.ndarray) -> float:\n    return float(x.sum())"
    library = (
        "from __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\n"
        f"if TYPE_CHECKING:\n    import numpy as np\n\n\n{body}\n"
    )
    library_file = tmp_path / "mylib.py"
    library_file.write_text(library)
    text = notebook_text(
        TITLE, code("import numpy as np"), code(body), code("print(total(np.arange(4)))")
    )
    result, _ = migrate_text(text, load_catalog(str(library_file)))
    assert [found.name for found in result.report.replaced] == ["total"]


def test_a_function_the_package_re_exports_reads_its_own_modules_globals(tmp_path):
    """Sweep Y repro_7: with `--module pkg`, whose `__init__` re-exports `scaled` from
    `.utils`, the notebook's `pkg.utils.SCALE = 10` is what `scaled` reads: [1, 2] became
    [10, 20]."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("from .utils import scaled\n")
    body = "def scaled(x):\n    return x * SCALE"
    (package / "utils.py").write_text(f"SCALE = 1\n\n\n{body}\n")
    catalog = load_catalog(str(package / "__init__.py"))
    text = notebook_text(
        TITLE,
        code("import pkg.utils\nfrom pkg.utils import SCALE\npkg.utils.SCALE = 10"),
        code(body),
        code("scaled(3)"),
    )
    result, _ = migrate_text(text, catalog)
    assert [found.code for found in result.report.kept] == ["NBR233"]


@pytest.mark.parametrize(
    ("imports", "patch", "kept"),
    [
        ("import pkg.utils", "pkg.utils.SCALE = 5", True),  # sweep W repro_8: 30 became 15
        ("import pkg.utils as u", "u.SCALE = 5", True),
        ("import pkg", "pkg.SCALE = 5", False),  # the package, not the module
        ("import pkg", "pkg.utils.SCALE = 5", True),  # sweep Y repro_7: reached through pkg
        # Sweep Y repro_8: other spellings, and what may set any attribute
        ("import sys", 'sys.modules["pkg.utils"].SCALE = 5', "NBR233"),
        ("import pkg.utils", 'vars(pkg.utils)["SCALE"] = 5', "NBR233"),
        ("import pkg.utils", "vars(pkg.utils).update(SCALE=5)", "NBR239"),
        ("import pkg.utils", "vars(pkg.utils).__ior__({'SCALE': 5})", "NBR239"),  # rerun 59
        ("import pkg.utils", "vars(pkg.utils).__delitem__('SCALE')", "NBR233"),
        ("import pkg.utils as u", "u.__dict__.update(cfg)", "NBR239"),
        ("import pkg.utils as u", "for k, v in cfg.items():\n    setattr(u, k, v)", "NBR239"),
        # Sweep Y repro_8's last spelling: another name for the module, by assignment
        ("import pkg.utils", "h = pkg.utils\nh.SCALE = 5", True),
        ("import pkg", "p = pkg\np.utils.SCALE = 5", True),
        ("import pkg.utils as u", "h = u\nk = h\nk.SCALE = 5", True),
        ("import sys", 'h = sys.modules["pkg.utils"]\nh.SCALE = 5', True),
        # Round 54a: 20 became 6
        ("import sys", "setattr(sys.modules.get('pkg.utils'), 'SCALE', 3)", True),
        ("import sys", "sys.modules.get('pkg.utils').SCALE = 3", True),
        ("import sys", "sys.modules.get('os').SCALE = 3", False),
        ("import pkg", "p = pkg\np.SCALE = 5", False),  # the package, not the module
        ("import pkg.utils", "h = 3\nh.SCALE = 5", False),
        # Sweep Z2 repro_9: the module handed to other code, or imported by a call
        (
            "import pkg.utils as u",
            (
                "def configure(m, **kw):\n    for k, v in kw.items():\n        setattr(m, k, v)\n"
                "configure(u, SCALE=5)"
            ),
            "NBR239",
        ),
        ("import pkg.utils as u", 'exec("SCALE = 5", vars(u))', "NBR239"),
        ("import pkg.utils as u", "for m in [u]:\n    m.SCALE = 5", "NBR239"),
        ("import importlib", 'm = importlib.import_module("pkg.utils")\nm.SCALE = 5', True),
        ("import importlib, pkg.utils as u", "importlib.reload(u)\nprint(u, dir(u))", False),
    ],
)
def test_a_module_set_through_its_dotted_name_is_patched(tmp_path, imports, patch, kept):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    body = "def scaled(x):\n    return x * SCALE"
    (package / "utils.py").write_text(f"SCALE = 10\n\n\n{body}\n")
    catalog = load_catalog(str(package / "utils.py"))
    text = notebook_text(
        TITLE,
        code(f"{imports}\nfrom pkg.utils import SCALE"),
        code(patch),
        code(body),
        code("scaled(3)"),
    )
    result, _ = migrate_text(text, catalog)
    codes = [found.code for found in result.report.kept]
    expected = "NBR233" if kept is True else kept  # NBR239: it may set `scaled` itself too
    assert codes == ([expected] if kept else [])


@pytest.mark.parametrize(
    ("imports", "replaced"),
    [
        ("from functools import lru_cache", True),  # sweep 18: kept for its spelling
        ("import functools\nfrom functools import lru_cache", True),
        ("from mycache import lru_cache", False),  # another decorator of that name
        ("from functools import lru_cache\nfrom mycache import lru_cache", False),
        ("from functools import lru_cache\ndef lru_cache(maxsize):\n    return lambda f: f", False),
        ("from functools import lru_cache\nfrom numpy import *", False),  # may rebind it
    ],
)
def test_a_decorator_is_the_librarys_when_the_imports_bind_it_to_the_same(
    tmp_path, imports, replaced
):
    """The notebook's `@lru_cache(maxsize=None)` after `from functools import lru_cache` is
    the module's `@functools.lru_cache(maxsize=None)` after `import functools`."""
    library = tmp_path / "cached.py"
    body = "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n"
    library.write_text(
        f"import functools\n\n\n@functools.lru_cache(maxsize=None)\n{body}", encoding="utf-8"
    )
    text = notebook_text(
        TITLE, code(imports), code(f"@lru_cache(maxsize=None)\n{body}"), code("fib(30)")
    )
    result, _ = migrate_text(text, load_catalog(str(library)))
    if replaced:
        (found,) = result.report.replaced
        assert "NBR111" not in found.detail_codes  # no other context: the same decorator
        assert result.report.kept == ()
    else:
        assert [found.code for found in result.report.kept] == ["NBR229"]


def test_the_lines_naming_a_builtin_are_looked_for_once_per_name(tmp_path, monkeypatch):
    """Sweep 26's rule for `globals()['max'] = min` looked through every cell for every
    definition reading `max`: 20,000 definitions ran past 120 s (bench `write-defs-2x`,
    14.5 s before). Asked once per name, the cells are searched once."""
    from nbrefactor.analysis import notebook_imports

    library = tmp_path / "biglib.py"
    library.write_text("def big(a, b):\n    return max(a, b)\n", encoding="utf-8")
    searched = []
    real = notebook_imports.may_bind_any
    monkeypatch.setattr(
        notebook_imports, "may_bind_any", lambda source: searched.append(source) or real(source)
    )
    cells = [code(f"def big(a, b):\n    return max(a, b)\nbig({n}, 1)") for n in range(40)]
    result, _ = migrate_text(notebook_text(TITLE, *cells), load_catalog(str(library)))
    assert len(result.report.replaced) == 40
    assert len(searched) <= 2 * 40  # once per cell (per question asked of it), not per definition


@pytest.mark.parametrize(
    "cells",
    [
        ["exec('pass')", "def h(x):\n    return g(x) + 1", "def g(x):\n    return x"],
        ["from os.path import *\ndef g(x):\n    return x\n\n\ndef h(x):\n    return g(x) + 1"],
    ],
)
def test_a_line_that_may_bind_any_name_does_not_rebind_a_helper_the_notebook_defines(
    tmp_path, cells
):
    """Round 48a: `h` read `g`, which the notebook's `def g` (the library's, replaced) binds;
    `exec(...)` "may bind" it was said, and `h` kept, until `g` had become the import:
    migrating again replaced `h` (or, in one cell, the check before writing failed)."""
    library = tmp_path / "mylib.py"
    library.write_text("def g(x):\n    return x\n\n\ndef h(x):\n    return g(x) + 1\n")
    catalog = load_catalog(str(library))
    text = notebook_text(TITLE, *(code(cell) for cell in cells), code("print(h(3))"))
    result, _ = migrate_text(text, catalog)
    assert _kept(result) == []
    assert sorted(found.name for found in result.report.replaced) == ["g", "h"]
    migrated = rendered(parse_notebook(text), result.new_sources).decode()
    again, _ = migrate_text(migrated, catalog)
    assert not again.new_sources


@pytest.mark.parametrize("deleted", ["del math", "del math, x", "del (math)"])
def test_a_copy_reading_a_name_the_notebook_deletes_is_kept(tmp_path, deleted):
    """Round 48a: `del math` after the copy made its next call raise NameError; the
    library's function reads its own module's `math`, and the call returned 3.0."""
    library = tmp_path / "mylib.py"
    body = "def root(x):\n    return math.sqrt(x)"
    library.write_text(f"import math\n\n\n{body}\n")
    catalog = load_catalog(str(library))
    cells = ["import math\nx = 1", body, "print(root(4))", deleted, "print(root(9))"]
    text = notebook_text(TITLE, *(code(cell) for cell in cells))
    result, _ = migrate_text(text, catalog)
    assert [(found.code, found.message) for found in result.report.kept] == [
        (
            "NBR222",
            "kept root (cell 3): reads notebook variable math (cell 5), which mylib.root cannot see",
        )
    ]


@pytest.mark.parametrize(
    ("inline", "kept"),
    [
        # Round 53b (g10): the copy ran; the library's function raises NameError.
        ("def scaled(x):\n    return x * 10", ["NBR264"]),
        # The copy read SCALE too, which nothing bound: both raise NameError.
        ("def scaled(x):\n    return x * SCALE", []),
    ],
)
def test_a_library_function_reading_a_name_its_module_binds_nowhere(tmp_path, inline, kept):
    library = tmp_path / "brokenlib.py"
    library.write_text("def scaled(x):\n    return x * SCALE\n", encoding="utf-8")
    catalog = load_catalog(str(library))
    result, _ = migrate_text(notebook_text(TITLE, code(inline), code("scaled(1)")), catalog)
    assert [found.code for found in result.report.kept] == kept
    if kept:
        assert result.report.kept[0].reason == (
            "brokenlib.scaled reads SCALE, which its module binds nowhere (a call raises "
            "NameError), and the inline copy does not"
        )
    else:
        assert [found.name for found in result.report.replaced] == ["scaled"]


@pytest.mark.parametrize(
    "binding", ['globals()["SCALE"] = 10', "exec(CONFIG)", "globals().update(DEFAULTS)"]
)
def test_a_name_its_module_binds_through_globals_is_not_bound_nowhere(tmp_path, binding):
    """The module binds SCALE by naming it in a string, or may bind any name: NBR264 said
    "which its module binds nowhere (a call raises NameError)" of `globals()["SCALE"] = 10`.
    The copy is kept for what importing the module runs (NBR242), which is true."""
    library = tmp_path / "lib.py"
    library.write_text(f"{binding}\n\n\ndef scaled(x):\n    return x * SCALE\n", "utf-8")
    catalog = load_catalog(str(library))
    function = catalog.function_for("scaled")
    assert function is not None and not function.reads_unbound("SCALE")
    inline = code("def scaled(x):\n    return x * 10")
    result, _ = migrate_text(notebook_text(TITLE, inline, code("scaled(1)")), catalog)
    assert [found.code for found in result.report.kept] == ["NBR242"]


def test_a_copy_importing_relatively_is_replaced_and_said_to_have_raised(tmp_path):
    """Round 55b: `from .util import K` in the copy raised ImportError in the notebook; the
    package's function imports it, and `f(2)` printed 20 once replaced, with no word."""
    package = tmp_path / "pkg"
    package.mkdir()
    body = "def f(x):\n    from .util import K\n    return x * K"
    (package / "__init__.py").write_text("from .core import f\n", encoding="utf-8")
    (package / "core.py").write_text(f"{body}\n", encoding="utf-8")
    (package / "util.py").write_text("K = 10\n", encoding="utf-8")
    catalog = load_catalog(str(package))
    result, _ = migrate_text(notebook_text(TITLE, code(body), code("print(f(2))")), catalog)
    (found,) = result.report.replaced
    assert found.detail_codes == ("NBR117",)
    assert found.message.endswith(
        "its body imports relatively (`from .util import K`), which raises ImportError in a"
        " notebook (no package), where pkg.f imports it from its package"
    ), found.message


@pytest.mark.parametrize("listing", ["locals()", "vars()", "dir()", "builtins.locals()"])
def test_a_copy_listing_its_locals_says_which_library_parameters_show_there(tmp_path, listing):
    """Round 57b: the library's `train(lr=0.1, epochs=10)` replaced a copy without `epochs`;
    the same body's `config = dict(locals())` printed `{'lr': 0.1, 'epochs': 10}` where it had
    printed `{'lr': 0.1}`, and the line said nothing of a difference."""
    body = f"    import builtins\n    config = sorted({listing})\n    print(config)\n"
    library = tmp_path / "mylib.py"
    library.write_text(f"def train(lr=0.1, epochs=10):\n{body}", encoding="utf-8")
    catalog = load_catalog(str(library))
    inline = code(f"def train(lr=0.1):\n{body}")
    result, _ = migrate_text(notebook_text(TITLE, inline, code("train()")), catalog)
    (found,) = result.report.replaced
    assert found.detail_codes == ("NBR118",)
    assert found.message.endswith(
        f"mylib.train's {listing.removeprefix('builtins.')} lists epochs too, a parameter the"
        " copy lacks"
    ), found.message


def test_a_copy_with_the_library_s_parameters_listing_its_locals_has_no_such_detail(tmp_path):
    body = "def train(lr=0.1, epochs=10):\n    return dict(locals())\n"
    (tmp_path / "mylib.py").write_text(body, encoding="utf-8")
    catalog = load_catalog(str(tmp_path / "mylib.py"))
    result, _ = migrate_text(notebook_text(TITLE, code(body), code("train()")), catalog)
    (found,) = result.report.replaced
    assert found.detail_codes == ()


def test_a_cached_copy_beside_an_import_of_the_library_says_what_may_share_its_cache(tmp_path):
    """Round 55a: "would share mylib.load's with what cell 1 imports from mylib" where what
    cell 1 imports (`g`) never calls `load`: the rule asks only that the module is imported."""
    library = "import functools\n\n\n@functools.cache\ndef load(n):\n    return n\n"
    copy = "@functools.cache\ndef load(n):\n    return n"
    reasons = _kept_reasons(
        tmp_path / "cachelib.py",
        f"{library}\n\ndef g():\n    return 1\n",
        code("import functools\nfrom cachelib import g"),
        code(copy),
        code("print(load(1), g())"),
    )
    expected = (
        "keeps its own cache (@functools.cache), where one import would share cachelib.load's"
        " with the cachelib cell 2 imports, whose own code may use it"
    )
    assert reasons == [("NBR260", expected)]


@pytest.mark.parametrize(
    ("library", "cells", "kept"),
    [
        # Round 55a: the library's module binds the same constant (12 definitions kept)
        ("SEED = 42", ["SEED = 42"], False),
        ("SEED = (1, -2.5, 'a', None)", ["SEED = (1, -2.5, 'a', None)"], False),
        ("SEED = 42", ["SEED = 7"], True),  # another value
        ("SEED = 42", ["SEED = 42.0"], True),  # another type
        ("SEED = [42]", ["SEED = [42]"], True),  # a list the notebook may change
        ("SEED = 42", ["SEED = 42", "SEED = 7"], True),  # rebound later
        ("SEED = 42", ["SEED = 42", "SEED += 1"], True),
        ("SEED = 42", ["SEED = 42\nfor SEED in [7]:\n    pass"], True),
        ("SEED = 42", ["SEED = 42", "%run setup.py"], True),  # may bind any name
        ("SEED = 42", ["SEED = 42", "import mylib\nmylib.SEED = 7"], True),
        ("SEED = 42\nSEED = 42", ["SEED = 42"], True),  # two bindings in the module
        ("SEED = 42\ndef reseed(s):\n    global SEED\n    SEED = s", ["SEED = 42"], True),
        ("if True:\n    SEED = 42", ["SEED = 42"], True),
        ("SEED = 42\ndef SEED():\n    pass", ["SEED = 42"], True),  # rebound by a def
        # Round 56a: bound or unbound otherwise, in the notebook or in the module
        ("SEED = 42", ["SEED = 42", "from math import pi as SEED"], True),
        ("SEED = 42", ["SEED = 42\nimport SEED"], True),
        ("SEED = 42", ["SEED = 42", "class SEED:\n    pass"], True),
        ("SEED = 42", ["SEED = 42", "del globals()['SEED']"], True),
        ("SEED = 42", ["SEED = 42", "globals().__delitem__('SEED')"], True),
        ("SEED = 42", ["%%timeit -n1 -r1 -q\nSEED = 42"], True),
        ("SEED = 42\nclass _C:\n    global SEED\n    SEED = 0", ["SEED = 42"], True),
        ("SEED = 42\ndef reset():\n    globals()['SEED'] = 0", ["SEED = 42"], True),
        ("SEED = 42\ndef reset():\n    import mylib\n    mylib.SEED = 0", ["SEED = 42"], True),
        ("SEED = 42\ndef reset(g):\n    g.update(SEED=0)", ["SEED = 42"], True),
        ('__all__ = ["SEED", "draw"]\nSEED = 42', ["SEED = 42"], False),  # names, binds not
        ('__all__ = ["draw"]\n__all__ += ["SEED"]\nSEED = 42', ["SEED = 42"], False),
        ('SEED = 42\nsetattr(__import__("sys").modules[__name__], "SEED", 0)', ["SEED = 42"], True),
    ],
)
def test_a_constant_bound_alike_on_both_sides_is_no_hidden_input(tmp_path, library, cells, kept):
    body = "def draw(n):\n    return (SEED, n)"
    reasons = _kept_reasons(
        tmp_path / "mylib.py",
        f"{library}\n\n\n{body}\n",
        *(code(cell) for cell in cells),
        code(body),
        code("print(draw(1))"),
    )
    said = "reads notebook variable SEED (cell 2), which mylib.draw cannot see"
    assert reasons == ([("NBR222", said)] if kept else [])


def test_a_constant_bound_after_the_def_is_a_hidden_input(tmp_path):
    body = "def draw(n):\n    return (SEED, n)"
    reasons = _kept_reasons(
        tmp_path / "mylib.py",
        f"SEED = 42\n\n\n{body}\n",
        code(f"{body}\nSEED = 42"),
        code("print(draw(1))"),
    )
    assert [code_ for code_, _ in reasons] == ["NBR222"]


def test_a_constant_above_the_def_in_its_cell_is_the_librarys(tmp_path):
    body = "def draw(n):\n    return (SEED, n)"
    reasons = _kept_reasons(
        tmp_path / "mylib.py",
        f"SEED = 42\n\n\n{body}\n",
        code(f"SEED = 42\n{body}"),
        code("print(draw(1))"),
    )
    assert reasons == []


@pytest.mark.parametrize(
    ("annotation", "decorated", "kept"),
    [
        ("float", True, "NBR281"),  # round 76c F5: RuntimeError once replaced
        ("int", True, None),  # the library's annotations
        ("float", False, None),  # read by nothing when the def runs: replaced, said (NBR112)
    ],
)
def test_annotations_other_than_the_librarys_under_a_decorator_keep_the_copy(
    tmp_path, annotation, decorated, kept
):
    """Round 76c F5: `@torch.jit.script` compiles the function by its annotations: `k: float`
    inline, `k: int` in the library, and `scale(torch.ones(2), 2.5)` raised RuntimeError."""
    decorator = "@torch.jit.script\n" if decorated else ""
    library = tmp_path / "jitlib.py"
    head = "import torch\n\n\n"
    library.write_text(
        f"{head}{decorator}def scale(x: torch.Tensor, k: int):\n    return x * k\n",
        encoding="utf-8",
    )
    catalog = load_catalog(str(library))
    inline = f"{decorator}def scale(x: torch.Tensor, k: {annotation}):\n    return x * k"
    text = notebook_text(TITLE, code("import torch"), code(inline), code("scale(t, 2.5)"))
    result, _ = migrate_text(text, catalog)
    assert [found.code for found in result.report.kept] == ([kept] if kept else [])
    if kept:
        assert result.report.kept[0].reason == (
            "its annotations differ from jitlib.scale's, and its decorator (@torch.jit.script)"
            " may read them"
        )
