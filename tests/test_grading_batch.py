"""Batches: -j N grading processes, results in submission order, and resuming a killed batch.

A slow submission (a cell that sleeps) keeps one grading process busy while
the others finish; the tests kill the batch, or a grading process, during
that sleep and check what the next run does.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest

from autograder.grading import GradingOptions, SubmissionResult, grade_batch, load_spec
from autograder.project import Project

pytestmark = pytest.mark.slow

SLEEP = 10  # seconds the slow submission's cell sleeps: far longer than grading one notebook
FULL, BLANK = 13.0, 0.0


def write_batch(project: Project, folder: Path) -> list[Path]:
    """slow (full marks after a sleep), then five quick ones: 6 disc06 submissions in all."""
    folder.mkdir()
    slow = nbformat.read(project.example("disc06", "solution"), as_version=4)
    slow.cells.append(nbformat.v4.new_code_cell(f"import time\ntime.sleep({SLEEP})"))
    nbformat.write(slow, folder / "slow.ipynb")
    names = {"sol_a": "solution", "blank": "blank", "sol_b": "solution"}
    names.update({"mistakes": "mistake-dc_prev_without_forget_gate", "partial": "partial"})
    for name, example in names.items():
        (folder / f"{name}.ipynb").write_bytes(project.example("disc06", example).read_bytes())
    return [folder / f"{name}.ipynb" for name in ["slow", *names]]


def grade_command(project: Project, submissions: list[Path], out: Path) -> list[str]:
    return [
        sys.executable, "-m", "autograder.cli", "grade", "disc06", *map(str, submissions),
        "--out", str(out), "-j", "2", "--root", str(project.root),
    ]  # fmt: skip


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 300.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.05)


def snapshot(out: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.glob("*.json")}


def score(out: Path, stem: str) -> float:
    return float(json.loads((out / f"{stem}.json").read_text())["score"])


def test_a_batch_killed_midway_is_finished_by_the_same_command(
    built_project: Project, tmp_path: Path
) -> None:
    submissions = write_batch(built_project, tmp_path / "subs")
    out = tmp_path / "out"
    command = grade_command(built_project, submissions, out)
    batch = subprocess.Popen(
        command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for(lambda: any(out.glob("*.json")), "a first results file")
    finally:
        os.killpg(batch.pid, signal.SIGKILL)  # the grader and its grading processes
        batch.wait()
    before = snapshot(out)
    assert "slow.json" not in before  # still sleeping when the others were done
    assert not (out / "scores.csv").exists()

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert rerun.returncode == 0, rerun.stderr
    assert f"kept {len(before)} of 6 results" in rerun.stderr
    after = snapshot(out)
    assert {name: after[name] for name in before} == before  # kept: not even rewritten
    assert sorted(after) == sorted(f"{path.stem}.json" for path in submissions)
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []
    with (out / "scores.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert [row["file"] for row in rows] == [path.stem for path in submissions]
    assert {row["file"]: float(row["total"]) for row in rows if "sol" in row["file"]} == {
        "sol_a": FULL,
        "sol_b": FULL,
    }
    assert score(out, "slow") == FULL

    # A submission replaced since: graded again, the others kept.
    (tmp_path / "subs" / "blank.ipynb").write_bytes(submissions[1].read_bytes())
    again = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert again.returncode == 0, again.stderr
    assert "kept 5 of 6 results" in again.stderr
    assert score(out, "blank") == FULL


def grading_processes() -> list[int]:
    """Our grading processes: children of this process running autograder.grading.pool."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == os.getpid() and b"autograder.grading.pool" in command:
            found.append(int(entry.name))
    return found


def test_a_grading_process_that_dies_costs_only_its_submission(
    built_project: Project, tmp_path: Path
) -> None:
    slow, sol_a, blank = write_batch(built_project, tmp_path / "subs")[:3]
    spec = load_spec(built_project, "disc06")
    out = tmp_path / "out"
    killed: list[int] = []

    def kill_graders(path: Path, result: SubmissionResult) -> None:
        if not killed:  # the first quick result: the slow one is mid-sleep in the other process
            killed.extend(grading_processes())
            for pid in killed:
                os.kill(pid, signal.SIGKILL)

    results = grade_batch(spec, [slow, sol_a, blank], out, GradingOptions(), kill_graders, jobs=2)
    assert len(killed) == 2
    assert [r.submission for r in results] == ["slow", "sol_a", "blank"]
    assert results[1].score == FULL
    for failed in (results[0], results[2]):
        assert failed.score == 0
        assert "its grading process stopped: it was killed by SIGKILL" in failed.messages[0]
        assert [incident.kind for incident in failed.incidents] == ["grader_error"]

    started: list[tuple[int, int]] = []
    rerun = grade_batch(
        spec, [slow, sol_a, blank], out, GradingOptions(), jobs=2,
        on_start=lambda total, kept: started.append((total, kept)),
    )  # fmt: skip
    assert started == [(3, 1)]  # only the finished result is kept
    assert [r.score for r in rerun] == [FULL, FULL, BLANK]
