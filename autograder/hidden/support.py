"""What every hidden-test helper does: call the student's object safely, decide, report.

A course's helper modules (``solutions/<name>/helpers.py``) are written with these
few functions, so the contract of ``autograder.hidden`` (fresh inputs, ``None`` on success,
``CheckFailed`` on failure, student exceptions turned into ``CheckFailed``) is
kept in one place.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import numpy as np

from autograder.checks.numeric import describe
from autograder.checks.result import CheckFailed, CheckResult

_MAX_EXCEPTION_TEXT = 300

_recorded: ContextVar[list[CheckResult] | None] = ContextVar("recorded", default=None)


@contextmanager
def recording() -> Iterator[list[CheckResult]]:
    """Collect every result the helpers decide inside the block, passing or not.

    The helpers return None on success, so this is how the proof tests read
    the error that correct code reaches.
    """
    results: list[CheckResult] = []
    token = _recorded.set(results)
    try:
        yield results
    finally:
        _recorded.reset(token)


def _record(result: CheckResult) -> None:
    results = _recorded.get()
    if results is not None:
        results.append(result)


def require(result: CheckResult, part: str) -> None:
    """Pass silently or raise ``CheckFailed(result, part)``."""
    _record(result)
    if not result.passed:
        raise CheckFailed(result, part)


def fail(stage: str, message: str, part: str) -> CheckFailed:
    """The exception for a failure found outside a check (a bad call or return)."""
    result = CheckResult.fail(stage, message)
    _record(result)
    return CheckFailed(result, part)


_validation_seeds: ContextVar[np.random.SeedSequence | None] = ContextVar(
    "validation_seeds", default=None
)


@contextmanager
def seeded_draws(seed: int) -> Iterator[None]:
    """Inside the block, the helpers draw reproducible inputs from ``seed``.

    For validation only (``autograder validate`` grades the same notebook under
    several seeds to find flaky verdicts); grading never enters this block, so
    its draws keep fresh entropy.
    """
    token = _validation_seeds.set(np.random.SeedSequence(seed))
    try:
        yield
    finally:
        _validation_seeds.reset(token)


def fresh_generator(rng: np.random.Generator | None) -> np.random.Generator:
    """Fresh entropy unless a test passes its own generator (or validation seeds the draws)."""
    if rng is not None:
        return rng
    seeds = _validation_seeds.get()
    return np.random.default_rng(seeds.spawn(1)[0] if seeds is not None else None)


@dataclass(frozen=True)
class Call:
    """What a student's function returned, and the warnings it raised meanwhile."""

    value: object
    warnings: tuple[str, ...]


def call_student(function: object, name: str, *args: object, part: str) -> Call:
    """``function(*args)``; an exception becomes ``CheckFailed`` naming ``name``.

    Warnings are recorded, not shown: under our grader, warnings raised in the
    student's process are re-emitted in this one, so the same code sees them
    in both settings.
    """
    if not callable(function):
        raise fail("type", f"{name} is {describe(function)}, expected a function", part)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = function(*args)
        except Exception as error:
            text = str(error)
            if len(text) > _MAX_EXCEPTION_TEXT:
                text = text[:_MAX_EXCEPTION_TEXT] + "..."
            if type(error).__module__.startswith("autograder.sandbox"):
                # the grading sandbox already says what the student's code did
                raise fail("error", text, part) from error
            raise fail("error", f"{name} raised {type(error).__name__}: {text}", part) from error
    return Call(value, tuple(f"{w.category.__name__}: {w.message}" for w in caught))


def unpack(value: object, fields: Sequence[str], name: str, part: str) -> tuple[object, ...]:
    """The items of a returned tuple, checked to be as many as ``fields``."""
    expected = f"({', '.join(fields)})"
    if value is None:
        raise fail(
            "type",
            f"{name} returned None, expected a tuple {expected} "
            "(is the body still `...`, or is a `return` missing?)",
            part,
        )
    if not isinstance(value, (tuple, list)):
        raise fail("type", f"{name} returned {describe(value)}, expected a tuple {expected}", part)
    if len(value) != len(fields):
        raise fail(
            "type",
            f"{name} returned {len(value)} values, expected {len(fields)}: {expected}",
            part,
        )
    return tuple(value)
