"""Why one import cannot stand in for the definitions (`NBR230`-`NBR232`, `NBR235`,
`NBR242`-`NBR244`, `NBR251`, `NBR254`, `NBR262`, `NBR268`, `NBR269`, `NBR271`, `NBR274`,
`NBR275`, `NBR277`).

The reasons of the rules about the import itself (`import_placement`,
`import_effects`, `module_identity`, `working_folder`, `module_written`, and the module beside
the notebook), apart from `reasons` so that each stays short; `reasons`
re-exports them, where the codes are listed.
"""

from __future__ import annotations

from typing import ClassVar

from nbrefactor.reason_base import ReasonBase


class ImportRebound(ReasonBase):
    """Another binding of the name comes between the import's place and a use that ran the
    definition: that use would not reach the library function."""

    code: ClassVar[str] = "NBR230"
    name: str  # the name the import binds
    use_cell: int
    kind: str  # of the binding in between
    binding_cell: int
    import_cell: int
    qualified_name: str
    may_not_run: bool  # the binding is conditional (`Binding.conditional`) or in a broken cell


class UsedBeforeImport(ReasonBase):
    """A use that ran a definition would come before the import (round 53b: the import cell
    held a `match` capture of the name, the places above it each had a problem, and the
    import went after a call there, which then raised NameError)."""

    code: ClassVar[str] = "NBR263"
    name: str
    use_cell: int
    import_cell: int


class ImportCaptures(ReasonBase):
    """The import would come between another binding of the name and a use of that binding."""

    code: ClassVar[str] = "NBR231"
    name: str
    use_cell: int
    kind: str  # a `BindingKind` value, or "builtin": the use sees the builtin of its name
    binding_cell: int  # 0 for a builtin
    import_cell: int
    may_not_run: bool  # the use may see an earlier binding


class CallFindsOther(ReasonBase):
    """A function (or lambda) body reads the name when called: with the import at its
    place, a call in some cell would find another thing than before (`deferred_uses`)."""

    code: ClassVar[str] = "NBR251"
    name: str
    use_cell: int  # where the body reading it is
    call_cell: int  # a cell where a call would find another thing
    before: str  # what a call there finds: a `BindingKind` value, "builtin" or "nothing"
    before_cell: int  # 0 for a builtin or nothing
    after: str  # what it would find: the same kinds, or "library" (the import placed)
    after_cell: int
    import_cell: int
    qualified_name: str


class KeptForImport(ReasonBase):
    """One import serves every replaced name, and it cannot serve `name`'s uses."""

    code: ClassVar[str] = "NBR232"
    name: str
    cell: int  # a definition of `name`, kept for a reason of its own


class ModuleShadowed(ReasonBase):
    """The notebook's folder, or one it searches first, holds another module of the
    library's name, which its import would bind instead of the module read."""

    code: ClassVar[str] = "NBR235"
    found: str  # that module, as its folder holds it: `helpers.py`, `helpers/`
    module: str  # the import name
    source_file: str  # the module read
    # Where: "beside the notebook", or the folder the notebook puts first (`../src`)
    folder: str | None = None
    installed: bool = False  # `folder` is where it is installed


class ImportRunsCode(ReasonBase):
    """Importing the module runs a statement for what it does (`np.set_printoptions(...)`),
    which the notebook did not run before the import's place (`rules.import_effects`)."""

    code: ClassVar[str] = "NBR242"
    module: str
    file: str  # as the report shows it: `helpers.py`, `pkg/__init__.py`
    line: int
    text: str  # the statement's first line


class ImportRaises(ReasonBase):
    """Importing the module raises SyntaxError: a file it runs parses, and Python does not
    compile it (`RESULT = await fetch()` at its top level; `rules.import_effects`)."""

    code: ClassVar[str] = "NBR271"
    module: str
    file: str  # as the report shows it: `helpers.py`, `pkg/__init__.py`
    line: int
    error: str  # Python's words: `'await' outside function`


class ImportFromKernelModule(ReasonBase):
    """Importing the module runs `from dateutil import to_day` beside a `dateutil.py`, and
    the kernel binds its own dateutil instead (imported at its start, or a standard module
    found before the library's folder): whether that has `to_day` is not checked, and the
    import may raise ImportError (round 70a N1; `analysis.kernel_bound`)."""

    code: ClassVar[str] = "NBR279"
    module: str
    file: str  # as the report shows it: `helpers.py`
    line: int
    text: str  # the statement's first line
    imported: str  # the module it imports from: `dateutil`
    sibling: str  # the module of its name beside the library, from its folder: `dateutil.py`
    names: tuple[str, ...]  # what it takes from it: `to_day`
    preloaded: bool  # a kernel has imported the module at its start
    standard: bool  # a module of the standard library


class ImportFromNotebookModule(ReasonBase):
    """Importing the module runs `from colorsys import helper` beside a `colorsys.py`, and a
    cell above the import's place imports colorsys itself, finding another module (the
    standard one, or the notebook's own `utils.py`): Python keeps that one, whether it has
    `helper` is not checked, and the import may raise ImportError (round 71a F4;
    `analysis.notebook_bound`)."""

    code: ClassVar[str] = "NBR278"
    module: str
    file: str  # as the report shows it: `mylib.py`
    line: int
    text: str  # the statement's first line
    imported: str  # the module it imports from: `colorsys`
    sibling: str  # the module of its name beside the library, from its folder: `colorsys.py`
    names: tuple[str, ...]  # what it takes from it: `helper`
    cell: int  # the notebook's first import of that module
    found: str | None  # the file it found, from the notebook's folder; None: not a file of its
    standard: bool  # a module of the standard library (when `found` is None)
    # The module the cell imports, which imports that one (`matplotlib.pyplot` imports the
    # standard `fractions`, round 73a F8; the notebook's own `nbsetup` imports `utils`, round
    # 73a F7); None: the cell imports it itself.
    through: str | None = None


