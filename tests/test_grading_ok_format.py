"""Reading OK-format test files without otter: the same cases and points as otter's loader."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from autograder.grading.ok_format import OKFormatError, read_ok_file
from autograder.otter_api import OKTestFile
from autograder.project import Project


def otter_reading(path: Path) -> tuple[str, list[tuple[str, bool, float]]]:
    test_file = OKTestFile.from_file(str(path))
    cases = [(c.body, c.hidden, float(c.points)) for c in test_file.test_cases]
    return test_file.name, cases


def our_reading(path: Path) -> tuple[str, list[tuple[str, bool, float]]]:
    test_file = read_ok_file(path)
    return test_file.name, [(c.body, c.hidden, c.points) for c in test_file.cases]


@pytest.mark.slow
def test_every_test_file_the_build_writes_reads_as_otter_reads_it(built_project: Project) -> None:
    files = sorted(
        path
        for name in built_project.assignment_names()
        for path in (built_project.dist(name) / "tests").glob("*.py")
    )
    assert len(files) >= 10  # both assignments' questions
    for path in files:
        assert our_reading(path) == otter_reading(path), path


def _case(code: str = ">>> 1\n1\n", **fields: Any) -> dict[str, Any]:
    return {"code": code, **fields}


@pytest.mark.parametrize(
    ("total", "points"),
    [
        (None, [None, None]),
        (None, [0, None, None]),
        (None, [0, 0]),
        (None, [0, 2, None]),
        (4, [None, None]),
        (4, [0, None, None, 1]),
        (3, [1, 2]),
        (6.5, [0.5, None]),
        ([1, 2, 0], [None, None, None]),
        ([1, 2], [5, None]),
    ],
)
def test_points_resolved_as_otter_resolves_them(
    tmp_path: Path, total: Any, points: list[float | None]
) -> None:
    cases = [
        _case(hidden=index % 2 == 0, **({} if p is None else {"points": p}))
        for index, p in enumerate(points)
    ]
    spec: dict[str, Any] = {"name": "q", "suites": [{"cases": cases, "type": "doctest"}]}
    if total is not None:
        spec["points"] = total
    path = tmp_path / "q.py"
    path.write_text(f"OK_FORMAT = True\n\ntest = {spec!r}\n")
    assert our_reading(path) == otter_reading(path)


def test_hidden_defaults_to_true_and_code_is_dedented(tmp_path: Path) -> None:
    spec = {"name": "q", "points": 1, "suites": [{"cases": [_case("    >>> 1\n    1\n")]}]}
    path = tmp_path / "q.py"
    path.write_text(f"test = {spec!r}\n")
    assert our_reading(path) == otter_reading(path) == ("q", [(">>> 1\n1\n", True, 1.0)])


GOOD: dict[str, Any] = {"name": "q1", "points": 1, "suites": [{"cases": [_case()]}]}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("test = {", "is not valid Python"),
        ("import os\ntest = {}", "line 1: an OK-format test file holds only assignments"),
        ("OK_FORMAT = True\n", "must assign `test` exactly once (found 0)"),
        (f"test = {GOOD!r}\ntest = {GOOD!r}\n", "exactly once (found 2)"),
        ("test = open('/etc/passwd').read()", "`test` is not a plain literal"),
        ("test = [1]", "'test' must be a dict"),
        (f"test = {({**GOOD, 'name': ''})!r}", "'name' must be a non-empty string"),
        (f"test = {({**GOOD, 'suites': []})!r}", "exactly one suite"),
        (f"test = {({**GOOD, 'colour': 1})!r}", "unknown keys colour"),
        (f"test = {({**GOOD, 'all_or_nothing': True})!r}", "all_or_nothing is not supported"),
        (f"test = {({**GOOD, 'points': '1'})!r}", "'points' must be a number or a list"),
        (f"test = {({**GOOD, 'points': 0.5, 'suites': [{'cases': [_case(points=1)]}]})!r}",
         "more points than the question"),
        (f"test = {({**GOOD, 'suites': [{'cases': [_case(points=True)]}]})!r}",
         "case 1: 'points' must be a number"),
        (f"test = {({**GOOD, 'suites': [{'cases': [{'hidden': False}]}]})!r}",
         "case 1: 'code' must be a string"),
        (f"test = {({**GOOD, 'suites': [{'cases': [], 'setup': 'x = 1'}]})!r}",
         "setup and teardown code is not supported"),
        (f"test = {({**GOOD, 'suites': [{'cases': [], 'type': 'wwpp'}]})!r}",
         "only doctest suites"),
    ],
)  # fmt: skip
def test_a_malformed_test_file_is_an_error_naming_it(
    tmp_path: Path, text: str, problem: str
) -> None:
    path = tmp_path / "q1.py"
    path.write_text(text)
    with pytest.raises(OKFormatError, match=re.escape(str(path))) as raised:
        read_ok_file(path)
    assert problem in str(raised.value)


def test_the_literal_is_read_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    path = tmp_path / "q1.py"
    path.write_text(f"test = {GOOD!r}\nopen({str(marker)!r}, 'w').close()\n")
    with pytest.raises(OKFormatError, match="line 2"):
        read_ok_file(path)
    assert not marker.exists()
