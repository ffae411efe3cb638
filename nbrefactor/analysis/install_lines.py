"""Lines of a notebook that install packages, read from their text.

A package a cell installs may be one the library's module imports, so the
library's import must come after that line (`rules.import_cell`): a shell line
or magic (`!pip install seaborn`, `%conda install -y numba`), or code running
pip (`subprocess.check_call([sys.executable, "-m", "pip", "install", ...])`).
What it installs is read from the words after `install`; a requirements file,
an editable folder, a wheel, a path or a URL may install anything.
"""

from __future__ import annotations

from nbrefactor.analysis.text import line_around, starts_holding

# Text of a line that installs packages in code (`os.system("pip install x")`).
_INSTALLS = ("pip install", "conda install")


def installs(line: str) -> bool:
    """Whether the line installs packages: a shell line or magic
    (`!pip install`, `%conda install`), or code running pip (`subprocess.check_call([...,
    "pip", "install", ...])`); not a comment, nor a name or a comment holding the word
    (`installed = [...]`, `x  # installed?`, re-check 43: the import went below the cell's
    last expression, whose value the cell no longer showed)."""
    line = line.lstrip()
    if line.startswith(("!", "%")):
        return "install" in line
    code = line.partition("#")[0]
    return "pip" in code and "install" in code.partition("pip")[2]


def install_lines(source: str) -> list[str]:
    """The lines installing packages (`installs`, and a `pip install` or `conda install` in
    code: `os.system("pip install x")`), stripped (re-check 42: `!pip3 install`, `!pip
    install` with two spaces were missed)."""
    return [line_around(source, start)[1].strip() for start in install_starts(source)]


def install_starts(source: str) -> list[int]:
    """Where each line of `install_lines` starts, in order."""
    return [
        start
        for start in starts_holding(source, ("install",))
        if _installing(line_around(source, start)[1])
    ]


def _installing(line: str) -> bool:
    return installs(line) or any(marker in line.partition("#")[0] for marker in _INSTALLS)


def installs_unnamed(line: str) -> bool:
    """Whether the install line names what it installs otherwise than by package names: a
    requirements file (`-r`), an editable folder (`-e .`), a wheel, a path or a URL."""
    words = line.partition("install")[2].split()
    return any(
        word in ("-r", "--requirement", "-e", "--editable")
        or word.startswith(("-r", "git+", ".", "/", "http"))
        or word.endswith((".whl", ".zip", ".tar.gz"))
        for word in words
    )


def installed_names(line: str) -> set[str]:
    """The package names a `pip install` (or `conda install`) line installs: options and
    version specifiers left out."""
    names = set()
    for word in line.partition("install")[2].split():
        if word.startswith("-"):
            continue
        name = word.strip("'\"")
        for separator in "=<>!~[;@ ":
            name = name.partition(separator)[0]
        if name:
            names.add(name.lower().replace("-", "_"))
    return names
