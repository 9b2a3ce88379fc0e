"""Build: master notebook (``solutions/<name>.ipynb``) -> student notebook
(``assignments/<name>/``) + autograders (``dist/<name>/``).

The steps, in order, are listed in ``autograder.assemble.pipeline.STEPS``.
"""

from autograder.assemble.context import GradeFunction, GraderFactory, Scores
from autograder.assemble.manifest import Manifest
from autograder.assemble.pipeline import STEPS, AssignmentBuild, BuildReport, Step, build
from autograder.assemble.validity import check_validity, otter_grader

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
