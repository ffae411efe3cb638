"""The package as nbrefactor reads it (statically, with ast) and as Python imports it."""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import viz_utils

PACKAGE = Path(viz_utils.__file__).parent
REPO_ROOT = PACKAGE.parent
REQUIRED = object()

# The fixed public API: notebooks call these positionally.
SIGNATURES = {
    "visualize_gradient_norms": [
        ("grad_norm_values", REQUIRED),
        ("pruned_heads", None),
        ("revived_heads", None),
        ("title", "Gradient Norms"),
        ("save_path", None),
    ],
    "visualize_attention_matrix": [
        ("attn_matrix", REQUIRED),
        ("layer_idx", 0),
        ("head_idx", 0),
        ("title", None),
        ("save_path", None),
    ],
    "visualize_entropy_heatmap": [
        ("entropy_values", REQUIRED),
        ("title", "Attention Entropy Heatmap"),
        ("save_path", None),
        ("min_value", 0.0),
        ("annotate", True),
    ],
    "visualize_normalized_entropy": [
        ("entropy_values", REQUIRED),
        ("max_entropy", REQUIRED),
        ("title", "Normalized Entropy (% of Maximum)"),
        ("save_path", None),
    ],
    "visualize_entropy_vs_gradient": [
        ("entropy_values", REQUIRED),
        ("grad_norm_values", REQUIRED),
        ("title", "Entropy vs Gradient Relationship"),
        ("save_path", None),
    ],
    "visualize_training_progress": [
        ("metrics_history", REQUIRED),
        ("max_display_points", 100),
        ("figsize", (10, 8)),
        ("save_path", None),
    ],
}


# Keyword-only parameters, all defaulting to None, then **kwargs passed to matplotlib.
HEATMAP_KEYWORDS = ["ax", "cmap", "vmin", "vmax", "figsize"]
KEYWORDS = {
    "visualize_gradient_norms": HEATMAP_KEYWORDS,
    "visualize_attention_matrix": HEATMAP_KEYWORDS,
    "visualize_entropy_heatmap": HEATMAP_KEYWORDS,
    "visualize_normalized_entropy": HEATMAP_KEYWORDS,
    "visualize_entropy_vs_gradient": ["ax", "cmap", "figsize"],
    "visualize_training_progress": ["ax", "cmap"],  # figsize is its third positional parameter
}


def _init_tree() -> ast.Module:
    return ast.parse((PACKAGE / "__init__.py").read_text())


def _assigned(tree: ast.Module, name: str) -> ast.expr:
    for node in tree.body:
        if isinstance(node, ast.Assign) and [t.id for t in node.targets] == [name]:
            return node.value
    raise AssertionError(f"no top-level `{name} = ...` in viz_utils/__init__.py")


def _reexports(tree: ast.Module) -> dict[str, str]:
    """public name -> submodule, from `from .module import name` statements."""
    found = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            assert node.level == 1 and node.module, "only explicit relative imports"
            for alias in node.names:
                assert alias.name != "*" and alias.asname is None
                found[alias.name] = node.module
    return found


def test_all_is_a_literal_list_of_the_six_functions():
    value = _assigned(_init_tree(), "__all__")
    assert isinstance(value, ast.List)
    assert sorted(ast.literal_eval(value)) == sorted(SIGNATURES)
    assert sorted(viz_utils.__all__) == sorted(SIGNATURES)


def test_each_function_is_reexported_by_an_explicit_relative_import():
    assert _reexports(_init_tree()).keys() == SIGNATURES.keys()


def test_legacy_names_are_a_literal_dict_with_its_comment():
    source = (PACKAGE / "__init__.py").read_text()
    assert (
        "# Names older notebooks used for these functions; "
        "`nbrefactor migrate` rewrites calls to them.\n"
        '__legacy_names__ = {"plot_training_metrics": "visualize_training_progress"}\n'
    ) in source
    value = _assigned(_init_tree(), "__legacy_names__")
    assert ast.literal_eval(value) == {"plot_training_metrics": "visualize_training_progress"}


def test_signatures_read_with_ast():
    modules = _reexports(_init_tree())
    for name, expected in SIGNATURES.items():
        tree = ast.parse((PACKAGE / f"{modules[name]}.py").read_text())
        (function,) = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name]
        args = function.args
        assert not args.posonlyargs and args.vararg is None
        defaults = [REQUIRED] * (len(args.args) - len(args.defaults)) + [
            ast.literal_eval(default) for default in args.defaults
        ]
        assert list(zip([a.arg for a in args.args], defaults, strict=True)) == expected, name
        assert [a.arg for a in args.kwonlyargs] == KEYWORDS[name], name
        assert [ast.literal_eval(d) for d in args.kw_defaults] == [None] * len(KEYWORDS[name])
        assert args.kwarg is not None and args.kwarg.arg == "kwargs", name
        assert all(a.annotation is not None for a in [*args.args, *args.kwonlyargs, args.kwarg]), (
            name
        )
        assert ast.unparse(function.returns) == "Figure", name
        docstring = ast.get_docstring(function)
        for section in ("Parameters", "Returns", "Raises", "Examples"):
            assert f"\n{section}\n" in docstring, f"{name}: no {section} section"
        for parameter in [*KEYWORDS[name], "**kwargs"]:
            # a numpydoc entry: the name alone on its line, or in a list ("vmin, vmax")
            entry = rf"^([\w*]+, )*{re.escape(parameter)}(, [\w*]+)*$"
            assert re.search(entry, docstring, re.MULTILINE), f"{name}: {parameter} undocumented"
        assert "pyplot" in docstring, f"{name}: the pyplot rule is not stated"


def test_py_typed_marker():
    assert (PACKAGE / "py.typed").is_file()


def _run(code: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    env.pop("MPLBACKEND", None)
    return subprocess.run(
        [sys.executable, *(["-c", code] if code else []), *args],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
    )


def test_import_needs_neither_torch_nor_pyplot_nor_ipython():
    """Importing is cheap; plotting numpy imports pyplot (as pandas' .plot does), not torch."""
    code = """
import io, sys
import numpy as np
import viz_utils
loaded = lambda *roots: sorted(
    m for m in sys.modules if m.split(".")[0] in roots or m in roots
)
assert loaded("torch", "IPython", "matplotlib.pyplot") == [], loaded("torch", "IPython")
fig = viz_utils.visualize_gradient_norms(np.ones((2, 3)), [(0, 0)])
fig.savefig(io.BytesIO(), format="png")
viz_utils.visualize_training_progress({"train_loss": [1.0, 2.0]})
assert loaded("torch", "IPython") == [], loaded("torch", "IPython")
print("matplotlib.pyplot" in sys.modules)
"""
    result = _run(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "True\n"


def test_gallery_command_writes_six_pngs(tmp_path):
    result = _run("", "-m", "viz_utils.gallery", str(tmp_path / "gallery"), "--dpi", "40")
    assert result.returncode == 0, result.stderr
    written = sorted((tmp_path / "gallery").iterdir())
    assert [path.name for path in written] == sorted(f"{name}.png" for name in SIGNATURES)
    for path in written:
        assert path.read_bytes().startswith(b"\x89PNG")
    assert sorted(result.stdout.splitlines()) == [str(path) for path in written]
