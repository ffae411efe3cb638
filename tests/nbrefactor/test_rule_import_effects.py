"""Rule: the added import runs no code the notebook did not run (`rules/import_effects.py`),
and what counts as such code in the library (`analysis/import_effects.py`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TITLE, code, migrate_text, notebook_text

from nbrefactor.analysis.catalog import load_catalog
from nbrefactor.analysis.import_effects import ImportEffect, import_effects

INLINE = "def f(x):\n    return x + 1"


def import_effect(module: str, source_file: Path) -> ImportEffect | None:
    """The first effect the import runs, if any."""
    return next(iter(import_effects(module, source_file)), None)


def _library(folder: Path, top: str, name: str = "LIB") -> Path:
    path = folder / f"{name}.py"
    text = f"import numpy as np\n\n{top}\n\n\n{INLINE}\n"
    if top.startswith("from __future__"):  # first, or Python does not compile the module
        text = f"{top}\n\nimport numpy as np\n\n\n{INLINE}\n"
    path.write_text(text, encoding="utf-8")
    return path


def _kept(result) -> list[tuple[str, str]]:
    return [(found.code, found.message) for found in result.report.kept]


def test_a_module_that_changes_state_when_imported_keeps_the_definitions(tmp_path):
    """Sweep R repro_4: `np.set_printoptions(precision=2)` in LIB's top level; the added
    import printed every later array with two digits."""
    catalog = load_catalog(str(_library(tmp_path, "np.set_printoptions(precision=2)")))
    text = notebook_text(
        TITLE, code("import numpy as np"), code(INLINE), code("print(f(np.arange(3) / 3))")
    )
    result, sources = migrate_text(text, catalog)
    assert _kept(result) == [
        (
            "NBR242",
            (
                "kept f (cell 3): importing LIB runs `np.set_printoptions(precision=2)` "
                "(LIB.py, line 3), which no earlier import of the notebook runs"
            ),
        )
    ]
    assert not result.changed
    assert sources[3] == INLINE


@pytest.mark.parametrize(
    ("top", "line", "error"),
    [
        ("RESULT = await np.asarray(1)", 3, "'await' outside function"),
        ("for i in range(2):\n    pass\nbreak", 5, "'break' outside loop"),
        ("def g(x, x=2):\n    return x", 3, "duplicate argument 'x' in function definition"),
    ],
)
def test_a_module_python_does_not_compile_keeps_the_definitions(tmp_path, top, line, error):
    """Round 62b: `ast` reads a top-level `await`, Python does not compile it: the new import
    raised SyntaxError in every notebook migrated to the module."""
    catalog = load_catalog(str(_library(tmp_path, top)))
    text = notebook_text(TITLE, code("import numpy as np"), code(INLINE), code("print(f(1))"))
    result, sources = migrate_text(text, catalog)
    assert _kept(result) == [
        (
            "NBR271",
            (
                f"kept f (cell 3): importing LIB raises SyntaxError (LIB.py, line {line}: {error}),"
                " which Python finds compiling the module"
            ),
        )
    ]
    assert sources[3] == INLINE


@pytest.mark.parametrize(
    "earlier",
    [
        "import numpy as np\nimport LIB",  # the import cell, above where the new line goes
        "import numpy as np\nfrom LIB import g as other",
    ],
)
def test_a_module_the_notebook_already_imports_above_is_imported_again(tmp_path, earlier):
    catalog = load_catalog(
        str(_library(tmp_path, "np.set_printoptions(precision=2)\n\n\ndef g():\n    pass"))
    )
    text = notebook_text(TITLE, code(earlier), code(INLINE), code("print(f(1))"))
    result, sources = migrate_text(text, catalog)
    assert _kept(result) == []
    assert "from LIB import f" in sources[2]
    assert sources[3] == ""


@pytest.mark.parametrize(
    "earlier",
    [
        # Sweep W repro_6: an import that may not run ran nothing for sure.
        "import numpy as np\nif IN_COLAB:\n    import LIB",
        "import numpy as np\ntry:\n    import LIB\nexcept ImportError:\n    LIB = None",
    ],
)
def test_an_import_of_the_module_in_a_block_does_not_count(tmp_path, earlier):
    catalog = load_catalog(str(_library(tmp_path, "np.set_printoptions(precision=2)")))
    text = notebook_text(TITLE, code(earlier), code(INLINE), code("print(f(1))"))
    result, _ = migrate_text(text, catalog)
    assert [found.code for found in result.report.kept] == ["NBR242"]


@pytest.mark.parametrize(
    ("earlier", "counts"),
    [
        ("import LIB", True),
        # Sweep Y repro_4: lines that run no import
        ('JOB = """\nimport LIB\nprint(1)\n"""', False),  # a script the cell writes
        ("import LIB\nprint(LIB.f(1)", False),  # a cell that does not parse: none of it runs
    ],
)
def test_an_import_line_of_an_earlier_cell_counts_only_if_it_runs(tmp_path, earlier, counts):
    catalog = load_catalog(str(_library(tmp_path, "np.set_printoptions(precision=2)")))
    text = notebook_text(TITLE, code(earlier), code(INLINE), code("print(f(1))"))
    result, _ = migrate_text(text, catalog)
    assert [found.code for found in result.report.kept] == ([] if counts else ["NBR242"])


def test_an_import_of_the_module_after_the_place_found_does_not_count(tmp_path):
    """Importing it in cell 4 ran its top level after cell 3's output: the import in
    cell 2 would run it before."""
    catalog = load_catalog(str(_library(tmp_path, "np.set_printoptions(precision=2)")))
    text = notebook_text(
        TITLE,
        code("import numpy as np"),
        code(INLINE),
        code("print(f(np.arange(3) / 3))"),
        code("import LIB"),
    )
    result, _ = migrate_text(text, catalog)
    assert [found for found, _ in _kept(result)] == ["NBR242"]


@pytest.mark.parametrize(
    ("top", "effect"),
    [
        ("np.set_printoptions(precision=2)", "np.set_printoptions(precision=2)"),
        ('plt.rcParams["figure.dpi"] = 150', 'plt.rcParams["figure.dpi"] = 150'),
        ("np.random.seed(0)", "np.random.seed(0)"),
        ("print('loaded')", "print('loaded')"),
        ("del np.x", "del np.x"),
        # Sweep R repro_5: the module changes its own function after the `def`.
        ("f.__defaults__ = (10,)", "f.__defaults__ = (10,)"),
        ('globals()["f"] = abs', 'globals()["f"] = abs'),
        (
            "try:\n    import seaborn\n    seaborn.set()\nexcept ImportError:\n    pass",
            "seaborn.set()",
        ),
        ("if True:\n    warnings.filterwarnings('ignore')", "warnings.filterwarnings('ignore')"),
        # only binding or defining:
        ('"""Helpers."""', None),
        ("logger = logging.getLogger(__name__)", None),
        ("CMAP, N = 'viridis', 3\n__all__ = ['f']\n__all__ += []", None),
        ("@decorate\ndef g():\n    print('x')", None),
        ("class C:\n    print('a class body')", None),
        ("if __name__ == '__main__':\n    print(f(1))", None),
        ("if '__main__' == __name__:\n    print(f(1))\nelse:\n    X = 1", None),
        ("try:\n    import seaborn\nexcept ImportError:\n    seaborn = None", None),
        ("x: int", None),
        # changing a list, dict or set the module made itself
        ("__all__ = ['f']\n__all__.append('g')", None),
        ("COLORS = {}\nCOLORS['loss'] = 'red'\nCOLORS.update(acc='blue')", None),
        ("NAMES = [n for n in 'ab']\ndel NAMES[0]", None),
        # Sweep Y repro_15: the logging HOWTO's library idiom configures its own logger
        (
            "logger = logging.getLogger(__name__)\nlogger.addHandler(logging.NullHandler())",
            None,
        ),
        (
            "log = logging.getLogger('app')\nlog.setLevel(logging.DEBUG)",
            "log.setLevel(logging.DEBUG)",
        ),
        (  # round 61a: printed "mylib loaded" through logging's last resort
            "logger = logging.getLogger(__name__)\nlogger.warning('mylib loaded')",
            "logger.warning('mylib loaded')",
        ),
        ("rc = plt.rcParams\nrc['figure.dpi'] = 150", "rc['figure.dpi'] = 150"),
        # Sweep 23: an array a constructor made anew, the module's own function or class
        ("C = np.identity(3)\nC[C == 0] = 0.95", None),
        ("W = torch.zeros(3)\nW[0] = 1\nW.fill_(2)", None),
        ("OPTIONS = dict(a=1)\nOPTIONS['b'] = 2", None),
        ("def cost(a, b):\n    return a + b\n\ncost.errordef = 1", None),
        ("class Fit:\n    pass\n\nFit.tolerance = 0.1", None),
        ("C = np.asarray(SHARED)\nC[0] = 1", "C[0] = 1"),  # may be the same array
        ("C = make()\nC[0] = 1", "C[0] = 1"),
        ("plt.style.use('ggplot')  # the house style", "plt.style.use('ggplot')"),
        ("X = 1; plt.style.use('ggplot')", "plt.style.use('ggplot')"),
        ("def cost(a):\n    return a\n\ncost = plt\ncost.x = 1", "cost.x = 1"),
        ("COLORS = {}\nCOLORS = plt.rcParams\nCOLORS['a'] = 1", "COLORS['a'] = 1"),
        # Re-check 44: draws through the module's own function, an alias, a layer, a default
        (
            "def make(n):\n    return np.random.rand(n)\n\nDEMO = make(5)",
            "DEMO = make(5)",
        ),
        ("import numpy.random as npr\nNOISE = npr.randn(3)", "NOISE = npr.randn(3)"),
        ("from numpy.random import randn\nNOISE = randn(3)", "NOISE = randn(3)"),
        ("rnd = np.random\nNOISE = rnd.rand(3)", "NOISE = rnd.rand(3)"),
        ("import torch.nn as nn\nPROJ = nn.Linear(4, 2)", "PROJ = nn.Linear(4, 2)"),
        ("import torch\nW = torch.empty(3).normal_()", "W = torch.empty(3).normal_()"),
        (
            "class Model:\n    def __init__(self):\n        self.w = np.random.randn()\n\nM = Model()",
            "M = Model()",
        ),
        (
            "def noisy(x, noise=np.random.randn()):\n    return x",
            "def noisy(x, noise=np.random.randn()):",
        ),
        # ... and calls run for what they change, though their value is kept
        (  # round 52b: a default is computed when the def runs, at import
            "def _fmt(p=np.set_printoptions(precision=2)):\n    return p",
            "def _fmt(p=np.set_printoptions(precision=2)):",
        ),
        ("def f(x, *, _z=print('LIB')):\n    return x", "def f(x, *, _z=print('LIB')):"),
        # Round 54b: so is an annotation, unless postponed
        ("def g(x: print('a') or int) -> None:\n    pass", "def g(x: print('a') or int) -> None:"),
        ("def g(x) -> print('a'):\n    pass", "def g(x) -> print('a'):"),
        ("from __future__ import annotations\ndef g(x: print('a') or int):\n    pass", None),
        ("def g(x: np.ndarray, *a: int, **k: float) -> 'np.ndarray':\n    pass", None),
        ("old_settings = np.seterr(all='ignore')", "old_settings = np.seterr(all='ignore')"),
        ("FIG, AX = plt.subplots()", "FIG, AX = plt.subplots()"),
        # Round 59a: a file made or emptied (the notebook's own log was emptied)
        ("LOG = open('train.log', 'w')", "LOG = open('train.log', 'w')"),
        ("LOG = open('run.log', mode='a')", "LOG = open('run.log', mode='a')"),
        ("OUT = Path('o.txt').open('w')", "OUT = Path('o.txt').open('w')"),
        ("N = Path('o.txt').write_text('x')", "N = Path('o.txt').write_text('x')"),
        ("_fh = logging.FileHandler('x.log')", "_fh = logging.FileHandler('x.log')"),
        ("CONN = sqlite3.connect('cache.db')", "CONN = sqlite3.connect('cache.db')"),
        ("CONFIG = open('config.json')", None),  # read
        ("CONFIG = open('config.json', 'rb')", None),
        ("CONFIG = Path('c.json').open()", None),
        # Round 61a: a path held in a name, or built with `/`; shelve's file
        ("LOG_PATH = Path('t.log')\nLOG = LOG_PATH.open('w')", "LOG = LOG_PATH.open('w')"),
        ("LOG = (LOG_DIR / 't.log').open('a')", "LOG = (LOG_DIR / 't.log').open('a')"),
        ("CACHE = shelve.open('train')", "CACHE = shelve.open('train')"),
        ("LOGO = Image.open('logo.png')", None),  # a path, no mode: read
        ("LOG = gzip.open('t.gz', 'wt')", "LOG = gzip.open('t.gz', 'wt')"),
        (
            "_SETUP = [np.set_printoptions(precision=2)]",
            "_SETUP = [np.set_printoptions(precision=2)]",
        ),
        (
            "DEVICE = os.environ.setdefault('DEVICE', 'cpu')",
            "DEVICE = os.environ.setdefault('DEVICE', 'cpu')",
        ),
        # ... but not what draws nothing now, or changes the module's own objects
        ("_noise = lambda n: np.random.randn(n)", None),
        ("_G = (np.random.rand() for _ in range(3))", None),
        ("SAMPLERS = {'u': lambda n: np.random.rand(n)}", None),
        ("_STATE = np.random.get_state()", None),
        ("RNG = np.random.default_rng(0)\nX = RNG.normal(size=3)", None),
        ("def make(n):\n    return n\n\nDEMO = make(5)", None),
        ("import numpy.random as npr\nnpr = None\nX = npr", None),
        ("CONFIG = {}\nDPI = CONFIG.setdefault('dpi', 100)", None),
        ("LOSS = torch.nn.MSELoss()", None),
        # Re-check 45: draws of other libraries, in a method call's arguments, in a
        # statement's header, through another name for a function, a method, a decorator
        (
            "import scipy.stats\nX = scipy.stats.norm.rvs(size=3)",
            "X = scipy.stats.norm.rvs(size=3)",
        ),
        (
            "from sklearn.datasets import make_moons\nX, y = make_moons(n_samples=10)",
            "X, y = make_moons(n_samples=10)",
        ),
        ("import torch\nS = torch.ones(3).multinomial(2)", "S = torch.ones(3).multinomial(2)"),
        ("XS = []\nXS.append(np.random.rand())", "XS.append(np.random.rand())"),
        ("if np.random.rand() > 2:\n    pass", "if np.random.rand() > 2:"),
        ("for v in np.random.rand(2):\n    pass", "for v in np.random.rand(2):"),
        ("assert np.random.rand() >= 0", "assert np.random.rand() >= 0"),
        ("def _g():\n    return np.random.rand()\n\ng2 = _g\nX = g2()", "X = g2()"),
        (
            "class U:\n    @staticmethod\n    def draw():\n        return np.random.rand()\n\nX = U.draw()",
            "X = U.draw()",
        ),
        (
            "class S:\n    def draw(self):\n        return np.random.rand()\n\nINST = S()\nX = INST.draw()",
            "X = INST.draw()",
        ),
        (
            "def deco(fn):\n    fn.noise = np.random.rand()\n    return fn\n\n@deco\ndef g(x):\n    return x",
            "def g(x):",
        ),
        (
            "import matplotlib\n_ = matplotlib.rcParams.update({'lines.linewidth': 5})",
            "_ = matplotlib.rcParams.update({'lines.linewidth': 5})",
        ),
        ("import sys\n_ = sys.path.append('/x')", "_ = sys.path.append('/x')"),
        # ... a lambda or generator handed to a call, which calls or consumes it
        (
            "X = list(map(lambda n: np.random.rand(), range(2)))",
            "X = list(map(lambda n: np.random.rand(), range(2)))",
        ),
        (
            "TOTAL = sum(np.random.rand() for _ in range(2))",
            "TOTAL = sum(np.random.rand() for _ in range(2))",
        ),
        (
            (
                "class Sampler:\n    def _d(self):\n        return np.random.rand()\n\n"
                "    def draw(self):\n        return self._d()\n\nX = Sampler().draw()"
            ),
            "X = Sampler().draw()",
        ),
        (  # a class named again, whose methods now draw: asked afresh
            (
                "class U:\n    def go(self):\n        return 1\n\nX = U().go()\n\n"
                "class U:\n    def go(self):\n        return np.random.rand()\n\nY = U().go()"
            ),
            "Y = U().go()",
        ),
        # ... but not a generator of its own, a class whose making draws nothing, code
        # under `if TYPE_CHECKING:`, a maker given its own seed
        ("import torch\nG = torch.Generator().manual_seed(0)", None),
        ("import torch\nG = torch.Generator()\nX = torch.rand(3, generator=G)", None),
        (
            (
                "class Sampler:\n    def __init__(self, n):\n        self.n = n\n\n"
                "    def draw(self):\n        return np.random.rand(self.n)\n\nS = Sampler(3)"
            ),
            None,
        ),
        ("RNG = np.random.default_rng(0)\nRNG.shuffle([1, 2])", None),
        ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    X = np.random.rand()", None),
        (
            "from sklearn.datasets import make_moons\nX, y = make_moons(n_samples=10, random_state=0)",
            None,
        ),
        # Re-check 47: objects that draw when used, and draws imported under another name
        (
            (
                "from sklearn.model_selection import KFold\nFOLDS = []\n"
                "for tr, va in KFold(5, shuffle=True).split(range(10)):\n    FOLDS.append(va)"
            ),
            "for tr, va in KFold(5, shuffle=True).split(range(10)):",
        ),
        (
            "from sklearn.model_selection import KFold as KF\nK = KF(5, shuffle=True)\nS = list(K.split(range(10)))",
            "S = list(K.split(range(10)))",
        ),
        (
            "from sklearn.ensemble import RandomForestRegressor\nM = RandomForestRegressor().fit([[0]], [0])",
            "M = RandomForestRegressor().fit([[0]], [0])",
        ),
        (
            "import sklearn.ensemble as ens\nfrom sklearn.model_selection import cross_val_score\nS = cross_val_score(ens.RandomForestRegressor(), X, y)",
            "S = cross_val_score(ens.RandomForestRegressor(), X, y)",
        ),
        (
            "from sklearn.utils import check_random_state\nX = check_random_state(None).rand()",
            "X = check_random_state(None).rand()",
        ),
        ("import torch.nn as nn\nDROP = nn.Dropout(0.5)\nOUT = DROP(X)", "OUT = DROP(X)"),
        ("from torch import nn\nOUT = nn.AlphaDropout(0.5)(X)", "OUT = nn.AlphaDropout(0.5)(X)"),
        (
            "from torch.utils.data import DataLoader\nL = DataLoader(D, shuffle=True)\nfor b in L:\n    pass",
            "for b in L:",
        ),
        (
            "from torch.utils.data import RandomSampler\nS = RandomSampler(D)\nI = list(S)",
            "I = list(S)",
        ),
        (
            "from torch.utils.data import RandomSampler\nfor i in RandomSampler(D):\n    pass",
            "for i in RandomSampler(D):",
        ),
        ("from torch import nn\nDROP = nn.Dropout(0.5)\nALSO = DROP", None),
        # ... a lambda called at once, a drawing function handed to a call that calls it
        ("X = (lambda: np.random.rand())()", "X = (lambda: np.random.rand())()"),
        ("S = list(map(np.random.seed, [1]))", "S = list(map(np.random.seed, [1]))"),
        ("FUNCS = [np.random.rand]", None),
        (
            "from sklearn.model_selection import train_test_split as tts\nA, B = tts([1, 2, 3, 4])",
            "A, B = tts([1, 2, 3, 4])",
        ),
        (
            "from torch.nn.functional import dropout as drop\nY = drop(X)",
            "Y = drop(X)",
        ),
        (
            "from sklearn.inspection import permutation_importance\nR = permutation_importance(M, X, y)",
            "R = permutation_importance(M, X, y)",
        ),
        # ... but not such an object made alone, seeded, or a splitter that does not shuffle
        ("from sklearn.model_selection import KFold\nK = KFold(5, shuffle=True)", None),
        ("from sklearn.ensemble import RandomForestRegressor\nM = RandomForestRegressor()", None),
        (
            "from sklearn.model_selection import KFold\nS = list(KFold(5).split(range(10)))",
            None,
        ),
        (
            "from sklearn.cluster import KMeans\nM = KMeans(2, random_state=0).fit([[0], [1]])",
            None,
        ),
        ("from torch import nn\nDROP = nn.Dropout(0.5)", None),
        ("from torch.utils.data import DataLoader\nL = DataLoader(D)\nB = next(iter(L))", None),
    ],
)
def test_what_counts_as_run_for_what_it_does(tmp_path, top, effect):
    library = _library(tmp_path, top)
    found = import_effect("LIB", library)
    if effect is None:
        assert found is None
        return
    assert found is not None
    assert (found.shown, found.text) == ("LIB.py", effect)
    assert effect in library.read_text().splitlines()[found.line - 1]


def test_the_line_run_is_quoted_as_python_decodes_the_file(tmp_path):
    """A library file in another coding (PEP 263) is quoted in its characters, as the
    catalog reads it, not with replacement characters from reading it as UTF-8."""
    library = tmp_path / "LIB.py"
    library.write_bytes(
        b"# -*- coding: latin-1 -*-\nprint('caf\xe9')\n\n\n" + INLINE.encode() + b"\n"
    )
    found = import_effect("LIB", library)
    assert found is not None
    assert (found.line, found.text) == (2, "print('caf\u00e9')")


def test_the_files_of_a_package_the_import_runs_are_read(tmp_path):
    """`import pkg.helpers` runs pkg/__init__.py first; `pkg/__init__` imports `.style`
    and `pkg.theme`, which run too; a module outside the package (numpy) is not read."""
    package = tmp_path / "pkg"
    package.mkdir()
    helpers = package / "helpers.py"
    helpers.write_text(f"from . import style\nimport numpy\n\n{INLINE}\n", encoding="utf-8")
    (package / "__init__.py").write_text('"""The package."""\nVERSION = "1"\n')
    (package / "style.py").write_text("from pkg.theme import COLORS\n")
    (package / "theme.py").write_text("COLORS = []\nplt.style.use('ggplot')\n")
    found = import_effect("pkg.helpers", helpers)
    assert found is not None
    assert (found.shown, found.line, found.text) == ("pkg/theme.py", 2, "plt.style.use('ggplot')")
    (package / "theme.py").write_text("COLORS = ['red']\n")
    assert import_effect("pkg.helpers", helpers) is None
    (package / "__init__.py").write_text("import matplotlib\nmatplotlib.use('Agg')\n")
    found = import_effect("pkg.helpers", helpers)
    assert found is not None
    assert (found.shown, found.text) == ("pkg/__init__.py", "matplotlib.use('Agg')")


@pytest.mark.parametrize(
    ("module", "folder", "imports"),
    [
        ("LIB", "plotting", "from plotting.style import PALETTE"),  # a single-file library
        ("pkg.helpers", "pkg/viz", "from .viz.style import PALETTE"),  # a package's module
    ],
)
def test_the_package_above_a_module_the_library_imports_runs_first(
    tmp_path, module, folder, imports
):
    """Sweep Y repro_13: `from plotting.style import PALETTE` runs plotting/__init__.py
    before plotting/style.py; its set_printoptions went unread, and 1.8333 printed 1.83."""
    (tmp_path / folder).mkdir(parents=True)
    for package in {tmp_path / module.partition(".")[0], tmp_path / folder} - {tmp_path / "LIB"}:
        (package / "__init__.py").write_text("")
    (tmp_path / folder / "__init__.py").write_text(
        "import numpy as np\nnp.set_printoptions(precision=2)\n"
    )
    (tmp_path / folder / "style.py").write_text("PALETTE = ['red']\n")
    library = tmp_path.joinpath(*module.split(".")).with_suffix(".py")
    library.write_text(f"{imports}\n\n\n{INLINE}\n", encoding="utf-8")
    found = import_effect(module, library)
    assert found is not None
    assert (found.shown, found.text) == (
        f"{folder}/__init__.py",
        "np.set_printoptions(precision=2)",
    )


def test_viz_utils_runs_nothing_when_imported(catalog):
    """The demo's library only defines: its migrations are not held back by this rule."""
    assert catalog.import_effects == ()


