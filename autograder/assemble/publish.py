"""The last step: move the staged output into the project, or, with ``check``,
compare the staged ``assignments/<name>/`` with the committed one.

``assignments/<name>/`` and ``dist/<name>/`` are generated whole from the
master, so publishing replaces them whole.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

from autograder.assemble.context import BuildContext
from autograder.assemble.files import tree_files


def publish(context: BuildContext) -> None:
    _replace(context.student_dir, context.project.assignments_dir / context.name)
    _replace(context.dist_dir, context.project.dist(context.name))


def differences(context: BuildContext) -> Iterator[str]:
    """Files of ``assignments/<name>/`` that differ from what the master builds."""
    built = context.student_dir
    committed = context.project.assignments_dir / context.name
    yield from compare_trees(built, committed, f"assignments/{context.name}")


def compare_trees(built: Path, committed: Path, shown: str) -> Iterator[str]:
    built_files, committed_files = set(tree_files(built)), set(tree_files(committed))
    for relative in sorted(built_files | committed_files):
        if relative not in committed_files:
            yield f"{shown}/{relative} is missing"
        elif relative not in built_files:
            yield f"{shown}/{relative} is extra (the master does not produce it)"
        elif (built / relative).read_bytes() != (committed / relative).read_bytes():
            yield f"{shown}/{relative} differs"


def _replace(staged: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(staged, target)
