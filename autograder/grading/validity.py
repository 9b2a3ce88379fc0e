"""Our grader as the build's validity guard, using a freshly built ``dist/<name>/``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from autograder.grading.batch import grade_safely
from autograder.grading.grade import GradingOptions
from autograder.grading.spec import load_spec_from


def sandbox_grader(dist_dir: Path) -> Callable[[Path], Mapping[str, tuple[float, float]]]:
    """A grade function ``notebook -> {question: (score, max)}`` using the tests in ``dist_dir``."""
    spec = load_spec_from(dist_dir / "tests", dist_dir / "manifest.json")
    maxima = {question.name: question.points for question in spec.questions}

    def grade(notebook: Path) -> Mapping[str, tuple[float, float]]:
        scores = grade_safely(spec, notebook, GradingOptions()).question_scores()
        return {name: (scores.get(name, 0.0), top) for name, top in maxima.items()}

    return grade
