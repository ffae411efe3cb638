"""Why a definition was replaced or kept, as data: a small frozen type per reason, with a code.

The rules decide and return these values; only `messages` words them (as
pyflakes keeps its message classes apart from the reporter), so a script can
filter on a stable `code` instead of matching prose. `NBR100` is the code of
every `replaced` finding and `NBR1xx` its details (`NBR101` the body differs,
...); `NBR2xx` says why a definition was kept. Each type's docstring says when
it is given; docs/migration.md's table ("Reason codes") lists every code in
order with an example line, and `test_reasons` checks that it lists each type
here once. (`NBR105`, "never used, so nothing is imported", is no longer given:
every replaced name is imported.)

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
    ImportFromNotebookModule,
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
    RanAnotherBinding,
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
    AnnotationsRead,
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
    | RanAnotherBinding
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
    | AnnotationsRead
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
    | ImportFromNotebookModule
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
