"""The catalog is read from the target package's source, never by importing it."""

from __future__ import annotations

import ast
import re
import subprocess
import sys

import pytest
from conftest import REPO

from nbrefactor.analysis.catalog import CatalogError, ParameterKind, load_catalog
from nbrefactor.analysis.events import CallShape
from nbrefactor.analysis.library_function import signature_too_deep
from nbrefactor.rules.signatures import binding_problem

SIX = {
    "visualize_gradient_norms",
    "visualize_attention_matrix",
    "visualize_entropy_heatmap",
    "visualize_normalized_entropy",
    "visualize_entropy_vs_gradient",
    "visualize_training_progress",
}


def test_viz_utils_catalog_has_the_six_functions_and_the_legacy_name(catalog):
    assert catalog.module == "viz_utils"
    assert set(catalog.functions) == SIX
    assert dict(catalog.legacy_names) == {"plot_training_metrics": "visualize_training_progress"}
    assert (
        catalog.function_for("plot_training_metrics").qualified_name
        == "viz_utils.visualize_training_progress"
    )


def test_signatures_are_read_with_kinds_and_defaults(catalog):
    parameters = catalog.functions["visualize_gradient_norms"].parameters
    assert [p.name for p in parameters] == [
        "grad_norm_values",
        "pruned_heads",
        "revived_heads",
        "title",
        "save_path",
        "ax",
        "cmap",
        "vmin",
        "vmax",
        "figsize",
        "kwargs",
    ]
    assert parameters[0].default is None
    assert parameters[3].default == "'Gradient Norms'"
    assert parameters[5].kind is ParameterKind.KEYWORD_ONLY
    assert parameters[-1].kind is ParameterKind.VAR_KEYWORD


def _write_package(root, body, name="mylib"):
    package = root / name
    package.mkdir()
    (package / "__init__.py").write_text(body)
    return package


def test_dotted_name_found_in_current_folder_without_importing(tmp_path, monkeypatch):
    _write_package(
        tmp_path,
        "raise RuntimeError('imported!')\n__all__ = ['plot']\ndef plot(x, y=1):\n    pass\n",
    )
    monkeypatch.chdir(tmp_path)
    catalog = load_catalog("mylib")
    assert catalog.module == "mylib"
    assert list(catalog.functions) == ["plot"]
    assert "mylib" not in sys.modules


def test_a_module_file_that_is_a_link_is_imported_by_the_links_name(tmp_path):
    """Extract sweep 27: `helpers.py -> lib/real.py` is `import helpers` from its folder (the
    import system finds the link), not `real`, which no kernel there finds."""
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "__init__.py").write_text("")
    (tmp_path / "lib" / "real.py").write_text("def plot(x):\n    pass\n")
    (tmp_path / "helpers.py").symlink_to(tmp_path / "lib" / "real.py")
    catalog = load_catalog(str(tmp_path / "helpers.py"))
    assert catalog.module == "helpers"
    assert list(catalog.functions) == ["plot"]


def test_folder_path_and_reexports_from_submodules(tmp_path):
    package = _write_package(
        tmp_path,
        "from .plots import draw as draw_it, _private\n__all__ = ['draw_it']\n"
        "__legacy_names__ = {'old_draw': 'draw_it'}\n",
    )
    (package / "plots.py").write_text(
        "def draw(a, *rest, key=None, **options):\n    pass\ndef _private():\n    pass\n"
    )
    catalog = load_catalog(str(package))
    assert catalog.module == "mylib"
    kinds = [p.kind for p in catalog.functions["draw_it"].parameters]
    assert kinds == [
        ParameterKind.POSITIONAL_OR_KEYWORD,
        ParameterKind.VAR_POSITIONAL,
        ParameterKind.KEYWORD_ONLY,
        ParameterKind.VAR_KEYWORD,
    ]
    call = CallShape(9, ("anything",), unpacks=False)
    assert binding_problem(catalog.functions["draw_it"], call) is None
    assert catalog.current_name("old_draw") == "draw_it"


@pytest.mark.parametrize(
    ("rebinding", "body"),
    [
        ("f = _twice(f)", None),
        ("for f in []:\n    pass", None),
        ("def f(x):\n    return x * 3", "return x * 3"),  # the package's own def
        ("from .other import f", "return x * 5"),  # the last re-export
    ],
)
def test_a_reexport_rebound_later_is_not_the_submodules_function(tmp_path, rebinding, body):
    """Sweep R repro_6: `from mylib import f` binds what `__init__` set last, the wrapper,
    not `sub.f`, whose text a copy would be compared with."""
    package = _write_package(
        tmp_path,
        "from .sub import f, g\n\ndef _twice(fn):\n    return fn\n\n"
        f"{rebinding}\n__all__ = ['f', 'g']\n",
    )
    (package / "sub.py").write_text("def f(x):\n    return x + 1\ndef g(x):\n    return x\n")
    (package / "other.py").write_text("def f(x):\n    return x * 5\n")
    catalog = load_catalog(str(package))
    if body is None:
        assert "f" not in catalog.functions
    else:
        node = catalog.functions["f"].node
        assert node is not None and ast.unparse(node).endswith(body)
    assert "g" in catalog.functions


