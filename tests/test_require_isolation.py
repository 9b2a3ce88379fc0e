"""`--require-isolation`: grade only where submissions can be confined to the allow-list,
and the staff (never the student) learn how each submission was isolated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import autograder.sandbox
from autograder.cli import main
from autograder.project import Project
from autograder.sandbox import Protections

pytestmark = pytest.mark.slow

# What a machine without Landlock and without namespaces reports.
OPEN = Protections(
    held={"processes": "subreaper", "environment": "minimal", "memory": "rlimits"},
    missing={"file view": "no Landlock and no mount namespace: enable Landlock"},
)


def test_it_grades_where_the_view_holds_and_tells_only_the_staff(
    built_project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    submission = built_project.example("disc06", "solution")
    args = ["grade", "disc06", str(submission), "--out", str(tmp_path), "--require-isolation"]
    assert main([*args, "--root", str(built_project.root)]) == 0
    assert "isolation: protected file view" in capsys.readouterr().err
    result = json.loads((tmp_path / "solution.json").read_text())
    assert result["score"] == 13
    assert "file view" in result["extra_data"]["isolation"]["held"]
    assert "isolation" not in result["output"].lower()
    assert all("protect" not in test["output"].lower() for test in result["tests"])


def test_it_refuses_with_exit_2_where_the_view_cannot_be_set_up(
    built_project: Project,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(autograder.sandbox, "probe_isolation", lambda limits=None: OPEN)
    submission = built_project.example("disc06", "solution")
    args = ["grade", "disc06", str(submission), "--out", str(tmp_path), "--require-isolation"]
    assert main([*args, "--root", str(built_project.root)]) == 2
    err = capsys.readouterr().err
    assert "refusing to grade" in err and "enable Landlock" in err
    assert not (tmp_path / "solution.json").exists()