def test_each_module_the_library_imports_is_looked_for_once(monkeypatch):
    """viz_utils' files import the same few modules of the package: each dotted name is
    looked for as a file once (it was 276 looks, two `stat`s each, for 49 names)."""
    from nbrefactor.analysis import import_effects as effects

    looked: list[Path] = []
    real_module_file = effects.module_file

    def counting_module_file(stem: Path) -> Path | None:
        looked.append(stem)
        return real_module_file(stem)

    monkeypatch.setattr(effects, "module_file", counting_module_file)
    library = Path(__file__).parents[2] / "viz_utils" / "__init__.py"
    assert import_effects("viz_utils", library) == ()
    assert len(looked) == len(set(looked)) > 5


def _package(tmp_path: Path, init: str, module: str) -> Path:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text(init, encoding="utf-8")
    path = package / "helpers.py"
    path.write_text(f"{module}\n\n\n{INLINE}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("init", "module", "first", "kept"),
    [
        # Sweep W repro_1 (dowhy): the package's logging line ran with `import pkg`.
        (
            "import logging\nlogging.getLogger('pkg').addHandler(logging.NullHandler())",
            "",
            "import pkg",
            None,
        ),
        # ... but the module's own effect did not.
        (
            "",
            "import numpy as np\nnp.set_printoptions(precision=2)",
            "import pkg",
            "pkg/helpers.py",
        ),
        # Sweep W repro_3 (d2l): `from pkg import helpers` imports pkg.helpers.
        (
            "",
            "import numpy as np\nnp.set_printoptions(precision=2)",
            "from pkg import helpers as h",
            None,
        ),
        ("", "import numpy as np\nnp.set_printoptions(precision=2)", "import pkg.helpers", None),
        ("print('pkg')", "", "import numpy", "pkg/__init__.py"),
    ],
)
def test_a_file_the_notebook_already_ran_is_no_new_code(
    tmp_path: Path, init: str, module: str, first: str, kept: str | None
) -> None:
    catalog = load_catalog(str(_package(tmp_path, init, module)))
    text = notebook_text(TITLE, code(first), code(INLINE), code("print(f(1))"))
    result, _ = migrate_text(text, catalog)
    if kept is None:
        assert [found.name for found in result.report.replaced] == ["f"]
        return
    [found] = result.report.kept
    assert found.code == "NBR242"
    assert f"({kept}, line " in found.message