_SMOOTH = "def smooth(values, window=3):\n    return [v * window for v in values]\n"
_KERNEL = "def kernel(a):\n    return a\n"


@pytest.mark.parametrize(
    ("init", "files", "is_function"),
    [
        ("from .core import smooth\nfrom .smooth import kernel\n", {}, False),
        ("from .core import smooth\nimport mylib.smooth\n", {}, False),
        (
            "from .core import smooth\ntry:\n    from .smooth import kernel\nexcept ImportError:\n    pass\n",
            {},
            False,
        ),
        (_SMOOTH + "from .smooth import kernel\n", {}, False),  # the package's own def
        # Loaded by another submodule, after the name is bound.
        (
            "from .core import smooth\nfrom .report import summary\n",
            {"report.py": "from .smooth import kernel\n\ndef summary():\n    return 1\n"},
            False,
        ),
        ("from .smooth import smooth\n", {"smooth.py": _SMOOTH}, True),  # loaded, then bound
        ("from .smooth import kernel\nfrom .core import smooth\n", {}, True),  # loaded before
        (
            "from .core import smooth\nfrom .smooth import kernel\nfrom .core import smooth\n",
            {},
            True,  # bound again after
        ),
        # core loads the submodule itself, before `smooth` is bound in the package.
        (
            "from .core import smooth\nfrom .smooth import kernel\n",
            {"core.py": "from .smooth import kernel\n" + _SMOOTH},
            True,
        ),
        # Re-check 30: a star import binds it too; the star's module is imported first.
        (
            "from .core import *\nfrom .smooth import kernel\n",
            {"core.py": "__all__ = ['smooth']\n" + _SMOOTH},
            False,
        ),
        # Re-check 31: a star import of the submodule itself binds only what it holds.
        ("from .core import smooth\nfrom .smooth import *\n", {}, False),
        (
            "from .core import smooth\nfrom .smooth import *\n",
            {"smooth.py": "__all__ = ['kernel']\n" + _KERNEL + _SMOOTH},
            False,
        ),
        ("from .core import smooth\nfrom .smooth import *\n", {"smooth.py": _SMOOTH}, True),
        # One `try` block: its first import binds the name before the second loads smooth.
        (
            "try:\n    from .core import smooth\n    from .smooth import kernel\nexcept ImportError:\n    pass\n",
            {},
            False,
        ),
        # Never imported by the package: the notebook's `import mylib.smooth` would take it.
        ("from .core import smooth\n", {}, False),
        (
            "from .core import smooth\nif TYPE_CHECKING:\n    from .smooth import kernel\n",
            {},
            False,
        ),
        # A namespace folder is a submodule too.
        ("from .core import smooth\nfrom .smooth.k import kernel\n", {"smooth.py": None}, False),
    ],
)
def test_a_submodule_imported_after_a_name_takes_it(tmp_path, init, files, is_function):
    """Sweep 30: importing `mylib.smooth` for the first time sets the package's `smooth` to
    the submodule, over the function bound before; a copy was replaced, and the notebook's
    `smooth([1, 2])` raised "'module' object is not callable"."""
    package = _write_package(tmp_path, init + "\ndef other(x):\n    return x\n")
    (package / "core.py").write_text(_SMOOTH)
    (package / "smooth.py").write_text(_KERNEL)
    for name, text in files.items():
        if text is None:  # a folder without `__init__.py` instead
            (package / name).unlink()
            (package / "smooth").mkdir()
            (package / "smooth" / "k.py").write_text(_KERNEL)
        else:
            (package / name).write_text(text)
    catalog = load_catalog(str(package))
    assert ("smooth" in catalog.functions) is is_function
    assert "other" in catalog.functions


