"""Objects that draw from a global random generator when used, not when made: a
scikit-learn splitter or estimator given no `random_state` (`KFold(5, shuffle=True)`,
`RandomForestRegressor()`), torch's dropout modules, a shuffling `DataLoader` or a
`RandomSampler`. Made at a library's top level and then used there (`for tr, va in
KFold(5, shuffle=True).split(X)`, `OUT = nn.Dropout(0.5)(x)`, `cross_val_score(RF(), X, y)`),
importing the library moves every draw after a notebook's seed (re-check 47); made alone,
they draw nothing (`random_draws`)."""

from __future__ import annotations

import ast
from collections.abc import Callable

from nbrefactor.analysis.import_targets import dotted_path

# scikit-learn's classes whose instances draw from NumPy's global generator when fitted,
# split or sampled, given no `random_state`; the splitters only with `shuffle=True`.
_SKLEARN_RANDOM = frozenset(
    {"ShuffleSplit", "StratifiedShuffleSplit", "GroupShuffleSplit", "RepeatedKFold"}
    | {"RepeatedStratifiedKFold", "RandomForestClassifier", "RandomForestRegressor"}
    | {"ExtraTreesClassifier", "ExtraTreesRegressor", "GradientBoostingClassifier"}
    | {"GradientBoostingRegressor", "DecisionTreeClassifier", "DecisionTreeRegressor"}
    | {"ExtraTreeClassifier", "ExtraTreeRegressor", "BaggingClassifier", "BaggingRegressor"}
    | {"AdaBoostClassifier", "AdaBoostRegressor", "IsolationForest", "RandomTreesEmbedding"}
    | {"KMeans", "MiniBatchKMeans", "SGDClassifier", "SGDRegressor", "MLPClassifier"}
    | {"MLPRegressor", "Perceptron", "TSNE", "TruncatedSVD", "GaussianMixture"}
    | {"BayesianGaussianMixture", "SpectralClustering", "FastICA", "LatentDirichletAllocation"}
)
_SKLEARN_SHUFFLED = frozenset({"KFold", "StratifiedKFold", "GroupKFold", "StratifiedGroupKFold"})
# torch's: called (in training mode), iterated.
_TORCH_RANDOM = frozenset(
    {"Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout"}
    | {"RandomSampler"}
)
_SEED_KEYWORDS = frozenset({"random_state", "generator", "seed", "rng"})


def makes_random_object(call: ast.AST, resolved: Callable[[str], str]) -> bool:
    """Whether `call` makes an object that draws when used; `resolved` gives the dotted path
    a name stands for (`KF` for `from sklearn.model_selection import KFold as KF`)."""
    if not isinstance(call, ast.Call) or seeded(call):
        return False
    path = resolved(dotted_path(call.func) or "")
    last = path.rpartition(".")[2]
    if path.startswith("sklearn."):
        if last in _SKLEARN_RANDOM or last == "check_random_state" and not _given(call):
            return True
        return last in _SKLEARN_SHUFFLED and _keyword_true(call, "shuffle")
    if path.startswith("torch."):
        return last in _TORCH_RANDOM or last == "DataLoader" and _keyword_true(call, "shuffle")
    return False


def is_random_object(
    node: ast.AST, is_random: Callable[[str], bool], resolved: Callable[[str], str]
) -> bool:
    """Whether `node` is an object that draws when used: a name the module bound to one
    (`is_random`: `KF` after `KF = KFold(5, shuffle=True)`), or the call making one."""
    if isinstance(node, ast.Name):
        return is_random(node.id)
    return makes_random_object(node, resolved)


def uses_random_object(
    call: ast.Call, is_random: Callable[[str], bool], resolved: Callable[[str], str]
) -> bool:
    """Whether the call uses an object that draws: calls it (`DROP(x)`, `nn.Dropout(0.5)(x)`),
    calls its method (`KF.split(X)`, `KFold(5, shuffle=True).split(X)`), or hands it to a
    call (`cross_val_score(RF(), X, y)`, `list(SAMPLER)`, `next(iter(LOADER))`)."""
    func = call.func
    owner = func.value if isinstance(func, ast.Attribute) else func
    handed = [*call.args, *(keyword.value for keyword in call.keywords)]
    return any(is_random_object(part, is_random, resolved) for part in (owner, *handed))


def seeded(call: ast.Call) -> bool:
    """Whether a call is given a generator or seed of its own (`random_state=0`), not None."""
    return any(
        keyword.arg in _SEED_KEYWORDS
        and not (isinstance(keyword.value, ast.Constant) and keyword.value.value is None)
        for keyword in call.keywords
    )


def _given(call: ast.Call) -> bool:
    """Whether a first argument other than None is given (`check_random_state(0)`)."""
    first = call.args[0] if call.args else None
    return first is not None and not (isinstance(first, ast.Constant) and first.value is None)


def _keyword_true(call: ast.Call, name: str) -> bool:
    return any(
        keyword.arg == name and isinstance(keyword.value, ast.Constant) and keyword.value.value
        for keyword in call.keywords
    )