def test_a_module_beside_a_single_file_library_that_it_imports_is_read(tmp_path: Path) -> None:
    """Sweep W repro_4: LIB.py imports `style` from its own folder, whose top level sets
    numpy's print options; the notebook printed `1.6665`, then `1.67`."""
    (tmp_path / "style.py").write_text(
        "import numpy as np\n\nnp.set_printoptions(precision=2)\nPALETTE = []\n", encoding="utf-8"
    )
    library = tmp_path / "LIB.py"
    library.write_text(f"from style import PALETTE\n\n\n{INLINE}\n", encoding="utf-8")
    found = import_effect("LIB", library)
    assert found is not None
    assert (found.shown, found.line, found.module) == ("style.py", 3, "style")


@pytest.mark.parametrize(
    ("local", "kept"), [("import sidefx\nTHING = 1", False), ("THING = 1", True)]
)
def test_a_file_the_notebooks_own_module_imports_ran_before(
    tmp_path: Path, local: str, kept: bool
) -> None:
    """Sweep Z repro_5: cell 1's `from localmod import THING` ran sidefx.py, whose top level
    sets numpy's print options, as importing the library would: a false keep (NBR242)."""
    (tmp_path / "sidefx.py").write_text(
        "import numpy as np\n\nnp.set_printoptions(precision=2)\nPALETTE = []\n"
    )
    (tmp_path / "localmod.py").write_text(f"{local}\n")
    library = tmp_path / "LIB.py"
    library.write_text(f"from sidefx import PALETTE\n\n\n{INLINE}\n", encoding="utf-8")
    text = notebook_text(
        TITLE, code("from localmod import THING"), code(INLINE), code("print(f(1), THING)")
    )
    result, _ = migrate_text(text, load_catalog(str(library)), folder=tmp_path)
    assert [found.code for found in result.report.kept] == (["NBR242"] if kept else [])