@pytest.mark.parametrize(
    ("sub_init", "files"),
    [
        # Re-check 30: `from .sub import *` binds sub's `smooth`, which sub's submodule took.
        ("from .core import smooth\nfrom .smooth import kernel\n", {}),
        ("from .core import smooth\nfrom .smooth import kernel\n__all__ = ['smooth']\n", {}),
    ],
)
@pytest.mark.parametrize("init", ["from .sub import *\n", "from .sub import smooth\n"])
def test_a_subpackages_name_its_submodule_takes_is_not_a_function(tmp_path, init, sub_init, files):
    package = _write_package(tmp_path, init + "\ndef other(x):\n    return x\n")
    sub = package / "sub"
    sub.mkdir()
    (sub / "__init__.py").write_text(sub_init)
    (sub / "core.py").write_text(_SMOOTH)
    (sub / "smooth.py").write_text(_KERNEL)
    functions = load_catalog(str(package)).functions
    assert "smooth" not in functions
    assert "other" in functions


@pytest.mark.parametrize(
    ("init", "sub_init", "is_function"),
    [
        ("from .smooth import smooth\nfrom .sub import *\n", "from .smooth import kernel\n", False),
        (
            "from .smooth import smooth\nimport mylib.sub.smooth\nfrom .sub import *\n",
            "",
            False,
        ),
        (
            "from .smooth import smooth\nfrom .sub import *\n",
            "__all__ = ['kernel']\nfrom .smooth import kernel\n",
            True,
        ),
        # Re-check 33: `sub.smooth`, never imported while the package is, is no name of sub.
        (
            "from .smooth import smooth\nfrom .sub import *\n",
            "def kernel(a):\n    return a\n",
            True,
        ),
    ],
)
def test_a_subpackages_star_binds_its_submodules(tmp_path, init, sub_init, is_function):
    """Re-check 32: `sub.smooth`, loaded, is one of `sub`'s names, which `from .sub import *`
    binds over the package's function; the notebook's call raised "'module' object is not
    callable"."""
    package = _write_package(tmp_path, init + "\ndef other(x):\n    return x\n")
    (package / "smooth.py").write_text(_SMOOTH)
    sub = package / "sub"
    sub.mkdir()
    (sub / "__init__.py").write_text(sub_init)
    (sub / "smooth.py").write_text(_KERNEL)
    functions = load_catalog(str(package)).functions
    assert ("smooth" in functions) is is_function
    assert "other" in functions


def test_a_subpackages_all_that_cannot_be_read_does_not_refuse_the_package(tmp_path):
    """Re-check 30: an `__all__` the package never needs (`sub`'s, reading `impl`'s computed
    one) refused the run."""
    package = _write_package(tmp_path, "from .sub import smooth\n")
    sub = package / "sub"
    sub.mkdir()
    (sub / "__init__.py").write_text(
        "from . import impl\nfrom .core import smooth\n__all__ = impl.__all__ + ['smooth']\n"
    )
    (sub / "impl.py").write_text("__all__ = [n for n in dir() if not n.startswith('_')]\n")
    (sub / "core.py").write_text(_SMOOTH)
    assert set(load_catalog(str(package)).functions) == {"smooth"}


def test_a_package_whose_only_function_a_submodule_takes_says_so(tmp_path):
    package = _write_package(
        tmp_path, "from .core import smooth\nfrom .smooth import kernel\n__all__ = ['smooth']\n"
    )
    (package / "core.py").write_text(_SMOOTH)
    (package / "smooth.py").write_text(_KERNEL)
    with pytest.raises(
        CatalogError,
        match=r"declares no public functions \(smooth: the submodule mylib\.smooth, imported after"
        r" it, takes the name\)",
    ):
        load_catalog(str(package))


@pytest.mark.parametrize(
    "rebinding",
    [
        "try:\n    from _speedups import smooth\nexcept ImportError:\n    pass",
        "if FAST:\n    from _speedups import smooth",
        "if FAST:\n    def smooth(xs):\n        return xs",
        "smooth = other",  # as before
    ],
)
def test_a_def_the_module_may_rebind_later_is_not_a_function_of_the_catalog(tmp_path, rebinding):
    """Sweep W repro_7: the notebook's copy was replaced by `_speedups.smooth`, which the
    import bound (1.23 became 1.2), with no word: the `def` is not what the import binds."""
    path = tmp_path / "lib.py"
    text = f"FAST = True\n\ndef smooth(xs):\n    return xs\n\ndef other(xs):\n    return xs\n\n{rebinding}\n"
    path.write_text(text, encoding="utf-8")
    assert sorted(load_catalog(str(path)).functions) == ["other"]


def test_a_def_above_a_star_import_is_not_a_function_of_the_catalog(tmp_path):
    """Sweep 20 repro_3: `def sqrt` then `from math import *` binds math's sqrt, which the
    notebook's copy was replaced with (`sqrt(-4)` raised ValueError); a def below it stays."""
    path = tmp_path / "lib.py"
    text = (
        "def sqrt(x):\n    return x ** 0.5\n\nfrom math import *\n\ndef other(x):\n    return x\n"
    )
    path.write_text(text, encoding="utf-8")
    assert sorted(load_catalog(str(path)).functions) == ["other"]


