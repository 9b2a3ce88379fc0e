"""What a piece of test code needs from the notebook it checks: the names it reads unbound."""

from __future__ import annotations

import ast
import builtins


def free_names(code: str) -> list[str]:
    """Names ``code`` reads without binding them anywhere, builtins aside, in first-read order."""
    tree = ast.parse(code)
    bound: set[str] = set()
    read: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Store):
                bound.add(node.id)
            elif node.id not in read:
                read.append(node.id)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return [name for name in read if name not in bound and not hasattr(builtins, name)]
