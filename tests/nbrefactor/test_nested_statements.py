"""`nested_statements` finds a def's statements without walking its expressions; it must
meet them in the order `ast.walk` does, since the first one found is what a report quotes."""

import ast
import inspect
import json
import textwrap

from nbrefactor.analysis.scopes import nested_statements

NESTED = textwrap.dedent(
    """
    def f(x):
        try:
            from .a import A
        except ImportError as error:
            from .b import B
        else:
            from .c import C
        finally:
            pass
        match x:
            case 1 if (y := 2):
                from .d import D
        class Inner:
            def method(self):
                from .e import E
        with open(x) as stream, lambda: 0:
            for item in stream:
                while item:
                    from .g import G
                else:
                    from .h import H
        return [z for z in x]
    """
)


def _walked(node: ast.AST) -> list[ast.stmt]:
    return [part for part in ast.walk(node) if isinstance(part, ast.stmt) and part is not node]


def test_the_statements_of_a_def_come_in_ast_walk_order_with_handlers_and_cases():
    (definition,) = ast.parse(NESTED).body
    found = list(nested_statements(definition))
    assert found == _walked(definition)
    relative = [statement.module for statement in found if isinstance(statement, ast.ImportFrom)]
    assert relative == ["a", "c", "b", "d", "e", "g", "h"]  # breadth first, as ast.walk


def test_the_statements_of_whole_modules_come_in_ast_walk_order():
    for module in (ast, inspect, json.decoder, textwrap):
        tree = ast.parse(inspect.getsource(module))
        for node in (tree, *(part for part in ast.walk(tree) if isinstance(part, ast.stmt))):
            assert list(nested_statements(node)) == _walked(node), (module.__name__, node)
