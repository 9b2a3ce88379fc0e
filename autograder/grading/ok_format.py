"""Reading OK-format test files (``dist/<name>/tests/*.py``) with the standard library.

``otter assign`` writes each question's tests as a Python module holding one
literal, ``test = {...}``. otter's own loader ``exec``s the file; we only
evaluate literals, check the structure otter relies on, and resolve each
case's points with otter's rules, so that grading never imports otter.
``tests/test_grading_ok_format.py`` proves the two readings agree on every
test file the build writes.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from textwrap import dedent
from typing import Any

from autograder.errors import GradingSetupError

_CASE_KEYS = {"code", "hidden", "locked", "points", "name", "success_message", "failure_message"}
_SUITE_KEYS = {"cases", "type", "scored", "setup", "teardown"}
_FILE_KEYS = {"name", "points", "suites", "all_or_nothing"}


@dataclass(frozen=True)
class OKCase:
    body: str  # the doctest, dedented as otter dedents it
    hidden: bool
    points: float  # resolved: otter's default share when the file does not say


@dataclass(frozen=True)
class OKTestFile:
    name: str
    cases: tuple[OKCase, ...]


class OKFormatError(GradingSetupError):
    """A test file that is not what ``otter assign`` writes; the message names the file."""


def read_ok_file(path: Path) -> OKTestFile:
    """The test cases of one OK-format file, points resolved as ``otter run`` resolves them."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise OKFormatError(f"cannot read the test file {path}: {exc}") from exc
    return parse_ok_test(text, path)


def parse_ok_test(text: str, path: Path) -> OKTestFile:
    spec = _test_literal(text, path)
    where = f"{path}: "
    _require(isinstance(spec, dict), where + "'test' must be a dict")
    _no_unknown_keys(spec, _FILE_KEYS, where)
    name = spec.get("name")
    _require(isinstance(name, str) and name != "", where + "'name' must be a non-empty string")
    suites = spec.get("suites")
    _require(
        isinstance(suites, list) and len(suites) == 1 and isinstance(suites[0], dict),
        where + "'suites' must be a list of exactly one suite (a dict)",
    )
    suite = suites[0]
    _no_unknown_keys(suite, _SUITE_KEYS, where + "suite: ")
    _require(suite.get("type", "doctest") == "doctest", where + "only doctest suites are supported")
    _require(
        not suite.get("setup") and not suite.get("teardown"),
        where + "setup and teardown code is not supported",
    )
    _require(not spec.get("all_or_nothing", False), where + "all_or_nothing is not supported")
    raw_cases = suite.get("cases")
    _require(isinstance(raw_cases, list), where + "the suite's 'cases' must be a list")
    bodies, hidden, points = [], [], []
    for index, case in enumerate(raw_cases, start=1):
        at = f"{where}case {index}: "
        _require(isinstance(case, dict), at + "must be a dict")
        _no_unknown_keys(case, _CASE_KEYS, at)
        _require(isinstance(case.get("code"), str), at + "'code' must be a string")
        _require(isinstance(case.get("hidden", True), bool), at + "'hidden' must be true or false")
        _require(_is_points(case.get("points")), at + "'points' must be a number or None")
        bodies.append(dedent(case["code"]))
        hidden.append(case.get("hidden", True))
        points.append(case.get("points"))
    resolved = resolve_points(spec.get("points"), points, where)
    cases = tuple(OKCase(b, h, p) for b, h, p in zip(bodies, hidden, resolved, strict=True))
    return OKTestFile(name, cases)


def resolve_points(total: Any, given: Sequence[float | None], where: str = "") -> list[float]:
    """Each case's points: given ones kept, the rest share what is left of ``total``.

    otter's rules: ``total`` may be a list (one value per case); without a total,
    cases that all say 0 or nothing share one point among those that say nothing.
    """
    if isinstance(total, list):
        _require(
            len(total) == len(given) and all(_is_number(p) for p in total),
            where + "a list of points needs one number per case",
        )
        given, total = list(total), None
    _require(total is None or _is_number(total), where + "'points' must be a number or a list")
    unset = sum(1 for p in given if p is None)
    assigned = sum(p for p in given if p is not None)
    if total is not None:
        _require(assigned <= total, where + "the cases have more points than the question")
        share = (total - assigned) / unset if unset else 0.0
    elif all(p in (0, None) for p in given):
        share = 1 / unset if unset else 0.0
    else:
        share = 0.0
    return [float(p) if p is not None else float(share) for p in given]


def _test_literal(text: str, path: Path) -> Any:
    """The value of ``test = <literal>``; any other statement except literal assignments fails."""
    try:
        module = ast.parse(text, filename=str(path))
    except SyntaxError as exc:
        raise OKFormatError(f"{path} is not valid Python: {exc}") from exc
    found: list[ast.expr] = []
    for statement in module.body:
        target = _assigned_name(statement)
        if target is None:
            raise OKFormatError(
                f"{path}, line {statement.lineno}: an OK-format test file holds only "
                "assignments like `test = {...}`"
            )
        if target == "test":
            assert isinstance(statement, ast.Assign)
            found.append(statement.value)
    if len(found) != 1:
        raise OKFormatError(f"{path} must assign `test` exactly once (found {len(found)})")
    try:
        return ast.literal_eval(found[0])
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError) as exc:
        raise OKFormatError(f"{path}: `test` is not a plain literal ({exc})") from exc


def _assigned_name(statement: ast.stmt) -> str | None:
    if (
        isinstance(statement, ast.Assign)
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
    ):
        return statement.targets[0].id
    return None


def _is_number(value: Any) -> bool:
    return type(value) in (int, float) and math.isfinite(value)


def _is_points(value: Any) -> bool:
    return value is None or _is_number(value)


def _no_unknown_keys(mapping: dict[Any, Any], known: set[str], where: str) -> None:
    unknown = sorted(str(key) for key in mapping if key not in known)
    _require(not unknown, f"{where}unknown keys {', '.join(unknown)}")


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise OKFormatError(message)
