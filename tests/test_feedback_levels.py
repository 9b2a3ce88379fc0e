"""Hint depth as the course's choice: public checks and hidden feedback at each level."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from autograder.assemble.catalog import course_mistakes
from autograder.assemble.lint import lint_master
from autograder.assemble.master import read_master
from autograder.assemble.public_checks import worded
from autograder.cli import main
from autograder.feedback import FEEDBACK_LEVELS, FeedbackLevel
from autograder.project import Project

REPO = Path(__file__).resolve().parents[1]
MASTER = REPO / "solutions" / "disc06" / "disc06.ipynb"

TITLE = "the gradient without the forget gate"
CONCEPT = "the gradient must pass through the forget gate to reach c_prev"
FORMULA = "dc_prev = dc⊙f"


def public_cell(question: str) -> str:
    """The master's public test of ``question``: known mistakes worded at the answer level."""
    nb = nbformat.read(MASTER, as_version=4)
    inside = False
    for cell in nb.cells:
        inside = inside or cell.source.startswith(f"# BEGIN QUESTION\nname: {question}\n")
        if inside and cell.cell_type == "code" and "points: 0" in cell.source:
            return str(cell.source)
    raise LookupError(question)


@pytest.mark.parametrize("level", FEEDBACK_LEVELS)
def test_public_checks_word_the_known_mistakes_at_the_level(level: FeedbackLevel) -> None:
    text = worded(public_cell("q2_backward"), course_mistakes(MASTER.parent), level)
    assert f"'{TITLE}" in text
    assert (CONCEPT in text) == (level != "name")
    assert (FORMULA in text) == (level == "answer")


def test_the_master_words_its_public_checks_at_the_answer_level() -> None:
    text = public_cell("q2_backward")
    assert CONCEPT in text and FORMULA in text  # so that every level can be derived from it


def test_an_unknown_level_is_named_by_lint(tmp_path: Path) -> None:
    nb = nbformat.read(MASTER, as_version=4)
    for cell in nb.cells:
        if cell.source.startswith("# BEGIN QUESTION\nname: q2_backward\n"):
            cell.source += "\nfeedback: everything"
        if cell.source.startswith("# ASSIGNMENT CONFIG"):
            cell.source += "\nfeedback: answer"
    nbformat.write(nb, tmp_path / "disc06.ipynb")
    problems = list(lint_master(read_master(tmp_path / "disc06.ipynb", "disc06.ipynb"), "disc06"))
    assert len(problems) == 1, problems
    assert "question q2_backward" in problems[0]
    assert "'everything' is not a feedback level" in problems[0]


@pytest.mark.slow
def test_a_course_sets_the_level_per_assignment_and_question(tmp_path: Path) -> None:
    root = tmp_path / "course"
    shutil.copytree(REPO / "solutions" / "disc06", root / "solutions" / "disc06")
    master = root / "solutions" / "disc06" / "disc06.ipynb"
    nb = nbformat.read(master, as_version=4)
    for cell in nb.cells:
        if cell.source.startswith("# ASSIGNMENT CONFIG"):
            cell.source += "\nfeedback: name"
        if cell.source.startswith("# BEGIN QUESTION\nname: q2_backward\n"):
            cell.source += "\nfeedback: answer"
    nbformat.write(nb, master)
    assert main(["build", "disc06", "--root", str(root)]) == 0
    project = Project(root)

    manifest = json.loads(project.files("disc06").manifest.read_text())
    levels = {q["name"]: q["feedback"] for q in manifest["questions"]}
    assert levels["q2_backward"] == "answer" and levels["q1a"] == "name"
    backward = (project.assignments_dir / "disc06" / "tests" / "q2_backward.py").read_text()
    assert CONCEPT in backward and FORMULA in backward
    forward = (project.assignments_dir / "disc06" / "tests" / "q2_forward.py").read_text()
    assert "'h = o⊙c, without the tanh of the cell state'" in forward  # the name alone

    laplace = nbformat.read(project.example("disc06", "solution"), as_version=4)
    for cell in laplace.cells:
        cell.source = cell.source.replace('ridge_prior = "gaussian"', 'ridge_prior = "laplace"')
        cell.source = cell.source.replace("dc_prev = dc * f", "dc_prev = dc")
    nbformat.write(laplace, tmp_path / "wrong.ipynb")
    out = tmp_path / "graded"
    args = ["grade", "disc06", str(tmp_path / "wrong.ipynb"), "--out", str(out)]
    assert main([*args, "--root", str(root)]) == 0
    tests = {t["name"]: t["output"] for t in json.loads((out / "wrong.json").read_text())["tests"]}
    assert tests["q1a: ridge_prior"].startswith(
        "ridge_prior matches a known mistake, the Laplace prior. Details:"
    ), tests["q1a: ridge_prior"]
    assert CONCEPT in tests["q2_backward: dc_prev"] and FORMULA in tests["q2_backward: dc_prev"]