def test_without_all_public_top_level_functions_are_the_catalog(tmp_path):
    package = _write_package(
        tmp_path,
        "def shown(x):\n    pass\ndef _hidden(x):\n    pass\nclass NotAFunction:\n    pass\n",
    )
    assert set(load_catalog(str(package)).functions) == {"shown"}


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("__all__ = names()\n", "__init__.py:1: __all__ must list its names as literals"),
        ("def f(:\n", "syntax error"),
        ("x = 1\0\n", "__init__.py: syntax error: source code string cannot contain null bytes"),
        ("x = 1\n", "declares no public functions"),
        (  # sweep 31: a RecursionError traceback from `ast.unparse` (Python imports it)
            "def f(x, y=" + "+".join(["1"] * 500) + "):\n    return x\n",
            "__init__.py:1: f: a default, annotation or decorator nests too deeply to read",
        ),
        (  # nor can Python parse this one
            "x = " + "+".join(["1"] * 200_000) + "\n",
            "__init__.py: nested too deeply for Python to parse",
        ),
        (  # sweep 30: an optional dependency's re-export was "declares no public functions"
            "try:\n    from .torch_plots import plot_loss\nexcept ImportError:\n    pass\n",
            "declares no public functions (plot_loss: imported in a block (try, if) that may not",
        ),
        (  # sweep 30: lazy exports (PEP 562) were "declares no public functions", unexplained
            (
                "import lazy_loader as lazy\n"
                "__getattr__, __dir__, __all__ = lazy.attach(__name__, submod_attrs={'p': ['f']})\n"
            ),
            "declares no public functions (a module __getattr__ binds names on use",
        ),
        (
            "__all__ = ['f']\ndef __getattr__(name):\n    raise AttributeError(name)\n",
            "give the module that defines them: --module path/to/that_module.py)",
        ),
        (  # sweep 20 repro_3: its one def is math's sqrt, not the text that can be read
            "def sqrt(x):\n    return x ** 0.5\n\nfrom math import *\n",
            "declares no public functions (sqrt: bound again later in the module)",
        ),
        (  # sweep 25 F7: the message said only "declares no public functions"
            "async def fetch(url):\n    return url\n\nasync def _get():\n    pass\n",
            "declares no public functions (fetch: async def, which nbrefactor does not replace)",
        ),
        (
            "def f():\n    pass\n__legacy_names__ = {'old': 'missing'}\n",
            "which is not a public function",
        ),
        (  # sweep 29: d2's copy was replaced by f, which printed another thing
            "def f():\n    pass\ndef d2():\n    pass\n__legacy_names__ = {'d2': 'f'}\n",
            "names 'd2' as a legacy name, which is a public function of the module too",
        ),
        (  # sweep 29: `from l3 import f as f` was written
            "def f():\n    pass\n__legacy_names__ = {'f': 'f'}\n",
            "names 'f' as a legacy name, which is a public function of the module too",
        ),
    ],
)
def test_unusable_packages_are_reported(tmp_path, source, message):
    package = _write_package(tmp_path, source)
    with pytest.raises(CatalogError, match=re.escape(message)):
        load_catalog(str(package))


@pytest.mark.parametrize(
    ("init", "files", "message"),
    [
        (
            "from .gone import f\n\ndef g(x):\n    return x\n",
            {},
            "__init__.py:1: imports pk.gone, which is not there: importing pk would fail",
        ),
        ("from . import bad\n\ndef g(x):\n    return x\n", {"bad.py": "def f(:\n"}, "bad.py:1:"),
        (
            "from .sub.deep import h\n\ndef g(x):\n    return x\n",
            {"sub/deep.py": "x = (\n"},
            "deep.py:1:",
        ),
        ("from .fast import h\n\ndef g(x):\n    return x\n", {"fast.so": ""}, None),  # extension
        ("from .ns import h\n\ndef g(x):\n    return x\n", {"ns/h.py": "h = 1\n"}, None),
        ("from . import attr\n\ndef g(x):\n    return x\n", {}, None),  # may be a name
        (
            "try:\n    from .gone import f\nexcept ImportError:\n    pass\n\ndef g(x):\n    return x\n",
            {},
            None,
        ),
    ],
    ids=["missing", "syntax-error", "nested", "extension", "namespace", "attribute", "guarded"],
)
def test_a_submodule_the_package_imports_must_be_there_and_parse(tmp_path, init, files, message):
    """Sweep 29: a package whose top level imports a missing `.gone`, or a `bad.py` that
    does not parse, was migrated to; every notebook then failed at the new import."""
    package = tmp_path / "pk"
    package.mkdir()
    (package / "__init__.py").write_text(init)
    for name, text in files.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text)
    if message is None:
        assert set(load_catalog(str(package)).functions) == {"g"}
    else:
        with pytest.raises(CatalogError, match=re.escape(message)):
            load_catalog(str(package))


