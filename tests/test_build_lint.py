"""The master-notebook lint, one broken fixture master per instructor mistake."""

from __future__ import annotations

from pathlib import Path

import pytest
from build_support import MASTERS, project_with

from autograder.assemble import build
from autograder.assemble.lint import config_schema, lint_master, unknown_keys
from autograder.assemble.master import read_master
from autograder.errors import BuildError, UnknownAssignmentError
from autograder.otter_api import Assignment


def problems(name: str) -> list[str]:
    master = read_master(MASTERS / f"{name}.ipynb", f"solutions/{name}.ipynb")
    return list(lint_master(master, name))


def test_the_toy_master_is_clean() -> None:
    assert problems("toy") == []


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("no_points", ["cell 15, question q2_mean", "has no points"]),
        ("unknown_config_key", ["cell 2", "unknown ASSIGNMENT CONFIG key 'run_test'"]),
        ("duplicate_question", ["cell 15, question q1_square", "already used", "cell 4"]),
        ("points_mismatch", ["question q1_square", "carry 2 points", "worth 3"]),
        ("conflicting_part", ["cell 21, question q2_mean", "names this credit 'mean'"]),
        ("leak_public_test_imports_autograder", ["cell 10, question q1_square", "imports"]),
    ],
)
def test_each_broken_master_is_named_with_cell_and_question(
    fixture: str, expected: list[str]
) -> None:
    found = problems(fixture)
    assert len(found) == 1, found
    assert found[0].startswith(f"solutions/{fixture}.ipynb, ")
    for text in expected:
        assert text in found[0]


def test_lint_failure_stops_the_build_before_otter(tmp_path: Path) -> None:
    project = project_with(tmp_path, "no_points")
    with pytest.raises(BuildError) as raised:
        build(project)
    message = str(raised.value)
    assert "solutions/no_points.ipynb, cell 15, question q2_mean" in message
    assert "Traceback" not in message
    assert not (project.root / "assignments").exists()


def test_unknown_names_fail_before_anything_is_built(tmp_path: Path) -> None:
    project = project_with(tmp_path, "toy")
    with pytest.raises(UnknownAssignmentError, match="disc99"):
        build(project, ["toy", "disc99"])


def test_nested_config_keys_are_checked_against_otter() -> None:
    schema = config_schema(Assignment)
    config = {"export_cell": {"pdf": False, "pdff": True}, "tests": {"files": True, "ok": 1}}
    assert list(unknown_keys(config, schema)) == ["export_cell.pdff", "tests.ok"]
    assert list(unknown_keys({"generate": True, "name": "x"}, schema)) == []


def test_a_master_without_config_cell_is_rejected(tmp_path: Path) -> None:
    import nbformat

    path = tmp_path / "bare.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), path)
    with pytest.raises(BuildError, match="no ASSIGNMENT CONFIG cell"):
        read_master(path, "solutions/bare.ipynb")
