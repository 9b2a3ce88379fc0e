"""What the build steps share: the master, and where the staged output goes.

Every step writes under ``work`` (a temporary directory); only ``publish``
touches the project, so a failed step never leaves half a build behind.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from autograder.assemble.master import MasterNotebook
from autograder.project import AssignmentFiles, Project


class QuestionScore(NamedTuple):
    score: float
    max_score: float
    #: Why credit was lost (``"q1: part: message"``), when the grader can say.
    failures: tuple[str, ...] = ()


Scores = Mapping[str, QuestionScore | tuple[float, float]]
"""question -> (score, max score[, failures]), as a grader reports a notebook."""

GradeFunction = Callable[[Path], Scores]
"""Grades one notebook."""

GraderFactory = Callable[[Path], GradeFunction]
"""Given a built ``dist/<name>/`` directory (manifest.json, tests/, zips), a grade function."""


@dataclass
class BuildContext:
    project: Project
    name: str
    master: MasterNotebook
    work: Path
    check: bool = False
    grader: GraderFactory | None = None
    #: What ``otter assign`` reads: the master, or a staged copy with its course modules listed.
    otter_master: Path | None = None

    @property
    def otter_dir(self) -> Path:
        """otter assign's own output: ``autograder/`` and ``student/``."""
        return self.work / "otter"

    @property
    def otter_autograder_dir(self) -> Path:
        return self.otter_dir / "autograder"

    @property
    def otter_student_dir(self) -> Path:
        return self.otter_dir / "student"

    @property
    def student_dir(self) -> Path:
        """Staged ``assignments/<name>/``."""
        return self.work / "assignments" / self.name

    @property
    def dist_dir(self) -> Path:
        """Staged ``dist/<name>/``."""
        return self.work / "dist" / self.name

    @property
    def staged(self) -> AssignmentFiles:
        """The assignment's files as this build stages them, before publishing."""
        return AssignmentFiles(self.name, self.student_dir, self.dist_dir)

    @property
    def wheel_cache(self) -> Path:
        return self.project.dist_dir / ".cache"
