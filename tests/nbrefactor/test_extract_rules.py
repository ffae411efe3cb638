"""The pieces of `extract`, each on small cases: scopes, needs, variants, the module text."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import code, notebook_text

from nbrefactor.extract.gather import NotebookReading, read_notebook
from nbrefactor.extract.module_file import NEW_MODULE_DOCSTRING, module_text
from nbrefactor.extract.module_io import read_module, write_module
from nbrefactor.extract.module_reading import (
    ModuleFileError,
    module_bindings,
    module_functions,
    module_variables,
    unbound_reads,
)
from nbrefactor.extract.other_functions import difference
from nbrefactor.extract.plan import Plan, plan_extraction
from nbrefactor.extract.scopes import (
    BindingKind,
    names_read_from_module,
    notebook_variables_read,
    statement_bindings,
)
from nbrefactor.nbfile.notebook import parse_notebook


def reading(name: str, *sources: str) -> NotebookReading:
    text = notebook_text(*(code(source) for source in sources))
    return read_notebook(Path(name), parse_notebook(text))


# -- scopes ------------------------------------------------------------------------


def test_names_read_include_decorators_defaults_annotations_nested_scopes_and_globals() -> None:
    source = (
        "@deco(A)\n"
        "def f(x=B, *, y: C = 1) -> D:\n"
        "    z = [i * E for i in x]\n"
        "    def inner():\n"
        "        return z + F\n"
        "    global G\n"
        "    G = 1\n"
        "    return x\n"
    )
    assert set(names_read_from_module(source)) == {"deco", "A", "B", "C", "D", "E", "F", "G"}


def test_names_a_function_binds_itself_are_not_read_from_module() -> None:
    source = "def f(values):\n    total = 0\n    for v in values:\n        total += v\n    return total\n"
    assert names_read_from_module(source) == ()


def test_a_method_does_not_see_its_class_body() -> None:
    source = "class K(Base):\n    attr = 1\n    def m(self):\n        return attr\n"
    assert set(names_read_from_module(source)) == {"Base", "attr"}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("for i in range(3): pass", {("i", BindingKind.VARIABLE)}),
        ("with open(p) as fh: pass", {("fh", BindingKind.VARIABLE)}),
        ("x += 1", {("x", BindingKind.VARIABLE)}),
        ("(y := 3)", {("y", BindingKind.VARIABLE)}),
        ("import os.path as osp, sys", {("osp", BindingKind.IMPORT), ("sys", BindingKind.IMPORT)}),
        ("import os.path", {("os", BindingKind.IMPORT)}),
        ("if a:\n    def g(): pass", {("g", BindingKind.DEFINITION)}),
        (
            "def h():\n    global counter\n    counter = 1",
            {("h", BindingKind.DEFINITION), ("counter", BindingKind.VARIABLE)},
        ),
        (
            "try:\n    import torch\nexcept ImportError:\n    torch = None",
            {("torch", BindingKind.IMPORT), ("torch", BindingKind.VARIABLE)},
        ),
        ("[w for w in range(3)]", set()),
        # Round 52d: the namespace assigned by a name in a string or an attribute binds it
        # as an assignment does; a look-up or `builtins.sq`, which a module sees too, do not.
        ("globals()['sq'] = abs", {("sq", BindingKind.VARIABLE)}),
        ("__main__.sq = abs", {("sq", BindingKind.VARIABLE)}),
        ("setattr(sys.modules[__name__], 'sq', abs)", {("sq", BindingKind.VARIABLE)}),
        ("get_ipython().user_ns['sq'] = abs", {("sq", BindingKind.VARIABLE)}),
        ("get_ipython().push({'sq': abs})", {("sq", BindingKind.VARIABLE)}),
        ("globals().update(sq=abs)", {("sq", BindingKind.VARIABLE)}),
        ("globals().__ior__({'sq': abs})", {("sq", BindingKind.VARIABLE)}),
        (
            "def setup():\n    globals()['sq'] = abs",
            {("setup", BindingKind.DEFINITION), ("sq", BindingKind.VARIABLE)},
        ),
        ("print(globals()['sq'])", set()),
        ("builtins.sq = abs", set()),
        # Round 57b: a target in the notebook's module given as a string sets it there.
        ("mock.patch('__main__.sq', abs).start()", {("sq", BindingKind.VARIABLE)}),
        ("mock.patch(target=f'{__name__}.sq.cache')", {("sq", BindingKind.VARIABLE)}),
        ("mock.patch('mylib.sq', abs).start()", set()),
    ],
)
def test_statement_bindings_kinds(source: str, expected: set[tuple[str, BindingKind]]) -> None:
    found = statement_bindings(ast.parse(source).body[0], 1)
    assert {(binding.name, binding.kind) for binding in found} == expected


def test_notebook_variables_read_names_the_first_cell_binding_them() -> None:
    notebook = reading(
        "a.ipynb",
        "import os\nFIG_DIR = 'figures'",
        "FIG_DIR = 'other'",
        "def save(name):\n    return os.path.join(FIG_DIR, name)",
    )
    source = notebook.definitions[0].source
    assert notebook_variables_read(source, notebook.bindings) == [("FIG_DIR", 1)]


# -- needs, through the plan ------------------------------------------------------------


def plan_of(*notebooks: NotebookReading, existing: str = "") -> Plan:
    """The plan for these notebooks, the module's text being `existing`."""
    return plan_extraction(
        list(notebooks),
        "helpers",
        existing=module_bindings(existing),
        existing_unbound=unbound_reads(existing),
        existing_variables=module_variables(existing),
        existing_functions=module_functions(existing),
    )


def test_a_helper_brings_the_imports_and_the_definitions_it_uses_in_dependency_order() -> None:
    first = reading(
        "a.ipynb",
        "import numpy as np\nfrom math import sqrt as root",
        "def norm(v):\n    return root(_square(v))",
        "def _square(v):\n    return np.sum(np.asarray(v) ** 2)",
    )
    second = reading("b.ipynb", "def norm(v):\n    return root(_square(v))")
    plan = plan_of(first, second)
    assert [definition.name for definition in plan.definitions] == ["_square", "norm"]
    assert [str(spec) for spec in plan.imports] == [
        "import numpy as np",
        "from math import sqrt as root",
    ]
    assert plan.brought == {"_square": "norm"}


@pytest.mark.parametrize("local", ["localmod.py", "localmod/__init__.py"])
def test_a_helper_importing_a_module_beside_its_notebook_stays_unless_written_beside_it(
    tmp_path: Path, local: str
) -> None:
    """python-control's `from pvtol import pvtol`, pvtol.py beside the notebooks: a module
    written elsewhere cannot import it."""
    (tmp_path / "nbs" / local).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / "nbs" / local).write_text("FACTOR = 3\n", encoding="utf-8")
    cells = ("from localmod import FACTOR", "def scaled(x):\n    return x * FACTOR")
    text = notebook_text(*(code(source) for source in cells))
    readings = [
        read_notebook(tmp_path / "nbs" / name, parse_notebook(text))
        for name in ("a.ipynb", "b.ipynb")
    ]
    elsewhere = plan_extraction(readings, "helpers", module_folder=tmp_path)
    assert elsewhere.definitions == ()
    (decision,) = elsewhere.decisions
    found = tmp_path / "nbs" / ("localmod.py" if local == "localmod.py" else "localmod")
    assert decision.problem == f"imports FACTOR from {found}, beside its notebook"
    beside = plan_extraction(readings, "helpers", module_folder=tmp_path / "nbs")
    assert [definition.name for definition in beside.definitions] == ["scaled"]


def test_a_helper_named_like_a_builtin_another_reads_is_not_extracted() -> None:
    """In one module, total's `sum` would be the helper `sum(x, y)`: papermill's notebooks."""
    total, pair_sum = "def total(xs):\n    return sum(xs)", "def sum(x, y):\n    return x + y"
    plan = plan_of(
        reading("a.ipynb", total),
        reading("b.ipynb", total),
        reading("c.ipynb", pair_sum),
        reading("d.ipynb", pair_sum),
    )
    problems = {decision.name: decision.problem for decision in plan.decisions}
    assert problems == {
        "total": None,
        "sum": "it would shadow the builtin sum that total reads in the module",
    }
    assert [definition.name for definition in plan.definitions] == ["total"]
    alone = plan_of(reading("c.ipynb", pair_sum), reading("d.ipynb", pair_sum))
    assert [definition.name for definition in alone.definitions] == ["sum"]


def test_a_helper_reading_a_builtin_the_module_defines_is_not_extracted() -> None:
    total = "def total(xs):\n    return sum(xs)"
    plan = plan_of(reading("a.ipynb", total), reading("b.ipynb", total), existing="def sum(): pass")
    assert plan.decisions[0].problem == "it reads the builtin sum, which the module defines"
    assert plan.definitions == ()


def test_an_import_of_a_builtins_name_another_helper_reads_is_not_extracted() -> None:
    """Sweep O repro_4: in one module, cube's `pow` would be `math.pow` (8.0, not 8)."""
    area = "def area(r):\n    return 3 * pow(r, 2)"
    cube = "def cube(x):\n    return pow(x, 3)"
    plan = plan_of(
        reading("a.ipynb", "from math import pow", area),
        reading("b.ipynb", "from math import pow", area),
        reading("c.ipynb", cube),
        reading("d.ipynb", cube),
    )
    problems = {decision.name: decision.problem for decision in plan.decisions}
    assert problems == {
        "area": (
            "it needs `from math import pow`, which would shadow the builtin pow that cube reads"
            " in the module"
        ),
        "cube": None,
    }
    assert plan.imports == ()


@pytest.mark.parametrize(
    ("notebook", "helper", "problem"),
    [
        (
            "def filter(df, col, value):\n    return df[df[col] == value]",
            "filter",
            "it would shadow the builtin filter that evens reads in the module",
        ),
        (
            "from math import pow\n\ndef area(r):\n    return 3 * pow(r, 2)",
            "area",
            (
                "it needs `from math import pow`, which would shadow the builtin pow that evens"
                " reads in the module"
            ),
        ),
    ],
)
def test_a_helper_shadowing_a_builtin_the_modules_functions_read_is_not_extracted(
    notebook: str, helper: str, problem: str
) -> None:
    """Sweep O repro_6: the module's `evens` calls the builtins `filter` and `pow`."""
    existing = "def evens(xs):\n    return list(filter(lambda x: pow(x, 1) % 2 == 0, xs))\n"
    plan = plan_of(reading("a.ipynb", notebook), reading("b.ipynb", notebook), existing=existing)
    assert [(decision.name, decision.problem) for decision in plan.decisions] == [(helper, problem)]
    assert plan.definitions == ()


