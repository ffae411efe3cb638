"""Rule: every use that could run a definition must bind to the library signature (`rules/call_binding.py`)."""

from __future__ import annotations

import pytest
from conftest import GRAD_DEF, HEATMAP_DEF, IMPORTS, TITLE, code, migrate_text, notebook_text
from hypothesis import example, given, settings
from hypothesis import strategies as st

from nbrefactor import messages
from nbrefactor.analysis.catalog import LibraryFunction, Parameter, ParameterKind
from nbrefactor.analysis.events import CallShape
from nbrefactor.reasons import UnknownKeyword
from nbrefactor.rules.signatures import binding_problem, signature_compatible


@pytest.mark.parametrize(
    ("call", "reason"),
    [
        (
            "visualize_gradient_norms(g, None, None, 't', None, 'plasma')",
            "passes 6 positional arguments but viz_utils.visualize_gradient_norms takes at most 5",
        ),
        ("visualize_gradient_norms(g, 1, 2, 3, 4, 5)", "passes 6 positional arguments"),
        ("visualize_gradient_norms()", "does not pass 'grad_norm_values'"),
        ("visualize_gradient_norms(title='a', cmap='magma')", "does not pass 'grad_norm_values'"),
        ("visualize_gradient_norms(g, grad_norm_values=g)", "both by position and by keyword"),
    ],
)
def test_definition_is_kept_when_a_call_does_not_bind(catalog, call, reason):
    text = notebook_text(TITLE, IMPORTS, code(GRAD_DEF), code(call))
    result, _sources = migrate_text(text, catalog)
    assert not result.changed
    (kept,) = [found.message for found in result.report.kept]
    assert kept.startswith("kept visualize_gradient_norms (cell 3): ")
    assert reason in kept
    assert "cell 4" in kept


def test_a_call_that_does_not_bind_is_the_problem_of_the_definition_it_runs(catalog):
    """Cell 4's call runs cell 5's definition only: cell 3's stays with it (NBR224)."""
    text = notebook_text(
        TITLE,
        IMPORTS,
        code(GRAD_DEF),
        code("visualize_gradient_norms(g)"),
        code(GRAD_DEF),
        code("visualize_gradient_norms()"),
    )
    result, _ = migrate_text(text, catalog)
    assert [(found.cell, found.code) for found in result.report.kept] == [
        (3, "NBR224"),
        (5, "NBR204"),
    ]
    assert result.report.kept[0].reason == (
        "the definition in cell 5 is kept, and a name's definitions go together"
    )


def test_call_inside_a_function_body_counts(catalog):
    """A call in a function defined earlier may run the inline definition later."""
    text = notebook_text(
        TITLE,
        IMPORTS,
        code("def train():\n    visualize_gradient_norms(g, 1, 2, 3, 4, 5)"),
        code(GRAD_DEF),
    )
    result, _ = migrate_text(text, catalog)
    assert not result.changed
    assert "call in cell 3 passes 6 positional arguments" in result.report.kept[0].message


def test_calls_bound_to_another_import_do_not_block(catalog):
    """A call that runs a same-named function imported from elsewhere is not a call of the inline copy."""
    text = notebook_text(
        TITLE,
        code(
            "from utils.viz import visualize_gradient_norms\nvisualize_gradient_norms(g, 1, 2, 3, 4, 5)"
        ),
        code(GRAD_DEF),
        code("visualize_gradient_norms(g)"),
    )
    result, sources = migrate_text(text, catalog)
    assert result.report.kept == ()
    # The new import goes where the definition was, so cell 2's own call keeps its binding.
    assert (
        sources[2]
        == "from utils.viz import visualize_gradient_norms\nvisualize_gradient_norms(g, 1, 2, 3, 4, 5)"
    )
    assert sources[3] == "from viz_utils import visualize_gradient_norms\n"


def test_calls_in_python_cell_magic_cells_are_checked(catalog):
    text = notebook_text(
        TITLE, IMPORTS, code(GRAD_DEF), code("%%time\nvisualize_gradient_norms(g, 1, 2, 3, 4, 5)")
    )
    result, _ = migrate_text(text, catalog)
    assert not result.changed
    assert "call in cell 4 passes 6 positional arguments" in result.report.kept[0].message


def test_a_use_in_a_broken_cell_whose_call_cannot_be_read_keeps_the_definition(catalog):
    """The call's own text does not parse: its arguments are unknown, so it cannot be checked."""
    broken = "x = [1,\nplot_training_metrics(history.detach(.cpu())"
    legacy = "def plot_training_metrics(metrics_history):\n    plt.plot(metrics_history['step'])"
    text = notebook_text(
        TITLE, IMPORTS, code(broken), code(legacy), code("plot_training_metrics(h)")
    )
    result, _ = migrate_text(text, catalog)
    assert not result.changed
    (kept,) = [found.message for found in result.report.kept]
    assert kept.startswith("kept plot_training_metrics (cell 4): cell 3 does not parse (line 2: ")
    assert kept.endswith(
        "and plot_training_metrics on its line 2 is not a call that can be read, "
        "so that use cannot be checked"
    )


def test_a_call_that_reads_in_a_broken_cell_is_checked_and_renamed(catalog):
    """A glued line does not parse, but the call's own text does: it binds, so it is renamed."""
    broken = "history = {}plot_training_metrics(history)"
    legacy = "def plot_training_metrics(metrics_history):\n    plt.plot(metrics_history['step'])"
    text = notebook_text(
        TITLE, IMPORTS, code(broken), code(legacy), code("plot_training_metrics(h)")
    )
    result, sources = migrate_text(text, catalog)
    assert sources[3] == "history = {}visualize_training_progress(history)"
    assert sources[4] == ""
    assert sources[5] == "visualize_training_progress(h)"
    assert result.report.warnings == (
        "cell 3 does not parse (line 1: invalid syntax); the statements that do were read",
    )


