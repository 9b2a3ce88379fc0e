"""Our grader as the build's validity guard, using a freshly built ``dist/<name>/``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from autograder.assemble.context import QuestionScore
from autograder.grading.grade import GradingOptions
from autograder.grading.job import grade_safely
from autograder.grading.spec import load_spec_from


def sandbox_grader(dist_dir: Path) -> Callable[[Path], Mapping[str, QuestionScore]]:
    """A grade function ``notebook -> {question: (score, max, failures)}`` using the tests in
    ``dist_dir``; the failures name each lost credit with its feedback, and the notebook's
    cell errors, so that a broken test shows its cause."""
    spec = load_spec_from(dist_dir / "tests", dist_dir / "manifest.json")
    maxima = {question.name: question.points for question in spec.questions}

    def grade(notebook: Path) -> Mapping[str, QuestionScore]:
        result = grade_safely(spec, notebook, GradingOptions())
        scores = result.question_scores()
        cells = tuple(f"(the notebook) {message}" for message in result.messages)
        return {
            name: QuestionScore(
                scores.get(name, 0.0),
                top,
                cells
                + tuple(
                    f"{test.name}: {test.output}"
                    for test in result.tests
                    if test.question == name and test.score < test.max_score
                ),
            )
            for name, top in maxima.items()
        }

    return grade