@pytest.mark.parametrize(
    ("local", "kept"),
    [
        ("import LIB", False),
        # Round 62a F2: an import in a block of the local module may not have run.
        ("try:\n    import absent\n    import LIB\nexcept ImportError:\n    LIB = None", True),
        ("if False:\n    import LIB", True),
        ("import os\nif os.environ.get('NEVER_SET'):\n    import LIB\nelse:\n    LIB = None", True),
        ("for _ in []:\n    import LIB", True),
        ("import contextlib\nwith contextlib.suppress(ImportError):\n    import LIB", True),
        ("def load():\n    import LIB", True),
        ("if __name__ == '__main__':\n    import LIB", True),
    ],
)
def test_a_local_modules_import_of_the_library_counts_only_at_its_top_level(
    tmp_path: Path, local: str, kept: bool
) -> None:
    """Round 62a F2: tools.py's `try: import not_installed; import LIB` never imported LIB,
    yet counted as having run its `print("LIB loaded")`: the added import printed it."""
    (tmp_path / "tools.py").write_text(f"{local}\n")
    library = tmp_path / "LIB.py"
    library.write_text(f"print('LIB loaded')\n\n\n{INLINE}\n", encoding="utf-8")
    text = notebook_text(TITLE, code("import tools"), code(INLINE), code("print(f(1))"))
    result, _ = migrate_text(text, load_catalog(str(library)), folder=tmp_path)
    assert [found.code for found in result.report.kept] == (["NBR242"] if kept else [])