class ImportedBeforeSetup(ReasonBase):
    """The new import imports a package of the library's (`matplotlib`) that the notebook
    first imports later, after a line setting the environment or where modules are found
    (`os.environ["MATPLOTLIBRC"] = ...`), or installing or writing the package (`%pip
    install geomlib`, `%%writefile geom.py`; then too when the notebook never imports it):
    it would import it before that line ran (`rules.import_cell.imported_before_setup`)."""

    code: ClassVar[str] = "NBR258"
    package: str
    import_cell: int  # where the new import would go
    setup_cell: int  # the line setting things up
    first_cell: int | None  # the notebook's first import of the package; None: it has none
    line: str | None = None  # the line installing or writing it; None: the environment, path
    written: str | None = None  # the file it writes (`geom.py`, `geom/`); None: an install


class OtherModuleImported(ReasonBase):
    """The notebook imports from a module of the library's name a name the module read does
    not bind: the notebook's module of that name is another one (`rules.module_identity`)."""

    code: ClassVar[str] = "NBR243"
    cell: int
    name: str
    module: str
    source_file: str


class FolderChanged(ReasonBase):
    """The module is found only in the notebook's folder, and the import's place comes after
    a change of the working folder (`rules.working_folder`)."""

    code: ClassVar[str] = "NBR244"
    cell: int  # of the `%cd` or `chdir` line
    line: str
    import_cell: int
    module: str


class FoundOnlyLater(ReasonBase):
    """The module is found only in a folder the notebook's code adds to where imports look
    (`sys.path.append("../src")`), and that code runs after the import's place (re-check
    42: a later cell put the module on the path; the import above it found nothing)."""

    code: ClassVar[str] = "NBR262"
    cell: int  # of the line that makes the module findable
    import_cell: int
    module: str


class FolderTakenOut(ReasonBase):
    """The module is found only in a folder the notebook's code adds to where imports look,
    and a line before the import's place may take that folder out again (`%cd -`, `%popd`,
    `os.chdir(saved)`, `sys.path.remove("..")`): the import there may find nothing (round
    60a F1). Which folder such a line leaves, its literals need not say: the safe side."""

    code: ClassVar[str] = "NBR268"
    cell: int  # of the line that may take it out
    line: str
    import_cell: int
    module: str


class StaleModuleImported(ReasonBase):
    """A cell above the import's place imports a module of the library's name, and finds
    there another file than the module read: Python keeps that module, which the new import
    would bind (round 60a F3; `rules.cached_module`)."""

    code: ClassVar[str] = "NBR269"
    cell: int  # of the earlier import
    found: str  # the file it found, as its folder holds it: `helpers.py`
    module: str
    source_file: str  # the module read
    folder: str | None  # where: None beside the notebook, else as in `ModuleShadowed`
    installed: bool = False


class LibraryImportShadowed(ReasonBase):
    """The library imports a module of its own folder (`from utils import K`), and the
    kernel finds another module of that name first, beside the notebook or in a folder the
    notebook puts first: the import would bind that one (rounds 62a F1, 62c F2;
    `analysis.import_effects.shadowed_beside`)."""

    code: ClassVar[str] = "NBR274"
    module: str  # the library's import name
    imported: str  # the module it imports: `utils`
    # The one found, from the notebook's folder: `utils.py`, `utils/`, `../shared/utils.py`
    found: str
    read: str  # the one beside the library, from the notebook's folder: `../utils.py`
    folder: str | None = None  # where: None beside the notebook, else the folder put first


class LibraryImportNotFound(ReasonBase):
    """The library imports a module of its own folder (`from utils import K`), and the kernel
    finds the library elsewhere (a copy or link of it beside the notebook) and that module
    nowhere: the library's own folder is not on its path, which is all Python searches
    (round 70a N2: ModuleNotFoundError; `kernel_search.beside_shadowed`)."""

    code: ClassVar[str] = "NBR277"
    module: str  # the library's import name
    imported: str  # the module it imports: `utils`
    found: str  # the library's file the kernel imports, from the notebook's folder: `helpers.py`
    read: str  # the one beside the library, from the notebook's folder: `lib/utils.py`


class LocalModuleImportsLibrary(ReasonBase):
    """A cell above the import's place imports a module of the notebook's folder that changes
    where modules are found and imports the library's module name: the file it found may be
    another than the module read, and Python keeps it (round 62a F3; `rules.cached_module`)."""

    code: ClassVar[str] = "NBR275"
    cell: int  # of the notebook's import of that module
    local: str  # its name: `tools`
    module: str
    source_file: str  # the module read


class ModuleWritten(ReasonBase):
    """A line of the notebook writes the module's file (`%%writefile helpers.py`): the import
    binds what the notebook wrote when it ran, not the file read (`rules.module_written`)."""

    code: ClassVar[str] = "NBR254"
    cell: int
    line: str
    file: str  # the module's file, as the notebook names it: `helpers.py`