_LOAD = "def load(p):\n    return p.upper()"
_REBIND = (
    "star-imports helpers after binding load (cell 1), which the star import would then rebind"
)


@pytest.mark.parametrize(
    ("star_notebook", "problem"),
    [
        (  # the star import would now bind helpers.load over utils.load
            ["from utils import load\nfrom helpers import *", "print(load('x'))"],
            f"c.ipynb:cell 1 {_REBIND}",
        ),
        (  # over another function of that name, which migrate keeps (other parameters)
            ["def load(text, n=2):\n    return text * n", "from pkg.helpers import *"],
            f"c.ipynb:cell 2 {_REBIND}",
        ),
        (["from helpers import *", _LOAD, "print(load('c'))"], None),  # the def rebinds it
        (["import numpy as np\nfrom helpers import *"], None),  # np: the same module
        (["import jax.numpy as np\nfrom helpers import *"], "c.ipynb:cell 1 star-imports"),
    ],
)
def test_a_helper_a_star_import_of_the_module_would_bind_over_another_binding_is_not_extracted(
    star_notebook: list[str], problem: str | None
) -> None:
    """Sweep s24 F8: `from helpers import *` binds what the module gains, over what the
    notebook bound before it; the same import, or a definition after it, change nothing."""
    pasted = ("import numpy as np", f"{_LOAD}\n\ndef total(xs):\n    return np.sum(xs)")
    plan = plan_of(
        reading("a.ipynb", *pasted), reading("b.ipynb", *pasted), reading("c.ipynb", *star_notebook)
    )
    problems = [decision.problem or "" for decision in plan.decisions]
    if problem is None:
        assert problems == ["", ""]
    else:
        assert any(found.startswith(problem) for found in problems), problems


def test_a_helper_named_like_a_builtin_is_not_extracted_where_a_notebook_star_imports_it() -> None:
    pasted = "def display(x):\n    print('D:', x)"
    plan = plan_of(
        reading("a.ipynb", pasted),
        reading("b.ipynb", pasted),
        reading("c.ipynb", "from helpers import *", "display(3)"),
    )
    assert [decision.problem for decision in plan.decisions] == [
        "c.ipynb:cell 1 star-imports helpers, which would then bind display over the builtin"
    ]


_UNBOUND = "which no statement there binds (a star import or globals() may)"
_NUMPY_SQRT = "it needs `from numpy import sqrt`, which would shadow"


@pytest.mark.parametrize(
    ("existing", "notebook", "problem"),
    [
        (  # dist's sqrt is math's; the helper's import would make it numpy's
            "from math import *\n\ndef dist(a, b):\n    return sqrt(a * a + b * b)\n",
            "from numpy import sqrt\n\ndef root(x):\n    return sqrt(x)",
            f"{_NUMPY_SQRT} the sqrt that dist reads in the module, {_UNBOUND}",
        ),
        (  # base's basename is os.path's
            "from os.path import *\n\ndef base(p):\n    return basename(p)\n",
            "def basename(p):\n    return 'B:' + p",
            f"it would shadow the basename that base reads in the module, {_UNBOUND}",
        ),
        (  # show's fmt is the lambda written through globals()
            'globals().update(fmt=lambda v: "G")\n\ndef show(v):\n    return fmt(v)\n',
            "def fmt(v):\n    return f'{v:.2f}'",
            f"it would shadow the fmt that show reads in the module, {_UNBOUND}",
        ),
        (  # read by a top-level statement, when the module is imported
            "from math import *\n\nROOT2 = sqrt(2)\n",
            "from numpy import sqrt\n\ndef root(x):\n    return sqrt(x)",
            f"{_NUMPY_SQRT} the sqrt that line 3 reads in the module, {_UNBOUND}",
        ),
    ],
)
def test_a_helper_binding_a_name_the_module_reads_unbound_is_not_extracted(
    existing: str, notebook: str, problem: str
) -> None:
    """Sweep s24 F1: the module's star import or globals() binds what its code reads; a
    helper's definition or import of that name would change that code."""
    plan = plan_of(reading("a.ipynb", notebook), reading("b.ipynb", notebook), existing=existing)
    assert [decision.problem for decision in plan.decisions] == [problem]
    assert plan.definitions == ()
    assert plan.imports == ()


def test_an_import_mending_a_name_the_module_reads_but_binds_nowhere_is_added() -> None:
    """No line of the module may bind any name: its `np` raised NameError, and the import a
    helper brings mends it, as before."""
    existing = "def norm(v):\n    return np.linalg.norm(v)\n"
    pasted = ("import numpy as np", "def total(xs):\n    return np.sum(xs)")
    plan = plan_of(reading("a.ipynb", *pasted), reading("b.ipynb", *pasted), existing=existing)
    assert [decision.problem for decision in plan.decisions] == [None]
    assert [str(spec) for spec in plan.imports] == ["import numpy as np"]


@pytest.mark.parametrize(
    "cells",
    [
        (
            "def weight(x):\n    return total(x) if isinstance(x, list) else 1",
            "def total(xs, key=weight):\n    return sum(key(x) for x in xs)",
        ),
        (
            "def deco(f):\n    f.check = lambda: ident(7)\n    return f",
            "@deco\ndef ident(x):\n    return x",
        ),
    ],
)
def test_a_definition_is_written_after_what_it_reads_when_it_runs(cells) -> None:
    """Sweep S repro_1: `total`'s default reads `weight` when the module runs the `def`;
    written first, `import helpers` raised NameError."""
    plan = plan_of(reading("a.ipynb", *cells), reading("b.ipynb", *cells))
    names = [definition.name for definition in plan.definitions]
    assert names == [cells[0].split("(")[0].removeprefix("def "), names[1]]
    namespace: dict = {}
    source = "\n\n".join(definition.source for definition in plan.definitions)
    exec(compile(source, "helpers.py", "exec"), namespace)  # noqa: S102 - the module's text


def test_definitions_reading_each_other_when_they_run_are_not_extracted() -> None:
    cells = ("def a(x=b):\n    return x", "def b(y=a):\n    return y")
    plan = plan_of(reading("a.ipynb", *cells), reading("b.ipynb", *cells))
    assert plan.definitions == ()
    assert {decision.problem for decision in plan.decisions} == {
        "a is read when a definition it reads is defined",
        "b is read when a definition it reads is defined",
    }


def test_a_helper_named_like_a_variable_of_the_module_is_not_extracted() -> None:
    """Sweep S repro_8: the module's `unit = "cm"` is no `def unit`: it was "left alone",
    and `area` extracted to call a string."""
    unit = "def unit(x):\n    return x * 100"
    area = "def area(w, h):\n    return unit(w) * unit(h)"
    plan = plan_extraction(
        [reading("a.ipynb", unit, area), reading("b.ipynb", unit, area)],
        "helpers",
        existing=module_bindings('unit = "cm"\n'),
        existing_variables=module_variables('unit = "cm"\n'),
    )
    assert [(decision.name, decision.problem, decision.already) for decision in plan.decisions] == [
        ("unit", "the module binds unit otherwise (not by a def)", False),
        ("area", "it needs a definition of unit, but the module binds unit otherwise", False),
    ]
    assert plan.definitions == ()


def _dbl_decisions(module: str) -> list[tuple[str, str | None]]:
    """(name, problem) of each decision of extracting `dbl`, pasted into two notebooks, into
    an existing module of text `module`."""
    dbl = "def dbl(x):\n    return 2 * x"
    plan = plan_extraction(
        [reading("a.ipynb", dbl), reading("b.ipynb", dbl)],
        "helpers",
        existing=module_bindings(module),
        existing_variables=module_variables(module),
    )
    return [(decision.name, decision.problem) for decision in plan.decisions]


@pytest.mark.parametrize(
    ("module", "word"),
    [
        (
            "import sys\n\nif sys.version_info >= (3, 8):\n    def dbl(x):\n        return 2 * x\n",
            "an `if`",
        ),
        ("for _k in (1,):\n    def dbl(x, k=_k):\n        return 2 * x\n", "a `for`"),
    ],
)
def test_a_helper_the_module_defines_in_a_block_is_not_said_to_be_no_def(module, word) -> None:
    """Round 62b: the module's `def dbl` under `if sys.version_info >= (3, 8):` was said to
    bind dbl "otherwise (not by a def)"; it is a def, in a block."""
    assert _dbl_decisions(module) == [
        ("dbl", f"the module binds dbl in {word} statement, not by a top-level def"),
    ]


@pytest.mark.parametrize(
    ("module", "problem"),
    [
        (
            "DEBUG = False\n\ndef dbl(x):\n    return 2 * x\n\nif DEBUG:\n    dbl = print\n",
            (
                "the module's def dbl (line 3) is followed by an `if` statement that may"
                " rebind it (line 6)"
            ),
        ),
        (
            "def dbl(x):\n    return 2 * x\n\nif False:\n    del dbl\n",
            (
                "the module's def dbl (line 1) is followed by an `if` statement that may"
                " delete it (line 4)"
            ),
        ),
        (
            "def dbl(x):\n    return 2 * x\n\ndel dbl\nif True:\n    dbl = 1\n",
            "the module's def dbl (line 1) is followed by a statement that deletes it (line 4)",
        ),
        (
            "class dbl:\n    pass\n\ndbl = 3\n",
            "the module's class dbl (line 1) is followed by a statement that rebinds it (line 4)",
        ),
    ],
)
def test_a_statement_after_the_modules_def_of_a_helper_is_said_as_it_is(module, problem) -> None:
    """Round 64 U1: a top-level `def dbl` an `if` may rebind or delete after it was said to
    be no top-level def ("binds dbl in an `if` statement, not by a top-level def")."""
    assert _dbl_decisions(module) == [("dbl", problem)]


