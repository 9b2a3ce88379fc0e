"""Results of one submission, in Gradescope's ``results.json`` format, and the batch CSV."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from autograder.grading.spec import AssignmentSpec
from autograder.uploads import Submitter

Visibility = Literal["visible", "hidden", "after_due_date", "after_published"]

#: What stopped a submission from being graded normally, for the class report.
IncidentKind = Literal["unreadable", "grader_error", "timeout", "crash"]
#: How Gradescope renders a test's output (its results.json spec, "Output String Formatting").
OutputFormat = Literal["text", "html", "simple_format", "md", "ansi"]


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
    #: A written question, graded by the staff: an entry showing the answer, with no score.
    manual: bool = False
    output_format: OutputFormat = "text"
    #: For the staff only (extra_data): what to do with this entry.
    staff_note: str = ""

    @property
    def status(self) -> str:
        return "passed" if math.isclose(self.score, self.max_score) else "failed"

    def to_json(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"name": self.name}
        # Gradescope marks a test passed when its score reaches its max_score (0/0 included)
        # and offers only "passed"/"failed" as a status: a written question's entry carries
        # none of the three, so it shows the answer with neither verdict.
        if not self.manual:
            entry.update(score=self.score, max_score=self.max_score, status=self.status)
        entry.update(output=self.output, visibility=self.visibility)
        if self.output_format != "text":
            entry["output_format"] = self.output_format
        # Gradescope stores a test's "extra_data" without showing it: machine-readable facts
        # for the class report (autograder report) and the staff that students need not see.
        extra: dict[str, Any] = {}
        if self.mistakes:
            extra["mistakes"] = list(self.mistakes)
        if self.manual:
            extra["manual"] = True
        if self.staff_note:
            extra["staff"] = self.staff_note
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
    #: The assignment the notebook's metadata names, when it is not the one graded.
    other_assignment: str = ""

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
        extra: dict[str, Any] = {
            "assignment": self.assignment,
            "incidents": [incident.to_json() for incident in self.incidents],
            "isolation": self.isolation,
        }
        if self.other_assignment:
            extra["notebook_assignment"] = self.other_assignment
        return {
            "score": self.score,
            "execution_time": round(self.execution_time, 3),
            "output": "\n".join(self.messages),
            "tests": [test.to_json() for test in self.tests],
            "extra_data": extra,  # Gradescope's own field for data it stores and does not show
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


def manual_entries(
    spec: AssignmentSpec,
    visibility: Visibility = "visible",
    answers: Mapping[str, str] | None = None,
) -> list[CaseResult]:
    """One entry per written question, graded by hand on Gradescope: it shows the student's
    answer (``answers``: the question's name -> the answer as HTML, see written_answers) so
    graders read it beside the question's manual rubric, and carries no score or verdict."""
    entries = []
    for question in spec.manual_questions:
        shown = (answers or {}).get(question.name) or (
            "<p>Your notebook could not be read, so your answer is not shown here.</p>"
        )
        entries.append(
            CaseResult(
                f"{question.name}: written answer",
                question.name,
                0.0,
                0.0,
                f"<p>A written question worth {question.points:g} points, graded by hand by the "
                f"course staff apart from this autograder score.</p>\n{shown}",
                visibility,
                manual=True,
                output_format="html",
                staff_note=f"Grade {question.name} by hand in its manual rubric question: this "
                "entry shows the answer. `autograder grade` on the export puts every answer "
                f"to it in written/questions/{question.name}.html.",
            )
        )
    return entries


def scores_csv(
    spec: AssignmentSpec,
    results: Sequence[SubmissionResult],
    submitters: Sequence[Sequence[Submitter]] = (),
) -> str:
    """``scores.csv``: one row per submission: file, each question's score, total, max; with
    ``submitters`` (one list per result, from a Gradescope export), their names, emails and
    SIDs after the file (a group's joined with "; ")."""
    names = [q.name for q in spec.questions]
    people = list(submitters) if any(submitters) else []
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(["file", *(["name", "email", "sid"] if people else []), *names, "total", "max"])
    for index, result in enumerate(results):
        scores = result.question_scores()
        who = people[index] if people else None
        writer.writerow(
            [
                result.submission,
                *(_joined(who) if who is not None else []),
                *(_fmt(scores.get(name, 0.0)) for name in names),
                _fmt(result.score),
                _fmt(spec.max_score),
            ]
        )
    return text.getvalue()


def _joined(people: Sequence[Submitter]) -> list[str]:
    return [
        "; ".join(person.name for person in people),
        "; ".join(person.email for person in people),
        "; ".join(person.sid for person in people),
    ]


def _fmt(value: float) -> str:
    return f"{value:g}"
