"""`nbrefactor extract`: turn helpers pasted across notebooks into a module that `migrate` can use.

The data flows one way, one module per concern:

- `scopes`: which names a definition reads from module scope, and how a
  notebook binds its module-level names (stdlib `symtable`);
- `gather`: the top-level definitions, bindings and calls of each notebook;
- `variants`: definitions grouped into helpers and variants, and the variant chosen;
- `needs`: what a chosen body needs (imports, other definitions, no notebook variable);
- `plan`: every helper decided: extracted, skipped (and why), already in the module;
- `module_file`: the module's new text (libcst, imported only here);
- `report`: the lines and the JSON document;
- `run`: reading the notebooks and the module, writing the module atomically.
"""
