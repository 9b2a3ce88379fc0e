"""The validity guard, with fake grade functions (the real grader plugs in the same way)."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.assemble import Manifest, Scores, check_validity
from autograder.assemble.manifest import Part, QuestionEntry
from autograder.errors import BuildError

SOLUTION, STUDENT = Path("dist/toy/toy.ipynb"), Path("assignments/toy/toy.ipynb")

MANIFEST = Manifest(
    "toy",
    (
        QuestionEntry("q1", 2, False, (Part("a", 1, True), Part("b", 1, True))),
        QuestionEntry("q2", 1, False, (Part("value", 1, True),)),
        QuestionEntry("q3", 1, True, ()),
    ),
)


def grader(solution: Scores, student: Scores) -> object:
    def grade(notebook: Path) -> Scores:
        return {SOLUTION: solution, STUDENT: student}[notebook]

    return grade


def check(solution: Scores, student: Scores) -> None:
    check_validity(
        MANIFEST,
        solution=SOLUTION,
        student=STUDENT,
        grade=grader(solution, student),  # type: ignore[arg-type]
        master="solutions/toy.ipynb",
    )


FULL: Scores = {"q1": (2, 2), "q2": (1, 1)}
ZERO: Scores = {"q1": (0, 2), "q2": (0, 1)}


def test_full_marks_for_the_solution_and_zero_for_the_blank_notebook_pass() -> None:
    check(FULL, ZERO)


def test_manual_questions_are_not_graded() -> None:
    check({**FULL, "q3": (0, 1)}, {**ZERO, "q3": (1, 1)})


def test_a_solution_short_of_full_marks_is_named() -> None:
    with pytest.raises(BuildError) as raised:
        check({"q1": (1, 2), "q2": (1, 1)}, ZERO)
    message = str(raised.value)
    assert "question q1: the solution notebook scores 1/2" in message
    assert "q2" not in message.split("\n", 1)[1]


def test_a_blank_notebook_earning_points_is_named() -> None:
    with pytest.raises(BuildError, match=r"question q2: the blank student notebook scores 1/1"):
        check(FULL, {"q1": (0, 2), "q2": (1, 1)})


def test_a_question_the_grader_does_not_report_is_named() -> None:
    with pytest.raises(BuildError, match="question q2: the grader reports no score for the sol"):
        check({"q1": (2, 2)}, ZERO)


def test_a_grader_disagreeing_on_points_is_named() -> None:
    with pytest.raises(BuildError, match="question q1: the grader says it is worth 3 points"):
        check({"q1": (3, 3), "q2": (1, 1)}, {"q1": (0, 3), "q2": (0, 1)})


def test_every_problem_is_listed_at_once() -> None:
    with pytest.raises(BuildError) as raised:
        check({"q1": (0, 2), "q2": (0, 1)}, {"q1": (2, 2), "q2": (1, 1)})
    assert str(raised.value).count("  - question") == 4