@pytest.mark.parametrize(
    ("positional", "keywords", "problem"),
    [
        (1, (), None),
        (5, (), None),
        (1, ("ax", "title"), None),
        (
            6,
            (),
            "passes 6 positional arguments but viz_utils.visualize_gradient_norms takes at most 5",
        ),
        (
            0,
            (),
            "does not pass 'grad_norm_values', which viz_utils.visualize_gradient_norms requires",
        ),
        (1, ("cmap", "interpolation"), None),  # keyword-only, and through **kwargs
        (2, ("pruned_heads",), "passes 'pruned_heads' both by position and by keyword"),
    ],
)
def test_binding_problems(catalog, positional, keywords, problem):
    function = catalog.functions["visualize_gradient_norms"]
    found = binding_problem(function, CallShape(positional, keywords, unpacks=False))
    assert (None if found is None else messages.describe(found)) == problem


@pytest.mark.parametrize(
    "use",
    [
        "visualize_gradient_norms(*args)",
        "visualize_gradient_norms(g, **options)",
        "callbacks = [visualize_gradient_norms]",
        "plotters = {'grad': visualize_gradient_norms}",
        "draw = functools.partial(visualize_gradient_norms, title='Step 3')",
    ],
)
def test_unchecked_uses_are_safe_when_the_signature_is_compatible(catalog, use):
    text = notebook_text(TITLE, IMPORTS, code(GRAD_DEF), code(use))
    result, sources = migrate_text(text, catalog)
    assert sources[3] == ""
    assert result.report.replaced[0].message.startswith(
        "replaced visualize_gradient_norms (cell 3); signature compatible"
    )


INCOMPATIBLE_DEF = "def visualize_gradient_norms(values, pruned=None):\n    plt.imshow(values)\n"


@pytest.mark.parametrize(
    ("use", "reason"),
    [
        ("visualize_gradient_norms(*args)", "passes *args or **kwargs"),
        ("callbacks = [visualize_gradient_norms]", "refers to visualize_gradient_norms without"),
    ],
)
def test_unchecked_uses_keep_a_definition_whose_signature_differs(catalog, use, reason):
    text = notebook_text(TITLE, IMPORTS, code(INCOMPATIBLE_DEF), code(use))
    result, _ = migrate_text(text, catalog)
    assert not result.changed
    (kept,) = [found.message for found in result.report.kept]
    assert kept.startswith("kept visualize_gradient_norms (cell 3): ")
    assert reason in kept


def test_an_unchecked_use_is_the_problem_of_the_definitions_that_accept_more(catalog):
    """holoviews' `sine`: cell 4's copy has the library's signature; only cell 3's accepts
    calls the library does not. The reference in cell 5 runs cell 4's, so it is no reason
    to keep cell 3's (which its parameters are), and cell 4's stays with it."""
    text = notebook_text(
        TITLE,
        IMPORTS,
        code(INCOMPATIBLE_DEF),
        code(GRAD_DEF),
        code("callbacks = [visualize_gradient_norms]"),
    )
    result, _ = migrate_text(text, catalog)
    assert not result.changed
    assert [(found.cell, found.code) for found in result.report.kept] == [
        (3, "NBR220"),
        (4, "NBR224"),
    ]


def _parameters(text: str) -> tuple[Parameter, ...]:
    import ast

    from nbrefactor.analysis.catalog import parameters_of

    return parameters_of(ast.parse(f"def f({text}): pass").body[0].args)


@pytest.mark.parametrize(
    ("inline", "library", "compatible"),
    [
        ("a, b=1", "a, b=1", True),
        ("a, b=1", "a, b=2, c=3, *, d=4, **kw", True),
        ("a, b", "a, b=1", True),  # required inline, optional in the library
        ("a, b=1", "a, b", False),  # optional inline, required in the library
        ("a, b=1", "a, c=1", False),  # another name
        ("a, b=1", "b, a=1", False),  # another order
        ("a, b=1", "a", False),  # fewer positional parameters
        ("a, b=1", "a, /, b=1", False),  # a can no longer be passed by keyword
        ("a, /, b=1", "a, b=1", True),  # positional-only inline, either in the library
        ("a, /, b=1", "a, /, b=1, c=2", True),
        ("a, b=1", "a, *, b=1", False),  # b is no longer positional
        ("a, b=1", "a, b=1, *, c", False),  # a new required parameter
        ("a, *, k=1", "a, *, k=1", True),
        ("a, *, k=1", "a, k=1", True),
        ("a, *, k=1", "a, **kw", False),  # **kw would pass k on, not use it (issue 16)
        ("a, *, k=1", "a", False),
        ("a, *, k", "a, *, k=1", True),
        ("a, *, k=1", "a, *, k", False),
        ("a, *args", "a, *args", True),
        ("a, *args", "a", False),
        ("a, **kw", "a, **kw", True),
        ("a, **kw", "a, *, k=1", False),
        # Sweep M repro_1: `color=` lands in the inline **kw and in the library's color.
        ("text, **kw", "text, color=None, **kw", False),
        ("text, **kw", "text, *, color=None, **kw", False),
        ("text, color=None, **kw", "text, color=None, **kw", True),
    ],
)
def test_signature_compatibility(inline, library, compatible):
    assert signature_compatible(_parameters(inline), _parameters(library)) is compatible


def test_parameter_kinds_are_read():
    assert [p.kind for p in _parameters("a, /, b, *c, d, **e")] == [
        ParameterKind.POSITIONAL_ONLY,
        ParameterKind.POSITIONAL_OR_KEYWORD,
        ParameterKind.VAR_POSITIONAL,
        ParameterKind.KEYWORD_ONLY,
        ParameterKind.VAR_KEYWORD,
    ]


_NAMES = ["a", "b", "c", "k"]


