"""The course's own modules (``solutions/<name>/*.py``), loaded as grading loads them."""

from __future__ import annotations

import functools
import types
from pathlib import Path

from autograder.course import course_modules
from autograder.project import Project

ROOT = Path(__file__).resolve().parents[1]


def course(assignment: str, module: str) -> types.ModuleType:
    """``solutions/<assignment>/<module>.py``, imported once by the course loader."""
    return course_modules(ROOT / "solutions" / assignment).load(module)


@functools.cache
def repo_project() -> Project:
    """The repository itself, built (without the slow validity step) if its dist/ lacks the
    derived examples: several fast tests read them."""
    project = Project(ROOT)
    if any(not project.files(n).examples_dir.is_dir() for n in project.assignment_names()):
        from autograder.assemble import build

        build(project, None)
    return project


def example(assignment: str, stem: str) -> Path:
    """A derived (``solution``, ``blank``, ``mistake-<name>``) or hand-made example."""
    return repo_project().example(assignment, stem)
