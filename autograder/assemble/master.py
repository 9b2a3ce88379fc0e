"""Read a master notebook (otter assign, v1 format) into typed questions, tests
and solution lines.

Reading only records what the notebook says; judging it is ``lint``'s job.
Structural damage that makes the rest unreadable (bad JSON, unbalanced
BEGIN/END cells, a config that is not YAML) raises ``BuildError`` here.
Cells are counted from 1, as a person scrolling the notebook counts them.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from autograder.assemble.files import read_notebook
from autograder.errors import BuildError
from autograder.feedback import DEFAULT_FEEDBACK, FeedbackLevel, as_level
from autograder.otter_api import (
    BEGIN_TEST_CONFIG_REGEX,
    END_TEST_CONFIG_REGEX,
    BlockType,
    is_assignment_config_cell,
    is_block_boundary_cell,
)

#: Our own question config key (otter ignores it): see ``Question.mutation_bar``.
MUTATION_BAR_KEY = "mutation_bar"
#: Our own test config key (otter ignores it): the name of the credit a hidden test carries.
PART_KEY = "part"
#: Our own key, in the ASSIGNMENT CONFIG and in a question's config: how much the feedback on
#: a recognised mistake gives away (``name``, ``hint``, ``answer``; see autograder.hidden).
FEEDBACK_KEY = "feedback"
#: ASSIGNMENT CONFIG keys that are ours: the build removes them before otter reads the config.
OWN_ASSIGNMENT_KEYS = frozenset({FEEDBACK_KEY})


@dataclass(frozen=True)
class Where:
    """A place in a master notebook, for messages."""

    notebook: str
    cell: int
    question: str | None = None

    def __str__(self) -> str:
        question = f", question {self.question}" if self.question else ""
        return f"{self.notebook}, cell {self.cell}{question}"


@dataclass(frozen=True)
class TestCase:
    """One cell of a question's ``BEGIN TESTS`` block."""

    where: Where
    hidden: bool
    points: float | None
    config: dict[str, Any]
    code: str

    @property
    def configured_part(self) -> str | None:
        """The credit's name as the test config gives it (``part: softmax_rows``)."""
        part = self.config.get(PART_KEY)
        return (
            str(part).strip() if isinstance(part, (str, int, float)) and str(part).strip() else None
        )

    @property
    def helper_parts(self) -> set[str]:
        """The ``part="..."`` keywords the case passes to helpers."""
        return set(_part_keywords(self.code))

    @property
    def part(self) -> str | None:
        """The credit's name: the config's ``part``, else the one ``part="..."`` of its helper."""
        if self.configured_part is not None:
            return self.configured_part
        parts = self.helper_parts
        return parts.pop() if len(parts) == 1 else None

    def imported_modules(self) -> set[str]:
        """Top-level names of the modules the case imports."""
        return {name.split(".")[0] for name in _imported_modules(self.code)}


@dataclass(frozen=True)
class Question:
    where: Where
    config: dict[str, Any]
    tests: tuple[TestCase, ...]

    @property
    def name(self) -> str | None:
        name = self.config.get("name")
        return name if isinstance(name, str) and name else None

    @property
    def points(self) -> float | None:
        points = self.config.get("points")
        is_number = isinstance(points, (int, float)) and not isinstance(points, bool)
        return points if is_number else None

    @property
    def manual(self) -> bool:
        return bool(self.config.get("manual", False))

    @property
    def mutation_bar(self) -> float | None:
        """The share of non-equivalent mutants its hidden tests must kill, if the master sets
        one (``autograder validate``); ``lint`` checks it is a fraction."""
        bar = self.config.get(MUTATION_BAR_KEY)
        if isinstance(bar, (int, float)) and not isinstance(bar, bool):
            return float(bar)
        return None


@dataclass(frozen=True)
class SecretLine:
    """A line a student must never see: part of a solution or of a hidden test."""

    text: str
    where: Where
    kind: str  # "solution line", "hidden test line"


@dataclass(frozen=True)
class MasterNotebook:
    path: Path
    display_path: str
    config: dict[str, Any]
    config_where: Where | None
    questions: tuple[Question, ...]
    secrets: tuple[SecretLine, ...]
    cell_ids: tuple[str | None, ...]
    cell_questions: tuple[str | None, ...]

    def feedback(self, question: Question) -> FeedbackLevel:
        """The question's feedback level: its own, else the assignment's, else ``hint``
        (``lint`` names a value that is no level)."""
        for config in (question.config, self.config):
            level = as_level(config.get(FEEDBACK_KEY))
            if level is not None:
                return level
        return DEFAULT_FEEDBACK

    def question_of_cell_id(self, cell_id: str) -> tuple[int, str | None] | None:
        """(1-based cell number, question) of the master cell with this id."""
        for index, (known, question) in enumerate(
            zip(self.cell_ids, self.cell_questions, strict=True), start=1
        ):
            if known == cell_id:
                return index, question
        return None


