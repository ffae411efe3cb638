"""The modules a notebook's kernel finds whatever file of their name lies beside a library
(round 62a K1: a `string.py` beside `mylib.py`, which does `import string`; round 70a N1:
a `dateutil.py`, the kernel holding python-dateutil).

A fresh ipykernel has imported these before any cell runs, and an import binds what
`sys.modules` holds: another `string.py` is never run. The list is what a fresh kernel
held, read in a real one (ipykernel 7.4, IPython 9.19, CPython 3.11.7; round 63b) by
`sorted(m for m in sys.modules if m in sys.stdlib_module_names)`, its private modules
(`_io`) left out. A few of those exist only on a POSIX system (`curses`, `fcntl`, `posix`,
`pwd`, `resource`, `termios`): they count only there (round 71a F2: left out, a
`resource.py` beside the library was taken for what its `from resource import custom`
binds, and the migrated notebook raised ImportError); on Windows a file of the name runs.
"""

from __future__ import annotations

import functools
import importlib.machinery
import os
import sys
import sysconfig

KERNEL_PRELOADED = frozenset(
    {
        "__future__", "abc", "argparse", "array", "ast", "asyncio", "atexit", "base64",
        "bdb", "binascii", "bisect", "builtins", "bz2", "calendar", "cmd", "code", "codecs",
        "codeop", "collections", "concurrent", "contextlib", "contextvars", "copy",
        "copyreg", "csv", "ctypes", "dataclasses", "datetime", "decimal", "dis", "email",
        "encodings", "enum", "errno", "faulthandler", "fnmatch", "functools",
        "genericpath", "getopt", "getpass", "gettext", "glob", "gzip", "hashlib", "heapq",
        "hmac", "html", "http", "importlib", "inspect", "io", "ipaddress", "itertools",
        "json", "keyword", "linecache", "locale", "logging", "lzma", "marshal", "math",
        "mimetypes", "ntpath", "numbers", "opcode", "operator", "os", "pathlib", "pdb",
        "pickle", "pkgutil", "platform", "posixpath", "pprint", "pydoc", "pyexpat", "queue",
        "quopri", "random", "re", "reprlib", "runpy", "select", "selectors", "shlex",
        "shutil", "signal", "site", "socket", "socketserver", "sqlite3", "ssl", "stat",
        "string", "stringprep", "struct", "subprocess", "sys", "sysconfig", "tempfile",
        "textwrap", "threading", "time", "token", "tokenize", "traceback", "types",
        "typing", "unicodedata", "urllib", "uuid", "warnings", "weakref", "xml", "xmlrpc",
        "zipfile", "zipimport", "zlib", "zoneinfo",
    }
)  # fmt: skip
if os.name == "posix":
    KERNEL_PRELOADED |= {"curses", "fcntl", "posix", "pwd", "resource", "termios"}


# The packages an IPython kernel has imported before a notebook's first cell runs (read
# from `sys.modules` in a fresh ipykernel 7.4 / IPython 9.19 kernel): a module beside the
# notebook named so is never what `from comm import f` binds there (sweep 27: ImportError),
# nor one beside a library (round 70a N1: `from dateutil import to_day`).
KERNEL_MODULES = frozenset(
    {
        *("IPython", "comm", "dateutil", "debugpy", "ipykernel", "jupyter_client"),
        *("jupyter_core", "packaging", "platformdirs", "psutil", "pygments", "tornado"),
        *("traitlets", "typing_extensions", "zmq", "pydevd", "pydev_ipython"),
        # debugpy's vendored pydevd, on the kernel's path (docs sweep 28: `pydevconsole`)
        *("pydevconsole", "pydevd_file_utils", "pydevd_plugins", "pydevd_tracing"),
        *("_pydev_bundle", "_pydev_runfiles", "_pydevd_bundle", "_pydevd_frame_eval"),
        "_pydevd_sys_monitoring",
    }
)

# Every top-level module a fresh kernel holds in `sys.modules`: an import of one binds it,
# whatever file of its name lies beside a library.
KERNEL_BOUND = KERNEL_PRELOADED | KERNEL_MODULES


def is_standard(name: str) -> bool:
    """Whether the top-level name of the dotted `name` is a module of the standard library
    on this platform: the kernel searches the standard library's folders before the
    notebook's own and those it appends (`sys.path.append("lib")`).

    `sys.stdlib_module_names` lists every platform's modules: `msvcrt`, `winreg` or
    `winsound` on Linux name none, and a `lib/msvcrt.py` is what the kernel runs (round 64
    F4). So the name must also be built in or frozen, or a file or folder of the standard
    library's folders (`_here`); nothing is imported to tell."""
    top = name.partition(".")[0]
    return top in sys.stdlib_module_names and _here(top)


@functools.cache
def _here(top: str) -> bool:
    """Whether the standard module `top` exists in this interpreter: built in, frozen, or
    a module file (any import suffix: `.py`, an extension) or package folder in the
    standard library's folders. A standard library kept in a zip archive is not looked
    into: its modules then count as not found (the safe side: a sibling of the name is
    taken to run)."""
    if top in sys.builtin_module_names:
        return True
    if importlib.machinery.FrozenImporter.find_spec(top) is not None:
        return True
    suffixes = importlib.machinery.all_suffixes()
    for folder in _standard_folders():
        if os.path.isdir(os.path.join(folder, top)):
            return True
        if any(os.path.isfile(os.path.join(folder, top + suffix)) for suffix in suffixes):
            return True
    return False


@functools.cache
def _standard_folders() -> tuple[str, ...]:
    """The standard library's folders: its sources (`stdlib`, `platstdlib`) and those of
    its extension modules (`lib-dynload` on POSIX, `DLLs` on Windows). In a virtual
    environment `platstdlib` is the environment's own folder, which holds no
    `lib-dynload` (round 66: `cmath`, `math`, `mmap` counted as not found, and their
    siblings as run): the base installation's (`stdlib`, `DESTSHARED`) is read too."""
    paths = sysconfig.get_paths()
    folders = [paths["stdlib"], paths["platstdlib"]]
    folders += [os.path.join(folder, "lib-dynload") for folder in folders]
    shared = sysconfig.get_config_var("DESTSHARED")
    if isinstance(shared, str):
        folders.append(shared)
    folders.append(os.path.join(sys.base_exec_prefix, "DLLs"))
    return tuple(dict.fromkeys(folders))