@st.composite
def signatures(draw) -> str:
    """A random Python parameter list over a few names."""
    names = draw(st.lists(st.sampled_from(_NAMES), unique=True, max_size=4))
    split = draw(st.integers(0, len(names)))
    positional, keyword_only = names[:split], names[split:]
    first_default = draw(st.integers(0, len(positional)))
    parts = [name if i < first_default else f"{name}=1" for i, name in enumerate(positional)]
    if parts and draw(st.booleans()):
        parts.insert(draw(st.integers(1, len(parts))), "/")
    star = draw(st.booleans())
    if star or keyword_only:
        parts.append("*args" if star else "*")
    parts += [name if draw(st.booleans()) else f"{name}=1" for name in keyword_only]
    if draw(st.booleans()):
        parts.append("**kw")
    return ", ".join(parts)


@settings(max_examples=500, deadline=None)
@example(inline="**kw", library="a=1, /, *, b=1, **kw", positional=0, keywords=["a"])
@given(
    inline=signatures(),
    library=signatures(),
    positional=st.integers(0, 4),
    keywords=st.lists(st.sampled_from([*_NAMES, "z"]), unique=True, max_size=3),
)
def test_a_compatible_library_accepts_every_call_the_inline_signature_accepts(
    inline, library, positional, keywords
):
    """Checked against Python itself: both signatures are empty functions, and the call is made.

    (Not `inspect.Signature.bind`: on Python 3.11 it refuses `f(a=0)` for
    `def f(a=1, /, **kw)`, which Python accepts, `a` going to `kw`.)
    """
    if not signature_compatible(_parameters(inline), _parameters(library)):
        return
    namespace: dict = {}
    source = (
        f"def inline({inline}):\n    return locals()\ndef library({library}):\n    return locals()"
    )
    exec(source, namespace)  # noqa: S102 - two functions built from generated signatures
    args = [f"positional {index}" for index in range(positional)]
    kwargs = {keyword: f"keyword {keyword}" for keyword in keywords}
    try:
        inline_bound = namespace["inline"](*args, **kwargs)
    except TypeError:
        return  # the inline version refuses this call too
    library_bound = namespace["library"](*args, **kwargs)
    # And each argument means the same: it lands in the parameter of the same name, or in
    # the `*args` or `**kwargs` of both.
    assert _where_each_argument_lands(inline_bound) == _where_each_argument_lands(library_bound)


def _where_each_argument_lands(bound: dict) -> dict[str, str]:
    """Argument -> the parameter it binds: its name, `*` or `**`; defaults left out."""
    found = {}
    for name, value in bound.items():
        if isinstance(value, tuple):
            found.update(dict.fromkeys(value, "*"))
        elif isinstance(value, dict):
            found.update(dict.fromkeys(value.values(), "**"))
        elif isinstance(value, str):
            found[value] = name
    return found


def test_a_keyword_the_library_takes_through_kwargs_binds(catalog):
    """`interpolation=` is no parameter of the library function: its `**kwargs` take it
    (and hand it to matplotlib), so the call binds and the definition goes."""
    text = notebook_text(
        TITLE, IMPORTS, code(GRAD_DEF), code("visualize_gradient_norms(g, interpolation='nearest')")
    )
    result, sources = migrate_text(text, catalog)
    assert sources[3] == ""
    assert result.report.kept == ()


def test_an_unknown_keyword_does_not_bind_without_kwargs():
    library = LibraryFunction("mylib.draw", _parameters("a, b=1, *, c=2"), ())
    problem = binding_problem(library, CallShape(1, ("d",), unpacks=False))
    assert problem == UnknownKeyword("d", "mylib.draw")
    assert messages.describe(problem) == "passes keyword 'd' that mylib.draw does not accept"


def test_a_call_inside_a_replaced_definition_goes_with_it(catalog):
    """The heatmap helper's call of visualize_gradient_norms does not bind to the library's
    (no values); it goes with the helper, so the gradient helper goes too, in one run: kept,
    a second run would have replaced it (the check before writing refused such a migration)."""
    heatmap_calling_grad = HEATMAP_DEF + "    visualize_gradient_norms()\n"
    text = notebook_text(
        TITLE,
        IMPORTS,
        code(GRAD_DEF),
        code(heatmap_calling_grad),
        code("visualize_entropy_heatmap(e)\nvisualize_gradient_norms(g)"),
    )
    result, sources = migrate_text(text, catalog)
    assert [finding.name for finding in result.report.replaced] == [
        "visualize_gradient_norms",
        "visualize_entropy_heatmap",
    ]
    assert result.report.kept == ()
    assert sources[3] == sources[4] == ""


def test_a_call_inside_a_kept_definition_still_keeps_the_name(catalog):
    """The same call inside a helper that stays (its parameters are not the library's)
    runs as before: the gradient helper stays for it."""
    kept_calling_grad = "def visualize_entropy_heatmap(values):\n    visualize_gradient_norms()\n"
    text = notebook_text(
        TITLE,
        IMPORTS,
        code(GRAD_DEF),
        code(kept_calling_grad),
        code("visualize_entropy_heatmap(e)\nvisualize_gradient_norms(g)"),
    )
    result, _ = migrate_text(text, catalog)
    assert result.new_sources == {}
    assert [(finding.name, finding.code) for finding in result.report.kept] == [
        ("visualize_gradient_norms", "NBR204"),
        ("visualize_entropy_heatmap", "NBR220"),
    ]


def test_a_use_without_a_call_blames_only_a_definition_it_may_run(tmp_path):
    """panel's ChatFeed notebook passes `echo_message` as a callback after each of its
    definitions: the reference after the library's own signature is fine; the reference
    after the wider one is the reason to keep it (it used to cite the first)."""
    library = tmp_path / "chat.py"
    library.write_text("def echo(contents):\n    return contents\n", encoding="utf-8")
    from nbrefactor.analysis.catalog import load_catalog

    text = notebook_text(
        TITLE,
        code("callbacks = []"),
        code("def echo(contents):\n    return contents\n\ncallbacks.append(echo)"),
        code("def echo(contents, user, instance):\n    return user\n\ncallbacks.append(echo)"),
    )
    result, _ = migrate_text(text, load_catalog(str(library)))
    assert [found.message for found in result.report.kept] == [
        (
            "kept echo (cell 3): the definition in cell 4 is kept, and a name's definitions go "
            "together"
        ),
        (
            "kept echo (cell 4): cell 4 refers to echo without calling it, and the inline signature "
            "accepts calls that chat.echo does not bind the same way"
        ),
    ]


