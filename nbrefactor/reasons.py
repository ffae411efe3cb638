"""Why a definition was replaced or kept, as data: a small frozen type per reason, with a code.

The rules decide and return these values; only `messages` words them (as
pyflakes keeps its message classes apart from the reporter), so a script can
filter on a stable `code` instead of matching prose. The codes:

- `NBR100`: a replaced definition (the code of every `replaced` finding).
  Its details, in the order the line shows them:
  `NBR101` the body differs from the library's, `NBR102` a default differs,
  `NBR103` the signature is compatible (a use without a call relied on it),
  `NBR104` the cell does not parse (the definition's lines were read),
  `NBR106` a legacy name whose calls are renamed, `NBR107`/`NBR108` a legacy
  name imported under its old name because a call is in a cell-magic cell /
  would be captured, `NBR109` a legacy name nothing uses, imported under it so
  that it stays bound, `NBR110` a legacy name imported under its old name
  because a string names it (`eval('old(2)')`, an f-string's `=` text),
  `NBR111` the body runs in another context (`@torch.no_grad()`), `NBR112`
  the annotations differ, `NBR113` the cell then ends with an expression,
  which IPython displays, `NBR114` a legacy name imported under its old name
  because a line magic's argument names it (`t = %timeit -o old(2)`),
  `NBR115` the copy read a name the notebook binds nowhere (it raised
  NameError), which the library's function finds, `NBR116` parameters the
  library's function lacks, which no call passes, `NBR117` the copy's body
  imports relatively (`from .util import K`: ImportError in a notebook),
  `NBR118` the library's function lists its locals (`locals()`), where its
  parameters that the copy lacks show, `NBR119`/`NBR120` a legacy name imported
  under its old name because `del old` may run before its definitions, or a
  cell lists the notebook's names.
  (`NBR105`, "never used, so nothing is imported", is no longer given: every
  replaced name is imported.)
- `NBR2xx`: why a definition was kept. `NBR201`-`NBR204` a call does not
  bind to the library's signature; `NBR205`/`NBR206` a use that cannot be
  checked (no call, or `*args`/`**kwargs`); `NBR207`/`NBR208` a use in lines
  or a cell that do not parse; `NBR209`-`NBR212` the definition's cell cannot
  be edited or read; `NBR213` a use in an IPython line (`!echo {f(1)}`);
  `NBR214` a function or class body may rebind the name through `global`
  (or `globals()`, `exec`); `NBR215` a string names the function (`eval`,
  `globals()["f"]`: a use that cannot be checked);
  `NBR220`-`NBR229` not the same function (parameters, forwarded keywords,
  notebook variables, another definition kept, a kept definition used, an
  argument the inline `*args`/`**kwargs` collects, a name imported as
  another thing, an `async def`, other decorators);
  `NBR230`-`NBR232` the one import cannot serve every use (another binding
  comes between it and a use, or it would capture a use of another binding);
  `NBR233` not the same function: a name the library's function reads from its
  own module (or a builtin) is bound otherwise in the notebook; `NBR234` the
  body reads the notebook's variables by no name (`globals()`, `eval`);
  `NBR235` the notebook's folder holds another module of the library's name,
  which its import would bind; `NBR236` the body reads a builtin that the
  library's module binds otherwise (`from math import pow`); `NBR237` a
  default computed when the `def` runs (`plt.rcParams[...]`); `NBR238` a
  mutable default (`acc=[]`) of a name defined more than once; `NBR239` the
  notebook sets the library's function on its module (`LIB.f = wrapper`);
  `NBR240` a name defined more than once whose attributes a use reads or sets
  (`fib.cache`): one function object per `def`; `NBR242` importing the module
  runs a statement for what it does (`plt.style.use("ggplot")`), and the
  notebook does not import the module before (`NBR241` was given by an
  unreleased version and is not used); `NBR243` the notebook imports from a
  module of the library's name a name the module read does not bind: it
  imports another module of that name; `NBR244` the module lies only in the
  notebook's folder, and the import would come after `%cd` or `os.chdir`;
  `NBR245` a line magic's argument names the function (`t = %timeit -o
  f(2)`): a use that cannot be checked; `NBR246` a decorator not known only to
  wrap the function (`@interact(...)`) runs when the `def` runs; `NBR247` a
  string reads as a call of the function while the notebook runs code by
  value (`eval(expr)`); `NBR248` a script the notebook runs in its namespace
  (`%run -i report.py`) names the function; `NBR249` the text of a cell whose
  cell magic is not known to leave Python alone (`%%opts`, `%%R -i f`) names
  the function: a use that cannot be checked; `NBR250` the function is handed
  to a call that reads its parameters (`curve_fit(model, x, y)`,
  `interact(f, ...)`), or its own attribute giving them is read
  (`model.__code__`), and they are not the library's; `NBR251` a function
  body reads the name when called, and a call would find another thing with
  the import at its place; `NBR252` removing it leaves its cell blank, and a later
  cell reads IPython's numbered history; `NBR253` a decorator, default or
  annotation reads a name no cell binds before the `def`, which therefore
  raised NameError;
  `NBR254` a line of the notebook writes the module's file (`%%writefile
  helpers.py`); `NBR255` a formula string calls the function (`"y ~ f(x)"`,
  which patsy runs in the notebook's namespace): a use that cannot be checked;
  `NBR256` the notebook reaches its functions through its namespace without
  naming them (`for k, v in globals().items()`): a use that cannot be checked;
  `NBR257` one of the inline function and the library's is a generator, the
  other is not; `NBR258` the import would import a package of the library's
  that the notebook first imports later, after setting the environment (or
  where modules are found) for it; `NBR259` a name defined more than once
  whose function keeps state on itself (a cache, `f.calls = ...` in its body);
  `NBR262` the module is found only in a folder the notebook's code adds below
  the import's place (`sys.path.append("../src")` in a later cell); `NBR265` a
  string calls the function as a pandas expression (`df.query("a > @f(1)")`,
  which pandas runs in the notebook's namespace): a use that cannot be checked;
  `NBR266` an annotation computed when the `def` runs may change state (a
  call, a walrus: `x: (n := 3)`); `NBR267` another notebook beside it runs
  this one (`%run common.ipynb`) and names the function: a use that cannot be
  checked; `NBR268` the module is found only in a folder the notebook's code
  adds, and a line before the import's place may take it out again (`%cd -`,
  `%popd`, `os.chdir(saved)`, `sys.path.remove("..")`); `NBR269` a cell above
  the import's place imports a module of the library's name and finds
  another file, which Python keeps and the new import would bind; `NBR270` a
  call the inline signature rejects (TypeError, which the notebook may catch)
  and the library's accepts: it would now run; `NBR271` importing the module
  raises SyntaxError (a file `ast` reads and Python does not compile); `NBR272`
  a function keeping state (`acc=[]`, a cache) in a notebook another notebook
  runs (`%run a.ipynb`): each run makes its own; `NBR273` a use that cannot be
  checked (`map(f, ...)`, `f(*args)`) where a TypeError is caught, and the
  library's signature accepts calls the copy's rejects;
  `NBR274` the library imports a module of its own folder (`from utils import
  K`), and the notebook's folder, which its kernel searches first, holds
  another module of that name;
  `NBR275` a cell above the import's place imports a module of the notebook's
  folder that changes where modules are found and imports the library's
  module name: Python keeps the module it found, which may be another file;
  `NBR276` the cell's cell magic line is indented and a line after it is not:
  IPython 9 raises IndentationError for the cell, IPython 8 runs the magic;
  `NBR277` the library imports a module of its own folder, and the kernel finds
  the library elsewhere (a copy beside the notebook) and that module nowhere;
  `NBR279` the library imports names from a module a kernel binds as its own
  (`from dateutil import to_day`, python-dateutil imported at the kernel's start), of
  which its folder holds another (`dateutil.py`): whether it has them is not checked.

A code never changes meaning; a new reason gets a new code.
"""