@pytest.mark.parametrize(
    "annotation", ["dbl: Callable[[int], int]", "if True:\n    dbl: Callable[[int], int]"]
)
def test_an_annotation_without_a_value_binds_nothing(annotation: str) -> None:
    """Round 64 U2: `dbl: Callable[[int], int]` after the module's `def dbl` binds nothing
    (helpers.dbl is the def): dbl was skipped, said bound "otherwise (not by a def)"."""
    module = f"from typing import Callable\n\ndef dbl(x):\n    return 2 * x\n\n{annotation}\n"
    assert module_variables(module) == {}
    assert _dbl_decisions(module) == [("dbl", None)]


def test_a_submodule_another_import_loaded_is_imported_too() -> None:
    """In the notebook `etree.ElementTree` exists because cell 1 imported it; in a module
    of its own, `from xml import etree` leaves `xml.etree` without it."""
    notebook = (
        "from xml.etree.ElementTree import tostring",
        "from xml import etree\n\ndef parse_tag(s):\n    return etree.ElementTree.fromstring(s).tag",
    )
    plan = plan_of(reading("a.ipynb", *notebook), reading("b.ipynb", *notebook))
    assert [str(spec) for spec in plan.imports] == [
        "import xml.etree.ElementTree",
        "from xml import etree",
    ]
    alone = plan_of(
        reading("a.ipynb", notebook[1]), reading("b.ipynb", notebook[1])
    )  # no import loads it: nothing shows it is a module, nothing is added
    assert [str(spec) for spec in alone.imports] == ["from xml import etree"]


def test_a_helper_reading_ipythons_builtins_is_extracted() -> None:
    """Sweep 21: `display` and `get_ipython` are builtins in the kernel, for the module's
    code as for the notebook's; the helper was skipped as reading a name never bound."""
    notebook = ("def show(df):\n    display(df)\n    return get_ipython() is not None",)
    plan = plan_of(reading("a.ipynb", *notebook), reading("b.ipynb", *notebook))
    assert [(decision.helper.name, decision.problem) for decision in plan.decisions] == [
        ("show", None)
    ]


def test_a_submodule_a_from_import_loaded_is_imported_too() -> None:
    """Sweep 21 repro_3: `from logging import handlers` loads logging.handlers (a module
    file, found on disk); the module's own `import logging` alone does not, and its helper
    raised AttributeError."""
    notebook = (
        "import logging\nfrom logging import handlers",
        "def h():\n    return logging.handlers.MemoryHandler.__name__",
    )
    plan = plan_of(reading("a.ipynb", *notebook), reading("b.ipynb", *notebook))
    assert [str(spec) for spec in plan.imports] == ["import logging", "import logging.handlers"]


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        (
            ["t0 = 200", "def f(t):\n    return t0 / t"],
            "reads notebook variable t0 (a.ipynb:cell 1)",
        ),
        (["def f(t):\n    return t * SCALE"], "reads SCALE, which a.ipynb never binds"),
        (["def f(t):\n    !ls\n    return t"], "IPython syntax in its body"),
        (
            ["from . import local", "def f(t):\n    return local(t)"],
            "imports local from a relative module",
        ),
        (
            ["LIMIT = 3", "def g(t):\n    return t < LIMIT", "def f(t):\n    return g(t)"],
            "needs g: reads notebook variable LIMIT (a.ipynb:cell 1)",
        ),
        (  # round 49c W3: "needs h (used by g)" read as if f used h itself
            [
                "LIMIT = 3",
                "def h(t):\n    return t < LIMIT",
                "def g(t):\n    return h(t)",
                "def f(t):\n    return g(t)",
            ],
            "needs g, which needs h: reads notebook variable LIMIT (a.ipynb:cell 1)",
        ),
        (["def f(t, scale=FACTOR):\n    return t"], "reads FACTOR, which a.ipynb never binds"),
        (  # round 52a: "never binds" was said of IPython's bindings
            ["%%capture K\nprint(1)", "def f(t):\n    return t * K"],
            "reads notebook variable K, which IPython binds (a.ipynb:cell 1: `%%capture K`)",
        ),
        (
            ["K = !echo 3", "def f(t):\n    return t * K"],
            "reads notebook variable K, which IPython binds (a.ipynb:cell 1: `K = !echo 3`)",
        ),
        (  # sweep 20 repro_4: IPython's output history, which a module cannot see
            ["def f(t):\n    return Out[t]"],
            "reads Out, which IPython binds in the notebook (its input and output history)",
        ),
        (  # sweep 19: bound by nothing it names, but perhaps by the star import
            ["from math import *", "def f(t):\n    return sqrt(t)"],
            "reads sqrt, which only `from math import *` in a.ipynb may bind",
        ),
        (  # round 70b: the first was named, where the second binds sqrt
            ["from math import *\nfrom numpy import *", "def f(t):\n    return sqrt(t)"],
            (
                "reads sqrt, which only `from math import *` or `from numpy import *` in"
                " a.ipynb may bind"
            ),
        ),
        (  # sweep 27: IPython's shell by a name bound in another cell
            ["ip = get_ipython()", "ip.push({'S': 2})", "def f(t):\n    return t * S"],
            "reads S, which only `ip.push({'S': 2})` in a.ipynb may bind",
        ),
        (
            ["K = 2", "def f(t):\n    return t * globals()['K']"],
            "reads the notebook's variables through globals()",
        ),
        (
            ["import logging", "def f(t):\n    return logging.getLogger(__name__)"],
            "reads its module's own __name__, the notebook's inline",
        ),
        (
            ["class FitError(Exception):\n    pass", "def f(t):\n    raise FitError(t)"],
            "reads class FitError, which stays the notebook's",
        ),
        (
            ["import numpy as np", "def f(t, eps=np.random.normal()):\n    return t + eps"],
            "its default eps=np.random.normal() is computed when the def runs",
        ),
        (
            ["from ipywidgets import interact", "@interact(t=(1, 5))\ndef f(t):\n    return t"],
            "its decorator @interact(t=(1, 5)) runs when the def runs",
        ),
        (  # sweep Z2 repro_1: the module would read cfg.SCALE before the notebook set it
            ["import cfg\ncfg.SCALE = 10", "def f(t, k=cfg.SCALE):\n    return t * k"],
            "its default k=cfg.SCALE is computed when the def runs",
        ),
        (  # round 57b: a setter call sets what the default reads
            [
                "import logging\nlogging.root.setLevel(10)",
                "def f(t, level=logging.root.level):\n    return t * level",
            ],
            "its default level=logging.root.level is computed when the def runs",
        ),
        (
            [
                "import cfg\nimport functools\ncfg.SIZE = 4",
                "@functools.lru_cache(maxsize=cfg.SIZE)\ndef f(t):\n    return t",
            ],
            "its decorator @functools.lru_cache(maxsize=cfg.SIZE) runs when the def runs",
        ),
    ],
)
def test_a_helper_that_cannot_move_is_skipped_with_the_reason(
    cells: list[str], reason: str
) -> None:
    plan = plan_of(reading("a.ipynb", *cells), reading("b.ipynb", *cells))
    decision = next(decision for decision in plan.decisions if decision.name == "f")
    assert decision.problem == reason
    assert not plan.definitions


def test_a_helper_whose_own_lines_parse_is_found_in_a_broken_cell() -> None:
    broken = reading("a.ipynb", "def f(t):\n    return t + 1\n\nprint(f(1)\n")
    plan = plan_of(broken, reading("b.ipynb", "def f(t):\n    return t + 1"))
    assert [definition.name for definition in plan.definitions] == ["f"]


def test_a_name_the_module_defines_is_left_alone() -> None:
    plan = plan_of(
        reading("a.ipynb", "def f(t):\n    return t"),
        reading("b.ipynb", "def f(t):\n    return t"),
        existing="def f(t):\n    return t",
    )
    assert plan.decisions[0].already
    assert not plan.definitions


def test_a_name_bound_to_two_things_in_the_module_skips_the_second_helper() -> None:
    """One module has one `ser`: to_bytes would read json's."""
    to_text = ("import json as ser", "def to_text(x):\n    return ser.dumps(x)")
    to_bytes = ("import pickle as ser", "def to_bytes(x):\n    return ser.dumps(x)")
    plan = plan_of(
        reading("a.ipynb", *to_text),
        reading("b.ipynb", *to_text),
        reading("c.ipynb", *to_bytes),
        reading("d.ipynb", *to_bytes),
    )
    problems = {decision.name: decision.problem for decision in plan.decisions}
    assert problems == {
        "to_text": None,
        "to_bytes": "it needs `import pickle as ser`, but the module gets `import json as ser`",
    }
    assert [str(spec) for spec in plan.imports] == ["import json as ser"]


def test_a_helper_named_like_an_import_another_needs_is_skipped() -> None:
    area = ("import math", "def area(r):\n    return math.pi * r * r")
    math = "def math(x):\n    return x"
    plan = plan_of(
        reading("a.ipynb", *area),
        reading("b.ipynb", *area),
        reading("c.ipynb", math),
        reading("d.ipynb", math),
    )
    problems = {decision.name: decision.problem for decision in plan.decisions}
    assert problems["math"] == "it needs a definition of math, but the module gets `import math`"


def test_a_name_the_existing_module_binds_otherwise_is_not_taken_for_the_notebooks() -> None:
    enc = ("import json as ser", "def enc(x):\n    return ser.dumps(x)")
    plan = plan_of(
        reading("a.ipynb", *enc), reading("b.ipynb", *enc), existing="import pickle as ser\n"
    )
    assert plan.decisions[0].problem == (
        "reads ser, which the module binds as `import pickle as ser`"
    )
    same = plan_of(
        reading("a.ipynb", *enc), reading("b.ipynb", *enc), existing="import json as ser\n"
    )
    assert same.decisions[0].problem is None


def test_a_name_the_notebooks_import_from_the_module_is_the_modules() -> None:
    """Sweep 26 (extract, then extract more): `from helpers import q` in the notebooks is
    the module's own q; `side` calling it was skipped as reading q "which the module binds
    as a definition"."""
    side = ("from helpers import q", "def side(x):\n    return q(x) * 2")
    plan = plan_of(
        reading("a.ipynb", *side), reading("b.ipynb", *side), existing="def q(x):\n    return x\n"
    )
    assert plan.decisions[0].problem is None
    assert [definition.name for definition in plan.definitions] == ["side"]


