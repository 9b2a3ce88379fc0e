"""Which uploaded file run_autograder grades, and what it tells the student."""

from __future__ import annotations

import os
from pathlib import Path

from autograder.uploads import pick_submission


def touch(path: Path, mtime: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{}")
    os.utime(path, (mtime, mtime))
    return path


def test_a_single_notebook_is_graded_without_a_note(tmp_path: Path) -> None:
    notebook = touch(tmp_path / "my work.ipynb", 1)
    touch(tmp_path / "notes.txt", 2)
    assert pick_submission(tmp_path, "disc06") == (notebook, "")


def test_the_notebook_named_for_the_assignment_wins(tmp_path: Path) -> None:
    touch(tmp_path / "scratch.ipynb", 5)
    named = touch(tmp_path / "disc06.ipynb", 1)
    chosen, note = pick_submission(tmp_path, "disc06")
    assert chosen == named
    assert "disc06.ipynb" in note and "scratch.ipynb" in note


def test_otherwise_the_most_recent_notebook_is_graded_and_said(tmp_path: Path) -> None:
    touch(tmp_path / "old.ipynb", 1)
    new = touch(tmp_path / "sub" / "new.ipynb", 9)
    chosen, note = pick_submission(tmp_path, "disc06")
    assert chosen == new
    assert "most recently modified" in note


def test_checkpoints_are_not_submissions(tmp_path: Path) -> None:
    touch(tmp_path / ".ipynb_checkpoints" / "disc06-checkpoint.ipynb", 9)
    real = touch(tmp_path / "answers.ipynb", 1)
    assert pick_submission(tmp_path, "disc06") == (real, "")


def test_no_notebook_names_what_was_uploaded(tmp_path: Path) -> None:
    touch(tmp_path / "disc06.pdf", 1)
    chosen, note = pick_submission(tmp_path, "disc06")
    assert chosen is None
    assert "disc06.pdf" in note and "Upload your disc06.ipynb" in note