from __future__ import annotations

from nbrefactor import call_reasons
from nbrefactor.call_reasons import (
    BindingProblem,
    CallDoesNotBind,
    CallOnlyLibraryBinds,
    CaughtWhereLibraryAccepts,
)
from nbrefactor.import_reasons import (
    CallFindsOther,
    FolderChanged,
    FolderTakenOut,
    FoundOnlyLater,
    ImportCaptures,
    ImportedBeforeSetup,
    ImportFromKernelModule,
    ImportRaises,
    ImportRebound,
    ImportRunsCode,
    KeptForImport,
    LibraryImportNotFound,
    LibraryImportShadowed,
    LocalModuleImportsLibrary,
    ModuleShadowed,
    ModuleWritten,
    OtherModuleImported,
    StaleModuleImported,
    UsedBeforeImport,
)
from nbrefactor.reading_reasons import (
    CannotReadCell,
    DefinitionNotRead,
    EmptiesNumberedCell,
    InCellMagic,
    IndentedCellMagic,
    MentionedInUnparseableCell,
    NotPython,
    RebindsThroughGlobal,
    UnreadableUse,
    UseInIPythonLine,
)
from nbrefactor.replaced_reasons import (
    AnnotationsDiffer,
    BodyDiffers,
    CallsRenamed,
    ContextDiffers,
    DefaultDiffers,
    FoundByLibrary,
    ImportsRelatively,
    InBrokenCell,
    LocalsListed,
    ParametersDropped,
    RenameBeforeDefinition,
    RenameCaptured,
    RenameInCellMagic,
    RenameInMagic,
    RenameInString,
    RenameListed,
    ResultShown,
    SignatureCompatible,
    UnusedUnderOldName,
)
from nbrefactor.same_function_reasons import (
    AnnotationRuns,
    AsyncDefinition,
    BoundOtherwise,
    BuiltinHere,
    ChangedInModule,
    CollectedArgument,
    DecoratorRuns,
    DecoratorsDiffer,
    DefaultComputed,
    DefaultPerDefinition,
    ForwardedKeyword,
    GeneratorDiffers,
    ImportedOtherwise,
    KeptWithOther,
    LibraryReadsUnbound,
    ModulePatched,
    ObjectPerDefinition,
    ParametersDiffer,
    ReadsKeptDefinition,
    ReadsNamespace,
    ReadsNotebookVariable,
    StatePerDefinition,
    StatePerRun,
    StateShared,
    UnboundWhenDefined,
    WritesNotebookVariable,
)
from nbrefactor.unchecked_reasons import (
    HandedToParameterReader,
    NamedForCodeByValue,
    NamedInCellMagic,
    NamedInCode,
    NamedInFormula,
    NamedInMagic,
    NamedInPandasExpression,
    NamedInScript,
    ReachedThroughNamespace,
    RunByNotebook,
    UnpackedArguments,
    UseWithoutCall,
)

