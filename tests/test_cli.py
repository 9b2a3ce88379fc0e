"""The command line: exit status and messages for the instructor's own mistakes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from autograder.cli import main
from autograder.project import Project

REPO = Path(__file__).resolve().parents[1]


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("build", "grade", "demo"):
        assert command in out


def test_unknown_assignment_is_an_error_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    submission = tmp_path / "s.ipynb"
    submission.write_text("{}")
    args = ["grade", "disc99", str(submission), "--out", str(tmp_path / "out")]
    assert main([*args, "--root", str(REPO)]) == 1
    err = capsys.readouterr().err
    assert "disc99" in err
    assert "disc05" in err  # and says which assignments exist


def test_build_of_unknown_assignment_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "disc99", "--root", str(REPO)]) == 1
    assert "disc99" in capsys.readouterr().err


def test_outside_a_course_repository_says_where_to_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["build"]) == 1
    assert "solutions/" in capsys.readouterr().err


@pytest.mark.slow
def test_missing_submission_is_an_error(
    built_project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["grade", "disc06", str(tmp_path / "nope.ipynb"), "--out", str(tmp_path / "out")]
    assert main([*args, "--root", str(built_project.root)]) == 1
    assert "nope.ipynb" in capsys.readouterr().err


@pytest.mark.slow
def test_unwritable_output_directory_is_an_error(
    built_project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    submission = built_project.examples_dir / "disc06" / "blank.ipynb"
    args = ["grade", "disc06", str(submission), "--out", str(blocker / "out")]
    assert main([*args, "--root", str(built_project.root)]) == 1
    assert "output directory" in capsys.readouterr().err


@pytest.mark.slow
def test_a_zero_is_still_success(built_project: Project, tmp_path: Path) -> None:
    submission = built_project.examples_dir / "disc06" / "blank.ipynb"
    args = ["grade", "disc06", str(submission), "--out", str(tmp_path / "out")]
    assert main([*args, "--root", str(built_project.root)]) == 0
    assert (tmp_path / "out" / "blank.json").is_file()
    assert (tmp_path / "out" / "scores.csv").is_file()


@pytest.mark.slow
def test_grading_an_unbuilt_assignment_says_to_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(REPO / "solutions", tmp_path / "solutions")
    submission = REPO / "examples" / "disc06" / "blank.ipynb"
    args = ["grade", "disc06", str(submission), "--out", str(tmp_path / "out")]
    assert main([*args, "--root", str(tmp_path)]) == 1
    assert "autograder build disc06" in capsys.readouterr().err


@pytest.mark.slow
def test_check_passes_on_the_committed_assignments() -> None:
    assert main(["build", "--check", "--root", str(REPO)]) == 0


@pytest.mark.slow
def test_check_fails_after_an_unbuilt_master_edit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for folder in ("solutions", "assignments"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    master = tmp_path / "solutions" / "disc06.ipynb"
    master.write_text(master.read_text().replace("one LSTM step", "a single LSTM step", 1))
    assert main(["build", "--check", "--root", str(tmp_path)]) == 1
    assert "assignments/disc06/disc06.ipynb" in capsys.readouterr().err


@pytest.mark.slow
def test_a_hidden_test_that_passes_a_blank_notebook_fails_the_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(REPO / "solutions", tmp_path / "solutions")
    master = tmp_path / "solutions" / "disc06.ipynb"
    text = master.read_text()
    broken = 'hidden.ridge_prior(\\"gaussian\\", part=\\"ridge_prior\\")'
    assert 'hidden.ridge_prior(ridge_prior, part=\\"ridge_prior\\")' in text
    master.write_text(
        text.replace('hidden.ridge_prior(ridge_prior, part=\\"ridge_prior\\")', broken)
    )
    assert main(["build", "disc06", "--root", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "q1a" in err
    assert "blank student notebook" in err
    assert not (tmp_path / "assignments" / "disc06").exists()  # nothing half-built is published
