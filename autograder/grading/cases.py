"""Running one hidden test case in the trusted process against the student's names.

The case's code is otter's doctest, executed here with a namespace holding
only what the test reads from the student: plain values, or proxies that call
into the sandboxed student process. A module the student bound (``np``) is
this process's own import of the same module, so plain asserts use real
numpy. The case imports the assignment's course modules by their bare names
(``from reference import f``). Pass or fail follows doctest, as in ``otter
run``; the failure message comes from the exception the check raised, and an
assert without a message gets one that shows the values it compared.
"""

from __future__ import annotations

import doctest
import importlib
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from autograder.course import CourseModuleError, CourseModules
from autograder.grading.assertions import EXPLAIN, explain, rewrite_asserts
from autograder.grading.spec import Case
from autograder.sandbox import StudentCrash, StudentError, StudentObject, StudentTimeout

#: Modules a test may get from the student's namespace (``np``, ``sympy``...): this process
#: imports its own copy by name. Others stay opaque handles (importing an arbitrary name
#: here could run code a submission chose).
TRUSTED_MODULES = frozenset(
    {
        "numpy", "sympy", "scipy", "math", "cmath", "statistics", "fractions", "decimal",
        "random", "itertools", "functools", "operator", "collections", "re", "string",
    }
)  # fmt: skip

#: Longest piece of unexpected output quoted back to the student.
QUOTE_LIMIT = 600


@dataclass(frozen=True)
class CaseOutcome:
    passed: bool
    message: str
    sandbox_broken: bool = False  # the student process timed out or died: restart before going on
    stopped_by: Literal["timeout", "crash"] | None = None  # why, when a case saw it happen
    mistakes: tuple[str, ...] = ()  # the known mistakes the failing check recognised


class _RecordingRunner(doctest.DocTestRunner):
    """A doctest runner that keeps the first failure as a value instead of printing it."""

    def __init__(self) -> None:
        super().__init__(verbose=False, optionflags=doctest.NORMALIZE_WHITESPACE)
        self.first_failure: str | None = None
        self.broken = False
        self.stopped_by: Literal["timeout", "crash"] | None = None
        self.mistakes: tuple[str, ...] = ()

    def report_failure(self, out: Any, test: Any, example: Any, got: str) -> None:
        if self.first_failure is None:
            shown = got.strip()
            if len(shown) > QUOTE_LIMIT:
                shown = shown[:QUOTE_LIMIT] + " ..."
            self.first_failure = f"the test printed unexpected output: {shown!r}"

    def report_unexpected_exception(self, out: Any, test: Any, example: Any, exc_info: Any) -> None:
        error = exc_info[1]
        if isinstance(error, (StudentTimeout, StudentCrash)):
            self.broken = True
        if self.stopped_by is None:
            self.stopped_by = stop_kind(error)
        if self.first_failure is None:
            self.first_failure = describe_exception(error)
            self.mistakes = recognised_mistakes(error)


def stop_kind(error: BaseException | None) -> Literal["timeout", "crash"] | None:
    """Whether ``error``, or an error it was raised from (helpers wrap them), stopped the
    student's process by a timeout or a crash."""
    seen = 0
    while error is not None and seen < 20:
        if isinstance(error, StudentTimeout):
            return "timeout"
        if isinstance(error, StudentCrash):
            return "crash"
        error, seen = error.__cause__ or error.__context__, seen + 1
    return None


def recognised_mistakes(error: BaseException) -> tuple[str, ...]:
    """The names of the known mistakes a failed check recognised in the answer."""
    from autograder.checks.result import CheckFailed

    return error.result.mistakes if isinstance(error, CheckFailed) else ()


def describe_exception(error: BaseException) -> str:
    """What a student should read for an exception raised while their answer was tested."""
    from autograder.checks.result import CheckFailed  # the checks package imports numpy, sympy

    if isinstance(error, CheckFailed):
        return error.result.message
    if isinstance(error, AssertionError):
        return str(error) or "this check failed (the test's assert gives no message)"
    if isinstance(error, CourseModuleError):
        return f"the test could not run (a problem of the course, not of your answer): {error}"
    if isinstance(error, StudentTimeout):
        return f"your code ran out of time: {error}"
    if isinstance(error, StudentCrash):
        return f"your code stopped the Python process: {error}"
    if isinstance(error, StudentError):
        return str(error)
    if isinstance(error, NameError):
        name = getattr(error, "name", None) or str(error)
        return (
            f"{name} is not defined in your notebook: define it with the name the question "
            "gives, and check that the notebook runs from top to bottom without errors"
        )
    return f"the test could not run on your answer: {type(error).__name__}: {error}"


def trusted_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The student's values, with each module they bound replaced by this process's own."""
    trusted = dict(values)
    for name, value in values.items():
        if isinstance(value, StudentObject) and value.type_name == "builtins.module":
            module = _trusted_module(value.name)
            if module is not None:
                trusted[name] = module
    return trusted


def _trusted_module(name: str) -> object | None:
    if name.split(".")[0] not in TRUSTED_MODULES:
        return None
    if name in sys.modules:
        return sys.modules[name]
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def run_case(
    case: Case, namespace: Mapping[str, Any], course: CourseModules | None = None
) -> CaseOutcome:
    """Run ``case`` with a fresh copy of ``namespace`` as its globals.

    ``course`` makes the assignment's modules importable by their bare names.
    """
    parser = doctest.DocTestParser()
    globs = dict(namespace)
    globs[EXPLAIN] = explain
    if course is not None:
        globs["__builtins__"] = course.builtins
    test = parser.get_doctest(case.source, globs, case.label, None, 0)
    for example in test.examples:
        example.source = rewrite_asserts(example.source)
    runner = _RecordingRunner()
    runner.run(test, out=lambda _text: None, clear_globs=True)
    if runner.first_failure is None:
        return CaseOutcome(passed=True, message="correct")
    return CaseOutcome(
        passed=False,
        message=runner.first_failure,
        sandbox_broken=runner.broken,
        stopped_by=runner.stopped_by,
        mistakes=runner.mistakes,
    )