@pytest.mark.parametrize(
    ("magic", "rest"),
    [
        # Sweep W repro_9: `%memit work(10, 5)` (memory_profiler) runs its statement, as
        # `%time` does; its call was not read, and raised TypeError once migrated.
        *((magic, "") for magic in ("%memit", "%snakeviz", "%time")),
        # IPython runs the statement after `%%timeit`'s options once, before the cell, and
        # `%%prun`'s and `%%debug`'s before the cell too (sweep R repro_3).
        *((magic, "\npass") for magic in ("%%timeit -n1 -r1", "%%prun -q", "%%debug")),
    ],
)
def test_a_call_on_a_magic_line_is_checked(catalog, magic, rest):
    text = notebook_text(
        TITLE,
        IMPORTS,
        code(GRAD_DEF),
        code(f"{magic} visualize_gradient_norms(g, None, None, 't', None, 'extra'){rest}"),
    )
    result, _ = migrate_text(text, catalog)
    assert [found.code for found in result.report.kept] == ["NBR201"]


@pytest.mark.parametrize(
    ("use", "code_"),
    [
        ('red = functools.partial(style, color="red")\nred("hi")', "NBR205"),
        ('opts = {"color": "blue"}\nstyle("yo", **opts)', "NBR206"),
        ('style("hi", color="red")', "NBR226"),  # a call that says it: checked on its own
    ],
)
def test_a_keyword_the_inline_kwargs_collects_and_the_library_names_keeps_it(tmp_path, use, code_):
    """Sweep M repro_1: inline, `color=` lands in **kw and is returned; the library's
    `style` takes it as its `color` parameter, and it disappeared."""
    library = tmp_path / "stylelib.py"
    body = "    return dict(text=text, **kw)\n"
    library.write_text(f"def style(text, color=None, **kw):\n{body}", encoding="utf-8")
    from nbrefactor.analysis.catalog import load_catalog

    text = notebook_text(
        TITLE, code("import functools"), code(f"def style(text, **kw):\n{body}"), code(use)
    )
    result, _ = migrate_text(text, load_catalog(str(library)))
    assert not result.changed
    assert [found.code for found in result.report.kept] == [code_]


def _migrate_onto_forwarding_library(tmp_path, use):
    """`def f(x, show=False)` inline, then `use`; the library's `f` passes its keywords on
    through `**kw` to `_g`, which takes none: a use that cannot be checked must keep it."""
    from nbrefactor.analysis.catalog import load_catalog

    library = tmp_path / "LIB.py"
    library.write_text(
        "def _g(x):\n    return x\n\n\ndef f(x, **kw):\n    return _g(x, **kw)\n",
        encoding="utf-8",
    )
    text = notebook_text(TITLE, code("def f(x, show=False):\n    return x"), code(use))
    result, _ = migrate_text(text, load_catalog(str(library)))
    return result


_STRING = ("NBR215", "a string in cell 3 names f (eval, exec, globals()[...])")


_FORMULA = ("NBR255", "a formula in cell 3 calls f (patsy runs it in the notebook)")


_PANDAS = ("NBR265", "a string in cell 3 calls @f (pandas' query and eval run it in the notebook)")


def _walk(line):
    return ("NBR256", f"cell 3 reaches the notebook's functions through its namespace (`{line}`)")


def _by_value(runner):
    use = "a string in cell 3 reads as code naming f, and cell 3 runs code given by value"
    return ("NBR247", f"{use} (`{runner}`)")


def _magic(magic):
    return ("NBR245", f"cell 3 names f on line 1, in the argument of %{magic}")


def _cell_magic(magic, line):
    return ("NBR249", f"cell 3 names f on line {line}, in a %%{magic} cell (the magic may run it)")


@pytest.mark.parametrize(
    ("use", "kept"),
    [
        # Sweep 31: OpenMDAO takes each default as its input's value (3.0 became 4.0).
        ("comp = om.ExplicitFuncComp(model)", True),
        ("interact(model, x=(0, 5))", True),  # each widget starts at the default
        ("fit = lmfit.Model(model)", True),  # each parameter starts at the default
        ("popt, _ = curve_fit(model, x, y)", False),  # fits every coefficient from p0
        # re-check 31
        ("bound = inspect.getcallargs(model, 1, 2)", True),
        ("sig = inspect.Signature.from_callable(model)", True),
        ("lines = textwrap.wrap(model)", False),  # not OpenMDAO's `wrap`: no openmdao here
        ("import openmdao.func_api as omf\nf = omf.wrap(model)", True),
    ],
)
def test_a_reader_of_default_values_needs_the_library_s_defaults(tmp_path, use, kept):
    from nbrefactor.analysis.catalog import load_catalog

    library = tmp_path / "fits.py"
    library.write_text("def model(x, a, b=3.0):\n    return a * x + b\n", encoding="utf-8")
    inline = "def model(x, a, b=2.0):\n    return a * x + b"
    text = notebook_text(TITLE, code("import lmfit"), code(inline), code(use))
    result, _ = migrate_text(text, load_catalog(str(library)))
    if not kept:
        assert [found.name for found in result.report.replaced] == ["model"]
        return
    (found,) = result.report.kept
    assert found.code == "NBR250"
    assert found.message.endswith(
        "which reads its parameters: (x, a, b=2.0) inline, (x, a, b=3.0) in fits.model"
    ), found.message


