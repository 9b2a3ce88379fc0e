"""Build: master notebook (``solutions/<name>.ipynb``) -> student notebook
(``assignments/<name>/``) + autograders (``dist/<name>/``).

The steps, in order, are listed in ``autograder.build.pipeline.STEPS``.
"""

from autograder.build.context import GradeFunction, GraderFactory, Scores
from autograder.build.manifest import Manifest
from autograder.build.pipeline import STEPS, AssignmentBuild, BuildReport, Step, build
from autograder.build.validity import check_validity, otter_grader

__all__ = [
    "STEPS",
    "AssignmentBuild",
    "BuildReport",
    "GradeFunction",
    "GraderFactory",
    "Manifest",
    "Scores",
    "Step",
    "build",
    "check_validity",
    "otter_grader",
]
