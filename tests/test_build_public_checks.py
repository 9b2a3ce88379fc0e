"""The student's public tests as otter's exception-based checks: short, and the same verdicts."""

from __future__ import annotations

import warnings
from pathlib import Path

from autograder.assemble.public_checks import exception_test_file

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)  # otter's traitlets use, not ours
    from otter.test_files import ExceptionTestFile, OKTestFile

CASES = [
    {
        "code": ">>> import math\n"
        ">>> values = [f(x) for x in range(3)]\n"
        ">>> expected = [0, 2, 4]\n"
        ">>> assert len(values) == 3, 'f must work on 0, 1 and 2'\n"
        ">>> for got, want in zip(values, expected):\n"
        "...     assert got == want, f'f is off: {got} instead of {want}'\n",
        "hidden": False,
        "locked": False,
        "points": 0,
    },
    {"code": ">>> assert callable(f), 'f must be a function'\n", "hidden": False, "points": 0},
]


def ok_file(tmp_path: Path, cases: list[dict[str, object]]) -> Path:
    test = {"name": "q1", "points": 2, "suites": [{"cases": cases, "type": "doctest"}]}
    path = tmp_path / "q1.py"
    path.write_text(f"OK_FORMAT = True\n\ntest = {test!r}\n")
    return path


def check(source: str, path: Path, env: dict[str, object]) -> str:
    test_file = ExceptionTestFile.from_string(source, path=str(path))
    test_file.run(env)
    return str(test_file.summary())


def test_a_failed_check_prints_its_line_and_message_only(tmp_path: Path) -> None:
    path = ok_file(tmp_path, CASES)
    source = exception_test_file(path)
    assert source is not None
    summary = check(source, path, {"f": lambda x: 3 * x})
    assert "f is off: 3 instead of 2" in summary
    assert "expected = [0, 2, 4]" not in summary  # not the transcript of the whole test
    assert len(summary.splitlines()) <= 10, summary
    assert "All test cases passed" in check(source, path, {"f": lambda x: 2 * x})


def test_a_name_the_notebook_lacks_says_to_define_it(tmp_path: Path) -> None:
    path = ok_file(tmp_path, CASES)
    summary = check(exception_test_file(path) or "", path, {})
    assert "NameError: f is not defined: run the cell that defines it first" in summary


def test_the_verdicts_are_otters_own(tmp_path: Path) -> None:
    path = ok_file(tmp_path, CASES)
    source = exception_test_file(path) or ""
    for f in (lambda x: 2 * x, lambda x: x, "not a function"):
        theirs = OKTestFile.from_file(str(path))
        theirs.run({"f": f})
        ours = ExceptionTestFile.from_string(source, path=str(path))
        ours.run({"f": f})
        assert [r.passed for r in ours.test_case_results] == [
            r.passed for r in theirs.test_case_results
        ]


def test_a_check_of_printed_output_stays_a_doctest(tmp_path: Path) -> None:
    path = ok_file(tmp_path, [{"code": ">>> f(1)\n2\n", "hidden": False, "points": 0}])
    assert exception_test_file(path) is None