@pytest.mark.parametrize(
    ("use", "kept"),
    [
        ('globals()["f"](2, show=True)', _STRING),  # sweep R repro_8
        ('import __main__\nvars(__main__)["f"](2, show=True)', _STRING),
        ('eval("f(2, show=True)")', _STRING),  # sweep M repro_8
        ('import builtins\nbuiltins.eval("f(2, show=True)")', _STRING),  # sweep 18
        ('import builtins\nbuiltins.globals()["f"](2, show=True)', _STRING),
        ('get_ipython().user_ns["f"](2)', _STRING),
        ('get_ipython().run_cell("f(2, show=True)")', _STRING),
        ('import sys\ngetattr(sys.modules[__name__], "f")(2, show=True)', _STRING),
        # Sweep Y repro_5 and repro_6: profilers and timers run code too; a key read by `get`
        ('import timeit\ntimeit.timeit("f(2, show=True)", globals=globals())', _STRING),
        ('from timeit import timeit\ntimeit("f(2, show=True)", globals=globals())', _STRING),
        ('import cProfile\ncProfile.run("f(2, show=True)")', _STRING),
        ('globals().get("f")(2, show=True)', _STRING),
        ("print(f(2))", None),  # calls only, each checked
        ('print(f(2))\nprint("f")', None),  # a string that is data: a title, a label
        ('print(f(2))\nmodel.compile(metrics=["f"])', None),  # Keras' metric by name
        ('print(f(2))\nd = {"f": 1}\nd["f"]', None),  # a key of the notebook's own dict
        # IPython hands a line magic's argument to it as a string, which it may run (sweep W)
        ("t = %timeit -o f(2, show=True)", _magic("timeit")),
        ("r = %time f(2, show=True)", _magic("time")),
        ("%lprun -f f f(2, show=True)", _magic("lprun")),  # line_profiler
        ("%mprun -f f f(2, show=True)", _magic("mprun")),  # memory_profiler
        ("%debug f(2, show=True)", _magic("debug")),
        ("%store f", _magic("store")),
        # Sweep Y repro_5/6's leftovers: the string reaches the runner through a variable
        (
            'todo = ["f(2)", "f(2, show=True)"]\nfor expr in todo:\n    print(eval(expr))',
            _by_value("print(eval(expr))"),
        ),
        ('name = "f"\nglobals()[name](2, show=True)', _by_value("globals()[name](2, show=True)")),
        ('g = globals()\ng["f"](2, show=True)', _by_value("g = globals()")),
        ('key = "f"\nglobals().get(key)(2)', _by_value("globals().get(key)(2)")),
        ('print(f(2))\nlabel = "f(x)"\nprint(label)', None),  # nothing runs code by value
        ('print(f(2))\nprint("f is fast")\neval(input())', None),  # no call, not the name
        ("%cd f\nprint(f(2))", None),  # a path: %cd runs nothing
        ("!echo f\nprint(f(2))", None),  # a shell word
        ("%time f(2)", None),  # the code of %time is read: its call binds
        # A cell magic not known to leave Python alone may run its text (sweep 17: the
        # rest of a HoloViews `%%opts` cell is Python; rpy2's `-i f` hands f to R)
        ("%%opts Curve [width=400]\nf(2, show=True)", _cell_magic("opts", 2)),
        ("%%R -i f\nplot(f)", _cell_magic("R", 1)),
        ("%%bash\necho f", None),  # a script: no Python name
        ("%%html\n<b>f</b>", None),  # known to bind and run nothing
        # Sweep 28: patsy runs a formula's calls in the notebook (statsmodels' glm_formula)
        ('import statsmodels.formula.api as smf\nsmf.ols("y ~ f(x)", df)', _FORMULA),
        ('formula = "y ~ f(x, show=True) + z"\nprint(formula)', _FORMULA),
        ('print(f(2))\nprint("f(x) is fast")', None),  # no `~`: not a formula
        # Round 54a: pandas runs `@f(...)` in the notebook (`query`, `eval`, also in a function)
        ("df.query('a > @f(1, show=True)')", _PANDAS),
        ('df.eval("b = @f (a)")', _PANDAS),
        ("def g(df):\n    return df.query('a > @f(1)')", _PANDAS),
        ("df.query('a > @f')\nprint(f(2))", None),  # a value, not a call
        # Sweep 28b: the namespace read by key otherwise, and walked without naming f
        ('globals().__getitem__("f")(2, show=True)', _STRING),
        (
            'import code\ncode.InteractiveInterpreter(globals()).runsource("f(2, show=True)")',
            _STRING,
        ),
        (
            'for k, v in list(globals().items()):\n    if k == "f":\n        v(2, show=True)',
            _walk("for k, v in list(globals().items()):"),
        ),
        ('ns = dict(globals())\nns["f"](2, show=True)', _walk("ns = dict(globals())")),
        ("for name in dir():\n    print(name)", _walk("for name in dir():")),
        (
            "import inspect, sys\nfns = inspect.getmembers(sys.modules[__name__])",
            _walk("fns = inspect.getmembers(sys.modules[__name__])"),
        ),
        ('import os\nprint(os.listdir("."), f(2))', None),  # `listdir(` is not `dir(`
        ("for k, v in vars(config).items():\n    print(k, f(2))", None),  # another object
    ],
)
def test_text_naming_the_function_is_a_use_that_cannot_be_checked(tmp_path, use, kept):
    """Inline `show=False` is a parameter; the library passes it through `**kw` to `_g`,
    which does not take it: `globals()["f"](2, show=True)` and `t = %timeit -o f(2,
    show=True)` raised TypeError once migrated. A call through a string or a magic cannot be
    read, so it is kept as a use without a call is (the signatures do not bind the same way)."""
    result = _migrate_onto_forwarding_library(tmp_path, use)
    if kept is None:
        assert [found.name for found in result.report.replaced] == ["f"]
        return
    code_, named = kept
    assert not result.changed
    assert [(found.code, found.message) for found in result.report.kept] == [
        (
            code_,
            (
                f"kept f (cell 2): {named}, a use that cannot be checked, and the inline "
                "signature accepts calls that LIB.f does not bind the same way"
            ),
        )
    ]


