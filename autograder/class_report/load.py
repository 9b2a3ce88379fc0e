"""Step 1: read a graded batch back from its results files (``<stem>.json``, Gradescope format).

Only what ``autograder grade`` writes is trusted to be there (name, score, max_score per
test); the ``extra_data`` fields (written questions, recognised mistakes, incidents) are
read when present, so results from older versions still give a report.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.errors import AutograderError


@dataclass(frozen=True)
class Part:
    """One test entry: a credit of a question, or a written question's 0/0 pointer."""

    name: str
    question: str
    score: float
    max_score: float
    output: str
    mistakes: tuple[str, ...] = ()
    manual: bool = False

    @property
    def full_credit(self) -> bool:
        return math.isclose(self.score, self.max_score)


@dataclass(frozen=True)
class Incident:
    kind: str  # unreadable, grader_error, timeout, crash
    where: str
    message: str


@dataclass(frozen=True)
class GradedSubmission:
    stem: str
    score: float
    parts: tuple[Part, ...]
    incidents: tuple[Incident, ...]

    @property
    def graded(self) -> bool:
        """False when nothing of it could be graded (unreadable file, grader failure)."""
        return not any(i.kind in ("unreadable", "grader_error") for i in self.incidents)


@dataclass(frozen=True)
class Batch:
    folder: Path
    assignment: str
    submissions: tuple[GradedSubmission, ...]
    skipped: tuple[str, ...]  # files in the folder that are not results, with why


def load_batch(folder: Path) -> Batch:
    """Every results file in ``folder``; an instructor error when there are none."""
    if not folder.is_dir():
        raise AutograderError(
            f"{folder} is not a directory: pass the --out folder of `autograder grade`"
        )
    submissions, skipped, assignments = [], [], []
    for path in sorted(folder.glob("*.json")):
        if path.name.startswith("."):  # a results file being written
            continue
        try:
            submission, assignment = read_results(path)
        except ValueError as problem:
            skipped.append(f"{path.name}: {problem}")
            continue
        submissions.append(submission)
        assignments.append(assignment)
    if not submissions:
        graded = sorted(
            sub.name for sub in folder.iterdir() if sub.is_dir() and any(sub.glob("*.json"))
        )
        if graded:  # e.g. the demo's folder, one folder per assignment
            raise AutograderError(
                f"no results files in {folder}, but in its folders {', '.join(graded)}: "
                f"report on one of them, e.g. `autograder report {folder / graded[0]}`"
            )
        raise AutograderError(
            f"no results files in {folder}: run `autograder grade NAME SUBMISSIONS... "
            f"--out {folder}` first"
        )
    names = sorted({name for name in assignments if name})
    assignment = ", ".join(names) if names else folder.name
    return Batch(folder, assignment, tuple(submissions), tuple(skipped))


def read_results(path: Path) -> tuple[GradedSubmission, str]:
    """One results file and the assignment it names; ValueError says what is wrong with it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not readable as JSON ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("tests"), list):
        raise ValueError("not a results file (no 'tests' list)")
    parts = tuple(_part(entry, index) for index, entry in enumerate(data["tests"], start=1))
    extra = data.get("extra_data")
    extra = extra if isinstance(extra, dict) else {}
    incidents = tuple(
        Incident(str(i.get("kind", "")), str(i.get("where", "")), str(i.get("message", "")))
        for i in extra.get("incidents", [])
        if isinstance(i, dict)
    )
    score = data.get("score")
    total = _number(score, "score") if score is not None else sum(p.score for p in parts)
    submission = GradedSubmission(path.stem, total, parts, incidents)
    return submission, str(extra.get("assignment", ""))


def _part(entry: Any, index: int) -> Part:
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        raise ValueError(f"test {index} has no name")
    name = entry["name"]
    extra = entry.get("extra_data")
    extra = extra if isinstance(extra, dict) else {}
    mistakes = extra.get("mistakes", [])
    if isinstance(extra.get("mistake"), str):  # a single id is accepted too
        mistakes = [extra["mistake"]]
    manual = bool(extra.get("manual", False))
    unscored = 0.0 if manual else None  # a written question's entry carries no score
    return Part(
        name=name,
        question=name.split(":")[0].strip(),
        score=_number(entry.get("score", unscored), f"{name}: score"),
        max_score=_number(entry.get("max_score", unscored), f"{name}: max_score"),
        output=str(entry.get("output", "")),
        mistakes=tuple(str(m) for m in mistakes) if isinstance(mistakes, list) else (),
        manual=manual,
    )


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{what} is {value!r}, not a number")
    return float(value)