def read_master(path: Path, display_path: str) -> MasterNotebook:
    nb = _read_notebook(path, display_path)
    reader = _Reader(display_path)
    for index, cell in enumerate(nb.cells, start=1):
        reader.read(index, cell)
    reader.finish(len(nb.cells))
    return MasterNotebook(
        path=path,
        display_path=display_path,
        config=reader.config,
        config_where=reader.config_where,
        questions=tuple(reader.questions),
        secrets=tuple(reader.secrets),
        cell_ids=tuple(cell.get("id") for cell in nb.cells),
        cell_questions=tuple(reader.cell_questions),
    )


def _read_notebook(path: Path, display_path: str) -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # nbformat's id/validation warnings: otter re-checks
            return read_notebook(path)
    except Exception as error:  # nbformat raises JSON, validation and version errors alike
        raise BuildError(
            f"{display_path} is not a readable notebook ({error}); open it in Jupyter and save it"
        ) from error


@dataclass
class _OpenQuestion:
    where: Where
    config: dict[str, Any]
    tests: list[TestCase]


class _Reader:
    """Walks the cells once, keeping the block stack otter keeps."""

    def __init__(self, display_path: str) -> None:
        self.display_path = display_path
        self.config: dict[str, Any] = {}
        self.config_where: Where | None = None
        self.questions: list[Question] = []
        self.secrets: list[SecretLine] = []
        self.cell_questions: list[str | None] = []
        self.blocks: list[tuple[BlockType, int]] = []
        self.question: _OpenQuestion | None = None

    def where(self, index: int) -> Where:
        question = self.question
        name = question.config.get("name") if question else None
        return Where(self.display_path, index, name if isinstance(name, str) else None)

    def fail(self, index: int, problem: str) -> BuildError:
        return BuildError(f"{self.where(index)}: {problem}")

    def read(self, index: int, cell: Any) -> None:
        self.cell_questions.append(self.where(index).question)
        if is_assignment_config_cell(cell):
            self.read_config(index, cell)
        elif self.read_boundary(index, cell):
            pass
        elif self.blocks and self.blocks[-1][0] is BlockType.TESTS:
            self.read_test(index, cell)
        else:
            in_solution = any(block is BlockType.SOLUTION for block, _ in self.blocks)
            self.secrets.extend(_secret_lines(cell, self.where(index), in_solution))

    def read_config(self, index: int, cell: Any) -> None:
        if self.config_where is not None:
            raise self.fail(
                index,
                f"a second ASSIGNMENT CONFIG cell (the first is cell {self.config_where.cell}); "
                "merge them into one",
            )
        config = _yaml(_config_body(cell), self.fail, index, "the ASSIGNMENT CONFIG")
        self.config, self.config_where = config, self.where(index)

    def read_boundary(self, index: int, cell: Any) -> bool:
        for block in BlockType:
            if is_block_boundary_cell(cell, block, end=True):
                self.end_block(index, block)
                return True
            if is_block_boundary_cell(cell, block):
                self.begin_block(index, block, cell)
                return True
        return False

    def begin_block(self, index: int, block: BlockType, cell: Any) -> None:
        if block is BlockType.QUESTION:
            if self.blocks:
                raise self.fail(index, "BEGIN QUESTION inside another block; close it first")
            config = _yaml(_config_body(cell), self.fail, index, "the question config")
            name = config.get("name")
            where = Where(self.display_path, index, name if isinstance(name, str) else None)
            self.question = _OpenQuestion(where, config, [])
        elif not self.blocks:
            raise self.fail(index, f"BEGIN {block.name} outside a question; add BEGIN QUESTION")
        self.blocks.append((block, index))

    def end_block(self, index: int, block: BlockType) -> None:
        if not self.blocks or self.blocks[-1][0] is not block:
            open_block = f"the open {self.blocks[-1][0].name} block" if self.blocks else "no block"
            raise self.fail(index, f"END {block.name} closes {open_block}; fix the BEGIN/END cells")
        self.blocks.pop()
        if block is BlockType.QUESTION and self.question is not None:
            question = self.question
            self.questions.append(Question(question.where, question.config, tuple(question.tests)))
            self.question = None

    def read_test(self, index: int, cell: Any) -> None:
        where = self.where(index)
        if cell.cell_type != "code" or self.question is None:
            raise self.fail(index, "a non-code cell inside BEGIN TESTS; move it out of the block")
        source = cell.source.split("\n")
        config, code = _split_test_config(source, self.fail, index)
        hidden_comment = source[0].lstrip().startswith("#") and bool(
            re.search(r"\bhidden\b", source[0], flags=re.IGNORECASE)
        )
        hidden = bool(config.get("hidden", hidden_comment))
        points = config.get("points")
        case = TestCase(
            where=where,
            hidden=hidden,
            points=points if isinstance(points, (int, float)) else None,
            config=config,
            code=code,
        )
        self.question.tests.append(case)
        if hidden:
            self.secrets.extend(
                SecretLine(line, where, "hidden test line") for line in code.split("\n")
            )

    def finish(self, cell_count: int) -> None:
        if self.blocks:
            block, index = self.blocks[-1]
            raise self.fail(index, f"BEGIN {block.name} is never closed; add END {block.name}")
        if self.config_where is None:
            raise BuildError(
                f"{self.display_path}: no ASSIGNMENT CONFIG cell among its {cell_count} cells; "
                "add a raw cell starting with '# ASSIGNMENT CONFIG'"
            )


