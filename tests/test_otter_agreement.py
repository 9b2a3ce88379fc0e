"""Our scores equal `otter run`'s with otter's own autograder, on honest submissions.

Both graders execute the same hidden tests (dist/<name>/tests, packed in
otter-autograder.zip by `otter assign`); ours runs them outside the student's
process. A disagreement here means one copy of the grading truth drifted.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from autograder.project import Project

pytestmark = pytest.mark.slow

EXAMPLES = [
    ("disc05", "solution"),
    ("disc05", "blank"),
    ("disc05", "mistake-sigmoid_overflows"),
    ("disc05", "partial"),
    ("disc06", "solution"),
    ("disc06", "blank"),
    ("disc06", "mistake-dc_prev_without_forget_gate"),
    ("disc06", "partial"),
]


def otter_run_scores(project: Project, name: str, notebook: Path, out: Path) -> dict[str, float]:
    """Per-question scores from the real `otter run` on otter's own autograder zip."""
    out.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable, "-m", "otter", "run", "--no-logo",
        "-a", str(project.dist(name) / "otter-autograder.zip"),
        "-o", str(out), str(notebook),
    ]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, timeout=600)
    results = json.loads((out / "results.json").read_text())
    # otter adds a "Public Tests" summary entry without a score
    return {t["name"]: float(t["score"]) for t in results["tests"] if t.get("score") is not None}


@pytest.mark.parametrize(("assignment", "example"), EXAMPLES, ids=lambda v: str(v))
def test_scores_equal_otter_run(
    built_project: Project,
    graded_examples: dict[str, dict[str, dict[str, Any]]],
    tmp_path: Path,
    assignment: str,
    example: str,
) -> None:
    notebook = built_project.example(assignment, example)
    theirs = otter_run_scores(built_project, assignment, notebook, tmp_path)
    ours: dict[str, float] = {}
    for test in graded_examples[assignment][example]["tests"]:
        if test.get("extra_data", {}).get("manual"):
            continue  # written questions: otter run has no test for them either
        question = test["name"].split(":")[0]
        ours[question] = ours.get(question, 0.0) + float(test["score"])
    assert ours == pytest.approx(theirs)
