"""Rule: what removing definitions changes in what a cell displays is said (`rules.cell_result`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TITLE, code, migrate_text, notebook_text

from nbrefactor.analysis.catalog import Catalog, load_catalog

F = "def f(x):\n    return x + 1"


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    library = tmp_path / "mylib.py"
    library.write_text(f"{F}\n", encoding="utf-8")
    return load_catalog(str(library))


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        # Sweep R repro_9: IPython displayed nothing; without the def, `[1, 2, 3]`.
        (f"values = [3, 1, 2]\nsorted(values)\n{F}", "sorted(values)"),
        (f"values = [3, 1, 2]\nvalues\n\n\n{F}", "values"),
        (  # a tensor, which IPython displays
            f"import torch\ntorch.nn.utils.clip_grad_norm_(ps, 0.6)\n{F}",
            "torch.nn.utils.clip_grad_norm_(ps, 0.6)",
        ),
        (f"values = [3, 1, 2]\nsorted(values);\n{F}", None),  # `;`: IPython stays quiet
        (f"values = [3, 1, 2]\nprint(values)\n{F}", None),  # None is not displayed
        # Settings return None too (sweep U: reported as displayed).
        (f"import warnings\nwarnings.filterwarnings('ignore')\n{F}", None),
        (f"import matplotlib as mpl\nmpl.rc('font', size=12)\n{F}", None),
        (f"values = [3, 1, 2]\nsorted(values)\n{F}\ny = 1", None),  # the def is not last
        (F, None),
        # Sweep 27: IPython lines that return what IPython then displays, and some that do not.
        (f"data = [1, 2]\n%time sum(data)\n{F}", "%time sum(data)"),
        (f"%pwd\n{F}", "%pwd"),
        (f"%who_ls\n{F}", "%who_ls"),
        (f"!!echo hi\n{F}", "!!echo hi"),
        (f"%timeit -o sum([1])\n{F}", "%timeit -o sum([1])"),
        (f"%env HOME\n{F}", "%env HOME"),
        (f"%time print(1)\n{F}", None),
        (f"%time x = 1\n{F}", None),
        (f"%pwd;\n{F}", None),
        (f"%matplotlib inline\n{F}", None),
        (f"!echo hi\n{F}", None),
        (f"%timeit sum([1])\n{F}", None),
        (f"%env A=1\n{F}", None),
        # Sweep 27: a module's function of a name methods that return None have.
        (f"import numpy as np\nnp.log(10)\n{F}", "np.log(10)"),
        (f"import numpy as np\na = np.arange(3)\nnp.append(a, 4)\n{F}", "np.append(a, 4)"),
        (f"import math\nmath.log(8, 2)\n{F}", "math.log(8, 2)"),
        (f"from numpy import sort\nsort([2, 1])\n{F}", "sort([2, 1])"),
        (f"import numpy as np\nnp.random.seed(0)\n{F}", None),
        (f"import matplotlib.pyplot as plt\nplt.show()\n{F}", None),
        (f"import logging\nlogging.info('x')\n{F}", None),
        (f"from IPython.display import display\ndisplay(1)\n{F}", None),
        (f"values = [2, 1]\nvalues.sort()\n{F}", None),
        # Sweep 27 verification: other modules' functions of those names return None.
        (f"import pylab\npylab.show()\n{F}", None),
        (f"import numpy as np\nnp.info(np.add)\n{F}", None),
        (f"import logging as mylog\nmylog.info('hello')\n{F}", None),
        (f"import wandb\nwandb.log({{'loss': 1}})\n{F}", None),
        (f"from loguru import logger\nlogger.info('x')\n{F}", None),
        # Re-check 44: `log` called with nothing is a tensor's (torch's `t.log()`), not a logger's.
        (f"import torch\nt = torch.tensor([1.0])\nt.log()\n{F}", "t.log()"),
        (f"import logging\nlogging.log(20, 'x')\n{F}", None),
        # Re-check 46: calls of those names that return a value.
        (
            f"import matplotlib.pyplot as plt\nplt.step([1, 2], [1, 4])\n{F}",
            "plt.step([1, 2], [1, 4])",
        ),
        (f"env = make()\nenv.seed(0)\n{F}", "env.seed(0)"),
        (f"import torch\ntorch.seed()\n{F}", "torch.seed()"),
        (f"import operator\noperator.add(2, 3)\n{F}", "operator.add(2, 3)"),
        (f"s = make()\ns.add(10)\n{F}", "s.add(10)"),
        (f"optimizer = make()\noptimizer.step()\n{F}", None),
        (f"import random\nrandom.seed(0)\n{F}", None),
        (f"from numpy import random\nrandom.seed(0)\n{F}", None),
        (f"from random import seed\nseed(0)\n{F}", None),
        # Round 52b: a display given a display_id returns its handle; a name the notebook
        # binds itself is not the function its name says.
        (f"display('hi', display_id='abc')\n{F}", "display('hi', display_id='abc')"),
        (f"display('hi', display_id=True)\n{F}", "display('hi', display_id=True)"),
        (f"import numpy as np\nlog = np.log\nlog(8.0)\n{F}", "log(8.0)"),
        (f"def print(x):\n    return x\nprint(2)\n{F}", "print(2)"),
        (f"for show in [len]:\n    pass\nshow([1])\n{F}", "show([1])"),
        (f"# print the log here\nlog_x = 'a'\nprint(log_x)\n{F}", None),
        (f"x = 'print = 1'\nprint(x)\n{F}", None),
    ],
)
def test_a_definition_ending_a_cell_after_an_expression_is_replaced_with_a_detail(
    catalog, cell, shown
):
    """IPython displays the expression once the def after it is gone (and binds it to `_`):
    output, not the notebook's computation, so the migration goes and says it."""
    text = notebook_text(TITLE, code("import math"), code(cell), code("f(1)"))
    result, _ = migrate_text(text, catalog)
    assert result.report.kept == ()
    [found] = result.report.replaced
    if shown is None:
        assert "NBR113" not in found.detail_codes
    else:
        assert found.detail_codes[-1] == "NBR113"
        assert found.message.endswith(
            f"; cell 3 now ends with `{shown}`, which IPython displays unless it is None"
        )


def test_no_detail_when_the_import_ends_the_cell(catalog):
    """The import goes where the definition was: the cell still ends with a statement."""
    first = "f = print\nf('before')\nsorted([3, 1, 2])\n"  # the import cannot go above this
    text = notebook_text(TITLE, code(first + F), code("f(1)"))
    result, sources = migrate_text(text, catalog)
    assert sources[2].endswith("sorted([3, 1, 2])\nfrom mylib import f")
    [found] = result.report.replaced
    assert found.detail_codes == ()
