"""Whether computing a value draws from a global random generator: a library's top level
assigning `np.random.randn(3)` moves every draw after a notebook's seed once imported
there (`import_effects`)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from nbrefactor.analysis.import_targets import dotted_path

# The global random generators' modules, and what in them makes a generator of its own
# rather than drawing from (or seeding) the global one, or reads its state.
_RANDOM_MODULES = ("np.random.", "numpy.random.", "random.", "torch.")
_OWN_GENERATORS = frozenset(
    {"default_rng", "RandomState", "Generator", "SeedSequence", "PCG64", "MT19937", "Philox"}
    | {"SFC64", "BitGenerator", "Random", "SystemRandom", "get_state"}
)
_TORCH_DRAWS = frozenset(
    {"rand", "randn", "randint", "randperm", "normal", "bernoulli", "multinomial", "rand_like"}
    | {"randn_like", "randint_like", "manual_seed", "seed"}
)
# torch.nn's layers with weights, which they draw from torch's global generator when made
# (`PROJ = nn.Linear(4, 2)`; re-check 44), and the initialisers that redraw them.
_TORCH_LAYERS = frozenset(
    {"Linear", "Bilinear", "LazyLinear", "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d"}
    | {"ConvTranspose2d", "ConvTranspose3d", "Embedding", "EmbeddingBag", "RNN", "LSTM", "GRU"}
    | {"RNNCell", "LSTMCell", "GRUCell", "MultiheadAttention", "Transformer"}
    | {"TransformerEncoderLayer", "TransformerDecoderLayer"}
)
_TORCH_INITIALISERS = frozenset(
    {"uniform_", "normal_", "trunc_normal_", "xavier_uniform_", "xavier_normal_"}
    | {"kaiming_uniform_", "kaiming_normal_", "orthogonal_", "sparse_"}
)
# A tensor's methods that fill it from torch's global generator (`torch.empty(3).normal_()`).
_TENSOR_DRAWS = frozenset(
    {"normal_", "uniform_", "random_", "bernoulli_", "exponential_", "geometric_"}
    | {"log_normal_", "cauchy_"}
)
_MODULE_ROOTS = ("numpy", "random", "torch")


class RandomNames:
    """What a module's names stand for, as far as drawing is concerned, noted statement by
    statement in the order it runs: a random module bound under another name (`import
    numpy.random as npr`, `from torch import nn`, `rnd = np.random`), a drawing function
    imported by its name (`from numpy.random import randn`), and the module's own
    functions whose bodies draw (`DEMO = make_data(5)`; re-check 44)."""

    def __init__(self) -> None:
        self._paths: dict[str, str] = {}  # a name -> the dotted path it stands for
        # The module's functions and classes by name, and whether each draws, once asked:
        # only a top-level call of one is (most modules make none).
        self._definitions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef] = {}
        self._drawing: dict[str, bool] = {}

    def note(self, statement: ast.stmt) -> None:
        """Take in what a top-level statement binds."""
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                if alias.asname is not None:
                    self._bind(alias.asname, alias.name)
                else:
                    top = alias.name.partition(".")[0]
                    self._bind(top, top)
        elif isinstance(statement, ast.ImportFrom):
            for alias in statement.names:
                if statement.level == 0 and statement.module is not None and alias.name != "*":
                    self._bind(alias.asname or alias.name, f"{statement.module}.{alias.name}")
        elif isinstance(statement, ast.Assign):
            path = dotted_path(statement.value)
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    self._bind(target.id, self.resolved(path) if path is not None else None)
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            # A class whose methods draw: making one may (`MODEL = Model()`).
            self._bind(statement.name, None)
            self._definitions[statement.name] = statement

    def _bind(self, name: str, path: str | None) -> None:
        self._definitions.pop(name, None)
        self._drawing.pop(name, None)
        if path is not None and path.partition(".")[0] in _MODULE_ROOTS:
            self._paths[name] = path
        else:
            self._paths.pop(name, None)

    def resolved(self, path: str) -> str:
        """`numpy.random.randn` for `npr.randn`, the path itself for a name not noted."""
        first, dot, rest = path.partition(".")
        stands_for = self._paths.get(first)
        return path if stands_for is None else stands_for + dot + rest

    def draws(self, name: str) -> bool:
        """Whether `name` is the module's own function (or class) whose body draws; each
        body walked once, when first asked (taken as drawing nothing while it is walked:
        a function calling itself)."""
        definition = self._definitions.get(name)
        if definition is None:
            return False
        if name not in self._drawing:
            self._drawing[name] = False
            self._drawing[name] = any(draws_global_random(part, self) for part in definition.body)
        return self._drawing[name]


def draws_global_random(value: ast.AST, names: RandomNames | None = None) -> bool:
    """Whether computing the value draws from (or seeds) a global random generator:
    `np.random.randn(3)`, `random.randint(0, 9)`, `torch.rand(2)` (re-check 40: after the
    notebook's `np.random.seed(0)`, the import moved every later draw), `nn.Linear(4, 2)`,
    `torch.empty(3).normal_()`, a call of the module's own function that draws (`names`);
    not `np.random.default_rng(0)`, a generator of its own, nor what a `lambda` or a
    generator's items would draw when called or iterated."""
    for node in evaluated_now(value):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in _TENSOR_DRAWS:
            return True
        path = dotted_path(func) or ""
        if names is not None:
            if isinstance(func, ast.Name) and names.draws(func.id):
                return True
            path = names.resolved(path)
        if path.startswith("torch.nn."):
            last = path.rpartition(".")[2]
            if last in _TORCH_LAYERS or (
                path.startswith("torch.nn.init.") and last in _TORCH_INITIALISERS
            ):
                return True
        prefix = next((module for module in _RANDOM_MODULES if path.startswith(module)), None)
        if prefix is None:
            continue
        name = path[len(prefix) :]
        if prefix == "torch." and name not in _TORCH_DRAWS:
            continue
        if "." not in name and name not in _OWN_GENERATORS:
            return True
    return False


def evaluated_now(node: ast.AST) -> Iterator[ast.AST]:
    """The nodes of `node` that run when it does: not a `lambda`'s body, nor a generator
    expression's but its first iterable (`ast.walk` otherwise)."""
    pending = [node]
    while pending:
        current = pending.pop()
        yield current
        if isinstance(current, ast.Lambda):
            pending.extend(current.args.defaults)
            pending.extend(default for default in current.args.kw_defaults if default is not None)
        elif isinstance(current, ast.GeneratorExp):
            pending.append(current.generators[0].iter)
        else:
            pending.extend(ast.iter_child_nodes(current))