@pytest.mark.parametrize(
    ("init", "files"),
    [
        ("from pk.plots import smooth\n__all__ = ['smooth']\n", {}),  # its own absolute name
        ("from .plots import smooth\n", {"plots.py": "from ._impl import smooth\n"}),
        (
            "from .plots import *\n",
            {"plots.py": "from ._impl import smooth\n__all__ = ['smooth']\n"},
        ),
    ],
    ids=["absolute", "chained", "chained-star"],
)
def test_a_reexport_is_followed_to_its_def(tmp_path, init, files):
    """Re-check 29: a package exporting through its own absolute name, or through a
    submodule importing it in turn, was `declares no public functions`."""
    package = tmp_path / "pk"
    package.mkdir()
    (package / "__init__.py").write_text(init)
    files = {"plots.py": "def smooth(v):\n    return v\n", **files}
    if "_impl" in "".join(files.values()):
        files["_impl.py"] = "import math\n\n\ndef smooth(v):\n    return math.floor(v)\n"
    for name, text in files.items():
        (package / name).write_text(text)
    catalog = load_catalog(str(package))
    function = catalog.functions["smooth"]
    implemented_in = "pk._impl" if "_impl.py" in files else "pk.plots"
    assert function.names is not None and function.names.module == implemented_in


@pytest.mark.parametrize(
    ("init", "plots", "functions"),
    [
        (
            'from .plots import *\n__all__ = ["describe"]\n',
            "def describe(v):\n    return v\n",
            {"describe"},
        ),
        (
            "from .plots import *\n",
            "def describe(v):\n    return v\n\ndef _hidden(v):\n    return v\n",
            {"describe"},
        ),
        (
            "from .plots import *\n",
            '__all__ = ["a"]\n\ndef a(v):\n    return v\n\ndef b(v):\n    return v\n',
            {"a"},
        ),
        (
            "from .plots import *\n\ndef describe(v):\n    return 2\n",
            "def describe(v):\n    return v\n\ndef other(v):\n    return v\n",
            {"describe", "other"},
        ),
        (  # sweep 30: what its imports bind, without `__all__`, Python's star binds too
            "from .plots import *\n",
            "import math\nfrom ._impl import describe\nfrom math import sqrt\n",
            {"describe"},
        ),
    ],
    ids=["all-in-package", "public-names", "all-in-submodule", "defined-after", "imported"],
)
def test_a_star_reexport_from_a_submodule_binds_its_names(tmp_path, init, plots, functions):
    """Sweep 29: `from .plots import *` with `__all__ = ["describe"]` was `declares no public
    functions`; without `__all__`, the star's functions were left out, unsaid."""
    package = _write_package(tmp_path, init)
    (package / "plots.py").write_text(plots)
    (package / "_impl.py").write_text("def describe(v):\n    return v\n")
    catalog = load_catalog(str(package))
    assert set(catalog.functions) == functions
    if "return 2" in init:  # the package's own def, after the star, is its name
        assert ast.unparse(catalog.functions["describe"].body[0]) == "return 2"


@pytest.mark.parametrize(
    ("source", "functions"),
    [
        ('__all__ = ["a"]\n__all__ += ["b"]\n', {"a", "b"}),
        ('__all__ = ["a"]\n__all__.extend(["b"])\n', {"a", "b"}),
        ('__all__ = ("a",)\n__all__ = __all__ + ("b",)\n', {"a", "b"}),
        ('__all__ = ["a"]\n__all__.append("b")\n', {"a", "b"}),
        ('__all__ = ["a", "b"]\n__all__ = ["b"]\n', {"b"}),
        ('__all__ = ["a"] + ["b"]\n', {"a", "b"}),  # re-check 29: a literal too
        ('__all__ = ["a"]\n__all__ = ["b"] + __all__\n', {"a", "b"}),
    ],
)
def test_names_added_to_all_after_it_are_exported(tmp_path, source, functions):
    """Sweep 29: only the first `__all__` was read; `def b` added by `+=` stayed in the
    notebooks, unsaid (pyflakes reads these forms)."""
    body = "\ndef a(v):\n    return v\n\ndef b(v):\n    return v\n"
    package = _write_package(tmp_path, source + body)
    assert set(load_catalog(str(package)).functions) == functions