# -- variants -----------------------------------------------------------------------------


def test_a_default_numpy_computes_from_constants_moves() -> None:
    """Sweep Z (hist's notebooks): `a=1 / np.sqrt(2 * np.pi)` is the same number wherever
    the def runs; it was skipped as "computed when the def runs"."""
    cells = ["import numpy as np", "def pdf(x, a=1 / np.sqrt(2 * np.pi)):\n    return a * x"]
    plan = plan_of(reading("a.ipynb", *cells), reading("b.ipynb", *cells))
    decision = next(decision for decision in plan.decisions if decision.name == "pdf")
    assert decision.problem is None
    assert [definition.name for definition in plan.definitions] == ["pdf"]


def test_a_definition_takes_the_comment_lines_above_it_not_a_strings_last_line() -> None:
    """Sweep Z (probe p23): the last line of a string before the def, `# heading\"\"\"`, was
    copied into the module as if it were a comment above it."""
    cell = 'NOTES = """\n# heading"""\n# plots the loss\ndef f(t):\n    return t'
    (definition,) = reading("a.ipynb", cell).definitions
    assert definition.source == "# plots the loss\ndef f(t):\n    return t\n"
    (alone,) = reading("a.ipynb", "# heading\n# plots\ndef f(t):\n    return t").definitions
    assert alone.source == "# heading\n# plots\ndef f(t):\n    return t\n"


def test_a_definition_takes_its_bodys_last_comments_as_removing_it_does() -> None:
    """Sweep 26 (extract) q53: `    # trailing comment in body` went with the def out of the
    notebook (its block's footer, `edits.layout`) and never reached the module."""
    cell = "def f(x):\n    return x + 1\n    # vectorize?\n\n    # later\n# after def\nprint(1)"
    (definition,) = reading("a.ipynb", cell).definitions
    assert definition.source == "def f(x):\n    return x + 1\n    # vectorize?\n\n    # later\n"


def test_variants_ignore_formatting_comments_and_docstrings() -> None:
    plan = plan_of(
        reading("a.ipynb", 'def f(t, k=1):\n    """Doc."""\n    return t+k'),
        reading("b.ipynb", "def f(t, k = 1):\n    # a comment\n    return (t + k)"),
    )
    assert len(plan.decisions[0].helper.variants) == 1


def test_the_variant_accepting_every_call_wins_over_the_most_places() -> None:
    common = "def f(t):\n    return t"
    extra = "def f(t, scale=1):\n    return t * scale"
    plan = plan_of(
        reading("a.ipynb", common, "f(1)"),
        reading("b.ipynb", common),
        reading("c.ipynb", extra, "f(2, scale=3)"),
    )
    choice = plan.decisions[0].choice
    assert choice.variant is not None and choice.variant.first.place == "c.ipynb:cell 1"
    assert choice.why == "it accepts every call"


def test_calls_in_a_notebook_that_imports_the_name_are_not_the_helpers() -> None:
    """d.ipynb's smooth is otherlib's: its keyword does not make the one-place variant
    that accepts it win over the variant defined in the most places."""
    common = "def smooth(x):\n    return x + 1"
    extra = "def smooth(x, window=None):\n    return x * 100"
    plan = plan_of(
        reading("a.ipynb", common),
        reading("b.ipynb", common),
        reading("c.ipynb", extra),
        reading("d.ipynb", "from otherlib import smooth", "smooth(5, window=3)"),
    )
    choice = plan.decisions[0].choice
    assert choice.variant is not None and choice.variant.first.place == "a.ipynb:cell 1"
    assert choice.why == "defined in the most places"
    assert choice.unbound_calls == ()


@pytest.mark.parametrize(
    "local_call",
    [
        "def apply(fmt, x):\n    return fmt(x, 99, 98)",  # a parameter
        "def apply(x):\n    fmt = str\n    return fmt(x, 99, 98)",  # a local variable
        "apply = lambda fmt, x: fmt(x, 99, 98)",
        "out = [fmt(1, 99, 98) for fmt in (max, min)]",  # a comprehension's target
    ],
)
def test_a_call_of_a_local_name_is_not_a_call_of_the_helper(local_call: str) -> None:
    """Sweep S repro_9: `fmt(x, 99, 98)` called the parameter `fmt`, yet made both variants
    fail a call, so that the one defined in the most places was chosen, with a wrong
    "migrate will keep" line."""
    plan = plan_of(
        reading(
            "a.ipynb", "def fmt(v, digits=3):\n    return round(v, digits)", "fmt(1.0, digits=1)"
        ),
        reading("b.ipynb", "def fmt(v):\n    return round(v, 3)"),
        reading("c.ipynb", "def fmt(v):\n    return round(v, 3)", local_call),
    )
    choice = plan.decisions[0].choice
    assert choice.variant is not None and choice.variant.first.place == "a.ipynb:cell 1"
    assert choice.why == "it accepts every call"
    assert choice.unbound_calls == ()


def test_a_call_of_the_module_name_inside_a_function_still_counts() -> None:
    """Only a local binding makes a call another function's: a function's body calling the
    helper, and a comprehension's first iterable, call the module's."""
    plan = plan_of(
        reading("a.ipynb", "def fmt(v, digits=3):\n    return round(v, digits)"),
        reading("b.ipynb", "def fmt(v):\n    return round(v, 3)"),
        reading(
            "c.ipynb", "def fmt(v):\n    return round(v, 3)", "def show(x):\n    return fmt(x, 1)"
        ),
        reading("d.ipynb", "def fmt(v):\n    return round(v, 3)", "out = [v for v in fmt(2, 1)]"),
    )
    choice = plan.decisions[0].choice
    assert choice.variant is not None and choice.variant.first.place == "a.ipynb:cell 1"
    assert choice.why == "it accepts every call"


def test_then_the_most_places_then_path_order() -> None:
    one, other = "def f(t):\n    return t", "def f(t):\n    return -t"
    most = plan_of(reading("a.ipynb", other), reading("b.ipynb", one), reading("c.ipynb", one))
    assert most.decisions[0].choice.why == "defined in the most places"
    assert most.decisions[0].choice.variant.first.place == "b.ipynb:cell 1"  # type: ignore[union-attr]
    tie = plan_of(reading("a.ipynb", other), reading("b.ipynb", one))
    assert tie.decisions[0].choice.why == "first in path order"
    assert tie.decisions[0].choice.variant.first.place == "a.ipynb:cell 1"  # type: ignore[union-attr]


# -- the module text ------------------------------------------------------------------------


def test_a_new_module_gets_a_docstring_then_imports_then_definitions() -> None:
    plan = plan_of(
        reading(
            "a.ipynb", "import numpy as np", "# why\n@staticmethod\ndef f(t):\n    return np.abs(t)"
        ),
        reading("b.ipynb", "def f(t):\n    return t"),
    )
    text = module_text(None, plan.imports, plan.definitions)
    assert text == (
        NEW_MODULE_DOCSTRING + "\nimport numpy as np\n\n\n# why\n@staticmethod\ndef f(t):\n"
        "    return np.abs(t)\n"
    )
    assert set(module_bindings(text)) == {"np", "f"}


def test_an_existing_module_keeps_every_byte_and_its_trailing_comment() -> None:
    old = '"""Mine."""\r\n\r\nimport numpy as np\r\n\r\nX = 1  # keep\r\n# the end'
    plan = plan_of(
        reading("a.ipynb", "import numpy as np\nimport os", "def f(t):\n    return np.abs(os.sep)"),
        reading("b.ipynb", "def f(t):\n    return np.abs(os.sep)"),
    )
    text = module_text(old, plan.imports, plan.definitions)
    assert text.startswith(
        '"""Mine."""\r\n\r\nimport os\r\n\r\nimport numpy as np\r\n\r\nX = 1  # keep\r\n# the end\r\n'
    )
    assert text.endswith("\r\n\r\n\r\ndef f(t):\r\n    return np.abs(os.sep)\r\n")
    assert text.count("import numpy as np") == 1


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('__all__ = ["old"]\n', '__all__ = ["old", "f"]\n'),
        ("__all__ = ('old',)\n", "__all__ = ('old', 'f')\n"),
        ("__all__ = [\n    'old',\n]\n", "__all__ = [\n    'old',\n    'f',\n]\n"),
        # Sweep s24 F5: each comment stays on its own line, the new line has none.
        (
            '__all__ = (  # public\n    "old",  # keep\n)\n',
            '__all__ = (  # public\n    "old",  # keep\n    "f",\n)\n',
        ),
        (
            '__all__ = [\n    "a",  # first\n    "old",  # keep\n    # more to come\n]\n',
            '__all__ = [\n    "a",  # first\n    "old",  # keep\n    "f",\n    # more to come\n]\n',
        ),
        ("__all__ = []\n", '__all__ = ["f"]\n'),
        ("__all__ = ['old'] + more\n", "__all__ = ['old'] + more\n"),
        # Sweep S repro_10: migrate's catalog reads these forms too.
        ('__all__: list[str] = ["old"]\n', '__all__: list[str] = ["old", "f"]\n'),
        ('__all__ = names = ["old"]\n', '__all__ = names = ["old", "f"]\n'),
    ],
)
def test_an_appended_helper_joins_a_list_of_names_in_all(old: str, new: str) -> None:
    """migrate replaces only what `__all__` names: a helper left out would never be."""
    plan = plan_of(
        reading("a.ipynb", "def f(t):\n    return t"), reading("b.ipynb", "def f(t):\n    return t")
    )
    text = module_text(old, plan.imports, plan.definitions)
    assert text.startswith(new)
    assert text.endswith("\n\n\ndef f(t):\n    return t\n")


