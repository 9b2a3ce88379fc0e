"""Mutants of a master's solution code, derived from its syntax tree.

Only code on solution lines (``# BEGIN SOLUTION`` ... ``# END SOLUTION``, or a
line ending in ``# SOLUTION``) is mutated, one change per mutant, and only
inside simple statements (assignments, returns, expressions): the statement is
re-rendered with ``ast.unparse`` and the rest of the cell is kept as written.
The operators are generic, so a new master needs no list of its own:

- swap operator (``+``/``-``, ``*``/``/``, ``@``/``*``, ``**``/``*``) and comparison;
- drop term (``a + b`` -> ``a`` or ``b``), drop sign, drop call (``np.tanh(z)`` -> ``z``,
  ``da.sum(axis=0)`` -> ``da``), drop transpose;
- transpose an operand of ``@``; swap the operands of a non-commutative operator;
- swap arguments of a call, swap a function for its sibling (``sum``/``mean``...);
- swap a name for another one bound in the same scope;
- change a constant (numbers up and down, strings to another string of the cell);
- reorder: exchange neighbours in a tuple or list, on either side of ``=``
  (gate order, block order, cache layout, return order).
"""

from __future__ import annotations

import ast
import copy
import difflib
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from autograder.assemble.master import solution_line_numbers

OPERATOR_SWAPS: dict[type[ast.operator], tuple[type[ast.operator], ...]] = {
    ast.Add: (ast.Sub,),
    ast.Sub: (ast.Add,),
    ast.Mult: (ast.Div,),
    ast.Div: (ast.Mult,),
    ast.MatMult: (ast.Mult,),
    ast.Pow: (ast.Mult,),
    ast.FloorDiv: (ast.Div,),
    ast.Mod: (ast.FloorDiv,),
}
NON_COMMUTATIVE = (ast.Sub, ast.Div, ast.MatMult, ast.Pow, ast.FloorDiv, ast.Mod)
COMPARISON_SWAPS: dict[type[ast.cmpop], tuple[type[ast.cmpop], ...]] = {
    ast.Gt: (ast.GtE, ast.Lt),
    ast.GtE: (ast.Gt, ast.LtE),
    ast.Lt: (ast.LtE, ast.Gt),
    ast.LtE: (ast.Lt, ast.GtE),
    ast.Eq: (ast.NotEq,),
    ast.NotEq: (ast.Eq,),
}
# Functions with the same signature that a student confuses; a name swaps within its family.
FUNCTION_FAMILIES = (
    ("sum", "mean", "prod"),
    ("max", "min"),
    ("maximum", "minimum"),
    ("argmax", "argmin"),
    ("tanh", "exp", "sqrt", "abs"),
    ("hstack", "vstack"),
    ("zeros", "ones"),
    ("sin", "cos"),
)


@dataclass(frozen=True)
class AnswerCell:
    """One cell of the solution notebook that students fill in."""

    cell_id: str
    question: str
    source: str


@dataclass(frozen=True)
class Mutant:
    question: str
    cell_id: str
    kind: str  # the operator family, e.g. "swap operator"
    line: int  # in the cell, from 1
    original: str  # the cell as the master has it
    source: str  # the cell with this one change

    @property
    def diff(self) -> str:
        """The changed lines, as ``- old`` / ``+ new``."""
        lines = difflib.unified_diff(
            self.original.split("\n"), self.source.split("\n"), lineterm="", n=0
        )
        return "\n".join(line for line in lines if line[:3] not in ("---", "+++", "@@ "))


Replacement = tuple[str, ast.AST]  # (kind, the node that takes the old one's place)


def mutants_of(cell: AnswerCell) -> list[Mutant]:
    """Every single-change mutant of the cell's solution lines, without duplicates or no-ops."""
    try:
        tree = ast.parse(cell.source)
    except SyntaxError:
        return []
    lines = cell.source.split("\n")
    solution = solution_line_numbers(cell.source)
    strings = _solution_strings(tree, solution)
    seen = {ast.dump(tree)}
    found = []
    for statement, scope in _simple_statements(tree, solution):
        for kind, mutated in _statement_mutants(statement, scope, strings):
            text = _render(mutated, lines[statement.lineno - 1], statement.col_offset)
            end = statement.end_lineno or statement.lineno
            source = "\n".join([*lines[: statement.lineno - 1], text, *lines[end:]])
            try:
                key = ast.dump(ast.parse(source))
            except SyntaxError:  # e.g. a swap that puts a constant on the left of `=`
                continue
            if key not in seen:
                seen.add(key)
                found.append(
                    Mutant(cell.question, cell.cell_id, kind, statement.lineno, cell.source, source)
                )
    return found