# -- replaced: the details of a `replaced` line (the types: `replaced_reasons`) -----------

REPLACED_CODE = "NBR100"
LegacyHow = (
    CallsRenamed
    | RenameInCellMagic
    | RenameCaptured
    | RenameInString
    | RenameInMagic
    | RenameBeforeDefinition
    | RenameListed
    | UnusedUnderOldName
)
ReplacedDetail = (
    BodyDiffers
    | ContextDiffers
    | AnnotationsDiffer
    | ResultShown
    | DefaultDiffers
    | ParametersDropped
    | SignatureCompatible
    | InBrokenCell
    | FoundByLibrary
    | ImportsRelatively
    | LocalsListed
)
ReplacedReason = LegacyHow | ReplacedDetail


# -- kept: why a definition stays (the types: `call_reasons` and the other `*_reasons`) ---

KeptReason = (
    CallDoesNotBind
    | CallOnlyLibraryBinds
    | CaughtWhereLibraryAccepts
    | UseWithoutCall
    | HandedToParameterReader
    | UnpackedArguments
    | NamedInCode
    | NamedInMagic
    | NamedInCellMagic
    | NamedForCodeByValue
    | NamedInFormula
    | NamedInPandasExpression
    | NamedInScript
    | RunByNotebook
    | ReachedThroughNamespace
    | UnreadableUse
    | UseInIPythonLine
    | RebindsThroughGlobal
    | MentionedInUnparseableCell
    | InCellMagic
    | NotPython
    | IndentedCellMagic
    | CannotReadCell
    | DefinitionNotRead
    | EmptiesNumberedCell
    | ParametersDiffer
    | ForwardedKeyword
    | CollectedArgument
    | ReadsNotebookVariable
    | ReadsKeptDefinition
    | ImportedOtherwise
    | BoundOtherwise
    | BuiltinHere
    | ReadsNamespace
    | DefaultComputed
    | AnnotationRuns
    | DefaultPerDefinition
    | StatePerDefinition
    | ChangedInModule
    | LibraryReadsUnbound
    | StateShared
    | StatePerRun
    | DecoratorRuns
    | ModulePatched
    | UnboundWhenDefined
    | ObjectPerDefinition
    | AsyncDefinition
    | GeneratorDiffers
    | DecoratorsDiffer
    | WritesNotebookVariable
    | KeptWithOther
    | ImportRebound
    | UsedBeforeImport
    | ImportCaptures
    | CallFindsOther
    | KeptForImport
    | ModuleShadowed
    | LibraryImportShadowed
    | LibraryImportNotFound
    | ImportRunsCode
    | ImportRaises
    | ImportFromKernelModule
    | ImportedBeforeSetup
    | OtherModuleImported
    | FolderChanged
    | FoundOnlyLater
    | FolderTakenOut
    | StaleModuleImported
    | LocalModuleImportsLibrary
    | ModuleWritten
)
Reason = ReplacedReason | KeptReason | BindingProblem
# Why the library's import of a module of its own folder would bind another or nothing.
SiblingNotBound = LibraryImportShadowed | LibraryImportNotFound

# The problems of a call (`call_reasons`), which the rules build through this module.
TooManyPositional = call_reasons.TooManyPositional
UnknownKeyword = call_reasons.UnknownKeyword
PassedTwice = call_reasons.PassedTwice
MissingArgument = call_reasons.MissingArgument