_SIX = "def six(x):\n    return fastdeco.triple(x) * 2"
_DEFINES = "\n\n\ndef add(x, y):\n    return x + y\n"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # Sweep S repro_4: the module sets up its imports (`sys.path`, an environment
        # variable, a backend) before importing: the new import is appended after that.
        *(
            (
                f"import os\nimport sys\n\nimport matplotlib\n\n{setup}{_DEFINES}",
                (
                    f"import os\nimport sys\n\nimport matplotlib\n\n{setup}{_DEFINES}"
                    f"\n\nimport fastdeco\n\n\n{_SIX}\n"
                ),
            )
            for setup in (
                'sys.path.insert(0, os.path.join(os.path.dirname(__file__), "vendor"))',
                'os.environ["JAX_ENABLE_X64"] = "True"',
                'matplotlib.use("Agg")',
            )
        ),
        # A module that only defines (its own list changed) gets it in its import block.
        (
            f"import os\n\n__all__ = []\n__all__.append('add'){_DEFINES}",
            (
                f"import os\n\nimport fastdeco\n\n__all__ = [\"six\"]\n__all__.append('add'){_DEFINES}"
                f"\n\n{_SIX}\n"
            ),
        ),
    ],
)
def test_new_imports_come_after_what_the_module_does_at_its_top(old: str, new: str) -> None:
    """A new import in the top block of a module that sets up its imports first ran before
    that setup, and `import helpers` failed in every notebook."""
    plan = plan_of(
        reading("a.ipynb", "import fastdeco", _SIX),
        reading("b.ipynb", "import fastdeco", _SIX),
        existing=old,
    )
    assert module_text(old, plan.imports, plan.definitions) == new


def test_new_code_goes_above_the_modules_main_block() -> None:
    """Sweep 26 (extract) e04: the helper was appended after `if __name__ == "__main__":`,
    which runs the module as a script and stays its last statement."""
    old = (
        "import os\n\n\ndef add(x, y):\n    return x + y\n\n\n# demo\n"
        'if __name__ == "__main__":\n    print(add(1, 2))\n'
    )
    plan = plan_of(
        reading("a.ipynb", "import fastdeco", _SIX),
        reading("b.ipynb", "import fastdeco", _SIX),
        existing=old,
    )
    assert module_text(old, plan.imports, plan.definitions) == (
        "import os\n\nimport fastdeco\n\n\ndef add(x, y):\n    return x + y\n\n\n"
        f"{_SIX}\n\n\n"
        '# demo\nif __name__ == "__main__":\n    print(add(1, 2))\n'
    )


@pytest.mark.parametrize(
    ("existing", "helper", "why"),
    [
        # Sweep O repro_5: the module deletes the name it imported.
        (
            "import numpy as np\n\nTAU = float(np.pi * 2)\ndel np\n",
            ("import numpy as np", "def mean2(xs):\n    return float(np.mean(xs)) * 2"),
            "it needs `import numpy as np`, but the module binds np otherwise",
        ),
        # ... or binds it in a block, to another module: cmath's sqrt, not math's.
        (
            "import sys\n\nif sys.version_info >= (3, 0):\n    import cmath as m\n",
            ("import math as m", "def root(x):\n    return m.sqrt(x)"),
            "it needs `import math as m`, but the module binds m otherwise",
        ),
        (
            "try:\n    from scipy.special import erf\nexcept ImportError:\n    erf = None\n",
            ("from math import erf", "def half(x):\n    return erf(x) / 2"),
            "reads erf, which the module binds as `from scipy.special import erf`",
        ),
    ],
)
def test_a_name_the_module_unbinds_or_binds_in_a_block_is_not_its_import(
    existing: str, helper: tuple[str, str], why: str
) -> None:
    """The helper appended would read the module's binding of the name, not its import's:
    `np` deleted (NameError in every migrated notebook), `m` the cmath module."""
    plan = plan_of(reading("a.ipynb", *helper), reading("b.ipynb", *helper), existing=existing)
    assert [decision.problem for decision in plan.decisions] == [why]
    assert plan.definitions == ()


def test_nothing_to_add_leaves_the_text_as_it_was() -> None:
    assert module_text("x = 1", (), ()) == "x = 1"


# -- writing the module -------------------------------------------------------------------


def test_the_module_is_never_written_over_a_file_changed_since_it_was_read(tmp_path: Path) -> None:
    module = tmp_path / "helpers.py"
    module.write_text("x = 1\n")
    read = read_module(module)
    module.write_text("x = 2  # saved meanwhile\n")
    with pytest.raises(ModuleFileError, match="changed while extracting; not written"):
        write_module(module, "x = 1\ny = 2\n", read)
    assert module.read_text() == "x = 2  # saved meanwhile\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["helpers.py"]


def test_a_new_module_is_never_written_over_a_file_that_appeared(tmp_path: Path) -> None:
    module = tmp_path / "helpers.py"
    read = read_module(module)
    assert read.text is None
    module.write_text("mine = True\n")
    with pytest.raises(ModuleFileError, match="changed while extracting"):
        write_module(module, NEW_MODULE_DOCSTRING, read)
    assert module.read_text() == "mine = True\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["helpers.py"]


def test_a_new_module_is_created_complete(tmp_path: Path) -> None:
    module = tmp_path / "helpers.py"
    write_module(module, NEW_MODULE_DOCSTRING, read_module(module))
    assert module.read_text() == NEW_MODULE_DOCSTRING
    assert sorted(path.name for path in tmp_path.iterdir()) == ["helpers.py"]


def test_other_variants_whose_parameters_are_not_the_chosen_ones_are_listed() -> None:
    """Sweep 17 (statsmodels' examples): three unrelated `f`s were extracted without a word,
    and migrate then kept two of them for their parameters, whatever their calls."""
    plan = plan_of(
        reading("a.ipynb", "def f(x, a, b):\n    return a * x + b", "f(1, 2, 3)"),
        reading("b.ipynb", "def f(x):\n    return x**2"),
        reading("c.ipynb", "def f(g):\n    return g.sum()"),
    )
    choice = plan.decisions[0].choice
    assert choice.variant is not None and choice.variant.first.place == "a.ipynb:cell 1"
    assert [(kept.path.name, kept.cell, kept.problem) for kept in choice.kept] == [
        ("c.ipynb", 1, "its parameters (g) are not helpers.f's (x, a, b)")
    ]


@pytest.mark.parametrize(
    ("fit", "shown"),
    [
        ("popt, _ = curve_fit(model, xs, ys)", "curve_fit"),
        # Sweep 19: imported under another name, as migrate reads it.
        (
            "from scipy.optimize import curve_fit as cf\npopt, _ = cf(model, xs, ys)",
            "cf (curve_fit)",
        ),
        # Sweep 24: used as a value where the notebook names a reader, as migrate reads it.
        ("for fn in [model]:\n    popt, _ = curve_fit(fn, xs, ys)", None),
        # Handed to a reader named by a common word, its package unnamed: as migrate reads it.
        ("print(describe(model))", "describe"),
    ],
)
def test_a_variant_handed_to_a_reader_of_its_parameters_is_listed(
    fit: str, shown: str | None
) -> None:
    """Sweep 18: b.ipynb's `model(x, a, b, c=0.0)` accepts every call and is chosen; a.ipynb
    hands its `model(x, a, b)` to `curve_fit`, which would fit one more coefficient: migrate
    keeps it (NBR250), and extract says so."""
    plan = plan_of(
        reading("a.ipynb", "def model(x, a, b):\n    return a * x + b", fit),
        reading(
            "b.ipynb",
            "def model(x, a, b, c=0.0):\n    return a * x + b + c",
            "model(1, 2, 3, c=4)",
        ),
    )
    choice = plan.decisions[0].choice
    assert choice.variant is not None and choice.variant.first.place == "b.ipynb:cell 1"
    assert [(kept.path.name, kept.cell, kept.problem) for kept in choice.kept] == [
        (
            "a.ipynb",
            1,
            (
                f"cell 2 hands model to {shown}, which reads its parameters: (x, a, b) inline,"
                " (x, a, b, c=0.0) in helpers.model"
                if shown is not None
                else "cell 2 uses model as a value, and the notebook names curve_fit, which reads"
                " the parameters of a function it reaches: (x, a, b) inline, (x, a, b, c=0.0)"
                " in helpers.model"
            ),
        )
    ]


def test_path_order_among_the_variants_accepting_every_call_says_so() -> None:
    """Sweep 26 (statsmodels' f): "first in path order" named a copy after another one in
    path order, which rejected a call: the order is among those accepting every call."""
    rejecting = ("def f(x):\n    return x", "f(1, 2)")
    plan = plan_of(
        reading("a.ipynb", *rejecting),
        reading("b.ipynb", "def f(x, y=0):\n    return x + y"),
        reading("c.ipynb", "def f(x, y=1):\n    return x * y"),
    )
    choice = plan.decisions[0].choice
    assert choice.variant is not None and choice.variant.first.place == "b.ipynb:cell 1"
    assert choice.why == "first in path order of those accepting every call"


def test_a_new_modules_imports_are_laid_out_as_ruff_sorts_them(tmp_path: Path) -> None:
    """Sweep 26 (extract) q57: libcst's order put `import yaml` before `import abc`, and
    `from collections import Counter` after numpy; ruff's isort rules are the oracle."""
    imports = (
        "import yaml\nimport abc\nimport numpy as np\nfrom collections import Counter\n"
        "from os.path import join as pjoin, basename\nfrom __future__ import annotations\n"
        "import zlib\nfrom collections import OrderedDict as OD, defaultdict, ChainMap\n"
    )
    body = (
        "def f(x):\n    return (yaml, abc, np, Counter, pjoin, basename, zlib, OD, defaultdict,"
        " ChainMap, x)"
    )
    plan = plan_of(reading("a.ipynb", imports, body), reading("b.ipynb", imports, body))
    text = module_text(None, plan.imports, plan.definitions)
    assert "import abc\nimport zlib\nfrom collections import" in text
    _assert_ruff_sorted(tmp_path, text)


def test_a_guarded_import_follows_the_imports_after_one_blank_line(tmp_path: Path) -> None:
    """Sweep 26 (iminuit, hist): two blank lines before `try: import scipy.special as sp`
    made ruff's I001 fail on a new module."""
    special = "def f(x):\n    return sp.erf(np.asarray(x))"
    plan = plan_of(
        reading("a.ipynb", "import numpy as np\nimport scipy.special as sp", special),
        reading("b.ipynb", "import numpy as np", special),
    )
    assert [str(spec) for spec in plan.guarded] == ["import scipy.special as sp"]
    text = module_text(None, plan.imports, plan.definitions, plan.guarded)
    assert "import numpy as np\n\ntry:\n    import scipy.special as sp\n" in text
    _assert_ruff_sorted(tmp_path, text)


