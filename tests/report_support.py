"""A graded batch written with the real results writer, without grading anything.

The class report reads results files; building them from ``SubmissionResult`` values
keeps these tests fast while the files are exactly what ``autograder grade`` writes.
"""

from __future__ import annotations

from pathlib import Path

from autograder.grading.results import CaseResult, Incident, SubmissionResult

QUESTIONS = {
    "q1a": ["ridge_prior", "ridge_lambda"],
    "q2_backward": ["dx", "dh_prev", "dc_prev", "dWx", "dWh", "db"],
}
WRITTEN = ["q1a_written", "q2_written"]


def results_for(
    stem: str,
    wrong: dict[str, tuple[str, ...]] | None = None,
    incidents: list[Incident] | None = None,
) -> SubmissionResult:
    """A submission that got every part right except ``wrong`` (part -> mistake ids)."""
    wrong = wrong or {}
    tests = []
    for question, parts in QUESTIONS.items():
        for part in parts:
            label = f"{question}: {part}"
            mistakes = wrong.get(label)
            tests.append(
                CaseResult(
                    label,
                    question,
                    0.0 if mistakes is not None else 1.0,
                    1.0,
                    f"{part} is off: <b>relative error</b> 0.4"
                    if mistakes is not None
                    else "correct",
                    mistakes=mistakes or (),
                )
            )
    tests += [
        CaseResult(f"{q}: written answer", q, 0.0, 0.0, "graded by the staff", manual=True)
        for q in WRITTEN
    ]
    return SubmissionResult(stem, tests, assignment="disc06", incidents=incidents or [])


def write_batch(folder: Path, with_mistakes: bool = True) -> Path:
    """Five submissions: right, two with the same LSTM mistake, a timeout, an unreadable file."""
    folder.mkdir(parents=True, exist_ok=True)
    forget = ("dc_prev_without_forget_gate",) if with_mistakes else ()
    all_wrong = {f"{q}: {p}": () for q, parts in QUESTIONS.items() for p in parts}
    batch = [
        results_for("solution"),
        results_for("alice", {"q2_backward: dc_prev": forget, "q2_backward: db": ()}),
        results_for("bob", {"q2_backward: dc_prev": forget}),
        results_for(
            "loops",
            {f"q2_backward: {p}": () for p in QUESTIONS["q2_backward"]},
            [Incident("timeout", "q2_backward", "your code ran out of time: 60 s")],
        ),
        results_for(
            "<img src=x onerror=alert(1)>",
            all_wrong,
            [Incident("unreadable", "x", "x.ipynb is not a Jupyter notebook <img src=x>")],
        ),
    ]
    for result in batch:
        result.write(folder / f"{result.submission}.json")
    return folder
