"""Step 8: ``dist/<name>/manifest.json``, what the graders need to know of the
questions, in notebook order::

    {"assignment": "hw1",
     "questions": [{"name": "q1b", "points": 2, "manual": false,
                    "parts": [{"part": "public 1", "points": 0, "hidden": false},
                              {"part": "output", "points": 2, "hidden": true}]}]}

``parts`` follow the cases of ``tests/<question>.py`` one for one, in order.
A hidden case's part is its test config's ``part``, else the ``part="..."`` its
helper receives, else ``test N`` (the N-th hidden test of the question); public cases
carry no part of their own and are named ``public 1``, ``public 2``...
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from autograder.assemble.context import BuildContext
from autograder.assemble.master import MasterNotebook, Question
from autograder.feedback import DEFAULT_FEEDBACK, FeedbackLevel


@dataclass(frozen=True)
class Part:
    part: str
    points: float
    hidden: bool


@dataclass(frozen=True)
class QuestionEntry:
    name: str
    points: float
    manual: bool
    parts: tuple[Part, ...]
    feedback: FeedbackLevel = DEFAULT_FEEDBACK  # what feedback on a known mistake gives away


@dataclass(frozen=True)
class Manifest:
    assignment: str
    questions: tuple[QuestionEntry, ...]

    @property
    def autograded(self) -> tuple[QuestionEntry, ...]:
        return tuple(question for question in self.questions if not question.manual)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2) + "\n"

    @classmethod
    def load(cls, path: Path) -> Manifest:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            assignment=data["assignment"],
            questions=tuple(
                QuestionEntry(
                    name=question["name"],
                    points=question["points"],
                    manual=question["manual"],
                    parts=tuple(Part(**part) for part in question["parts"]),
                    feedback=question.get("feedback", DEFAULT_FEEDBACK),
                )
                for question in data["questions"]
            ),
        )


def run(context: BuildContext) -> None:
    context.staged.manifest.parent.mkdir(parents=True, exist_ok=True)
    context.staged.manifest.write_text(manifest_of(context.master, context.name).to_json())


def manifest_of(master: MasterNotebook, name: str) -> Manifest:
    return Manifest(
        name, tuple(_entry(question, master.feedback(question)) for question in master.questions)
    )


def _entry(question: Question, feedback: FeedbackLevel) -> QuestionEntry:
    parts, public, hidden = [], 0, 0
    for case in question.tests:
        if case.hidden:
            hidden += 1
            label = case.part or f"test {hidden}"
        else:
            public += 1
            label = f"public {public}"
        parts.append(Part(label, _number(case.points or 0), case.hidden))
    return QuestionEntry(
        name=question.name or "",
        points=_number(question.points or 0),
        manual=question.manual,
        parts=tuple(parts),
        feedback=feedback,
    )


def _number(value: float) -> float:
    """2.0 -> 2, so that the JSON reads as the instructor wrote it."""
    return int(value) if float(value).is_integer() else value
