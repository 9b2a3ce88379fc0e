"""Building the course's real assignments (solutions/disc05.ipynb, disc06.ipynb)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from build_support import REPO, tree_bytes

from autograder.assemble import build
from autograder.project import Project

pytestmark = pytest.mark.slow

ASSIGNMENTS = ["disc05", "disc06"]


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_a_real_assignment_builds_reproducibly_and_is_in_sync(name: str, tmp_path: Path) -> None:
    master = REPO / "solutions" / name / f"{name}.ipynb"
    if not master.is_file():
        pytest.skip(f"{master} is not written yet")
    (tmp_path / "solutions").mkdir()
    shutil.copytree(master.parent, tmp_path / "solutions" / name)
    project = Project(tmp_path)

    report = build(project, [name])
    (built,) = report.assignments
    print(f"\n{name}: built in {built.seconds:.1f} s", dict(built.step_seconds))
    first = tree_bytes(project.assignments_dir / name)
    build(project, [name])
    assert tree_bytes(project.assignments_dir / name) == first
    build(project, [name], check=True)

    manifest = json.loads(built.manifest.read_text())
    assert manifest["assignment"] == name
    for question in manifest["questions"]:
        hidden = sum(part["points"] for part in question["parts"] if part["hidden"])
        assert question["manual"] or hidden == question["points"], question


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_the_committed_student_notebook_is_in_sync(name: str, tmp_path: Path) -> None:
    committed = REPO / "assignments" / name
    if not (REPO / "solutions" / name / f"{name}.ipynb").is_file() or not committed.is_dir():
        pytest.skip(f"assignments/{name}/ is not committed yet")
    for folder in ("solutions", "assignments"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    build(Project(tmp_path), [name], check=True)