def _config_body(cell: Any) -> str:
    lines = cell.source.strip().split("\n")
    if lines and lines[0].strip() == "```otter":
        lines = lines[1:-1]
    return "\n".join(lines[1:])


Fail = Callable[[int, str], BuildError]


def _yaml(text: str, fail: Fail, index: int, what: str) -> dict[str, Any]:
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise fail(index, f"{what} is not valid YAML ({error})") from error
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise fail(index, f"{what} must be a YAML mapping of keys to values, not {value!r}")
    return value


def _split_test_config(source: list[str], fail: Fail, index: int) -> tuple[dict[str, Any], str]:
    if not re.match(BEGIN_TEST_CONFIG_REGEX, source[0], flags=re.IGNORECASE):
        hidden_comment = source[0].lstrip().startswith("#")
        return {}, "\n".join(source[1:] if hidden_comment else source)
    for end, line in enumerate(source):
        if re.match(END_TEST_CONFIG_REGEX, line, flags=re.IGNORECASE):
            config = _yaml("\n".join(source[1:end]), fail, index, "the test config")
            return config, "\n".join(source[end + 1 :])
    raise fail(index, "BEGIN TEST CONFIG without END TEST CONFIG in this test cell")


_BEGIN_SOLUTION = re.compile(r"\s*# BEGIN SOLUTION")
_SOLUTION_MARK = re.compile(r"#\s?SOLUTION\s*$")


def _secret_lines(cell: Any, where: Where, in_solution_block: bool) -> Iterator[SecretLine]:
    """What otter strips from this cell (or should: a ``# SOLUTION`` line outside a
    solution block is kept by otter, which is exactly the leak to catch)."""
    lines = cell.source.split("\n")
    if cell.cell_type == "markdown" and in_solution_block:
        yield from (SecretLine(line, where, "solution line") for line in lines)
        return
    if cell.cell_type != "code":
        return
    for number in sorted(solution_line_numbers(cell.source)):
        line = lines[number - 1]
        yield SecretLine(_SOLUTION_MARK.sub("", line), where, "solution line")


def solution_line_numbers(source: str) -> set[int]:
    """The lines (counted from 1) of a code cell that otter replaces in the student's copy:
    those between ``# BEGIN SOLUTION`` and ``# END SOLUTION``, and those ending in ``# SOLUTION``.
    """
    numbers: set[int] = set()
    inside = False
    for number, line in enumerate(source.split("\n"), start=1):
        if line.rstrip().endswith("# END SOLUTION"):
            inside = False
        elif _BEGIN_SOLUTION.match(line):
            inside = True
        elif inside or _SOLUTION_MARK.search(line):
            numbers.add(number)
    return numbers


def _part_keywords(code: str) -> Iterator[str]:
    for node in ast.walk(_parse(code)):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                value = keyword.value
                text = value.value if isinstance(value, ast.Constant) else None
                if keyword.arg == "part" and isinstance(text, str) and text:
                    yield text


def _imported_modules(code: str) -> Iterator[str]:
    for node in ast.walk(_parse(code)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
        elif isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)):
            called = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
            first = node.args[0] if node.args else None
            if called in {"__import__", "import_module"} and isinstance(first, ast.Constant):
                yield str(first.value)


def _parse(code: str) -> ast.Module:
    try:
        return ast.parse(code)
    except SyntaxError:
        return ast.Module(body=[], type_ignores=[])


def syntax_error(code: str) -> str | None:
    """The SyntaxError message of this test code, if it has one."""
    try:
        ast.parse(code)
    except SyntaxError as error:
        return f"{error.msg} (line {error.lineno})"
    return None
