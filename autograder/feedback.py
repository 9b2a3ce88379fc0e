"""How much the feedback on a recognised mistake gives away: the course's choice.

``name``: only the mistake ("dW matches a known mistake, dW averaged over the
batch."); ``hint`` (the default): and the concept it missed;
``answer``: and the formula. A master sets it for the assignment (``feedback:``
in its ASSIGNMENT CONFIG) and may override it per question (``feedback:`` in the
question's config). Grading words hidden feedback at the question's level, and
the build words the public checks the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Literal

FeedbackLevel = Literal["name", "hint", "answer"]
FEEDBACK_LEVELS: tuple[FeedbackLevel, ...] = ("name", "hint", "answer")
DEFAULT_FEEDBACK: FeedbackLevel = "hint"

_level: ContextVar[FeedbackLevel] = ContextVar("feedback_level", default=DEFAULT_FEEDBACK)


def as_level(value: object) -> FeedbackLevel | None:
    """``value`` as a feedback level, or None if it is not one."""
    return next((level for level in FEEDBACK_LEVELS if level == value), None)


def current_level() -> FeedbackLevel:
    return _level.get()


@contextmanager
def feedback_level(level: FeedbackLevel) -> Iterator[None]:
    """Inside the block, recognised mistakes are worded at ``level``."""
    token = _level.set(level)
    try:
        yield
    finally:
        _level.reset(token)
