"""Whether computing a value draws from a global random generator: a library's top level
assigning `np.random.randn(3)` moves every draw after a notebook's seed once imported
there (`import_effects`)."""

from __future__ import annotations

import ast

from nbrefactor.analysis.evaluated import evaluated_now
from nbrefactor.analysis.import_targets import dotted_path, import_targets
from nbrefactor.analysis.random_objects import (
    is_random_object,
    makes_random_object,
    seeded,
    uses_random_object,
)

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
# Calls that draw from a global generator whatever module they come from: scipy.stats'
# `norm.rvs(size=3)`, torch's dropout and sampling functions, `dist.sample()` (re-check 45).
_DRAWING_CALLS = frozenset(
    {"rvs", "multinomial", "poisson", "bernoulli", "dropout", "dropout1d", "dropout2d"}
    | {"dropout3d", "alpha_dropout", "feature_alpha_dropout", "gumbel_softmax", "rrelu"}
    | {"random_split"}
)
# Calls that draw unless given a generator or seed of their own (`random_state=0`):
# pandas' and torch.distributions' `sample`; scikit-learn's data makers (`make_moons`)
# and these of its functions.
_SEEDABLE_CALLS = frozenset({"sample"})
_SKLEARN_SEEDABLE = frozenset({"train_test_split", "shuffle", "resample", "permutation_importance"})
_MODULE_ROOTS = ("numpy", "random", "torch", "sklearn")
# The methods that make an instance, run when a class is called.
_CONSTRUCTION = ("__init__", "__new__", "__post_init__")
# Stands for any method of a class: one called may call the others (`self._draw()`).
_ANY_METHOD = "*"


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
        self._instances: dict[str, str] = {}  # a name -> the own class it was made from
        self._random_objects: set[str] = set()  # names of objects that draw when used
        self._drawing: dict[tuple[str, str], bool] = {}  # (definition, method or "") -> draws

    def note(self, statement: ast.stmt) -> None:
        """Take in what a top-level statement binds."""
        if isinstance(statement, ast.Import) or (
            isinstance(statement, ast.ImportFrom) and not statement.level
        ):
            for name, imported in import_targets(statement).items():  # `npr` -> numpy.random
                self._bind(name, imported)
        elif isinstance(statement, ast.Assign):
            value = statement.value
            path = dotted_path(value)
            made = (
                value.func.id
                if isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
                else None
            )
            for target in statement.targets:
                if not isinstance(target, ast.Name):
                    continue
                own = self._definitions.get(path) if path is not None else None
                self._bind(target.id, self.resolved(path) if path is not None else None)
                if own is not None:  # `g2 = _g`: the same function under another name
                    self._definitions[target.id] = own
                elif made is not None and isinstance(self._definitions.get(made), ast.ClassDef):
                    self._instances[target.id] = made  # `S = Sampler(3)`
                elif makes_random_object(value, self.resolved):
                    self._random_objects.add(target.id)  # `KF = KFold(5, shuffle=True)`
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            # A class whose methods draw: making one may (`MODEL = Model()`).
            self._bind(statement.name, None)
            self._definitions[statement.name] = statement

    def _bind(self, name: str, path: str | None) -> None:
        self._definitions.pop(name, None)
        self._instances.pop(name, None)
        self._random_objects.discard(name)
        self._drawing.pop((name, ""), None)
        self._drawing.pop((name, _ANY_METHOD), None)
        if path is not None and path.partition(".")[0] in _MODULE_ROOTS:
            self._paths[name] = path
        else:
            self._paths.pop(name, None)

    def resolved(self, path: str) -> str:
        """`numpy.random.randn` for `npr.randn`, the path itself for a name not noted."""
        first, dot, rest = path.partition(".")
        stands_for = self._paths.get(first)
        return path if stands_for is None else stands_for + dot + rest

    def random_object(self, name: str) -> bool:
        """Whether the name is bound to an object that draws when used (`random_objects`)."""
        return name in self._random_objects

    def draws(self, name: str, method: str = "") -> bool:
        """Whether calling `name`, the module's own function or class (making an instance:
        its `__init__`), or a method of it (`_ANY_METHOD`: `U.draw()`, or of an instance the
        module made, `S.draw()`; any method, since one may call the others), draws; each
        body walked once, when first asked (taken as drawing nothing while it is walked:
        a function calling itself)."""
        owner = self._instances.get(name, name)
        definition = self._definitions.get(owner)
        if definition is None or (method and not isinstance(definition, ast.ClassDef)):
            return False
        key = (owner, method)
        if key not in self._drawing:
            self._drawing[key] = False
            self._drawing[key] = any(
                draws_global_random(part, self) for part in _run_by_call(definition, method)
            )
        return self._drawing[key]


