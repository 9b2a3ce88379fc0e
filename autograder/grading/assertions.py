"""Messages for plain ``assert`` statements in hidden tests, as pytest's rewriting gives them.

An instructor writes ``assert np.allclose(softmax(z), ref(z))``; when it fails,
a bare ``AssertionError`` tells the student nothing. Before a test case runs,
each assert without a message is rewritten so that the values it compared
are kept and shown: ``softmax(z) == ref(z)`` fails with both sides, a failed
call with its arguments. Evaluation order and short-circuiting are kept: only
the operands of a single comparison, or the arguments of a call whose
function is a plain name or attribute, are computed ahead into temporaries.
"""

from __future__ import annotations

import ast
from typing import Any

#: Longest rendering of one value in a message.
VALUE_LIMIT = 300
#: Longest rendering of the failed expression.
SOURCE_LIMIT = 200
EXPLAIN = "__autograder_explain__"
_TEMP = "__autograder_value_{}__"


def rewrite_asserts(source: str) -> str:
    """``source`` (one doctest example) with a message for each assert that has none.

    Returns ``source`` unchanged when there is nothing to rewrite or it does
    not parse (the doctest reports the syntax error as it would have).
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    rewriter = _AssertRewriter()
    body = rewriter.statements(tree.body)
    if not rewriter.changed:
        return source
    # A doctest example compiles in "single" mode: one logical line or one compound statement.
    # Several statements here come from a top-level assert, all simple: one line, ";"-joined.
    lines = [ast.unparse(ast.fix_missing_locations(ast.Module([s], []))) for s in body]
    return "; ".join(lines) + "\n"


class _AssertRewriter:
    def __init__(self) -> None:
        self.changed = False
        self._count = 0

    def statements(self, body: list[ast.stmt]) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        for statement in body:
            if isinstance(statement, ast.Assert) and statement.msg is None:
                out.extend(self._rewrite(statement))
                self.changed = True
                continue
            for field in ("body", "orelse", "finalbody"):
                inner = getattr(statement, field, None)
                if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                    setattr(statement, field, self.statements(inner))
            for handler in getattr(statement, "handlers", []):
                handler.body = self.statements(handler.body)
            out.append(statement)
        return out

    def _temp(self, value: ast.expr, shown: str, ahead: list[ast.stmt]) -> tuple[ast.expr, Any]:
        name = _TEMP.format(self._count)
        self._count += 1
        ahead.append(ast.Assign(targets=[ast.Name(name, ast.Store())], value=value, lineno=0))
        pair = ast.Tuple([ast.Constant(shown), ast.Name(name, ast.Load())], ast.Load())
        return ast.Name(name, ast.Load()), pair

    def _rewrite(self, statement: ast.Assert) -> list[ast.stmt]:
        test = statement.test
        shown = _clip(ast.unparse(test), SOURCE_LIMIT)
        ahead: list[ast.stmt] = []
        pairs: list[Any] = []
        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            test.left, left = self._temp(test.left, ast.unparse(test.left), ahead)
            test.comparators[0], right = self._temp(
                test.comparators[0], ast.unparse(test.comparators[0]), ahead
            )
            pairs = [left, right]
        elif isinstance(test, ast.Call) and _plain_callee(test.func) and _plain_arguments(test):
            for index, argument in enumerate(test.args):
                test.args[index], pair = self._temp(argument, ast.unparse(argument), ahead)
                pairs.append(pair)
            for keyword in test.keywords:
                keyword.value, pair = self._temp(
                    keyword.value, f"{keyword.arg}={ast.unparse(keyword.value)}", ahead
                )
                pairs.append(pair)
        elif isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            test.operand, pair = self._temp(test.operand, ast.unparse(test.operand), ahead)
            pairs = [pair]
        message = ast.Call(
            func=ast.Name(EXPLAIN, ast.Load()),
            args=[ast.Constant(shown), ast.List(pairs, ast.Load())],
            keywords=[],
        )
        return [*ahead, ast.Assert(test=test, msg=message)]


def _plain_callee(node: ast.expr) -> bool:
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


def _plain_arguments(call: ast.Call) -> bool:
    return not any(isinstance(a, ast.Starred) for a in call.args) and all(
        k.arg is not None for k in call.keywords
    )


def explain(source: str, values: list[tuple[str, object]]) -> str:
    """The message of a failed ``assert source``: the expression, then each value it used."""
    lines = [f"this check failed: assert {source}"]
    for text, value in values:
        shown = render(value)
        if shown != text:
            lines.append(f"  {text} = {shown}")
    return "\n".join(lines)


def render(value: object) -> str:
    """A short rendering of a value: arrays summarised, everything clipped."""
    import numpy as np

    try:
        if isinstance(value, np.ndarray):
            text = np.array2string(value, threshold=20, edgeitems=2, precision=6)
            text = f"array of shape {value.shape}: {text}" if value.ndim else text
        else:
            text = repr(value)
    except Exception:
        text = f"<{type(value).__name__} that cannot be shown>"
    return _clip(" ".join(text.split()), VALUE_LIMIT)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