def test_a_computed_addition_to_all_is_reported(tmp_path):
    package = _write_package(
        tmp_path, '__all__ = ["a"]\n__all__ += names()\n\ndef a():\n    pass\n'
    )
    with pytest.raises(CatalogError, match=re.escape("__init__.py:2: __all__ must list its")):
        load_catalog(str(package))


@pytest.mark.parametrize(
    "source",
    [
        "from . import core\n__all__ = core.__all__ + ['b']\n",
        "from .core import *\n__all__ = [*core.__all__, 'b']\n",
        "from .core import a\n__all__ = ['b']\n__all__ += core.__all__\n",
        "from . import core\n__all__ = ['b']\n__all__.extend(core.__all__)\n",
        "from . import core\n__all__ = list(core.__all__) + ['b']\n",
        "from . import core\n__all__ = sorted(core.__all__ + ['b'])\n",
        "from . import sub\n__all__ = sub.__all__ + ['b']\n",  # through a subpackage's
    ],
)
def test_an_all_built_from_a_submodules_all_is_read(tmp_path, source):
    """Sweep 30: numpy's and scipy's `__all__ = core.__all__ + [...]` was refused
    ("__all__ must be a literal list of names"): the package could not be migrated to."""
    package = _write_package(tmp_path, source + "from .core import a\n\ndef b(v):\n    return v\n")
    (package / "core.py").write_text(
        "__all__ = ['a']\n\ndef a(v):\n    return v\n\ndef c(v):\n    return v\n"
    )
    (package / "sub").mkdir()
    (package / "sub" / "__init__.py").write_text(
        "from . import plots\n__all__ = [*plots.__all__]\n"
    )
    (package / "sub" / "plots.py").write_text("__all__ = ['a']\n")
    assert set(load_catalog(str(package)).functions) == {"a", "b"}


@pytest.mark.parametrize(
    ("core", "message"),
    [
        ("def a(v):\n    return v\n", "core.py: no __all__, which"),
        ("__all__ = names()\n", "core.py:1: __all__ must list its names as literals"),
    ],
)
def test_a_submodules_all_that_cannot_be_read_is_reported(tmp_path, core, message):
    package = _write_package(tmp_path, "from . import core\n__all__ = core.__all__\n")
    (package / "core.py").write_text(core)
    with pytest.raises(CatalogError, match=re.escape(message)):
        load_catalog(str(package))


def test_another_modules_all_is_not_read(tmp_path):
    path = tmp_path / "lib.py"
    path.write_text("import other\n__all__ = other.__all__ + ['b']\n\ndef b():\n    pass\n")
    (tmp_path / "other.py").write_text("__all__ = []\n")
    with pytest.raises(CatalogError, match=re.escape("lib.py:2: __all__ must list its names")):
        load_catalog(str(path))


@pytest.mark.parametrize(
    ("init", "files", "message"),
    [
        (  # a submodule's own import fails
            "from .plots import g\n",
            {"plots.py": "from .gone import z\n\ndef g(x):\n    return x\n"},
            "plots.py:1: imports pk.gone, which is not there: importing pk would fail",
        ),
        (  # absolutely, from its own package
            "from pk.gone import z\n\ndef g(x):\n    return x\n",
            {},
            "__init__.py:1: imports pk.gone, which is not there: importing pk would fail",
        ),
        (
            "import pk.bad\n\ndef g(x):\n    return x\n",
            {"bad.py": "def f(:\n"},
            "bad.py:1:",
        ),
        (  # a name the submodule does not bind
            "from .plots import g, vanished\n",
            {"plots.py": "def g(x):\n    return x\n"},
            "__init__.py:1: imports vanished from pk.plots, which does not bind it: importing pk would fail",
        ),
        (  # but one a star import may bind
            "from .plots import g, maybe\n",
            {"plots.py": "from math import *\n\ndef g(x):\n    return x\n"},
            None,
        ),
        (  # re-check 29 (3): a name bound through globals() imports fine
            "from .ops import add\n\ndef h(x):\n    return x\n",
            {"ops.py": "for _n in ['add']:\n    globals()[_n] = lambda a, b: a + b\n"},
            None,
        ),
        (  # chained re-exports that resolve: importing them works (not followed for names)
            "from .plots import *\n\ndef h(x):\n    return x\n",
            {
                "plots.py": "from ._impl import g\n__all__ = ['g']\n",
                "_impl.py": "def g(x):\n    return x\n",
            },
            None,
        ),
    ],
    ids=["nested", "absolute", "import-absolute", "name", "star", "globals", "chained"],
)
def test_what_importing_the_package_imports_of_its_own_is_followed(tmp_path, init, files, message):
    """Re-check 29: only the package's own relative imports were checked; a submodule's
    missing import, an absolute import of its own, or a name not there failed the
    notebooks' new import. (A module only a submodule imports is looked for, not read.)"""
    package = tmp_path / "pk"
    package.mkdir()
    (package / "__init__.py").write_text(init)
    for name, text in files.items():
        (package / name).write_text(text)
    if message is None:
        load_catalog(str(package))
    else:
        with pytest.raises(CatalogError, match=re.escape(message)):
            load_catalog(str(package))


