"""How the grader reads otter's test files: parts, points, the names a case needs."""

from __future__ import annotations

from pathlib import Path

from autograder.grading.spec import free_names, part_name, read_test_file

HIDDEN_CASE = """\
>>> from autograder.hidden import disc06 as hidden
>>> hidden.lstm_backward(lstm_step_forward, lstm_step_backward, part="dx")
"""


def test_part_name_comes_from_the_part_keyword() -> None:
    assert part_name(HIDDEN_CASE) == "dx"


def test_case_without_part_keyword_has_no_part_name() -> None:
    assert part_name(">>> assert f(1) == 2\n") == ""


def test_free_names_are_the_student_names_the_case_reads() -> None:
    assert free_names(HIDDEN_CASE) == ["lstm_step_forward", "lstm_step_backward"]


def test_free_names_skip_builtins_and_names_bound_in_the_case() -> None:
    source = ">>> import numpy as np\n>>> y = np.abs(sigmoid(np.zeros(3)))\n>>> len(y) == 3\nTrue\n"
    assert free_names(source) == ["sigmoid"]


def test_points_and_parts_resolved_like_otter(tmp_path: Path) -> None:
    cases = [
        {"code": ">>> assert True\n", "hidden": False, "points": 0},
        {"code": '>>> h.check(f, part="a")\n', "hidden": True, "points": 1},
        {"code": '>>> h.check(f, part="b")\n', "hidden": True, "points": 2},
    ]
    spec = {"name": "q9", "points": 3, "suites": [{"cases": cases, "type": "doctest"}]}
    path = tmp_path / "q9.py"
    path.write_text(f"test = {spec!r}\n")
    question = read_test_file(path)
    assert question.points == 3
    assert [(c.label, c.points, c.hidden) for c in question.graded_cases] == [
        ("q9: a", 1.0, True),
        ("q9: b", 2.0, True),
    ]


def test_single_credit_is_reported_under_the_question_name(tmp_path: Path) -> None:
    cases = [
        {"code": ">>> assert True\n", "hidden": False, "points": 0},
        {"code": '>>> h.check(f, part="only")\n', "hidden": True, "points": 2},
    ]
    spec = {"name": "q1b", "points": 2, "suites": [{"cases": cases, "type": "doctest"}]}
    path = tmp_path / "q1b.py"
    path.write_text(f"test = {spec!r}\n")
    assert [c.label for c in read_test_file(path).graded_cases] == ["q1b"]
