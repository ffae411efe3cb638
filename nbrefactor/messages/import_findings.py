"""The words for why one import cannot stand in for the definitions (`import_reasons`).

Apart from `reason_words` so that each stays short; `reason_words.describe` asks
here for the reasons it does not word itself.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nbrefactor import reasons as reasons_


def describe_import(reason: reasons_.Reason) -> str | None:
    """The words for a reason about the import, as the report line shows them; None for
    another reason."""
    from nbrefactor import reasons as reasons_

    match reason:
        case reasons_.ImportRebound(
            name, use_cell, kind, binding_cell, import_cell, qualified, may_not_run
        ):
            rebinds = _rebinds(kind, may_not_run)
            would = "then would" if may_not_run else "would"
            return (
                f"the {kind} in cell {binding_cell} {rebinds} {name} between the import's place "
                f"(cell {import_cell}) and its use in cell {use_cell}, which {would} not call "
                f"{qualified}"
            )
        case reasons_.UsedBeforeImport(name, use_cell, import_cell):
            return (
                f"its use in cell {use_cell} ran the definition, and would come before the "
                f"import's place (cell {import_cell}), where {name} is not bound yet"
            )
        case reasons_.ImportCaptures(name, use_cell, kind, binding_cell, import_cell, may_not_run):
            uses = "may use" if may_not_run else "uses"
            used = f"the {kind} in cell {binding_cell}" if binding_cell else f"the {kind} {name}"
            return (
                f"the import (cell {import_cell}) would rebind {name} before its use in cell "
                f"{use_cell}, which {uses} {used}"
            )
        case reasons_.CallFindsOther(
            name,
            use_cell,
            call_cell,
            before,
            before_cell,
            after,
            after_cell,
            import_cell,
            qualified,
        ):
            now = _found(before, before_cell, name, qualified)
            then = _found(after, after_cell, name, qualified)
            return (
                f"a function body in cell {use_cell} reads {name} when called: a call in cell "
                f"{call_cell} finds {now}, and would find {then} with the import in cell "
                f"{import_cell}"
            )
        case reasons_.KeptForImport(name, cell):
            return (
                f"one import serves every replaced definition, and it cannot serve {name} "
                f"(cell {cell})"
            )
        case reasons_.ModuleShadowed(found, module, source_file, folder, installed):
            where = _where(folder, installed)
            return (
                f"its import would bind the {found} {where}, not the {module} read ({source_file})"
            )
        case reasons_.LibraryImportShadowed(module, imported, found, read, folder):
            return (
                f"importing {module} imports {imported}, which the kernel finds "
                f"{_where(folder, False)} ({found}), not beside {module} ({read})"
            )
        case reasons_.LibraryImportNotFound(module, imported, found, read):
            return (
                f"importing {module} imports {imported}, which the kernel finds nowhere: it "
                f"imports {found}, and {read} lies in no folder it searches"
            )
        case reasons_.StaleModuleImported(cell, found, module, source_file, folder, installed):
            return (
                f"cell {cell} imports {module}, finding the {found} {_where(folder, installed)}, "
                f"not the {module} read ({source_file}): Python keeps that module, and the new "
                "import would bind it"
            )
        case reasons_.LocalModuleImportsLibrary(cell, local, module, source_file):
            return (
                f"cell {cell} imports {local}, which changes where modules are found and "
                f"imports {module}: Python keeps the {module} it found, which may be another "
                f"file than the one read ({source_file}), and the new import would bind it"
            )
        case reasons_.FolderChanged(cell, line, import_cell, module):
            return (
                f"cell {cell} changes the working folder (`{line}`) before the import's place "
                f"(cell {import_cell}), and {module} is found only in the notebook's folder"
            )
        case reasons_.FoundOnlyLater(cell, import_cell, module):
            return (
                f"{module} is found only once cell {cell} adds its folder to where imports "
                f"look, after the import's place (cell {import_cell})"
            )
        case reasons_.FolderTakenOut(cell, line, import_cell, module):
            return (
                f"{module} is found only in a folder the notebook's code adds, and cell {cell} "
                f"may take it out again (`{line}`) before the import's place (cell {import_cell})"
            )
        case reasons_.ModuleWritten(cell, line, file):
            return (
                f"cell {cell} writes {file} (`{line}`): the import would bind what the notebook "
                "wrote when it ran, not the module read"
            )
        case reasons_.OtherModuleImported(cell, name, module, source_file):
            return (
                f"cell {cell} imports {name} from {module}, which {source_file} does not "
                f"define: the notebook's {module} is another module"
            )
        case reasons_.ImportedBeforeSetup(
            package, import_cell, setup_cell, first, str(line), written
        ):
            setting = _installs_or_writes(line, written)
            if first is None:
                return (
                    f"the import (cell {import_cell}) would import {package} before cell"
                    f" {setup_cell} {setting}"
                )
            return (
                f"the import (cell {import_cell}) would import {package}, which the notebook"
                f" first imports in cell {first}, after cell {setup_cell} {setting}"
            )
        case reasons_.ImportedBeforeSetup(package, import_cell, setup_cell, None):
            return (
                f"the import (cell {import_cell}) would import {package}, which reads the"
                f" environment, before cell {setup_cell} sets the environment or where"
                " modules are found"
            )
        case reasons_.ImportedBeforeSetup(package, import_cell, setup_cell, first_cell):
            return (
                f"the import (cell {import_cell}) would import {package}, which the notebook"
                f" first imports in cell {first_cell}, after cell {setup_cell} sets the"
                " environment or where modules are found"
            )
        case reasons_.ImportRunsCode(module, file, line, text):
            return (
                f"importing {module} runs `{text}` ({file}, line {line}), which no earlier "
                "import of the notebook runs"
            )
        case reasons_.ImportRaises(module, file, line, error):
            return (
                f"importing {module} raises SyntaxError ({file}, line {line}: {error}), which"
                " Python finds compiling the module"
            )
        case reasons_.ImportFromNotebookModule(
            module, file, line, text, imported, sibling, names, cell, found, standard, through
        ):
            top = imported.partition(".")[0]
            if found is None:
                what = "the standard module" if standard else "the installed package"
            else:
                what = found if os.path.dirname(found) else f"{found} beside the notebook"
            taken = f"what {sibling} defines" if names == ("*",) else ", ".join(names)
            imports = f"{through}, which imports {top}" if through is not None else top
            return (
                f"importing {module} runs `{text}` ({file}, line {line}): cell {cell} imports"
                f" {imports} first, finding {what}, not {sibling} beside {module}; Python"
                f" keeps that module, and whether {imported} has {taken} is not checked"
            )
        case reasons_.ImportFromKernelModule(
            module, file, line, text, imported, sibling, names, preloaded, standard
        ):
            top = imported.partition(".")[0]
            kind = "the standard module" if standard else "the installed package"
            how = "a kernel has imported at its start" if preloaded else "the kernel finds first"
            taken = f"what {sibling} defines" if names == ("*",) else ", ".join(names)
            return (
                f"importing {module} runs `{text}` ({file}, line {line}): {top} is {kind}"
                f" {how}, not {sibling} beside {module}, and whether {imported} has {taken}"
                " is not checked"
            )
    return None


def _installs_or_writes(line: str, written: str | None) -> str:
    """What a line setting up a package does (round 73b): `writes geom.py (`%%writefile
    geom.py`)`, `installs packages (`%pip install geomlib`)`."""
    if written is None:
        return f"installs packages (`{line}`)"
    if written.endswith("/"):
        return f"writes a file in {written} (`{line}`)"
    return f"writes {written} (`{line}`)"


def _rebinds(kind: str, may_not_run: bool) -> str:
    """What a binding of `kind` (a `BindingKind` value) does to the name."""
    verb = "delete" if kind == "del" else "rebind"
    return f"may {verb}" if may_not_run else f"{verb}s"


def _found(kind: str, cell: int, name: str, qualified_name: str) -> str:
    """What a call finds (`CallFindsOther`): a binding in a cell, the library's function,
    the builtin, or nothing."""
    if kind == "library":
        return qualified_name
    if kind == "builtin":
        return f"the builtin {name}"
    if kind == "nothing":
        return f"no {name}"
    return f"the {kind} in cell {cell}"


def _where(folder: str | None, installed: bool) -> str:
    """Where a module of the library's name lies, as `ModuleShadowed` gives it."""
    if folder is None:
        return "beside the notebook"
    if installed:
        return f"installed in {folder}"
    return f"in {folder}, which the notebook searches first"