def test_a_submodule_given_is_refused_when_its_package_fails_to_import(tmp_path):
    """Re-check 29 (3): `--module pkg/helpers.py` was migrated to while `pkg/__init__.py`
    imported a missing `.gone`; importing `pkg.helpers` runs it first."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("from . import helpers\nfrom .gone import z\n")
    (package / "helpers.py").write_text("def clip01(x):\n    return x\n")
    with pytest.raises(CatalogError, match=re.escape("imports pkg.gone, which is not there")):
        load_catalog(str(package / "helpers.py"))
    (package / "__init__.py").write_text("from . import helpers\n")
    assert set(load_catalog(str(package / "helpers.py")).functions) == {"clip01"}


def test_a_module_of_a_namespace_package_may_import_relatively(tmp_path):
    """Re-check 29 (3): `ns/lib.py`'s `from ._h import f`, imported as `ns.lib`, works."""
    (tmp_path / "ns").mkdir()
    (tmp_path / "ns" / "_h.py").write_text("def f(x):\n    return x\n")
    (tmp_path / "ns" / "lib.py").write_text("from ._h import f\n\ndef g(x):\n    return f(x)\n")
    catalog = load_catalog(str(tmp_path / "ns" / "lib.py"), import_name="ns.lib")
    assert set(catalog.functions) == {"g"}


def test_a_reexport_is_not_followed_past_a_rebinding(tmp_path):
    """Re-check 29 (3): `plots.py` wrapped the function it imported (`scale =
    _loud(scale)`); the hop took `_impl`'s def, and a copy was replaced by the wrapper."""
    package = tmp_path / "pc"
    package.mkdir()
    (package / "__init__.py").write_text(
        "from .plots import scale\n\ndef other(x):\n    return x\n"
    )
    (package / "plots.py").write_text(
        "from ._impl import scale\n\ndef _loud(f):\n    return f\n\nscale = _loud(scale)\n"
    )
    (package / "_impl.py").write_text("def scale(x):\n    return 3 * x\n")
    assert set(load_catalog(str(package)).functions) == {"other"}


def test_a_relative_import_in_a_module_outside_a_package_is_reported(tmp_path):
    (tmp_path / "consts.py").write_text("K = 1\n")
    library = tmp_path / "mylib.py"
    library.write_text("from .consts import K\n\ndef g(x):\n    return K * x\n")
    with pytest.raises(CatalogError, match="mylib.py:1: a relative import outside a package"):
        load_catalog(str(library))


def test_missing_module_is_reported(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CatalogError, match="module 'no_such_module_here' not found"):
        load_catalog("no_such_module_here")
    with pytest.raises(CatalogError, match="not found"):
        load_catalog(str(tmp_path / "missing_folder"))


