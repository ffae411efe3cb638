"""Whether computing a value draws from a global random generator: a library's top level
assigning `np.random.randn(3)` moves every draw after a notebook's seed once imported
there (`import_effects`)."""

from __future__ import annotations

import ast

from nbrefactor.analysis.import_targets import dotted_path

# The global random generators' modules, and what in them makes a generator of its own
# rather than drawing from (or seeding) the global one.
_RANDOM_MODULES = ("np.random.", "numpy.random.", "random.", "torch.")
_OWN_GENERATORS = frozenset(
    {"default_rng", "RandomState", "Generator", "SeedSequence", "PCG64", "MT19937", "Philox"}
    | {"SFC64", "BitGenerator", "Random", "SystemRandom"}
)
_TORCH_DRAWS = frozenset(
    {"rand", "randn", "randint", "randperm", "normal", "bernoulli", "multinomial", "rand_like"}
    | {"randn_like", "randint_like", "manual_seed", "seed"}
)


def draws_global_random(value: ast.expr) -> bool:
    """Whether computing the value draws from (or seeds) a global random generator:
    `np.random.randn(3)`, `random.randint(0, 9)`, `torch.rand(2)` (re-check 40: after the
    notebook's `np.random.seed(0)`, the import moved every later draw); not
    `np.random.default_rng(0)`, a generator of its own."""
    for node in ast.walk(value):
        if not isinstance(node, ast.Call):
            continue
        path = dotted_path(node.func) or ""
        prefix = next((module for module in _RANDOM_MODULES if path.startswith(module)), None)
        if prefix is None:
            continue
        name = path[len(prefix) :]
        if prefix == "torch." and name not in _TORCH_DRAWS:
            continue
        if "." not in name and name not in _OWN_GENERATORS:
            return True
    return False