def _run_by_call(
    definition: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, method: str
) -> list[ast.AST]:
    """What calling a function, a class (its constructors) or a class's methods runs."""
    if not isinstance(definition, ast.ClassDef):
        return list(definition.body)
    return [
        part
        for statement in definition.body
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef))
        and (method == _ANY_METHOD or statement.name in _CONSTRUCTION)
        for part in statement.body
    ]


def iterates_random(iterable: ast.expr, names: RandomNames) -> bool:
    """Whether a `for` over `iterable` draws by iterating an object that draws when used
    (`for batch in LOADER:`, `for i in RandomSampler(D):`; re-check 47)."""
    return is_random_object(iterable, names.random_object, names.resolved)


def draws_global_random(value: ast.AST, names: RandomNames | None = None) -> bool:
    """Whether computing the value draws from (or seeds) a global random generator:
    `np.random.randn(3)`, `random.randint(0, 9)`, `torch.rand(2)` (re-check 40: after the
    notebook's `np.random.seed(0)`, the import moved every later draw), `nn.Linear(4, 2)`,
    `torch.empty(3).normal_()`, a call of the module's own function that draws (`names`);
    not `np.random.default_rng(0)`, a generator of its own, nor what a `lambda` or a
    generator's items would draw when called or iterated."""

    def resolved_path(node: ast.expr) -> str:
        """The dotted path the expression stands for, through the module's imports (`tts`
        for `train_test_split as tts`: re-check 47); "" when it is none."""
        path = dotted_path(node) or ""
        return names.resolved(path) if names is not None else path

    for node in evaluated_now(value):
        if not isinstance(node, ast.Call):
            continue
        if seeded(node):
            continue  # `torch.rand(3, generator=G)`: a generator of its own
        func = node.func
        path = resolved_path(func)
        if names is not None and uses_random_object(node, names.random_object, names.resolved):
            return True
        called = path.rpartition(".")[2] if path else getattr(func, "attr", None)
        if called in _TENSOR_DRAWS or called in _DRAWING_CALLS or called in _SEEDABLE_CALLS:
            return True
        if names is not None:
            if isinstance(func, ast.Name) and names.draws(func.id):
                return True
            owner = func.value if isinstance(func, ast.Attribute) else None
            if isinstance(owner, ast.Call):  # `Sampler().draw()`
                owner = owner.func
            if isinstance(owner, ast.Name) and names.draws(owner.id, _ANY_METHOD):
                return True  # `U.draw()`, `S.draw()` of an instance the module made
        if _draws_by_path(path):
            return True
        # A drawing function handed to a call, which calls it (`map(np.random.seed, [1])`;
        # re-check 47).
        if any(_draws_by_path(resolved_path(handed)) for handed in node.args):
            return True
    return False


def _draws_by_path(path: str) -> bool:
    """Whether calling the function of this dotted path (as the module's imports resolve it)
    draws: scikit-learn's makers and seedable functions, torch's layers and initialisers,
    the random modules' functions but their own generators'."""
    called = path.rpartition(".")[2]
    maker = called.startswith("make_") or called in _SKLEARN_SEEDABLE
    if maker and path.startswith("sklearn."):
        return True  # `make_moons(n_samples=10)` draws from NumPy's global generator
    if path.startswith("torch.nn.") and (
        called in _TORCH_LAYERS
        or (path.startswith("torch.nn.init.") and called in _TORCH_INITIALISERS)
    ):
        return True
    prefix = next((module for module in _RANDOM_MODULES if path.startswith(module)), None)
    if prefix is None:
        return False
    name = path[len(prefix) :].removeprefix("mtrand._rand.").removeprefix("mtrand.")
    if prefix == "torch." and name not in _TORCH_DRAWS:
        return False
    return "." not in name and name not in _OWN_GENERATORS
