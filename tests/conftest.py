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
    from autograder.build import build

    root = tmp_path_factory.mktemp("course")
    for folder in ("solutions", "examples"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, root / folder)
    project = Project(root)
    build(project, None)
    yield project
