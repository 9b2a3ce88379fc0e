"""`validate` on the real assignments' built tests, and on a copy with one part removed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from autograder.cli import main
from autograder.grading.spec import part_name
from autograder.project import AssignmentFiles, Project
from autograder.validate import ValidateOptions, validate


def weaken(dist: Path, question: str, part: str) -> None:
    """Remove the hidden case with ``part="<part>"`` from ``tests/<question>.py`` (and the
    manifest, which names each case's credit)."""
    import json
    import pprint

    manifest_path = dist / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    for entry in manifest["questions"]:
        if entry["name"] == question:
            entry["parts"] = [p for p in entry["parts"] if p["part"] != part]
    manifest_path.write_text(json.dumps(manifest))

    path = dist / "tests" / f"{question}.py"
    namespace: dict[str, object] = {}
    exec(path.read_text(), namespace)
    test = namespace["test"]
    assert isinstance(test, dict)
    cases = test["suites"][0]["cases"]
    kept = [case for case in cases if part_name(case["code"]) != part]
    assert len(kept) == len(cases) - 1
    test["suites"][0]["cases"] = kept
    path.write_text(f"OK_FORMAT = True\n\ntest = {pprint.pformat(test)}\n")


@pytest.mark.slow
def test_a_removed_part_lets_mutants_survive_and_names_the_question(
    built_project: Project, tmp_path: Path
) -> None:
    files = built_project.files("disc05")
    weak = AssignmentFiles("disc05", files.student_dir, tmp_path / "disc05")
    shutil.copytree(files.dist_dir, weak.dist_dir)
    weaken(weak.dist_dir, "q2a", "tikhonov_gamma")
    options = ValidateOptions(questions=("q2a",), stability_seeds=0)

    report = validate(built_project, "disc05", options, files=weak)

    (question,) = report.questions
    assert question.name == "q2a" and not question.passed
    assert question.survivors
    assert all("np.linalg.norm(X, axis=0)" in r.mutant.diff for r in question.survivors)
    (problem,) = report.problems()
    assert problem.startswith("disc05 question q2a: its hidden tests kill")
    assert "below its bar of 95%" in problem


@pytest.mark.slow
def test_the_full_tests_kill_the_same_mutants(built_project: Project) -> None:
    options = ValidateOptions(questions=("q2a",), stability_seeds=0)
    report = validate(built_project, "disc05", options)
    (question,) = report.questions
    assert question.passed and question.score == 1.0, [r.mutant.diff for r in question.survivors]


@pytest.mark.slow
def test_cli_validate_reports_the_table_and_exits_zero(
    built_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(built_project.root)
    assert main(["validate", "disc05", "--sample", "3", "--seeds", "2", "--root", root]) == 0
    out = capsys.readouterr().out
    assert "q1c" in out and "killed" in out
    examples = len(built_project.example_notebooks("disc05"))
    assert f"stability: {examples} submissions x 2 seeds, 0 flip(s)" in out


def test_cli_validate_names_an_unknown_assignment(
    built_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "disc99", "--root", str(built_project.root)]) == 1
    assert "unknown assignment 'disc99'" in capsys.readouterr().err


@pytest.mark.slow
def test_a_verdict_that_depends_on_the_draw_is_reported_as_a_flip(
    built_project: Project, tmp_path: Path
) -> None:
    from autograder.assemble.files import write_notebook
    from autograder.assemble.master import read_master
    from autograder.validate.grading import ValidationGrader
    from autograder.validate.notebooks import load_notebooks
    from autograder.validate.validation import find_flips

    files = built_project.files("disc05")
    notebooks = load_notebooks(files, read_master(built_project.master("disc05"), "disc05"))
    # wrong only when the drawn X0 starts above 0.82: about half of the seeds catch it
    lucky = (
        "def residual_block(X0, W1, W2):\n"
        "    return X0 + W2 @ np.maximum(W1 @ X0, 0) + (X0[0] > 0.82)\n"
    )
    path = tmp_path / "lucky.ipynb"
    write_notebook(notebooks.submission({"q1b-solution": lucky}), path)
    with ValidationGrader(files.tests_dir, files.manifest, workers=2) as grader:
        flips = find_flips(grader, [path], range(20))
    (flip,) = flips
    assert flip.submission == "lucky.ipynb" and flip.credit == "q1b"
    assert flip.failed_seeds and flip.passed_seeds
    assert sorted(flip.failed_seeds + flip.passed_seeds) == list(range(20))


@pytest.mark.slow
def test_cli_validate_fails_naming_the_weakened_question(
    built_project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = Project(tmp_path / "course")
    for folder in ("solutions", "assignments", "dist", "examples"):
        shutil.copytree(built_project.root / folder, copy.root / folder)
    weaken(copy.dist("disc05"), "q2a", "tikhonov_gamma")
    root = str(copy.root)
    assert main(["validate", "disc05", "-q", "q2a", "--seeds", "0", "--root", root]) == 1
    err = capsys.readouterr().err
    assert "disc05 question q2a: its hidden tests kill" in err
    assert "survive:" in err  # followed by the survivors' diffs


def test_cli_validate_names_an_unknown_question(
    built_project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(built_project.root)
    assert main(["validate", "disc05", "-q", "q9", "--seeds", "0", "--root", root]) == 1
    assert "disc05 has no autograded question q9" in capsys.readouterr().err
