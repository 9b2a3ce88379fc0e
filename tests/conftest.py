"""Shared fixtures: a built copy of the course repository in a temporary folder."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from autograder.project import Project

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    """The repository's masters and examples, built once per session outside the work tree."""
    from autograder.assemble import build
    from autograder.grading.validity import sandbox_grader

    root = tmp_path_factory.mktemp("course")
    for folder in ("solutions", "examples"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, root / folder)
    project = Project(root)
    build(project, None, grader=sandbox_grader)
    yield project


@pytest.fixture(scope="session")
def graded_folder(built_project: Project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``autograder grade`` on every bundled example, into ``<folder>/<assignment>/``."""
    from autograder.cli import main

    out = tmp_path_factory.mktemp("graded")
    for name in built_project.assignment_names():
        examples = built_project.example_notebooks(name)
        args = ["grade", name, *map(str, examples), "--out", str(out / name)]
        assert main([*args, "--root", str(built_project.root)]) == 0
    return out


@pytest.fixture(scope="session")
def graded_examples(
    built_project: Project, graded_folder: Path
) -> dict[str, dict[str, dict[str, object]]]:
    """The results.json of every bundled example: assignment -> stem -> results."""
    import json

    out = graded_folder
    graded: dict[str, dict[str, dict[str, object]]] = {}
    for name in built_project.assignment_names():
        examples = built_project.example_notebooks(name)
        graded[name] = {
            path.stem: json.loads((out / name / f"{path.stem}.json").read_text())
            for path in examples
        }
        graded[name]["__csv__"] = {"text": (out / name / "scores.csv").read_text()}
    return graded


@pytest.fixture(scope="session")
def otter_export_zip(built_project: Project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The zip that disc06's own export cell (otter's ``grader.export``) writes: the student
    notebook answered with the solution example's answers, executed as a student runs it."""
    import zipfile

    import nbformat
    from nbclient import NotebookClient

    folder = tmp_path_factory.mktemp("student")
    shutil.copytree(built_project.assignments_dir / "disc06" / "tests", folder / "tests")
    saved = folder / "disc06.ipynb"  # saved where the student works: the export zips it
    shutil.copy(built_project.example("disc06", "solution"), saved)
    notebook = nbformat.read(saved, 4)
    assert "grader.export(" in notebook.cells[-2].source  # the student notebook's last cell
    NotebookClient(notebook, timeout=300, resources={"metadata": {"path": str(folder)}}).execute()
    (made,) = folder.glob("disc06_*.zip")
    with zipfile.ZipFile(made) as archive:
        assert "disc06.ipynb" in archive.namelist()
    return made
