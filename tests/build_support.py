"""Helpers of the build tests: throwaway course projects made of fixture masters."""

from __future__ import annotations

import shutil
from pathlib import Path

from autograder.project import Project

MASTERS = Path(__file__).parent / "fixtures" / "masters"
REPO = Path(__file__).parent.parent


def project_with(root: Path, *masters: str) -> Project:
    """A project in ``root`` whose solutions/ holds the named fixture masters."""
    (root / "solutions").mkdir(parents=True, exist_ok=True)
    for name in masters:
        shutil.copyfile(MASTERS / f"{name}.ipynb", root / "solutions" / f"{name}.ipynb")
    return Project(root)


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }
