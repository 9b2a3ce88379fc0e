"""What we are given to grade: notebooks, zips holding one, folders, Gradescope's export.

One small case per shape of upload and per way it goes wrong; nothing here grades (the
slow tests in test_uploads_grading.py grade real uploads end to end).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from autograder import uploads
from autograder.errors import GradingSetupError
from autograder.grading.results import SubmissionResult, scores_csv
from autograder.grading.spec import AssignmentSpec
from autograder.grading.submission import read_submission
from autograder.uploads import (
    SubmissionProblem,
    Submitter,
    find_uploads,
    read_metadata,
    read_upload,
)

NOTEBOOK = json.dumps(
    {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"otter": {"assignment_name": "disc06"}},
        "cells": [{"cell_type": "code", "source": "x = 1", "metadata": {}, "outputs": []}],
    }
).encode()

# As Gradescope writes it: Ruby symbols as keys, a group of two, a timestamp, a Ruby tag.
METADATA = """\
submission_101:
  :submitters:
  - :name: Ada Lovelace
    :sid: '3031'
    :email: ada@example.edu
  :created_at: 2024-02-01 10:00:00.000000000 -08:00
  :score: 13.0
submission_102:
  :submitters:
  - :name: Alan Turing
    :sid: '3032'
    :email: alan@example.edu
  - :name: Grace Hopper
    :sid: 3033
    :email: grace@example.edu
  :score: !ruby/object:BigDecimal 18:0.0
