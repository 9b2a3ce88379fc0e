"""Results of one submission, in Gradescope's ``results.json`` format, and the batch CSV."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from autograder.grading.spec import AssignmentSpec

Visibility = Literal["visible", "hidden", "after_due_date", "after_published"]

#: What stopped a submission from being graded normally, for the class report.
IncidentKind = Literal["unreadable", "grader_error", "timeout", "crash"]


@dataclass
class CaseResult:
    """One entry of ``tests``: a question, or one part of it."""

    name: str
    question: str
    score: float
    max_score: float
    output: str
    visibility: Visibility = "visible"
    #: Known mistakes the answer was recognised as (short ids, see autograder/hidden).
    mistakes: tuple[str, ...] = ()
    #: A written question, graded by the staff: a 0/0 entry that points to it.
    manual: bool = False

    @property
    def status(self) -> str:
        return "passed" if math.isclose(self.score, self.max_score) else "failed"

    def to_json(self) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "name": self.name,
            "score": self.score,
            "max_score": self.max_score,
            "status": self.status,
            "output": self.output,
            "visibility": self.visibility,
        }
        # Gradescope stores a test's "extra_data" without showing it: machine-readable facts
        # for the class report (autograder report) that students need not see.
        extra: dict[str, Any] = {}
        if self.mistakes:
            extra["mistakes"] = list(self.mistakes)
        if self.manual:
            extra["manual"] = True
        if extra:
            entry["extra_data"] = extra
        return entry


@dataclass(frozen=True)
class Incident:
    """Something that kept (part of) a submission from being graded normally."""

    kind: IncidentKind
    where: str  # "Cell 4 ('while True:')", a question name, or the file name
    message: str

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "where": self.where, "message": self.message}


@dataclass
class SubmissionResult:
    """Everything the grader says about one submission."""

    submission: str
    tests: list[CaseResult]
    execution_time: float = 0.0
    messages: list[str] = field(default_factory=list)
    assignment: str = ""
    incidents: list[Incident] = field(default_factory=list)
    #: How the worker was isolated (staff only: extra_data is not shown to students).
    isolation: dict[str, Any] = field(default_factory=dict)

    @property
    def score(self) -> float:
        return round(sum(test.score for test in self.tests), 6)

    @property
    def max_score(self) -> float:
        return round(sum(test.max_score for test in self.tests), 6)

    def question_scores(self) -> dict[str, float]:
        scores: dict[str, float] = {}
        for test in self.tests:
            if not test.manual:  # written questions have no score here
                scores[test.question] = scores.get(test.question, 0.0) + test.score
        return {name: round(value, 6) for name, value in scores.items()}

    def to_json(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "execution_time": round(self.execution_time, 3),
            "output": "\n".join(self.messages),
            "tests": [test.to_json() for test in self.tests],
            # Gradescope's own field for data it stores and does not show
            "extra_data": {
                "assignment": self.assignment,
                "incidents": [incident.to_json() for incident in self.incidents],
                "isolation": self.isolation,
            },
        }

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=2) + "\n")


def zero_result(
    spec: AssignmentSpec,
    submission: str,
    reason: str,
    visibility: Visibility = "visible",
    kind: IncidentKind = "unreadable",
) -> SubmissionResult:
    """A complete results file for a submission that could not be graded at all."""
    tests = [
        CaseResult(case.label, q.name, 0.0, case.points, reason, visibility)
        for q in spec.questions
        for case in q.graded_cases
    ]
    return SubmissionResult(
        submission=submission,
        tests=[*tests, *manual_entries(spec, visibility)],
        messages=[reason],
        assignment=spec.name,
        incidents=[Incident(kind, submission, reason)],
    )


def manual_entries(spec: AssignmentSpec, visibility: Visibility = "visible") -> list[CaseResult]:
    """One 0/0 entry per written question: on Gradescope, the staff grade these by hand."""
    return [
        CaseResult(
            f"{question.name}: written answer",
            question.name,
            0.0,
            0.0,
            f"{question.name} is a written question worth {question.points:g} points: the "
            "course staff grade it by hand, apart from this autograder score (staff: "
            "`autograder grade` puts every answer to it in "
            f"written/questions/{question.name}.html).",
            visibility,
            manual=True,
        )
        for question in spec.manual_questions
    ]


def scores_csv(spec: AssignmentSpec, results: Sequence[SubmissionResult]) -> str:
    """``scores.csv``: one row per submission: file, each question's score, total, max."""
    names = [q.name for q in spec.questions]
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(["file", *names, "total", "max"])
    for result in results:
        scores = result.question_scores()
        writer.writerow(
            [
                result.submission,
                *(_fmt(scores.get(name, 0.0)) for name in names),
                _fmt(result.score),
                _fmt(spec.max_score),
            ]
        )
    return text.getvalue()


def _fmt(value: float) -> str:
    return f"{value:g}"