@pytest.mark.parametrize("given", ["helpers.py", "sub/helpers.py"])
def test_a_missing_module_file_is_named_as_a_file(tmp_path, monkeypatch, given):
    """Sweep 17: `--module nosuch.py` said "module 'nosuch' not found (not installed, and no
    folder nosuch/ here)", reading it as the module `py` of a package `nosuch`."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CatalogError) as raised:
        load_catalog(given)
    assert str(raised.value) == f"module file {given!r} not found"


def test_reading_the_catalog_imports_nothing_heavy():
    """Checked in a fresh interpreter: this test process may have imported them already."""
    code = (
        "import sys\n"
        "from nbrefactor.analysis.catalog import load_catalog\n"
        f"load_catalog({str(REPO / 'viz_utils')!r})\n"
        "print(sorted(m for m in ('viz_utils', 'matplotlib', 'numpy', 'torch', 'libcst') if m in sys.modules))\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "[]"


def test_the_catalog_and_the_imports_effects_parse_each_library_file_once(monkeypatch):
    """Both read viz_utils' files; each parse costs every run's start."""
    from nbrefactor.analysis.source_trees import parsed_source

    parsed_source.cache_clear()
    parsed: list[str] = []
    real_parse = ast.parse

    def counting_parse(source, filename="<unknown>", *args, **kwargs):
        parsed.append(filename)
        return real_parse(source, filename, *args, **kwargs)

    monkeypatch.setattr(ast, "parse", counting_parse)
    catalog = load_catalog(str(REPO / "viz_utils"))
    assert catalog.import_effects == ()
    library_files = [name for name in parsed if "viz_utils" in name]
    assert len(library_files) > 5  # the catalog's modules and those the import runs
    assert len(library_files) == len(set(library_files))
    # The effects are the trees' last reader: they are not held while notebooks are read.
    assert parsed_source.cache_info().currsize == 0


def test_a_library_file_rewritten_in_the_run_is_parsed_again(tmp_path):
    """Remembered by their bytes: `extract` appends to the module it then reads."""
    library = tmp_path / "rewritten.py"
    library.write_text('__all__ = ["f"]\n\n\ndef f(x):\n    return x\n')
    assert list(load_catalog(str(library)).functions) == ["f"]
    library.write_text(
        '__all__ = ["f", "g"]\n\n\ndef f(x):\n    return x\n\n\ndef g(y):\n    return y\n'
    )
    assert list(load_catalog(str(library)).functions) == ["f", "g"]


_LIBRARY_WITH_SCOPES = (
    "\ufeff# -*- coding: utf-8 -*-\r\n"
    '"""A library whose functions read through decorators, nesting and `global`."""\r\n'
    "import functools\r\n"
    "_unit = 'cm'\r\n"
    "\r\n"
    "@functools.lru_cache(\r\n"
    "    maxsize=LIMIT,\r\n"
    ")\r\n"
    "def scaled(x, factor=DEFAULT):\r\n"
    '    """Docstring naming notused, with an escape \\u00e9."""\r\n'
    "    def inner(y):\r\n"
    "        return y * SCALE + factor\r\n"
    "    return [inner(v) for v in x if v > floor]\r\n"
    "\r\n"
    "def set_unit(unit):  # sets what every function reads\r\n"
    "    global _unit; _unit = unit\r\n"
    "\r\n"
    "def label(text): return f'{text} ({_unit})'\r\n"
)


@pytest.mark.parametrize("source", ["viz_utils", _LIBRARY_WITH_SCOPES])
def test_a_library_function_reads_what_its_unparsed_tree_reads(tmp_path, source):
    """What a function reads is asked of its text in the file (decorators included, BOM,
    coding line and \\r\\n as Python decodes them), not of its unparsed tree: the same names."""
    from nbrefactor.analysis.scopes import free_names

    if source == "viz_utils":
        catalog = load_catalog(str(REPO / "viz_utils"))
    else:
        library = tmp_path / "scoped.py"
        library.write_bytes(source.encode("utf-8"))
        catalog = load_catalog(str(library))
        assert catalog.functions["scaled"].names.source is not None
    for function in catalog.functions.values():
        # Under `from __future__ import annotations`, annotations are read by nothing.
        future = "from __future__ import annotations\n" if function.names.future_annotations else ""
        unparsed = free_names(future + ast.unparse(function.node))
        assert function._reads == frozenset(unparsed.reads), function.qualified_name
        assert function.names.definition_text(function.node) is not None
        for name in unparsed.declared_global:
            assert function.setters_of(name) == (function.node.name,)
    if source != "viz_utils":
        assert {"LIMIT", "DEFAULT", "SCALE", "floor", "functools"} <= catalog.functions[
            "scaled"
        ]._reads
        assert catalog.functions["label"].setters_of("_unit") == ("set_unit",)


def test_what_library_functions_read_is_asked_without_unparsing_them(monkeypatch):
    """Unparsing a function (its docstring escaped character by character) cost a
    millisecond of every run's start per function."""
    catalog = load_catalog(str(REPO / "viz_utils"))
    unparsed: list[str] = []
    real_unparse = ast.unparse

    def counting_unparse(node):
        unparsed.append(type(node).__name__)
        return real_unparse(node)

    monkeypatch.setattr(ast, "unparse", counting_unparse)
    for function in catalog.functions.values():
        function.bound_otherwise("len")
        function.setters_of("anything")
    assert "FunctionDef" not in unparsed


def test_a_signature_too_deep_to_unparse_is_said_so() -> None:
    """Sweep 31: `ast.unparse` of a default some 400 operators long raised RecursionError,
    a traceback in extract; the tree is built here, as deep as no parse of a test's stack
    depth would decide."""
    shallow, node = ast.parse("def f(x, y=1):\n    return x\n" * 2).body
    assert isinstance(shallow, ast.FunctionDef) and isinstance(node, ast.FunctionDef)
    assert not signature_too_deep(shallow)
    deep: ast.expr = ast.Constant(1)
    for _ in range(5000):
        deep = ast.BinOp(deep, ast.Add(), ast.Constant(1))
    node.args.defaults = [deep]
    assert signature_too_deep(node)
