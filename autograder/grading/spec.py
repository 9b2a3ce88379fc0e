"""What an assignment grades: its autograded questions and their hidden test cases.

The cases are read from the OK-format test files that ``otter assign`` wrote
into ``dist/<name>/tests/``, the same files ``otter run`` executes, so there
is one copy of the hidden tests.
"""

from __future__ import annotations

import ast
import doctest
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.errors import GradingSetupError
from autograder.project import Project


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

    @property
    def graded_cases(self) -> tuple[Case, ...]:
        """The cases that carry points (the public ones carry none)."""
        return tuple(case for case in self.cases if case.points > 0)


@dataclass(frozen=True)
class AssignmentSpec:
    name: str
    questions: tuple[Question, ...]
    tests_dir: Path

    @property
    def max_score(self) -> float:
        return sum(q.points for q in self.questions)

    @property
    def case_labels(self) -> list[str]:
        return [case.label for q in self.questions for case in q.graded_cases]


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
    questions = []
    for entry in manifest["questions"]:
        if entry.get("manual"):
            continue
        path = tests_dir / f"{entry['name']}.py"
        if not path.is_file():
            raise GradingSetupError(
                f"{path} is missing for question {entry['name']!r}: rebuild the assignment"
            )
        questions.append(read_test_file(path))
    return AssignmentSpec(
        name=manifest["assignment"], questions=tuple(questions), tests_dir=tests_dir
    )


def read_test_file(path: Path) -> Question:
    """Parse one OK-format test file, resolving points the way otter does."""
    from otter.test_files.ok_test import OKTestFile  # the same resolution otter run applies

    test_file = OKTestFile.from_file(str(path))
    cases = []
    for index, case in enumerate(test_file.test_cases, start=1):
        part = part_name(case.body)
        if not part and len(test_file.test_cases) > 1:
            part = f"test {index}"
        cases.append(
            Case(
                question=test_file.name,
                part=part,
                points=float(case.points or 0.0),
                hidden=bool(case.hidden),
                source=case.body,
            )
        )
    total = sum(case.points for case in cases)
    graded = [case for case in cases if case.points > 0]
    if len(graded) == 1:  # a single credit is reported under the question's own name
        cases = [
            Case(c.question, "" if c is graded[0] else c.part, c.points, c.hidden, c.source)
            for c in cases
        ]
    return Question(name=test_file.name, points=total, cases=tuple(cases))


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
    tree = ast.parse(case_code(source))
    bound: set[str] = set()
    read: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Store):
                bound.add(node.id)
            elif node.id not in read:
                read.append(node.id)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    import builtins

    return [name for name in read if name not in bound and not hasattr(builtins, name)]