"""


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def write(path: Path, data: bytes = NOTEBOOK) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_otters_export_zip_gives_its_notebook(tmp_path: Path) -> None:
    archive = make_zip(
        tmp_path / "disc06_2024_02_01.zip",
        {"disc06.ipynb": NOTEBOOK, ".OTTER_LOG": b"\x80log", "__zip_filename__": b"x"},
    )
    notebook = read_upload(archive, "disc06")
    assert (notebook.name, notebook.data, notebook.note) == (
        "disc06.ipynb in disc06_2024_02_01.zip",
        NOTEBOOK,
        "",
    )
    submission = read_submission(archive, "disc06")
    assert submission.code_cells == ("x = 1",)
    assert submission.assignment_name == "disc06"


def test_a_zip_without_a_notebook_says_so_and_what_to_submit(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "work.zip", {"answers.pdf": b"%PDF", "__MACOSX/._x.ipynb": b""})
    with pytest.raises(SubmissionProblem) as problem:
        read_upload(archive, "disc06")
    message = str(problem.value)
    assert "work.zip holds no Jupyter notebook" in message
    assert "answers.pdf" in message and "submit your disc06.ipynb" in message


def test_of_two_notebooks_in_a_zip_the_assignments_is_graded_and_said(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "work.zip", {"scratch.ipynb": b"{}", "hw/disc06.ipynb": NOTEBOOK})
    notebook = read_upload(archive, "disc06")
    assert notebook.data == NOTEBOOK
    assert "graded hw/disc06.ipynb" in notebook.note and "scratch.ipynb" in notebook.note


def test_two_notebooks_neither_named_for_the_assignment_are_named_back(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "work.zip", {"a.ipynb": NOTEBOOK, "b.ipynb": NOTEBOOK})
    with pytest.raises(SubmissionProblem, match=r"several notebooks \(a.ipynb, b.ipynb\)"):
        read_upload(archive, "disc06")


def test_a_huge_member_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(uploads, "MAX_NOTEBOOK_BYTES", 1000)
    archive = make_zip(tmp_path / "bomb.zip", {"disc06.ipynb": b" " * 100_000})
    assert archive.stat().st_size < 1000  # compressed, it looks harmless
    with pytest.raises(SubmissionProblem, match=r"disc06\.ipynb in bomb\.zip is 0 MiB, over the"):
        read_upload(archive, "disc06")


def test_a_member_whose_header_lies_about_its_size_is_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = make_zip(tmp_path / "liar.zip", {"disc06.ipynb": b" " * 5000})
    real_open = zipfile.ZipFile.open

    def claim_small(self: zipfile.ZipFile, name: object, *args: object, **kw: object) -> object:
        if isinstance(name, zipfile.ZipInfo):
            name.file_size = 10  # what the header says; the data is longer
        return real_open(self, name, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(uploads, "MAX_NOTEBOOK_BYTES", 1000)
    monkeypatch.setattr(zipfile.ZipFile, "open", claim_small)
    with pytest.raises(SubmissionProblem):  # zipfile's own check, or our cap on what is read
        read_upload(archive, "disc06")


def test_a_member_named_to_escape_the_folder_is_read_in_memory_only(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "deep" / "evil.zip", {"../../escaped.ipynb": NOTEBOOK})
    notebook = read_upload(archive, "disc06")
    assert notebook.name == "escaped.ipynb in evil.zip"
    assert not list(tmp_path.rglob("escaped.ipynb"))


def test_a_damaged_zip_is_a_message(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "cut.zip", {"disc06.ipynb": NOTEBOOK})
    archive.write_bytes(archive.read_bytes()[:-30])  # the central directory is cut off
    with pytest.raises(SubmissionProblem, match=r"cut\.zip"):
        read_submission(archive, "disc06")


def test_a_gradescope_export_is_one_upload_per_folder_with_its_students(tmp_path: Path) -> None:
    export = tmp_path / "assignment_42_export"
    write(export / "submission_101" / "disc06.ipynb")
    make_zip(export / "submission_102" / "disc06_2024.zip", {"disc06.ipynb": NOTEBOOK})
    write(export / "submission_103" / "notes.txt", b"no notebook")
    (export / "submission_metadata.yml").write_text(METADATA)
    found = find_uploads([tmp_path])
    assert [(u.path, u.stem) for u in found] == [
        (export / f"submission_{n}", f"submission_{n}") for n in (101, 102, 103)
    ]
    assert found[0].submitters == (Submitter("Ada Lovelace", "ada@example.edu", "3031"),)
    assert [s.sid for s in found[1].submitters] == ["3032", "3033"]
    assert found[2].submitters == ()
    assert read_upload(found[1].path, "disc06").data == NOTEBOOK
    with pytest.raises(SubmissionProblem, match=r"No Jupyter notebook .* notes\.txt"):
        read_upload(found[2].path, "disc06")


def test_a_folder_of_notebooks_is_searched_and_stems_made_unique(tmp_path: Path) -> None:
    write(tmp_path / "subs" / "alice" / "disc06.ipynb")
    write(tmp_path / "subs" / "bob" / "disc06.ipynb")
    write(tmp_path / "subs" / "carol.ipynb")
    write(tmp_path / "subs" / ".ipynb_checkpoints" / "carol-checkpoint.ipynb")
    found = find_uploads([tmp_path / "subs"])
    assert [u.stem for u in found] == ["alice_disc06", "bob_disc06", "carol"]


def test_an_existing_folder_without_submissions_is_not_called_missing(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(GradingSetupError) as problem:
        find_uploads([tmp_path / "empty"])
    assert "not found" not in str(problem.value)
    assert f"no notebook (.ipynb) or zip found in {tmp_path / 'empty'}" in str(problem.value)


def test_a_missing_path_is_named(tmp_path: Path) -> None:
    with pytest.raises(GradingSetupError, match=r"submission not found: .*nothing\.ipynb"):
        find_uploads([tmp_path / "nothing.ipynb"])


def test_the_same_file_twice_is_an_instructor_error(tmp_path: Path) -> None:
    notebook = write(tmp_path / "a.ipynb")
    with pytest.raises(GradingSetupError, match="given twice"):
        find_uploads([notebook, notebook])


def test_metadata_that_is_not_gradescopes_is_named(tmp_path: Path) -> None:
    (tmp_path / "submission_metadata.yml").write_text("- just\n- a list\n")
    with pytest.raises(GradingSetupError, match=r"submission_metadata\.yml is not"):
        read_metadata(tmp_path / "submission_metadata.yml")


def test_scores_csv_carries_the_students_names_emails_and_sids() -> None:
    spec = AssignmentSpec("disc06", (), Path("tests"))
    results = [SubmissionResult("submission_101", []), SubmissionResult("submission_102", [])]
    people = [
        (Submitter("Ada Lovelace", "ada@example.edu", "3031"),),
        (Submitter("Alan Turing", "a@x", "1"), Submitter("Grace Hopper", "g@x", "2")),
    ]
    assert scores_csv(spec, results, people).splitlines() == [
        "file,name,email,sid,total,max",
        "submission_101,Ada Lovelace,ada@example.edu,3031,0,0",
        "submission_102,Alan Turing; Grace Hopper,a@x; g@x,1; 2,0,0",
    ]
    assert scores_csv(spec, results).splitlines()[0] == "file,total,max"
