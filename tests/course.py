"""The course's own modules (``solutions/<name>/*.py``), loaded as grading loads them."""

from __future__ import annotations

import types
from pathlib import Path

from autograder.course import course_modules

ROOT = Path(__file__).resolve().parents[1]


def course(assignment: str, module: str) -> types.ModuleType:
    """``solutions/<assignment>/<module>.py``, imported once by the course loader."""
    return course_modules(ROOT / "solutions" / assignment).load(module)