@pytest.mark.parametrize(
    "old",
    [
        "import os\n\n\ndef old():\n    return os.sep\n",
        "import os\r\n\r\n\r\ndef old():\r\n    return os.sep\r\n",
        "def old():\n    return 1\n",
        '# Helpers.\nSEP = "/"\n',
        '"""Doc."""\n\nfrom __future__ import annotations\n\n\ndef old():\n    return 1\n',
        "from numpy import sum as total\n\n\ndef old(x):\n    return total(x)\n",
        # Sweep 28: a docstring and no import: the block went right under the docstring.
        '"""Helpers."""\n\nSEP = "/"\n\n\ndef old():\n    return 1\n',
        '"""Helpers."""\r\n\r\n\r\ndef old():\r\n    return 1\r\n',
    ],
)
def test_an_existing_modules_imports_stay_as_ruff_sorts_them(tmp_path: Path, old: str) -> None:
    """Extract sweep 27: libcst put `import numpy as np` beside `import os` and after
    `from __future__ import annotations` with no blank line between the sections, and one
    blank line before the module's first `def`: ruff's I001 (and black) flagged a module
    that passed before. ruff is the oracle, for the layout too (`ruff format --check`)."""
    body = "def f(x):\n    return np.sum(x)"
    plan = plan_of(reading("a.ipynb", "import numpy as np", body), reading("b.ipynb", body))
    text = module_text(old, plan.imports, plan.definitions)
    kept = iter(text.splitlines())
    assert all(line in kept for line in old.splitlines() if line.strip())  # in order
    _assert_ruff_sorted(tmp_path, text)
    formatted = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--isolated", "--check", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert formatted.returncode == 0, formatted.stdout + text


@pytest.mark.parametrize(
    ("old", "start"),
    [
        (
            'import os\n"""Not a docstring."""\n\n\ndef old():\n    return os.sep\n',
            'import math\nimport os\n"""Not a docstring."""\n\n\ndef old():\n',
        ),
        # a block in its own order, left as libcst merges it
        ("import sys\nimport os\nX = 1\n", "import sys\nimport os\nimport math\nX = 1\n\n\n"),
    ],
)
def test_a_statement_right_after_the_import_block_stays_right_after_it(
    old: str, start: str
) -> None:
    """Round 73b F7: libcst's merge added a blank line between the block and a statement on
    the line after it; every byte but the import lines stays."""
    body = "def f(x):\n    return math.sqrt(x)"
    plan = plan_of(reading("a.ipynb", "import math", body), reading("b.ipynb", body))
    assert module_text(old, plan.imports, plan.definitions).startswith(start)


def test_an_existing_import_block_in_its_own_order_is_left_as_libcst_merges_it() -> None:
    """A block laid out otherwise than ruff sorts it is the user's: no reordering."""
    old = "import sys\nimport os\n\n\ndef old():\n    return os.sep, sys.argv\n"
    body = "def f(x):\n    return np.sum(x)"
    plan = plan_of(reading("a.ipynb", "import numpy as np", body), reading("b.ipynb", body))
    text = module_text(old, plan.imports, plan.definitions)
    assert text.startswith("import sys\nimport os\nimport numpy as np\n\n\ndef old():")


def _assert_ruff_sorted(tmp_path: Path, text: str) -> None:
    module = tmp_path / "helpers.py"
    module.write_text(text, encoding="utf-8")
    linted = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--select", "I,F", str(module)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert linted.returncode == 0, linted.stdout + text


def test_a_variant_reading_no_notebook_variable_is_chosen_over_one_that_does() -> None:
    """Sweep 26 (nengo's test_doubleintegrator): the variant first in path order read the
    notebook variable `pr_press`, so nothing was extracted; the other one moves."""
    plan = plan_of(
        reading("a.ipynb", "pr_press = 2", "def f(t):\n    return t * pr_press"),
        reading("b.ipynb", "def f(t):\n    return t * 2"),
    )
    (decision,) = plan.decisions
    assert decision.choice.variant is not None
    assert decision.choice.variant.first.place == "b.ipynb:cell 1"
    assert decision.choice.why == "it reads no notebook variable"
    assert decision.problem is None
    assert [definition.name for definition in plan.definitions] == ["f"]


def test_the_one_variant_that_can_move_among_several_says_so() -> None:
    """Re-check 46b: the other variant's copy does not parse, so the one left had no reason,
    and `--list` printed `(chosen: None)`."""
    plan = plan_of(
        reading("a.ipynb", "def f(t):\n    return t"),
        reading("b.ipynb", "def f(t):\n    return t +"),
    )
    (decision,) = plan.decisions
    assert decision.choice.variant is not None
    assert decision.choice.variant.first.place == "a.ipynb:cell 1"
    assert decision.choice.why == "the only variant that can move"


def test_copies_reading_a_notebook_variable_are_listed_as_kept_and_the_choice_says_why() -> None:
    """Sweep 29: two `save_fig` copies reading `IMAGES_PATH`, first in path order, lost to
    two that read none, and the choice said only `first in path order`; nothing said that
    migrate would keep the copies reading it (it does, NBR222)."""
    reads = "def save_fig(fig_id):\n    return IMAGES_PATH + fig_id"
    plan = plan_of(
        reading("a.ipynb", "IMAGES_PATH = 'a/'", reads),
        reading("b.ipynb", "IMAGES_PATH = 'b/'", reads),
        reading("c.ipynb", "def save_fig(fig_id):\n    return 'c/' + fig_id"),
        reading("d.ipynb", "def save_fig(fig_id):\n    return 'd/' + fig_id"),
    )
    (decision,) = plan.decisions
    assert decision.choice.variant is not None
    assert decision.choice.variant.first.place == "c.ipynb:cell 1"
    assert decision.choice.why == "first in path order of those reading no notebook variable"
    assert [(str(kept.path), kept.cell, kept.problem) for kept in decision.choice.kept] == [
        (name, 2, "reads notebook variable IMAGES_PATH (cell 1), which helpers.save_fig cannot see")
        for name in ("a.ipynb", "b.ipynb")
    ]


def test_a_copy_of_the_chosen_text_reading_a_variable_its_notebook_binds_is_listed_as_kept() -> (
    None
):
    """The same text reads a notebook variable only where the notebook binds the name."""
    same = "def f(t):\n    return t * scale"
    plan = plan_of(
        reading("a.ipynb", same),
        reading("b.ipynb", same),
        reading("c.ipynb", "scale = 3", same),
    )
    (decision,) = plan.decisions
    assert decision.choice.variant is not None
    assert decision.choice.variant.first.place == "a.ipynb:cell 1"
    assert [(str(kept.path), kept.cell) for kept in decision.choice.kept] == [("c.ipynb", 2)]


def test_a_generator_copy_of_a_function_is_listed_as_kept() -> None:
    """Sweep 29: migrate keeps a generator where the module's function is not one (NBR257);
    extract said nothing of it."""
    same = "def f(t):\n    return [t]"
    plan = plan_of(
        reading("a.ipynb", same),
        reading("b.ipynb", same),
        reading("c.ipynb", "def f(t):\n    yield t"),
    )
    (decision,) = plan.decisions
    assert decision.choice.variant is not None
    assert decision.choice.variant.first.place == "a.ipynb:cell 1"
    assert [(str(kept.path), kept.cell, kept.problem) for kept in decision.choice.kept] == [
        ("c.ipynb", 1, "a generator, and helpers.f is not: a call would return a generator")
    ]


def test_a_copy_whose_drifted_default_is_computed_by_a_call_is_listed_as_kept() -> None:
    """migrate keeps a copy whose default of other text is computed by a call (NBR237,
    sweep 29); a default that only differs is drift, replaced."""
    same = "def f(t, scale=1.0):\n    return [t * scale]"
    plan = plan_of(
        reading("a.ipynb", same),
        reading("b.ipynb", same),
        reading("c.ipynb", "def f(t, scale=np.random.rand()):\n    return [t * scale]"),
        reading("d.ipynb", "def f(t, scale=2.0):\n    return [t * scale]"),
    )
    (decision,) = plan.decisions
    assert decision.choice.variant is not None
    assert decision.choice.variant.first.place == "a.ipynb:cell 1"
    assert [(str(kept.path), kept.problem) for kept in decision.choice.kept] == [
        (
            "c.ipynb",
            (
                "its default scale=np.random.rand() runs a call when the def runs, which"
                " helpers.f's (1.0) does not: once replaced, it would not run"
            ),
        )
    ]


@pytest.mark.parametrize(
    ("default", "runs"),
    [
        ("(K := 2)", "assigns K"),  # round 59b: it said "runs a call"
        ("(K := (J := 2))", "assigns K and J"),
        ("(K := np.random.rand())", "runs a call"),  # the walrus runs a call too
        ("(K := max(2, 1))", "assigns K"),  # a call that only makes a value
    ],
)
def test_a_drifted_default_that_binds_a_name_is_said_to_assign_it(default: str, runs: str) -> None:
    """A walrus in a default is no call: the reason (NBR237, its code unchanged) names the
    names it binds, unless a call that may change state runs in it too."""
    same = "def f(x, k=2):\n    return x * k"
    plan = plan_of(
        reading("a.ipynb", f"def f(x, k={default}):\n    return x * k"),
        reading("b.ipynb", same),
        reading("c.ipynb", same),
    )
    (decision,) = plan.decisions
    assert [(str(kept.path), kept.problem) for kept in decision.choice.kept] == [
        (
            "a.ipynb",
            (
                f"its default k={default} {runs} when the def runs, which helpers.f's (2)"
                " does not: once replaced, it would not run"
            ),
        )
    ]


def test_a_colab_form_line_above_a_helper_stays_in_the_notebook() -> None:
    """Re-check 29: `#@title Helpers` went into the module with the def's comment; migrate
    keeps it in the cell, which it titles."""
    cell = "#@title Helpers\n# adds one\ndef f(x):\n    return x + 1"
    plan = plan_of(reading("a.ipynb", cell), reading("b.ipynb", cell))
    (definition,) = plan.definitions
    assert definition.source == "# adds one\ndef f(x):\n    return x + 1\n"


