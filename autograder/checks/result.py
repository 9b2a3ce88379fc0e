"""The value every check returns, and the exception a hidden test raises."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CheckResult:
    """Outcome of comparing one student answer with its reference.

    ``message`` is written for the student: what is wrong and how far off,
    never the expected value itself. ``error`` is the measured distance
    (norm-relative error, for numeric checks) when there is one; the proof
    tests read it to report margins. ``where`` is the index of the largest
    difference of a wrong array; ``mistakes`` names the known mistakes the
    answer was recognised as (``autograder.hidden.mistakes``).
    """

    passed: bool
    message: str
    score: float = 0.0
    error: float | None = None
    stage: str = ""
    where: tuple[int, ...] | None = None
    mistakes: tuple[str, ...] = ()

    @classmethod
    def ok(cls, message: str = "correct", error: float | None = None) -> CheckResult:
        return cls(passed=True, message=message, score=1.0, error=error, stage="close")

    @classmethod
    def fail(cls, stage: str, message: str, error: float | None = None) -> CheckResult:
        return cls(passed=False, message=message, score=0.0, error=error, stage=stage)

    def __bool__(self) -> bool:
        return self.passed


class CheckFailed(AssertionError):
    """Raised by a hidden test when its check fails; carries the result.

    It subclasses AssertionError so that otter's doctest runner and ours both
    count it as a failed test case, and its text is the student's feedback.
    """

    def __init__(self, result: CheckResult, part: str = "") -> None:
        self.result = result
        self.part = part
        prefix = f"{part}: " if part else ""
        super().__init__(prefix + result.message)
