"""Grading what students and Gradescope deliver, end to end through ``autograder grade``.

The otter export zip (conftest's ``otter_export_zip``) is made the way a student makes it.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from autograder.cli import main
from autograder.project import Project

pytestmark = pytest.mark.slow

METADATA = """\
submission_7001:
  :submitters:
  - :name: Ada Lovelace
    :sid: '3031'
    :email: ada@example.edu
  :created_at: 2024-02-01 10:00:00.000000000 -08:00
submission_7002:
  :submitters:
  - :name: Alan Turing
    :sid: '3032'
    :email: alan@example.edu
submission_7003:
  :submitters:
  - :name: Grace Hopper
    :sid: '3033'
    :email: grace@example.edu
"""


def grade(built_project: Project, assignment: str, out: Path, *paths: Path) -> int:
    args = ["grade", assignment, *map(str, paths), "--out", str(out), "-j", "1"]
    return main([*args, "--root", str(built_project.root)])


def results(out: Path, stem: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((out / f"{stem}.json").read_text())
    return loaded


def test_otters_otter_export_zip_of_the_solution_gets_full_marks(
    built_project: Project, otter_export_zip: Path, tmp_path: Path
) -> None:
    assert grade(built_project, "disc06", tmp_path / "out", otter_export_zip) == 0
    graded = results(tmp_path / "out", otter_export_zip.stem)
    assert graded["score"] == 13
    written = [t for t in graded["tests"] if t.get("extra_data", {}).get("manual")]
    assert [t["name"] for t in written] == [
        "q1a_written: written answer",
        "q2_written: written answer",
    ]
    assert all("Your answer:" in t["output"] and "status" not in t for t in written)
    assert (tmp_path / "out" / "written" / f"{otter_export_zip.stem}.html").is_file()


def test_a_gradescope_export_folder_is_graded_with_the_students_names(
    built_project: Project, otter_export_zip: Path, tmp_path: Path
) -> None:
    export = tmp_path / "assignment_99_export"
    solution = built_project.example("disc06", "solution")
    for number, source in ((7001, solution), (7002, otter_export_zip)):
        (export / f"submission_{number}").mkdir(parents=True)
        shutil.copy(source, export / f"submission_{number}" / source.name)
    (export / "submission_7003").mkdir()
    shutil.copy(
        built_project.example("disc06", "blank"), export / "submission_7003" / "disc06.ipynb"
    )
    (export / "submission_metadata.yml").write_text(METADATA)
    out = tmp_path / "out"
    assert grade(built_project, "disc06", out, export) == 0
    rows = list(csv.DictReader(io.StringIO((out / "scores.csv").read_text())))
    assert [(r["file"], r["name"], r["email"], r["sid"], r["total"]) for r in rows] == [
        ("submission_7001", "Ada Lovelace", "ada@example.edu", "3031", "13"),
        ("submission_7002", "Alan Turing", "alan@example.edu", "3032", "13"),
        ("submission_7003", "Grace Hopper", "grace@example.edu", "3033", "0"),
    ]
    blank = [t for t in results(out, "submission_7003")["tests"] if "written" in t["name"]]
    assert all("Unanswered" in t["output"] for t in blank)
    pages = sorted(p.stem for p in (out / "written").glob("*.html"))
    assert pages == ["submission_7001", "submission_7002", "submission_7003"]


def test_a_notebook_for_another_assignment_is_graded_with_a_warning(
    built_project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notebook = built_project.example("disc06", "solution")
    assert grade(built_project, "disc05", tmp_path / "out", notebook) == 0
    graded = results(tmp_path / "out", "solution")
    assert graded["output"].startswith("Warning: this notebook is for disc06, but it was graded")
    assert graded["extra_data"]["notebook_assignment"] == "disc06"
    said = " ".join(capsys.readouterr().err.split())
    assert "warning: 1 notebook names another assignment than disc05" in said
    assert "solution (disc06)" in said


def test_the_right_assignment_has_no_warning(built_project: Project, tmp_path: Path) -> None:
    notebook = built_project.example("disc06", "solution")
    assert grade(built_project, "disc06", tmp_path / "out", notebook) == 0
    graded = results(tmp_path / "out", "solution")
    assert "Warning" not in graded["output"]
    assert "notebook_assignment" not in graded["extra_data"]