@pytest.mark.parametrize(
    ("use", "reason"),
    [
        (
            "import __main__\n__main__.f(2, show=True)",
            "call in cell 3 passes keyword 'show' that LIB.f does not accept",
        ),
        (
            "import sys\nsys.modules[__name__].f(2, show=True)",
            "call in cell 3 passes keyword 'show' that LIB.f does not accept",
        ),
        (
            "import __main__\ndef later():\n    f = 1\n    return __main__.f(f, show=True)",
            "call in cell 3 passes keyword 'show' that LIB.f does not accept",
        ),
        # Sweep 26 F7: the notebook's module by `__import__` or `importlib.import_module`.
        (
            "__import__('__main__').f(2, show=True)",
            "call in cell 3 passes keyword 'show' that LIB.f does not accept",
        ),
        (
            "import importlib\nimportlib.import_module('__main__').f(2, show=True)",
            "call in cell 3 passes keyword 'show' that LIB.f does not accept",
        ),
        (
            "import __main__\ncallbacks = [__main__.f]",
            (
                "cell 3 refers to f without calling it, and the inline signature accepts calls "
                "that LIB.f does not bind the same way"
            ),
        ),
    ],
)
def test_the_notebooks_module_attribute_is_a_use_of_the_name(tmp_path, use, reason):
    """`__main__.f(2, show=True)` calls the notebook's `f`, whatever a local `f` is: once
    migrated, the library's, which does not take `show` (TypeError). It was no use at all."""
    from nbrefactor.analysis.catalog import load_catalog

    library = tmp_path / "LIB.py"
    library.write_text("def f(x):\n    return x\n", encoding="utf-8")
    text = notebook_text(TITLE, code("def f(x, show=False):\n    return x"), code(use))
    result, _ = migrate_text(text, load_catalog(str(library)))
    assert not result.changed
    assert [found.reason for found in result.report.kept] == [reason]


@pytest.mark.parametrize("use", ['eval("f(2, show=True)")', "t = %timeit -o f(2, show=True)"])
def test_a_string_in_the_definition_itself_is_its_own_text(tmp_path, use):
    """The helper's docstring naming it, or an identical signature: nothing to keep for."""
    from nbrefactor.analysis.catalog import load_catalog

    library = tmp_path / "LIB.py"
    library.write_text("def f(x, show=False):\n    return x\n", encoding="utf-8")
    inline = 'def f(x, show=False):\n    """f: the identity."""\n    return x'
    text = notebook_text(TITLE, code(inline), code(use))
    result, _ = migrate_text(text, load_catalog(str(library)))
    assert [found.name for found in result.report.replaced] == ["f"]


def test_a_cell_magic_naming_the_function_keeps_nothing_when_the_signatures_agree(catalog):
    """Like a line magic's argument, the text of a `%%opts` cell is accepted when every call
    the inline signature accepts binds the library's the same way."""
    text = notebook_text(
        TITLE,
        IMPORTS,
        code(GRAD_DEF),
        code("%%opts Image [colorbar=True]\nvisualize_gradient_norms(g, title='t')"),
    )
    opts = "%%opts Image [colorbar=True]\nvisualize_gradient_norms(g, title='t')"
    result, sources = migrate_text(text, catalog)
    assert [found.name for found in result.report.replaced] == ["visualize_gradient_norms"]
    assert sources[4] == opts  # never edited


_MODEL = "def model(x, a, b):\n    return a * np.exp(-b * x)"


@pytest.mark.parametrize(
    ("library_model", "use", "kept"),
    [
        # Sweep 18: curve_fit fitted a third coefficient, and `a, b = popt` raised.
        ("def model(x, a, b, c=None):", "popt, _ = curve_fit(model, x, y)", "curve_fit"),
        (
            "def model(x, a, b, c=None):",
            "popt, _ = optimize.curve_fit(f=model, xdata=x, ydata=y)",
            "curve_fit",
        ),
        ("def model(x, a, b, *, c=None):", "interact(model, x=(0, 5), a=1.0, b=1.0)", "interact"),
        ("def model(x, a, b=1.0):", "fit = Model(model)", "Model"),  # b optional there only
        # Sweep 19: under another name, the call is the same reader.
        (
            "def model(x, a, b, c=None):",
            "from scipy.optimize import curve_fit as cf\npopt, _ = cf(model, x, y)",
            "cf (curve_fit)",
        ),
        (
            "def model(x, a, b, *, c=None):",
            "from ipywidgets import interact as inter\ninter(model, x=(0, 5), a=1.0, b=1.0)",
            "inter (interact)",
        ),
        # Sweep 22: or assigned to another name.
        (
            "def model(x, a, b, c=None):",
            "import scipy.optimize as so\nfit = so.curve_fit  # the fitter\npopt, _ = fit(model, x, y)",
            "fit (curve_fit)",
        ),
        # Sweep 23: iminuit's cost functions and Minuit fit one parameter for each.
        ("def model(x, a, b, c=None):", "lsq = LeastSquares(x, y, 0.1, model)", "LeastSquares"),
        ("def model(x, a, b, c=None):", "m = iminuit.Minuit(model, a=0, b=0)", "Minuit"),
        # Sweep 31: OpenMDAO makes an input of each parameter, its default the input's value.
        ("def model(x, a, b, c=1.0):", "comp = om.ExplicitFuncComp(model)", "ExplicitFuncComp"),
        ("def model(x, a, b=2.0):", "comp = om.ImplicitFuncComp(model)", "ImplicitFuncComp"),
        (
            "def model(x, a, b, c=1.0):",
            "import openmdao.func_api as omf\nf = omf.wrap(model).defaults(units='m')",
            "wrap",
        ),
        ("def model(x, a, b):", "popt, _ = curve_fit(model, x, y)", None),  # the same parameters
        ("def model(x, a, b, c=None):", "ys = list(map(model, x, x, x))", None),  # reads none
    ],
)
def test_a_function_handed_to_a_reader_of_its_parameters_needs_the_same_ones(
    tmp_path, library_model, use, kept
):
    from nbrefactor.analysis.catalog import load_catalog

    library = tmp_path / "fits.py"
    library.write_text(
        f"import numpy as np\n\n\n{library_model}\n    return a * np.exp(-b * x)\n",
        encoding="utf-8",
    )
    text = notebook_text(TITLE, code("import numpy as np"), code(_MODEL), code(use))
    result, _ = migrate_text(text, load_catalog(str(library)))
    if kept is None:
        assert [found.name for found in result.report.replaced] == ["model"]
        return
    assert not result.changed
    (found,) = result.report.kept
    assert found.code == "NBR250"
    inline = "(x, a, b) inline"
    assert found.message.startswith(
        f"kept model (cell 3): cell 4 hands model to {kept}, which reads its parameters: {inline}"
    ), found.message