def test_an_empty_module_file_gets_no_leading_blank_lines() -> None:
    """Sweep 26 (extract) e17: an empty helpers.py became two blank lines, then the def."""
    same = "def f(t):\n    return t"
    plan = plan_of(reading("a.ipynb", same), reading("b.ipynb", same))
    assert module_text("", plan.imports, plan.definitions) == "def f(t):\n    return t\n"


@pytest.mark.parametrize(
    ("statement", "escapes"),
    [
        ("try:\n    import x\nexcept ImportError:\n    x = None", False),
        ("try:\n    import x\nexcept ImportError:\n    install()\n    import x", True),
        ("try:\n    import x\nexcept ImportError:\n    import y as x", False),
        ("try:\n    if ok:\n        import x\nexcept ImportError:\n    import x", False),
        ("try:\n    import x\nexcept KeyError:\n    pass", True),
    ],
)
def test_a_try_proves_its_import_when_no_handler_goes_on_without_it(statement, escapes):
    """Sweep 28: the Colab form (`except ImportError: %pip install x` / `import x`) imports
    x on both paths; a handler that binds something else, or nested imports, prove nothing."""
    import ast

    from nbrefactor.extract.optional import _failure_escapes

    node = ast.parse(statement).body[0]
    assert isinstance(node, ast.Try)
    assert _failure_escapes(node) is escapes


def test_two_calls_of_one_cell_failing_alike_are_one_unbound_call() -> None:
    """Sweep 30: botorch's cell 20 was listed twice, word for word."""
    common = "def f(t):\n    return t"
    plan = plan_of(
        reading("a.ipynb", common, "f(1)"),
        reading("b.ipynb", common),
        reading("c.ipynb", common, "f(1, 2)\nf(3, 4)"),
    )
    choice = plan.decisions[0].choice
    assert [(call.path.name, call.cell) for call in choice.unbound_calls] == [("c.ipynb", 2)]


@pytest.mark.parametrize(
    ("other", "problem"),
    [
        ("@functools.lru_cache\ndef f(t):\n    return t", "its decorators (@functools.lru_cache)"),
        ("def f(t):\n    return globals()['t0'] + t", "through globals()"),
    ],
)
def test_a_variant_migrate_keeps_for_its_decorators_or_namespace_is_listed(
    other: str, problem: str
) -> None:
    """Re-check 30: extract said "another body, which migrate replaces with this one" of a
    copy migrate keeps (NBR229, NBR234)."""
    common = "def f(t):\n    return t"
    plan = plan_of(
        reading("a.ipynb", common), reading("b.ipynb", common), reading("c.ipynb", other)
    )
    kept = plan.decisions[0].choice.kept
    assert [(k.path.name, k.cell) for k in kept] == [("c.ipynb", 1)]
    assert problem in kept[0].problem


def test_a_variant_whose_decorators_differ_only_in_spelling_is_not_said_kept() -> None:
    """Re-check 31: `@lru_cache` after `from functools import lru_cache` is migrate's
    `@functools.lru_cache` (it reads each through the imports): migrate replaced the copy
    extract said it keeps."""
    spelled = "import functools\n\n@functools.lru_cache(maxsize=None)\ndef f(t):\n    return t"
    imported = (
        "from functools import lru_cache\n\n@lru_cache(maxsize=None)\ndef f(t):\n    return t"
    )
    plan = plan_of(
        reading("a.ipynb", spelled), reading("b.ipynb", spelled), reading("c.ipynb", imported)
    )
    assert plan.decisions[0].choice.kept == ()


def test_a_variant_whose_decorator_is_another_modules_of_the_same_name_is_said_kept() -> None:
    """Re-check 32: `@mylib.cache` is not `@functools.cache`, though both end in `cache`:
    migrate keeps that copy, which extract said it replaces."""
    chosen = "import functools\n\n@functools.cache\ndef f(t):\n    return t"
    other = "import mylib\n\n@mylib.cache\ndef f(t):\n    return t"
    plan = plan_of(
        reading("a.ipynb", chosen), reading("b.ipynb", chosen), reading("c.ipynb", other)
    )
    kept = plan.decisions[0].choice.kept
    assert [(k.path.name, k.cell) for k in kept] == [("c.ipynb", 1)]
    assert "its decorators (@mylib.cache)" in kept[0].problem


def test_a_variant_whose_decorator_migrate_does_not_know_to_only_wrap_is_said_kept() -> None:
    """Re-check 33: `@memo(maxsize=None)`, `memo` being `functools.lru_cache`, runs a call
    migrate does not know when the def runs: it keeps that copy (`DecoratorRuns`)."""
    chosen = "import functools\n\n@functools.lru_cache(maxsize=None)\ndef f(t):\n    return t"
    other = (
        "from functools import lru_cache as memo\n\n@memo(maxsize=None)\ndef f(t):\n    return t"
    )
    plan = plan_of(
        reading("a.ipynb", chosen), reading("b.ipynb", chosen), reading("c.ipynb", other)
    )
    kept = plan.decisions[0].choice.kept
    assert [(k.path.name, k.cell) for k in kept] == [("c.ipynb", 1)]
    assert "@memo(maxsize=None) runs" in kept[0].problem


@pytest.mark.parametrize(
    ("existing", "why"),
    [
        (
            "def log(msg):\n    print(msg)\n",
            (
                "reads log, which the module defines otherwise (its parameters (fn) are not"
                " helpers.log's (msg))"
            ),
        ),
        ("class log:\n    pass\n", "reads log, which the module binds otherwise than by a def"),
        (
            "async def log(fn):\n    return fn\n",
            "reads log, which the module defines as an async def",
        ),
    ],
)
def test_a_helper_reading_a_function_the_module_defines_otherwise_is_skipped(
    existing: str, why: str
) -> None:
    """Round 48b: the module's own `log(msg)` became the decorator of the notebooks' `@log def
    add` (their `log` wraps), and printed when the module was imported."""
    cell = (
        "def log(fn):\n    return fn\n\n\n@log\ndef add(a, b=1):\n    return a + b\n\n\n"
        "def double(x):\n    return 2 * x"
    )
    plan = plan_of(reading("a.ipynb", cell), reading("b.ipynb", cell), existing=existing)
    problems = {decision.name: decision.problem for decision in plan.decisions}
    assert problems["add"] == why
    assert problems["double"] is None
    assert [definition.name for definition in plan.definitions] == ["double"]


def test_a_helper_reading_a_function_the_module_defines_with_its_parameters_moves() -> None:
    """A drifted body is migrate's to replace (and say so): the same parameters stand."""
    cell = "def fmt(v):\n    return str(v)\n\n\ndef show(v):\n    print(fmt(v))"
    existing = "def fmt(v):\n    return repr(v)\n"
    plan = plan_of(reading("a.ipynb", cell), reading("b.ipynb", cell), existing=existing)
    assert [definition.name for definition in plan.definitions] == ["show"]


def test_copies_differing_only_in_an_inner_functions_docstring_are_one_variant() -> None:
    """Round 49c (spaghetti's `arc_labels`): only the outer docstring was left out, so two
    such copies were two variants, and path order chose a third body."""
    copy = "def lab(xs):\n    def _loc(x):\n        '''{}'''\n        return x + 1\n    return [_loc(x) for x in xs]"
    plan = plan_of(
        reading("a.ipynb", copy.format("Where the label goes.")),
        reading("b.ipynb", copy.format("Helper for labels.")),
    )
    (decision,) = plan.decisions
    assert len(decision.helper.variants) == 1


@pytest.mark.parametrize(
    ("module", "folder", "other_import", "guarded"),
    [
        # Round 49c (bambi): a notebook importing `bambi.interpret.helpers` was taken for one
        # importing the module `helpers` (written into `work/`), and its imports were guarded.
        ("helpers", "/tmp/work", "from bambi.interpret.helpers import data_grid", []),
        ("helpers", "/tmp/work", "import os.helpers", []),
        # this one, in its folder
        ("helpers", "/tmp/work", "from work.helpers import show", ["import numpy as np"]),
        # The module `pkg.helpers`, written into `work/pkg`: `work.pkg.helpers` is it, found
        # from the folder above `work`; `other.pkg.helpers` is not.
        ("pkg.helpers", "/tmp/work/pkg", "from other.pkg.helpers import show", []),
        (
            "pkg.helpers",
            "/tmp/work/pkg",
            "from work.pkg.helpers import show",
            ["import numpy as np"],
        ),
    ],
)
def test_only_an_import_of_this_module_makes_a_notebook_its_importer(
    module: str, folder: str, other_import: str, guarded: list[str]
) -> None:
    shown = "def show(x):\n    return np.asarray(x)"
    plan = plan_extraction(
        [
            reading("a.ipynb", "import numpy as np", shown),
            reading("b.ipynb", "import numpy as np", shown),
            reading("c.ipynb", other_import),
        ],
        module,
        module_folder=Path(folder),
    )
    assert [str(spec) for spec in plan.guarded] == guarded


def test_a_helper_migrate_keeps_everywhere_is_skipped_unless_a_moving_helper_needs_it() -> None:
    """Round 49c F4: a module holding a function that no notebook would import. Kept
    everywhere (`unmoved`, from migrate's dry run), a helper is not extracted; one that
    another extracted helper calls still goes in, brought by it."""
    cells = [
        "def g(x):\n    return x + 1",
        "def f(x):\n    return g(x) * 2",
        "def h(x):\n    return -x",
    ]
    notebooks = [reading("a.ipynb", *cells), reading("b.ipynb", *cells)]
    reason = "migrate would keep every definition of it (a.ipynb:cell 3: ...)"
    plan = plan_extraction(notebooks, "helpers", unmoved={"g": reason, "h": reason})
    decisions = {decision.name: decision.problem for decision in plan.decisions}
    assert decisions == {"g": None, "f": None, "h": reason}
    assert [definition.name for definition in plan.definitions] == ["g", "f"]
    plan = plan_extraction(notebooks, "helpers", unmoved={"g": reason, "f": reason})
    assert {decision.name: decision.problem for decision in plan.decisions} == {
        "g": reason,
        "f": reason,
        "h": None,
    }
    assert [definition.name for definition in plan.definitions] == ["h"]


