"""The command line: exit status and messages for the instructor's own mistakes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.cli import main
from autograder.project import Project

REPO = Path(__file__).resolve().parents[1]


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("build", "grade", "demo", "report"):
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
    submission = built_project.example("disc06", "blank")
    args = ["grade", "disc06", str(submission), "--out", str(blocker / "out")]
    assert main([*args, "--root", str(built_project.root)]) == 1
    assert "output directory" in capsys.readouterr().err


@pytest.mark.slow
def test_a_zero_is_still_success(built_project: Project, tmp_path: Path) -> None:
    submission = built_project.example("disc06", "blank")
    args = ["grade", "disc06", str(submission), "--out", str(tmp_path / "out")]
    assert main([*args, "--root", str(built_project.root)]) == 0
    assert (tmp_path / "out" / "blank.json").is_file()
    assert (tmp_path / "out" / "scores.csv").is_file()


@pytest.mark.slow
def test_grading_an_unbuilt_assignment_says_to_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(REPO / "solutions", tmp_path / "solutions")
    submission = REPO / "examples" / "disc06" / "partial.ipynb"
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
    master = tmp_path / "solutions" / "disc06" / "disc06.ipynb"
    master.write_text(master.read_text().replace("one LSTM step", "a single LSTM step", 1))
    assert main(["build", "--check", "--root", str(tmp_path)]) == 1
    assert "assignments/disc06/disc06.ipynb" in capsys.readouterr().err


@pytest.mark.slow
def test_a_hidden_test_that_passes_a_blank_notebook_fails_the_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(REPO / "solutions", tmp_path / "solutions")
    master = tmp_path / "solutions" / "disc06" / "disc06.ipynb"
    text = master.read_text()
    broken = 'helpers.ridge_prior(\\"gaussian\\", part=\\"ridge_prior\\")'
    assert 'helpers.ridge_prior(ridge_prior, part=\\"ridge_prior\\")' in text
    master.write_text(
        text.replace('helpers.ridge_prior(ridge_prior, part=\\"ridge_prior\\")', broken)
    )
    assert main(["build", "disc06", "--root", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "q1a" in err
    assert "blank student notebook" in err
    assert not (tmp_path / "assignments" / "disc06").exists()  # nothing half-built is published


# -- misuse: a usage error exits 2 with the usage line, a mistake exits 1; never a traceback --

AUTOGRADER = Path(sys.executable).with_name("autograder")  # the installed console script


def commands() -> list[str]:
    from autograder.cli import app

    return sorted(
        c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands
    )


MISUSES = [
    pytest.param([], 2, "Usage: autograder", id="no-arguments"),
    pytest.param(["reprot"], 2, "No such command", id="unknown-command"),
    pytest.param(["--colour"], 2, "No such option", id="unknown-top-level-option"),
    pytest.param(["grade"], 2, "Missing argument", id="grade-without-arguments"),
    pytest.param(["grade", "disc06"], 2, "Missing argument", id="grade-without-submissions"),
    pytest.param(["grade", "disc06", "x.ipynb"], 2, "Missing option '--out'", id="grade-no-out"),
    pytest.param(["report"], 2, "Missing argument", id="report-without-folder"),
    pytest.param(["report", "a", "b"], 2, "unexpected extra argument", id="report-two-folders"),
    pytest.param(["demo", "extra"], 2, "unexpected extra argument", id="demo-extra-argument"),
    pytest.param(["build", "--check=yes"], 2, "does not take a value", id="flag-with-value"),
    pytest.param(["validate", "--sample", "many"], 2, "Invalid value", id="validate-bad-number"),
    pytest.param(
        ["grade", "disc06", "x.ipynb", "--out", "o", "-j", "0"],
        2,
        "Invalid value",
        id="grade-zero-jobs",
    ),
    pytest.param(["report", "no/such/folder"], 1, "not a directory", id="report-bad-path"),
    pytest.param(["new"], 2, "Missing argument", id="new-without-a-name"),
    pytest.param(["new", "9lives"], 1, "not a usable assignment name", id="new-bad-name"),
    pytest.param(
        ["new", "disc06", "--root", str(REPO)], 1, "already exists", id="new-existing-assignment"
    ),
    pytest.param(["build", "disc99", "--root", str(REPO)], 1, "disc99", id="unknown-assignment"),
    pytest.param(
        ["grade", "disc99", "x.ipynb", "--out", "o", "--root", str(REPO)],
        1,
        "unknown assignment",
        id="grade-unknown-assignment",
    ),
]


@pytest.mark.parametrize(("args", "status", "says"), MISUSES)
def test_misuse_through_main(
    args: list[str], status: int, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == status
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert says in " ".join(output.split()).replace("│", "")  # rich wraps long lines
    assert "Traceback" not in output
    if status == 2:
        assert "Usage: autograder" in output


@pytest.mark.parametrize("command", commands())
def test_every_command_rejects_an_unknown_option(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([command, "--no-such-option"]) == 2
    captured = capsys.readouterr()
    assert f"Usage: autograder {command}" in captured.out + captured.err
    assert "Traceback" not in captured.out + captured.err


def test_every_command_is_misused_somewhere_above() -> None:
    misused = {p.values[0][0] for p in MISUSES if p.values[0]}
    assert set(commands()) <= misused, "add a misuse of the new command to MISUSES"


@pytest.mark.parametrize(("args", "status", "says"), MISUSES)
def test_misuse_through_the_installed_command(
    args: list[str], status: int, says: str, tmp_path: Path
) -> None:
    run = subprocess.run(
        [str(AUTOGRADER), *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "COLUMNS": "200"},
        timeout=120,
    )
    assert run.returncode == status, run.stdout + run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    assert says in " ".join((run.stdout + run.stderr).split()).replace("│", "")


def test_a_page_that_cannot_be_written_is_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "a.json").write_text('{"tests": []}')
    (folder / "report.html").mkdir()  # the page cannot be written: a directory is in the way
    assert main(["report", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "cannot write the report" in err


def test_a_bug_of_ours_is_one_line_and_exit_1(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Fault injection at the CLI's boundary: whatever a command raises, no traceback."""
    import autograder.class_report

    def broken(*_: object) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(autograder.class_report, "write_report", broken)
    assert main(["report", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "internal error: KeyError: 'boom'" in err
    assert "AUTOGRADER_TRACEBACK=1" in " ".join(err.split())
    monkeypatch.setenv("AUTOGRADER_TRACEBACK", "1")
    with pytest.raises(KeyError):
        main(["report", str(tmp_path)])


@pytest.mark.slow
def test_demo_ends_by_writing_the_class_reports(
    built_project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out), "--root", str(built_project.root)]) == 0
    printed = capsys.readouterr().out
    pages = [out / name / "report.html" for name in built_project.assignment_names()]
    assert all(page.is_file() for page in pages)
    assert printed.rstrip().splitlines()[-len(pages) :] == [f"  {page}" for page in pages]
    assert (out / "disc06" / "written" / "questions" / "q2_written.html").is_file()