@pytest.mark.parametrize(
    ("use", "kept"),
    [
        # Sweep 24: the notebook's own wrapper hands it on, the fit gaining a coefficient.
        ("def fit(fn):\n    return curve_fit(fn, x, y)\n\npopt, _ = fit(model)", True),
        ("for fn in [model]:\n    popt, _ = curve_fit(fn, x, y)", True),
        ("m = model\npopt, _ = curve_fit(m, x, y)", True),
        ("models = {'exp': model}\npopt, _ = curve_fit(models['exp'], x, y)", True),
        ("popt, _ = curve_fit(model if linear else other, x, y)", True),
        ("popt, _ = functools.partial(curve_fit, model)(x, y)", True),
        ("fits = list(map(curve_fit, [model], [x], [y]))", True),
        ("fit = scipy.optimize.curve_fit\nm = model", True),  # named as an attribute
        # A common word names a reader with its package only (sweep 23: iminuit's describe).
        ("import iminuit\nprint(iminuit.util.describe(m := model))", "describe"),
        ("class Model:\n    pass\n\nm = model\nprint(df.describe())", False),
        # A call, an attribute of it, or no reader named: nothing reaches one.
        ("popt, _ = curve_fit(lambda x, a, b: model(x, a, b), x, y)", False),
        ("print(model.__name__)\npopt, _ = curve_fit(other, x, y)", False),
        ("m = model\nys = m(x, 1.0, 2.0)", False),
    ],
)
def test_a_function_used_as_a_value_where_a_reader_is_named_needs_the_same_parameters(
    tmp_path, use, kept
):
    from nbrefactor.analysis.catalog import load_catalog

    library = tmp_path / "fits.py"
    library.write_text(
        "import numpy as np\n\n\ndef model(x, a, b, c=None):\n    return a * np.exp(-b * x)\n",
        encoding="utf-8",
    )
    text = notebook_text(TITLE, code("import numpy as np"), code(_MODEL), code(use))
    result, _ = migrate_text(text, load_catalog(str(library)))
    if not kept:
        assert [found.name for found in result.report.replaced] == ["model"]
        return
    assert not result.changed
    (found,) = result.report.kept
    assert found.code == "NBR250"
    reader = kept if isinstance(kept, str) else "curve_fit"
    assert found.message == (
        f"kept model (cell 3): cell 4 uses model as a value, and the notebook names {reader},"
        " which reads the parameters of a function it reaches: (x, a, b) inline,"
        " (x, a, b, c=None) in fits.model"
    ), found.message


@pytest.mark.parametrize(
    ("use", "kept"),
    [
        # Sweep 23: iminuit takes each parameter's limits from its annotation.
        (
            "lsq = LeastSquares(x, y, 0.1, model)",
            "cell 4 hands model to LeastSquares, which reads its parameters",
        ),
        (
            "m = model\nlsq = cost.LeastSquares(x, y, 0.1, m)",
            (
                "cell 4 uses model as a value, and the notebook names LeastSquares, which reads"
                " the parameters of a function it reaches"
            ),
        ),
        (
            "from iminuit.util import describe\nprint(describe(model, annotations=True))",
            "cell 4 hands model to describe, which reads its parameters",
        ),
        # Sweep 29: the standard readers of annotations gave `{}`, then the library's.
        (
            "import typing\nprint(typing.get_type_hints(model))",
            "cell 4 hands model to get_type_hints, which reads its parameters",
        ),
        (
            "from inspect import get_annotations\nprint(get_annotations(model))",
            "cell 4 hands model to get_annotations, which reads its parameters",
        ),
        ("popt, _ = curve_fit(model, x, y)", None),  # reads no annotation
    ],
)
@pytest.mark.parametrize("annotated_side", ["inline", "library"])
def test_a_function_handed_to_a_reader_of_annotations_needs_the_same_ones(
    tmp_path, use, kept, annotated_side
):
    """Sweep 26: an untyped copy of an annotated library function was replaced; iminuit then
    took the library's limits (`α` from -0.99 to 0.0 on iminuit's basic.ipynb)."""
    from nbrefactor.analysis.catalog import load_catalog

    plain = "def model(x, a, b):\n    return a + b * x"
    annotated = "def model(x, a: float, b: Annotated[float, 0:]):\n    return a + b * x"
    inline, theirs = (annotated, plain) if annotated_side == "inline" else (plain, annotated)
    library = tmp_path / "fits.py"
    library.write_text(f"from typing import Annotated\n\n\n{theirs}\n", encoding="utf-8")
    # `Annotated` imported: unbound, the annotated def raised NameError (`NBR253`).
    imports = code("import numpy as np\nfrom typing import Annotated")
    text = notebook_text(TITLE, imports, code(inline), code(use))
    result, _ = migrate_text(text, load_catalog(str(library)))
    if kept is None:
        assert [found.name for found in result.report.replaced] == ["model"]
        return
    (found,) = result.report.kept
    assert found.code == "NBR250"
    assert found.message == (
        f"kept model (cell 3): {kept} and their annotations: the inline annotations"
        " are not fits.model's"
    )


