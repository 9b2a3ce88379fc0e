"""What an assignment grades: its autograded questions and their hidden test cases.

The cases are read from the OK-format test files that ``otter assign`` wrote
into ``dist/<name>/tests/``, the same files ``otter run`` executes, so there
is one copy of the hidden tests. Each credit's name comes from the manifest the
build wrote beside them; the course modules the cases import (reference,
helpers) are in ``course/`` beside it.
"""

from __future__ import annotations

import ast
import doctest
import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from autograder.course import module_files
from autograder.errors import GradingSetupError
from autograder.feedback import DEFAULT_FEEDBACK, FeedbackLevel, as_level
from autograder.grading.ok_format import read_ok_file
from autograder.project import Project
from autograder.source_names import free_names as code_free_names


@dataclass(frozen=True)
class Case:
    """One test case: a doctest whose passing earns ``points``."""

    question: str
    part: str
    points: float
    hidden: bool
    source: str  # the doctest text, ">>> " lines and expected output

    @property
    def label(self) -> str:
        """The name a student sees: the question, or ``question: part``."""
        return f"{self.question}: {self.part}" if self.part else self.question


@dataclass(frozen=True)
class Question:
    name: str
    points: float
    cases: tuple[Case, ...]
    #: How much the feedback on a recognised mistake gives away (``name``, ``hint``, ``answer``).
    feedback: FeedbackLevel = DEFAULT_FEEDBACK

    @property
    def graded_cases(self) -> tuple[Case, ...]:
        """The cases that carry points (the public ones carry none)."""
        return tuple(case for case in self.cases if case.points > 0)


@dataclass(frozen=True)
class ManualQuestion:
    """A written question: graded by the staff, not by tests."""

    name: str
    points: float


@dataclass(frozen=True)
class AssignmentSpec:
    name: str
    questions: tuple[Question, ...]
    tests_dir: Path
    manual_questions: tuple[ManualQuestion, ...] = ()
    #: The assignment's own modules (reference, helpers...) the cases import, if any.
    course_dir: Path | None = None

    @property
    def hidden_paths(self) -> tuple[Path, ...]:
        """What grading reads and the student's process must never see."""
        course = (self.course_dir.resolve(),) if self.course_dir is not None else ()
        return (self.tests_dir.resolve(), *course)

    @property
    def max_score(self) -> float:
        return sum(q.points for q in self.questions)

    @property
    def case_labels(self) -> list[str]:
        return [case.label for q in self.questions for case in q.graded_cases]

    @property
    def fingerprint(self) -> str:
        """A digest of the questions and their cases: results graded by other tests differ."""
        cases = [
            [q.name, [[c.part, c.points, c.hidden, c.source] for c in q.cases]]
            for q in self.questions
        ]
        manual = [[m.name, m.points] for m in self.manual_questions]
        course = [
            [name, hashlib.sha256(path.read_bytes()).hexdigest()]
            for name, path in module_files(self.course_dir).items()
        ]
        return hashlib.sha256(json.dumps([self.name, cases, manual, course]).encode()).hexdigest()


def load_spec(project: Project, name: str) -> AssignmentSpec:
    """The built assignment ``name``; tells the instructor to build it if it is not."""
    project.master(name)  # unknown assignment: a clear error before anything else
    files = project.files(name)
    manifest = files.manifest
    if not manifest.is_file():
        raise GradingSetupError(
            f"assignment {name!r} is not built ({manifest} is missing): "
            f"run `autograder build {name}`"
        )
    return load_spec_from(files.tests_dir, manifest)


def load_spec_from(tests_dir: Path, manifest_path: Path) -> AssignmentSpec:
    """Read the manifest (question order) and the OK-format test files of one assignment."""
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, ValueError) as exc:
        raise GradingSetupError(
            f"cannot read {manifest_path}: {exc}; rebuild the assignment"
        ) from exc
    try:
        name = str(manifest["assignment"])
        autograded = {
            str(q["name"]): [str(p["part"]) for p in q["parts"]] if "parts" in q else None
            for q in manifest["questions"]
            if not q.get("manual")
        }
        levels = {str(q["name"]): _level(q.get("feedback")) for q in manifest["questions"]}
        manual = tuple(
            ManualQuestion(str(q["name"]), float(q["points"]))
            for q in manifest["questions"]
            if q.get("manual")
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        message = f"{manifest_path} is malformed ({exc}): rebuild the assignment"
        raise GradingSetupError(message) from exc
    questions = []
    for question, parts in autograded.items():
        path = tests_dir / f"{question}.py"
        if not path.is_file():
            raise GradingSetupError(
                f"{path} is missing for question {question!r}: rebuild the assignment"
            )
        questions.append(replace(read_test_file(path, parts), feedback=levels[question]))
    course_dir = manifest_path.parent / "course"
    return AssignmentSpec(
        name=name,
        questions=tuple(questions),
        tests_dir=tests_dir,
        manual_questions=manual,
        course_dir=course_dir if course_dir.is_dir() else None,
    )


def _level(value: object) -> FeedbackLevel:
    level = as_level(DEFAULT_FEEDBACK if value is None else value)
    if level is None:
        raise ValueError(f"unknown feedback level {value!r}")
    return level


def read_test_file(path: Path, parts: list[str] | None = None) -> Question:
    """Parse one OK-format test file, resolving points the way otter does.

    ``parts`` (from the manifest) names each case's credit; without it, a case
    is named after the ``part="..."`` its helper gets.
    """
    test_file = read_ok_file(path)
    if parts is not None and len(parts) != len(test_file.cases):
        raise GradingSetupError(
            f"{path} has {len(test_file.cases)} cases but the manifest names {len(parts)}: "
            "rebuild the assignment"
        )
    graded = sum(1 for case in test_file.cases if case.points > 0)
    cases = []
    for index, case in enumerate(test_file.cases, start=1):
        named = parts[index - 1] if parts is not None else ""
        part = named or part_name(case.body) or f"test {index}"
        if graded == 1 and case.points > 0:
            part = ""  # a single credit is reported under the question's own name
        cases.append(Case(test_file.name, part, case.points, case.hidden, case.body))
    return Question(test_file.name, sum(case.points for case in cases), tuple(cases))


def case_code(source: str) -> str:
    """The Python source of a doctest (its ``>>>`` and ``...`` lines)."""
    examples = doctest.DocTestParser().get_examples(source)
    return "".join(example.source for example in examples)


def part_name(source: str) -> str:
    """The ``part="..."`` keyword a hidden test passes to its helper, if any."""
    try:
        tree = ast.parse(case_code(source))
    except SyntaxError:
        return ""
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "part":
            value: Any = getattr(node.value, "value", None)
            if isinstance(value, str):
                return value
    return ""


def free_names(source: str) -> list[str]:
    """Names a case reads without binding them: what it needs from the student."""
    return code_free_names(case_code(source))