def sample(mutants: list[Mutant], size: int | None, seed: int) -> list[Mutant]:
    """At most ``size`` mutants, drawn in turn from each kind so that every operator is
    represented; reproducible for a given seed. ``None`` keeps them all."""
    if size is None or len(mutants) <= size:
        return list(mutants)
    rng = random.Random(seed)
    by_kind: dict[str, list[Mutant]] = {}
    for mutant in mutants:
        by_kind.setdefault(mutant.kind, []).append(mutant)
    pools = [rng.sample(group, len(group)) for _, group in sorted(by_kind.items())]
    chosen: list[Mutant] = []
    while len(chosen) < size:
        for pool in pools:
            if pool and len(chosen) < size:
                chosen.append(pool.pop())
    order = {id(mutant): index for index, mutant in enumerate(mutants)}
    return sorted(chosen, key=lambda mutant: order[id(mutant)])


# --- where to mutate ----------------------------------------------------------------


@dataclass(frozen=True)
class _Scope:
    """Names a swapped name may become at one statement: bound before it, in its function."""

    names: tuple[str, ...]


def _simple_statements(tree: ast.Module, solution: set[int]) -> Iterator[tuple[ast.stmt, _Scope]]:
    module_values = _module_values(tree, solution)
    yield from _walk_body(tree.body, solution, module_values, ())


def _walk_body(
    body: list[ast.stmt], solution: set[int], module_values: tuple[str, ...], bound: tuple[str, ...]
) -> Iterator[tuple[ast.stmt, _Scope]]:
    names = list(bound)
    for statement in body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            parameters = tuple(arg.arg for arg in statement.args.args)
            yield from _walk_body(statement.body, solution, (), parameters)
            continue
        nested = [value for value in vars(statement).values() if _is_body(value)]
        for inner in nested:
            yield from _walk_body(inner, solution, module_values, tuple(names))
        end = statement.end_lineno or statement.lineno
        on_solution = all(line in solution for line in range(statement.lineno, end + 1))
        if not nested and on_solution:
            yield statement, _Scope(tuple(dict.fromkeys([*names, *module_values])))
        names.extend(_stored_names(statement))


def _is_body(value: object) -> bool:
    return isinstance(value, list) and bool(value) and isinstance(value[0], ast.stmt)


def _stored_names(node: ast.AST) -> Iterator[str]:
    """Names the statement binds for what follows (a comprehension's own variables excluded)."""
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
        yield node.id
    for child in ast.iter_child_nodes(node):
        if not isinstance(child, ast.comprehension):
            yield from _stored_names(child)


def _module_values(tree: ast.Module, solution: set[int]) -> tuple[str, ...]:
    """Plain names read on the cell's top-level solution lines (``sigma``, ``tau``), not
    modules or functions (``np``, ``sympy``), which a student would not confuse."""
    called = set()
    values = []
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        if statement.lineno not in solution:
            continue
        for node in ast.walk(statement):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                called.add(node.value.id)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                called.add(node.func.id)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                values.append(node.id)
    return tuple(name for name in dict.fromkeys(values) if name not in called)


def _solution_strings(tree: ast.Module, solution: set[int]) -> tuple[str, ...]:
    strings = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and getattr(node, "lineno", 0) in solution
    ]
    return tuple(dict.fromkeys(strings))


# --- the operators ------------------------------------------------------------------


def _statement_mutants(
    statement: ast.stmt, scope: _Scope, strings: tuple[str, ...]
) -> Iterator[tuple[str, ast.stmt]]:
    """(kind, mutated copy of the statement) for every change of every node in it."""
    for index, node in enumerate(_nodes(statement)):
        for kind, replacement in _replacements(node, scope, strings):
            mutated = copy.deepcopy(statement)
            _replace(mutated, index, replacement)
            yield kind, mutated


def _replacements(node: ast.AST, scope: _Scope, strings: tuple[str, ...]) -> Iterator[Replacement]:
    for rule in _RULES:
        yield from rule(node, scope, strings)


def _binary(node: ast.AST, *_: object) -> Iterator[Replacement]:
    if not isinstance(node, ast.BinOp):
        return
    for op in OPERATOR_SWAPS.get(type(node.op), ()):
        yield "swap operator", ast.BinOp(_copy(node.left), op(), _copy(node.right))
    yield "drop term", _copy(node.left)
    yield "drop term", _copy(node.right)
    if isinstance(node.op, NON_COMMUTATIVE):
        yield "swap operands", ast.BinOp(_copy(node.right), node.op, _copy(node.left))
    for side in ("left", "right"):
        operand = getattr(node, side)
        if isinstance(node.op, ast.MatMult) and not _is_transpose(operand):
            mutated = _copy(node)
            setattr(mutated, side, ast.Attribute(_copy(operand), "T", ast.Load()))
            yield "transpose", mutated