def _migrate_onto_wider_library(tmp_path, *cells):
    """`def f(x)` inline; the library's `f(x, k=1)` accepts calls the copy rejects."""
    from nbrefactor.analysis.catalog import load_catalog

    library = tmp_path / "mylib.py"
    library.write_text("def f(x, k=1):\n    return x * k\n", encoding="utf-8")
    text = notebook_text(TITLE, code("def f(x):\n    return x"), *map(code, cells))
    return migrate_text(text, load_catalog(str(library)))


@pytest.mark.parametrize(
    ("cell", "line"),
    [
        ("try:\n    print(f(1, 5))\nexcept TypeError as error:\n    print('old', error)", 1),
        ("x = 0\ntry:\n    f(1, k=5)\nexcept (ValueError, Exception):\n    pass", 2),
        ("try:\n    f(1, 5)\nexcept:\n    pass", 1),
        ("try:\n    f(1, 5)\nexcept MyErrors:\n    pass", 1),  # a tuple of its own, maybe
        ("import contextlib\nwith contextlib.suppress(TypeError):\n    f(1, 5)", 2),
        # Round 62c: what catches or asserts a TypeError under another name.
        ("import unittest\nwith unittest.TestCase().assertRaises(TypeError):\n    f(1, 5)", 2),
        ("from contextlib import suppress as ignored\nwith ignored(TypeError):\n    f(1, 5)", 2),
        # In a function: the call's TypeError is caught when the function runs.
        ("def g():\n    try:\n        return f(1, 5)\n    except TypeError:\n        return 0", 2),
        (
            (
                "for i in [1]:\n    try:\n        for j in [2]:\n            f(i, j)\n"
                "    except TypeError:\n        pass"
            ),
            2,
        ),
    ],
)
def test_a_call_the_copy_rejects_caught_around_it_keeps_the_definition(tmp_path, cell, line):
    """Round 62 (a known limit before): `try: f(1, 5)` / `except TypeError:` printed the
    handler's words with `def f(x)`; with the library's `f(x, k=1)` the call runs, and the
    notebook prints something else without an error. Kept, the `try` named."""
    result, _ = _migrate_onto_wider_library(tmp_path, cell)
    assert not result.changed
    (kept,) = result.report.kept
    assert kept.code == "NBR270"
    problem = (
        "passes keyword 'k' that this definition does not accept"
        if "k=5" in cell
        else "passes 2 positional arguments but this definition takes at most 1"
    )
    assert kept.message == (
        f"kept f (cell 2): call in cell 3 {problem}, a TypeError caught on line {line}; mylib.f"
        " accepts the call, which would then run"
    )


@pytest.mark.parametrize(
    "cell",
    [
        "f(1, 5)",  # uncaught: the cell stopped there; now it runs (issue 16)
        "try:\n    f(1, 5)\nexcept (ValueError, KeyError):\n    pass",  # not a TypeError
        "try:\n    pass\nexcept TypeError:\n    f(1, 5)",  # in the handler, not the try
        "try:\n    f(1)\nexcept TypeError:\n    pass",  # the copy accepts it too
        "import contextlib\nwith contextlib.suppress(KeyError):\n    f(1, 5)",
        "with open('/dev/null') as handle:\n    f(1, 5)",
    ],
)
def test_a_call_the_copy_rejects_uncaught_or_caught_otherwise_lets_it_go(tmp_path, cell):
    result, sources = _migrate_onto_wider_library(tmp_path, cell)
    assert result.report.kept == ()
    assert [found.name for found in result.report.replaced] == ["f"]
    assert any("from mylib import f" in source for source in sources.values())


@pytest.mark.parametrize(
    ("cell", "line"),
    [
        ("try:\n    print(list(map(f, [1], [5])))\nexcept TypeError:\n    print('bad')", 1),
        (
            "import functools\ntry:\n    functools.partial(f, 1, 5)()\nexcept TypeError:\n    pass",
            2,
        ),
        (
            (
                "for a in [(2,), (1, 5)]:\n    try:\n        print(f(*a))\n"
                "    except TypeError:\n        print('bad', a)"
            ),
            2,
        ),
    ],
)
def test_a_use_that_cannot_be_checked_where_a_type_error_is_caught_keeps_it(tmp_path, cell, line):
    """Round 62c F3: `map(f, [1], [5])`, `partial(f, 1, 5)()`, `f(*a)` inside `try` /
    `except TypeError:`: the copy's `def f(x)` raised, the handler printed `bad`; the
    library's `f(x, k=1)` accepts the call, and it ran. These uses cannot be checked, and
    the signatures passed as compatible (`signature compatible`)."""
    result, _ = _migrate_onto_wider_library(tmp_path, cell)
    assert not result.changed
    (kept,) = result.report.kept
    assert kept.code == "NBR273"
    assert kept.message == (
        f"kept f (cell 2): cell 3 uses f where a TypeError is caught (line {line}), and mylib.f"
        " accepts calls this definition rejects: one the copy refused would run"
    )


def test_a_use_that_cannot_be_checked_where_nothing_catches_a_type_error_lets_it_go(tmp_path):
    cell = "try:\n    print(list(map(f, [1])))\nexcept (ValueError, KeyError):\n    pass"
    result, _ = _migrate_onto_wider_library(tmp_path, cell)
    assert result.report.kept == ()
    assert [found.name for found in result.report.replaced] == ["f"]


def test_a_statement_is_read_once_for_the_try_around_its_uses(tmp_path, monkeypatch):
    """Where a TypeError is caught is read once per statement, not once per use in it (a long
    training loop handing `f` around many times is no slower per use)."""
    from nbrefactor.rules import call_binding

    read = []
    original = call_binding.catching_blocks
    monkeypatch.setattr(
        call_binding, "catching_blocks", lambda statement: read.append(1) or original(statement)
    )
    uses = "".join(f"\n    g{index} = f" for index in range(40))
    result, _ = _migrate_onto_wider_library(tmp_path, "for i in range(3):" + uses)
    assert [found.name for found in result.report.replaced] == ["f"]
    assert len(read) == 1
