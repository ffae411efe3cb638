"""The standard modules that importing a widely used package imports (round 73a F8).

Python keeps the first module it imports under a name (`sys.modules`). A notebook doing
`import matplotlib.pyplot as plt` before `sys.path.insert(0, "lib")` has imported the
standard `fractions` through it: `lib/mylib.py`'s `from fractions import nice` binds that
module, `lib/fractions.py` never runs, and the import may raise ImportError
(`notebook_bound`, `NBR278`). nbrefactor never imports these packages to see: this is data,
measured.

Each entry is what a fresh interpreter held after importing the package alone, of the
standard library, less the private modules (`_decimal`) and those a fresh kernel holds
already (`kernel_modules.KERNEL_PRELOADED`, which `NBR279` tells of): CPython 3.11.7 on
Linux, numpy 2.4.6, matplotlib 3.11.2, torch 2.13.0 (pandas, scipy and scikit-learn were
not installed where it was measured, and are not listed). To measure again, for each
package, in a fresh interpreter:

    python -c "import sys, importlib; before = set(sys.modules);
    importlib.import_module(sys.argv[1]); print(sorted({m.partition('.')[0] for m in
    set(sys.modules) - before} & sys.stdlib_module_names))" matplotlib.pyplot

then leave out the names starting with `_` and those in `KERNEL_PRELOADED`. Another
version of a package may import fewer (a copy kept that could have been replaced: the safe
side) or more (not told).
"""

from __future__ import annotations

# Package (as imported: a submodule's import runs its package first) -> standard modules.
PACKAGE_STANDARD_MODULES: dict[str, frozenset[str]] = {
    # all a kernel holds already; `numpy.random`, first used as `np.random`, imports
    # `secrets` (round 76b F14), which an import of numpy does not (round 77a F2: listed, it
    # kept copies beside a `secrets.py` with a false reason): not listed
    "numpy": frozenset(),
    "matplotlib": frozenset({"difflib", "fractions", "unittest"}),
    "matplotlib.pyplot": frozenset(
        {"difflib", "fractions", "gc", "plistlib", "timeit", "unittest"}
    ),
    "torch": frozenset(
        {"cmath", "difflib", "gc", "grp", "mmap", "multiprocessing", "pickletools"}
        | {"tarfile", "timeit", "unittest"}
    ),
}


def standard_modules_imported(module: str) -> frozenset[str]:
    """The standard modules importing the dotted `module` imports through the packages of
    `PACKAGE_STANDARD_MODULES` (`matplotlib.pyplot` runs `matplotlib` first, then itself)."""
    found: frozenset[str] = frozenset()
    for package, standard in PACKAGE_STANDARD_MODULES.items():
        if module == package or module.startswith(f"{package}."):
            found |= standard
    return found


def packages_importing(names: frozenset[str]) -> list[str]:
    """The packages of `PACKAGE_STANDARD_MODULES` whose import imports one of the standard
    modules `names`."""
    return [package for package, standard in PACKAGE_STANDARD_MODULES.items() if standard & names]
