"""The course's known mistakes: every ``Misconception`` its modules define, found by value.

A catalog is plain data in any course module (``solutions/<name>/mistakes.py``
by convention), kept in module variables, dicts, lists or tuples. The build
reads it to derive an example submission per mistake and to word the public
checks' messages at the course's feedback level.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from autograder.course import course_modules
from autograder.hidden.mistakes import Misconception


def course_mistakes(directory: Path | None) -> list[Misconception]:
    """Every ``Misconception`` of the course modules in ``directory``, once per name."""
    loader = course_modules(directory)  # the files as they are now, loaded once per version
    found: dict[str, Misconception] = {}
    for name in loader.files:
        for value in _values(vars(loader.load(name)), depth=3):
            if isinstance(value, Misconception):
                found.setdefault(value.name, value)
    return list(found.values())


def _values(value: object, depth: int) -> Iterator[object]:
    yield value
    if depth == 0:
        return
    if isinstance(value, dict):
        items: Sequence[object] = list(value.values())
    elif isinstance(value, (list, tuple)):
        items = value
    else:
        return
    for item in items:
        yield from _values(item, depth - 1)