def _unary(node: ast.AST, *_: object) -> Iterator[Replacement]:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.Not, ast.Invert)):
        yield "drop sign", _copy(node.operand)


def _comparison(node: ast.AST, *_: object) -> Iterator[Replacement]:
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        for op in COMPARISON_SWAPS.get(type(node.ops[0]), ()):
            yield "swap comparison", ast.Compare(_copy(node.left), [op()], _copy(node.comparators))
    if isinstance(node, ast.BoolOp):
        other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        yield "swap comparison", ast.BoolOp(other, _copy(node.values))


def _constant(node: ast.AST, _scope: object, strings: tuple[str, ...]) -> Iterator[Replacement]:
    if not isinstance(node, ast.Constant) or isinstance(node.value, bool):
        return
    value = node.value
    if isinstance(value, int):
        changed: tuple[int | float | str, ...] = (value + 1, value - 1)
    elif isinstance(value, float):
        changed = (value * 2, value / 2) if value else (1.0,)
    elif isinstance(value, str):
        changed = tuple(other for other in strings if other != value)
    else:
        return
    for new in changed:
        yield "change constant", ast.Constant(new)


def _transpose(node: ast.AST, *_: object) -> Iterator[Replacement]:
    if _is_transpose(node):
        assert isinstance(node, ast.Attribute)
        yield "drop transpose", _copy(node.value)


def _call(node: ast.AST, *_: object) -> Iterator[Replacement]:
    if not isinstance(node, ast.Call):
        return
    positional = [arg for arg in node.args if not isinstance(arg, ast.Starred)]
    for i in range(len(positional) - 1):
        mutated = _copy(node)
        mutated.args[i], mutated.args[i + 1] = mutated.args[i + 1], mutated.args[i]
        yield "swap arguments", mutated
    if len(node.args) == 1 and not isinstance(node.args[0], ast.Starred):
        yield "drop call", _copy(node.args[0])
    elif not node.args and isinstance(node.func, ast.Attribute):
        yield "drop call", _copy(node.func.value)  # a method: da.sum(axis=0) -> da
    name = _function_name(node.func)
    for family in FUNCTION_FAMILIES:
        for sibling in family if name in family else ():
            if sibling != name:
                mutated = _copy(node)
                _rename_function(mutated, sibling)
                yield "swap function", mutated


def _name(node: ast.AST, scope: _Scope, _strings: object) -> Iterator[Replacement]:
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in scope.names:
        for other in scope.names:
            if other != node.id:
                yield "swap name", ast.Name(other, ast.Load())


def _sequence(node: ast.AST, *_: object) -> Iterator[Replacement]:
    if isinstance(node, (ast.Tuple, ast.List)) and len(node.elts) >= 2:
        for i in range(len(node.elts) - 1):
            mutated = _copy(node)
            mutated.elts[i], mutated.elts[i + 1] = mutated.elts[i + 1], mutated.elts[i]
            yield "reorder", mutated


_RULES: tuple[Callable[[ast.AST, _Scope, tuple[str, ...]], Iterator[Replacement]], ...] = (
    _binary,
    _unary,
    _comparison,
    _constant,
    _transpose,
    _call,
    _name,
    _sequence,
)


# --- tree plumbing ------------------------------------------------------------------


def _copy(node: Any) -> Any:
    return copy.deepcopy(node)


def _is_transpose(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "T"


def _function_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def _rename_function(call: ast.Call, name: str) -> None:
    if isinstance(call.func, ast.Attribute):
        call.func.attr = name
    elif isinstance(call.func, ast.Name):
        call.func.id = name


def _nodes(root: ast.AST) -> list[ast.AST]:
    """Every node under ``root`` (itself excluded) in a fixed order, the same for a copy."""
    return [child for _, _, _, child in _places(root)]


def _places(root: ast.AST) -> Iterator[tuple[ast.AST, str, int | None, ast.AST]]:
    """(parent, field, index in the field's list or None, node), depth first."""
    for field, value in ast.iter_fields(root):
        if isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, ast.AST):
                    yield root, field, index, item
                    yield from _places(item)
        elif isinstance(value, ast.AST):
            yield root, field, None, value
            yield from _places(value)


def _replace(root: ast.AST, target: int, replacement: ast.AST) -> None:
    parent, field, index, _ = list(_places(root))[target]
    if index is None:
        setattr(parent, field, replacement)
    else:
        getattr(parent, field)[index] = replacement


def _render(statement: ast.stmt, first_line: str, column: int) -> str:
    indent = first_line[:column]
    return "\n".join(indent + line for line in ast.unparse(statement).split("\n"))