@pytest.mark.parametrize(
    ("chosen", "other", "same"),
    [
        # a copy that grew a keyword, its default the value the others write in (the fixture)
        (
            'def smooth(v, window=5, mode="valid"):\n    return conv(v, window, mode=mode)',
            'def smooth(v, window=5):\n    return conv(v, window, mode="valid")',
            True,
        ),
        # round 50b, sktime's fetch_yahoo: the default is not the value written in
        (
            'def fetch(t):\n    return (t, "2000-01-01")',
            'def fetch(t, begin="1998-01-01"):\n    return (t, begin)',
            False,
        ),
        # round 50b, sbi's simulators: other bodies
        (
            "def sim(theta):\n    return theta + 1.0",
            "def sim(theta):\n    return theta + 0.1",
            False,
        ),
        # a list default is one list for every call; a literal is a new one each time
        ("def f(x, acc=[]):\n    return acc + [x]", "def f(x):\n    return [] + [x]", False),
        # the body rebinds the parameter: read as its default, it would not be
        (
            "def f(x, n=2):\n    n += 1\n    return x * n",
            "def f(x):\n    n = 2\n    n += 1\n    return x * n",
            False,
        ),
        # a required parameter only one has
        ("def f(x, y):\n    return x * 2", "def f(x):\n    return x * 2", False),
        # docstrings aside
        ('def f(x):\n    """Twice."""\n    return x * 2', "def f(x):\n    return x * 2", True),
        # round 51a: a shared parameter's defaults differ (b printed 20 for 30)
        ("def scale(x, k=2):\n    return x * k", "def scale(x, k=3):\n    return x * k", False),
        # round 51a: the body rebinds the parameter otherwise than by `=`
        (
            (
                "def f(x, bad=0):\n    try:\n        int(x)\n    except ValueError as bad:\n"
                "        pass\n    return repr(bad)"
            ),
            (
                "def f(x):\n    try:\n        int(x)\n    except ValueError as bad:\n"
                "        pass\n    return repr(0)"
            ),
            False,
        ),
        (
            "def f(x, n=2):\n    import n\n    return x * n",
            "def f(x):\n    import n\n    return x * 2",
            False,
        ),
        # round 57b: `locals()` (`vars()`, `dir()`) lists the parameter the body never names
        (
            "def train(lr=0.1, epochs=10):\n    return dict(locals())",
            "def train(lr=0.1):\n    return dict(locals())",
            False,
        ),
        ("def f(x, y=1):\n    return sorted(dir())", "def f(x):\n    return sorted(dir())", False),
        ("def f(x, y=1):\n    return vars(x)", "def f(x):\n    return vars(x)", True),
    ],
)
def test_variants_are_one_function_when_their_bodies_agree_with_defaults_read_in(
    chosen: str, other: str, same: bool
) -> None:
    first, second = reading("a.ipynb", chosen), reading("b.ipynb", other)
    assert (difference(first.definitions[0], second.definitions[0]) is None) is same
    assert (difference(second.definitions[0], first.definitions[0]) is None) is same


def test_a_helper_whose_variants_are_other_functions_is_skipped_unless_from_chooses() -> None:
    """Round 50b: extract chose sbi's restriction `simulator` (first in path order) and
    migrate put it in place of the linear ones, which then failed."""
    notebooks = [
        reading("a.ipynb", "def sim(theta):\n    return theta + 0.5", "sim(1)"),
        reading("b.ipynb", "def sim(theta):\n    return theta + 1.0", "sim(2)"),
        reading("c.ipynb", "def sim(theta):\n    return theta + 1.0", "sim(3)"),
    ]
    plan = plan_of(*notebooks)
    assert plan.definitions == ()
    assert plan.decisions[0].problem == (
        "its variants may be other functions of that name (a.ipynb:cell 1 differs from"
        " b.ipynb:cell 1 in more than defaults); --from PATH:CELL chooses the one that migrate"
        " would put in place of the others"
    )
    chosen = plan_extraction(
        notebooks, "helpers", chosen_places={(str(Path("a.ipynb").resolve()), 1)}
    )
    assert [definition.place for definition in chosen.definitions] == ["a.ipynb:cell 1"]


@pytest.mark.parametrize("line", ["!echo {msg}", "%time x = 1"])
def test_a_variant_whose_body_holds_ipython_syntax_is_another_function(line: str) -> None:
    """Round 73b F3: such a variant cannot move and was not compared, and migrate then put
    the chosen one in its place: `Good bye` and `good bye` became `GOOD BYE`."""
    chosen = "def shout(msg):\n    print(msg.upper())"
    notebooks = [
        reading("a.ipynb", chosen, "shout('a')"),
        reading("b.ipynb", chosen, "shout('b')"),
        reading("c.ipynb", f"def shout(msg):\n    {line}\n    print(msg.lower())", "shout('c')"),
    ]
    plan = plan_of(*notebooks)
    assert plan.definitions == ()
    assert plan.decisions[0].problem == (
        "its variants may be other functions of that name (c.ipynb:cell 1 differs from"
        " a.ipynb:cell 1 in IPython syntax); --from PATH:CELL chooses the one that migrate"
        " would put in place of the others"
    )


def test_the_variants_differing_are_named_each_once() -> None:
    cells = {"a": "theta + 0.5", "b": "theta + 1.0", "c": "theta * 2", "d": "theta + 1.0"}
    notebooks = [
        reading(f"{name}.ipynb", f"def sim(theta):\n    return {body}", "sim(1)")
        for name, body in cells.items()
    ]
    assert plan_of(*notebooks).decisions[0].problem == (
        "its variants may be other functions of that name (a.ipynb:cell 1, c.ipynb:cell 1 differ"
        " from b.ipynb:cell 1 in more than defaults); --from PATH:CELL chooses the one that"
        " migrate would put in place of the others"
    )


@pytest.mark.parametrize(
    ("dependency", "extracted"),
    [
        # Round 52d: `show` brought `fmt` along, itself skipped for its variants, and
        # migrate then put a.ipynb's `fmt` in place of b.ipynb's: `[ab]` became `[AB]`.
        ("fmt", ()),
        # A private one is not replaced by migrate: each notebook keeps its own.
        ("_fmt", ("_fmt", "show")),
    ],
)
def test_a_helper_bringing_one_whose_variants_may_be_other_functions_is_skipped(
    dependency: str, extracted: tuple[str, ...]
) -> None:
    show = f"def show(v):\n    return '[' + {dependency}(v) + ']'"
    notebooks = [
        reading("a.ipynb", f"def {dependency}(v):\n    return v.upper()", show, "show('ab')"),
        reading("b.ipynb", f"def {dependency}(v):\n    return v.lower()", show, "show('ab')"),
    ]
    plan = plan_of(*notebooks)
    assert tuple(definition.name for definition in plan.definitions) == extracted
    problems = {decision.name: decision.problem for decision in plan.decisions}
    if extracted:
        assert problems["show"] is None
    else:
        assert problems["show"] == f"needs fmt: {problems['fmt']}"
        assert problems["fmt"].startswith("its variants may be other functions of that name")


def test_a_helper_named_alone_that_brings_one_whose_variants_differ_is_skipped() -> None:
    """`--name show` alone brought `fmt` too, and migrate put it in place of b.ipynb's."""
    show = "def show(v):\n    return '[' + fmt(v) + ']'"
    notebooks = [
        reading("a.ipynb", "def fmt(v):\n    return v.upper()", show, "show('ab')"),
        reading("b.ipynb", "def fmt(v):\n    return v.lower()", show, "show('ab')"),
    ]
    plan = plan_extraction(notebooks, "helpers", names=("show",))
    assert plan.definitions == ()
    [decision] = plan.decisions
    assert decision.problem is not None
    assert decision.problem.startswith("needs fmt: its variants may be other functions")


@pytest.mark.parametrize(
    ("cells", "said"),
    [
        # Round 52a: "in more than defaults" where only the default of k differed.
        (
            {
                "a": "k=2):\n    return x * k",
                "b": "k=2):\n    return x * k",
                "c": "k=3):\n    return x * k",
            },
            "c.ipynb:cell 1 differs from a.ipynb:cell 1 in the default of k",
        ),
        (
            {
                "a": "k=2):\n    return x * k",
                "b": "k=2):\n    return x * k",
                "c": "k=3):\n    return x * k",
                "d": "k=2):\n    return x + k",
            },
            (
                "c.ipynb:cell 1 (the default of k), d.ipynb:cell 1 (more than defaults) differ from"
                " a.ipynb:cell 1"
            ),
        ),
    ],
)
def test_what_the_variants_differ_in_is_said(cells: dict[str, str], said: str) -> None:
    notebooks = [
        reading(f"{name}.ipynb", f"def scale(x, {rest}", "scale(1)") for name, rest in cells.items()
    ]
    assert plan_of(*notebooks).decisions[0].problem == (
        f"its variants may be other functions of that name ({said}); --from PATH:CELL chooses"
        " the one that migrate would put in place of the others"
    )


@pytest.mark.parametrize(
    "old",
    [
        None,  # a new module
        "from os.path import abspath, basename, dirname, exists, expanduser, isdir, isfile\n",
        "from os.path import (\n    abspath,\n    basename,\n)\n",  # as ruff format wraps it
    ],
)
def test_a_from_import_longer_than_a_line_is_wrapped_as_ruff_wraps_it(
    tmp_path: Path, old: str | None
) -> None:
    """Round 76c F2, F3: a 91-character `from os.path import ...` failed ruff's I001, and a
    wrapped block was not laid out again."""
    names = "abspath, basename, dirname, exists, expanduser, isdir, isfile, splitext"
    body = f"def f(p):\n    return [{names}]"
    plan = plan_of(
        reading("a.ipynb", f"from os.path import {names}", body), reading("b.ipynb", body)
    )
    text = module_text(old, plan.imports, plan.definitions)
    assert "from os.path import (\n    abspath,\n    basename,\n    dirname," in text
    _assert_ruff_sorted(tmp_path, text)
