"""Known mistakes: recognise a wrong answer as a typical one and name it for the student.

Each assignment may keep a catalog among its course modules
(``solutions/<name>/mistakes.py``): its typical mistakes as data, one
``Misconception`` per mistake with a stable name, what the answer matches, a
sentence the student can act on, and a variant function that computes the
mistaken answer from the same inputs as the reference.

A wrong answer is recognised as a mistake when it equals the variant's answer
on the inputs it was checked on, within the tolerance of the check (nan and
inf in the same places); for a mistake that shows only in its warnings (an
exp that overflows on the way to a right value), the student's call must
also have raised the same warnings. Recognition only adds to the feedback of an answer that
already failed its check: it never changes a score.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from autograder.checks.choices import normalize_choice
from autograder.checks.numeric import DEFAULT_RTOL, relative_error
from autograder.checks.result import CheckResult
from autograder.checks.symbolic import Interval, check_expression
from autograder.feedback import FeedbackLevel, current_level

# Recognising an expression decides one more equivalence per mistake: a hostile
# expression that keeps simplify busy costs this much per mistake, not the full limit.
EXPRESSION_TIME_LIMIT = 2.0


@dataclass(frozen=True)
class Misconception:
    """One typical mistake.

    ``name`` is a stable identifier (reports count mistakes by it); ``title``
    completes "<answer> matches a known mistake, ..."; ``fix`` explains the
    concept the answer missed, without the formula; ``answer`` gives the formula
    or the right computation (shown only where the course's feedback level is
    ``answer``); neither holds expected values. ``variant`` computes
    the mistaken answer from the inputs the reference gets (for a value answer,
    from none: the mistaken expression or option). ``warns``: the mistake is in
    the warnings its right values come with. ``example``: how to make the mistake
    in the master's solution, as ``(old, new)`` replacements of text in its answer
    cells; the build then derives an example submission that makes it
    (``dist/<name>/examples/mistake-<name>.ipynb``).
    """

    name: str
    title: str
    fix: str
    variant: Callable[..., Any]
    warns: bool = False
    example: tuple[tuple[str, str], ...] = ()
    answer: str = ""

    def sentence(self, level: FeedbackLevel) -> str:
        """What follows "<answer> matches a known mistake, " at a feedback level."""
        if level == "name":
            return self.title
        if level == "answer" and self.answer:
            return f"{self.title}: {self.fix}; {self.answer}"
        return f"{self.title}: {self.fix}"


@dataclass(frozen=True)
class Answer:
    """What a function returned, and the warnings it raised meanwhile."""

    value: object
    warnings: tuple[str, ...] = ()


def run_variant(variant: Callable[..., Any], *inputs: object) -> Answer | None:
    """The mistaken answer on copies of ``inputs``; None if the mistake raises on them."""
    copies = [np.copy(value) if isinstance(value, np.ndarray) else value for value in inputs]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            value = variant(*copies)
        except Exception:
            return None
    return Answer(value, tuple(f"{w.category.__name__}: {w.message}" for w in caught))


def same_values(a: object, b: object, rtol: float = DEFAULT_RTOL) -> bool:
    """Equal shapes, nan and inf in the same places, the rest within ``rtol`` (norm-relative)."""
    x, y = _numeric_array(a), _numeric_array(b)
    if x is None or y is None or x.shape != y.shape:
        return False
    finite = np.isfinite(x) & np.isfinite(y)
    if not np.array_equal(x[~finite], y[~finite], equal_nan=True):
        return False
    return relative_error(x[finite], y[finite]) <= rtol


def same_answer(
    student: Answer, mistaken: Answer, *, warns: bool = False, rtol: float = DEFAULT_RTOL
) -> bool:
    if warns and (not mistaken.warnings or set(student.warnings) != set(mistaken.warnings)):
        return False
    return same_values(student.value, mistaken.value, rtol)


def recognize(
    catalog: Iterable[Misconception],
    answer: Answer,
    inputs: Sequence[object],
    rtol: float = DEFAULT_RTOL,
) -> tuple[Misconception, ...]:
    """The mistakes of ``catalog`` whose answer on ``inputs`` is the student's."""
    found = []
    for mistake in catalog:
        mistaken = run_variant(mistake.variant, *inputs)
        if mistaken is not None and same_answer(answer, mistaken, warns=mistake.warns, rtol=rtol):
            found.append(mistake)
    return tuple(found)


def recognize_expression(
    catalog: Iterable[Misconception], student: object, domain: Mapping[str, Interval]
) -> tuple[Misconception, ...]:
    """The mistakes whose expression (``variant()``) the student's equals on ``domain``."""
    return tuple(
        mistake
        for mistake in catalog
        if check_expression(
            student, mistake.variant(), domain=domain, time_limit=EXPRESSION_TIME_LIMIT
        ).passed
    )


def recognize_choice(
    catalog: Iterable[Misconception], student: object
) -> tuple[Misconception, ...]:
    """The mistakes whose option (``variant()``) the student chose."""
    if not isinstance(student, str):
        return ()
    return tuple(m for m in catalog if normalize_choice(student) == normalize_choice(m.variant()))


def name_mistakes(
    result: CheckResult, subject: str, found: Sequence[Misconception], extra: str = ""
) -> CheckResult:
    """``result`` with the recognised mistakes (and ``extra``) in front of its message."""
    if result.passed or not (found or extra):
        return result
    level = current_level()
    sentences = [f"{subject} matches a known mistake, {m.sentence(level)}." for m in found]
    if len(sentences) > 1:
        sentences = ["It could be one of these known mistakes.", *sentences]
    lead = " ".join([*sentences, extra]).strip()
    return replace(
        result,
        message=f"{lead} Details: {result.message}",
        mistakes=tuple(m.name for m in found),
    )


def _numeric_array(value: object) -> np.ndarray[Any, np.dtype[np.float64]] | None:
    if value is None or isinstance(value, (str, bytes)):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # whatever numpy thinks of a student's object
            array = np.asarray(value)
            if array.dtype.kind not in "fiu":
                return None
            return np.asarray(array, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        return None
