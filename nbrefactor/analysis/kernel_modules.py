"""The standard modules a notebook's kernel finds whatever file of their name lies beside
a library (round 62a K1: a `string.py` beside `mylib.py`, which does `import string`).

A fresh ipykernel has imported these before any cell runs, and an import binds what
`sys.modules` holds: another `string.py` is never run. The list is what a fresh kernel
held, read in a real one (ipykernel 7.4, IPython 9.19, CPython 3.11.7; round 63b) by
`sorted(m for m in sys.modules if m in sys.stdlib_module_names)`, its private modules
(`_io`) and the few that depend on the platform or the terminal (`curses`, `fcntl`,
`posix`, `pwd`, `termios`, `resource`) left out.
"""

from __future__ import annotations

import sys

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


def is_standard(name: str) -> bool:
    """Whether the top-level name of the dotted `name` is a module of the standard library
    (`sys.stdlib_module_names`): the kernel searches the standard library's folders before
    the notebook's own and those it appends (`sys.path.append("lib")`)."""
    return name.partition(".")[0] in sys.stdlib_module_names
