"""Batch progress: plain lines when not on a terminal, a bar with rate and time left on one."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from autograder.grading.results import CaseResult, SubmissionResult
from autograder.progress import BatchProgress


def result(name: str, score: float) -> SubmissionResult:
    return SubmissionResult(name, [CaseResult("q1", "q1", score, 2.0, "")])


def test_not_on_a_terminal_each_result_is_one_line() -> None:
    output = io.StringIO()
    with BatchProgress(Console(file=output, width=200)) as progress:
        progress.start(total=3, kept=1)
        progress.result(Path("subs/alice.ipynb"), result("alice", 2.0))
        progress.result(Path("subs/bob.ipynb"), result("bob", 0.5))
    assert output.getvalue().splitlines() == [
        "kept 1 of 3 results from an earlier run (--regrade grades them again)",
        "[2/3] graded subs/alice.ipynb: 2/2",
        "[3/3] graded subs/bob.ipynb: 0.5/2",
    ]


def test_on_a_terminal_a_bar_counts_shows_the_rate_and_the_time_left() -> None:
    output = io.StringIO()
    console = Console(file=output, width=120, force_terminal=True, color_system=None)
    with BatchProgress(console) as progress:
        progress.start(total=4, kept=0)
        for name in ("a", "b", "c"):
            progress.result(Path(f"{name}.ipynb"), result(name, 2.0))
    drawn = output.getvalue()  # the last frame, drawn as the bar stopped
    assert "graded" not in drawn  # no line per result under the bar
    assert "3/4" in drawn
    assert "/s" in drawn
    assert "left" in drawn


def test_a_single_submission_to_grade_gets_a_line_even_on_a_terminal() -> None:
    output = io.StringIO()
    console = Console(file=output, width=120, force_terminal=True, color_system=None)
    with BatchProgress(console) as progress:
        progress.start(total=1, kept=0)
        progress.result(Path("a.ipynb"), result("a", 1.0))
    assert "[1/1] graded a.ipynb: 1/2" in output.getvalue()
