"""Finding each written question's prompt and a student's answer in the notebooks.

In the notebooks ``otter assign`` writes, a manual question is a block of cells: the
first holds ``<!-- BEGIN QUESTION -->`` and the prompt, answer cells are tagged
``otter_answer_cell``, the solution notebook adds the model answer in cells tagged
``otter_assign_solution_cell``, and the cell after the block starts with
``<!-- END QUESTION -->``. The markers do not name the question: blocks follow the
manifest's manual questions in order.

The prompt comes from our solution notebook, never from the submission. A student's
answer is found by the answer cell's id (kept by Jupyter), plus any cells the student
added right after it; failing that, in the block whose prompt heading matches.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from autograder.errors import GradingSetupError
from autograder.uploads import SubmissionProblem, read_upload

BEGIN = "<!-- BEGIN QUESTION -->"
END = "<!-- END QUESTION -->"
ANSWER_TAG = "otter_answer_cell"
#: What otter assign puts in a written question's answer cell of the student notebook.
PLACEHOLDER = "_Type your answer here, replacing this text._"
SOLUTION_TAG = "otter_assign_solution_cell"
#: Longest answer shown; a longer one is cut with a note (the notebook has the rest).
MAX_ANSWER_CHARS = 100_000


@dataclass(frozen=True)
class Cell:
    kind: str  # markdown, code, raw
    source: str
    cell_id: str = ""
    tags: tuple[str, ...] = ()
    attachments: dict[str, Any] | None = None


@dataclass(frozen=True)
class WrittenQuestion:
    name: str
    points: float
    prompt: tuple[Cell, ...]  # the question's text, and any code given with it
    answer_ids: tuple[str, ...]  # ids of the answer cells students start from
    placeholder: str  # what those cells hold before the student writes
    model_answer: tuple[Cell, ...]

    @property
    def heading(self) -> str:
        """The prompt's first heading line, used to recognise the block in a submission."""
        for line in self.prompt[0].source.splitlines() if self.prompt else ():
            if line.lstrip().startswith("#"):
                return line.strip()
        return ""


AnswerStatus = Literal["answered", "unchanged", "missing", "unreadable"]


@dataclass(frozen=True)
class WrittenAnswer:
    question: str
    status: AnswerStatus
    cells: tuple[Cell, ...] = ()
    note: str = ""  # why it is missing or unreadable, or that it was cut


class ManualQuestion(Protocol):
    """A written question as the manifest lists it (the grading spec's ``ManualQuestion``)."""

    @property
    def name(self) -> str: ...

    @property
    def points(self) -> float: ...


def load_questions(solution: Path, manual: Sequence[ManualQuestion]) -> tuple[WrittenQuestion, ...]:
    """The written questions of an assignment, from its solution notebook (dist/<name>/)."""
    try:
        cells = read_cells(solution)
    except ValueError as problem:
        raise GradingSetupError(f"{solution}: {problem}; rebuild the assignment") from problem
    blocks = _blocks(cells)
    if len(blocks) != len(manual):
        raise GradingSetupError(
            f"{solution} has {len(blocks)} written-question blocks but the manifest lists "
            f"{len(manual)} manual questions ({', '.join(q.name for q in manual)}): "
            "rebuild the assignment"
        )
    return tuple(_question(q, block) for q, block in zip(manual, blocks, strict=True))


def _question(question: ManualQuestion, block: list[Cell]) -> WrittenQuestion:
    answers = [c for c in block if ANSWER_TAG in c.tags]
    return WrittenQuestion(
        name=question.name,
        points=question.points,
        prompt=tuple(
            _without_markers(c)
            for c in block
            if ANSWER_TAG not in c.tags and SOLUTION_TAG not in c.tags
        ),
        answer_ids=tuple(c.cell_id for c in answers if c.cell_id),
        placeholder=answers[0].source.strip() if answers else "",
        model_answer=tuple(c for c in block if SOLUTION_TAG in c.tags),
    )


def _without_markers(cell: Cell) -> Cell:
    source = cell.source.replace(BEGIN, "").strip()
    return Cell(cell.kind, source, cell.cell_id, cell.tags, cell.attachments)


def _blocks(cells: Sequence[Cell]) -> list[list[Cell]]:
    """The cells of each BEGIN..END block, the BEGIN cell first, the END cell left out."""
    blocks: list[list[Cell]] = []
    current: list[Cell] | None = None
    for cell in cells:
        if current is not None and END in cell.source:
            blocks.append(current)
            current = None
        if BEGIN in cell.source:
            current = [cell]
        elif current is not None:
            current.append(cell)
    if current is not None:
        blocks.append(current)  # a notebook that ends inside a block
    return blocks


def find_answers(
    submission: Path,
    questions: Sequence[WrittenQuestion],
    template_ids: frozenset[str],
    assignment: str = "",
) -> list[WrittenAnswer]:
    """The student's answer to each question; ``template_ids`` are the ids of our cells."""
    try:
        cells = read_cells(submission, assignment)
    except ValueError as problem:
        return [WrittenAnswer(q.name, "unreadable", note=str(problem)) for q in questions]
    return [_answer(q, cells, template_ids) for q in questions]


def _answer(
    question: WrittenQuestion, cells: list[Cell], template_ids: frozenset[str]
) -> WrittenAnswer:
    found = _by_id(question, cells, template_ids) or _by_heading(question, cells)
    if found is None:
        return WrittenAnswer(
            question.name,
            "missing",
            note="no answer cell found: the question's cells were deleted or changed; "
            "look for the answer in the notebook itself",
        )
    texts = [c.source.strip() for c in found]
    if all(text in ("", question.placeholder) for text in texts):
        return WrittenAnswer(question.name, "unchanged", tuple(found))
    return _cut(WrittenAnswer(question.name, "answered", tuple(found)))


def _by_id(
    question: WrittenQuestion, cells: list[Cell], template_ids: frozenset[str]
) -> list[Cell] | None:
    """The answer cells, and the cells the student added after them (ids we never made)."""
    starts = [i for i, c in enumerate(cells) if c.cell_id in question.answer_ids]
    if not starts:
        return None
    found = [cells[i] for i in starts]
    for cell in cells[starts[-1] + 1 :]:
        if cell.cell_id in template_ids or END in cell.source or BEGIN in cell.source:
            break
        found.append(cell)
    return found


def _by_heading(question: WrittenQuestion, cells: list[Cell]) -> list[Cell] | None:
    if not question.heading:
        return None
    given = {c.source.strip() for c in question.prompt}
    for block in _blocks(cells):
        if question.heading in block[0].source:
            return [c for c in block[1:] if c.source.strip() not in given]
    return None


def answers_in_submission(cells: Sequence[Cell], names: Sequence[str]) -> list[WrittenAnswer]:
    """Each written question's answer, from the submission alone (Gradescope has no solution
    notebook to match cell ids against): the ``names``-th BEGIN..END block in order, from its
    first answer cell to the block's end (so with the cells the student added)."""
    blocks = _blocks(cells)
    if len(blocks) != len(names):
        note = (
            f"the notebook has {len(blocks)} written-question blocks instead of {len(names)}: "
            "a question's cells were deleted or changed; the answer is in the notebook itself"
        )
        return [WrittenAnswer(name, "missing", note=note) for name in names]
    return [_answer_in_block(name, block) for name, block in zip(names, blocks, strict=True)]


def _answer_in_block(name: str, block: list[Cell]) -> WrittenAnswer:
    starts = [i for i, cell in enumerate(block) if ANSWER_TAG in cell.tags]
    if not starts:
        note = "no answer cell found: the question's cells were deleted or changed"
        return WrittenAnswer(name, "missing", note=note)
    found = tuple(block[starts[0] :])
    if all(cell.source.strip() in ("", PLACEHOLDER) for cell in found):
        return WrittenAnswer(name, "unchanged", found)
    return _cut(WrittenAnswer(name, "answered", found))


def cells_of(raw: Sequence[Any]) -> list[Cell]:
    """The cells of a notebook's ``cells`` list, tolerant of whatever an editor wrote."""
    return [_cell(entry) for entry in raw if isinstance(entry, dict)]


def _cut(answer: WrittenAnswer) -> WrittenAnswer:
    total, kept = 0, []
    for cell in answer.cells:
        room = MAX_ANSWER_CHARS - total
        if room <= 0:
            break
        kept.append(cell if len(cell.source) <= room else Cell(cell.kind, cell.source[:room]))
        total += len(cell.source)
    if total <= MAX_ANSWER_CHARS:
        return answer
    note = f"the answer is {total:,} characters long; the first {MAX_ANSWER_CHARS:,} are shown"
    return WrittenAnswer(answer.question, answer.status, tuple(kept), note)


def read_cells(path: Path, assignment: str = "") -> list[Cell]:
    """The cells of a notebook (or of the one in a zip or folder: ``assignment`` picks among
    several), tolerant of whatever a student's editor wrote."""
    try:
        data = json.loads(read_upload(path, assignment or "your assignment").data.decode("utf-8"))
    except SubmissionProblem as problem:
        raise ValueError(str(problem)) from problem
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"not a readable notebook ({exc})") from exc
    raw = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(raw, list):
        raise ValueError("not a notebook (no list of cells)")
    return cells_of(raw)


def _cell(entry: dict[str, Any]) -> Cell:
    source = entry.get("source", "")
    if isinstance(source, list):
        source = "".join(part for part in source if isinstance(part, str))
    metadata = entry.get("metadata")
    tags = metadata.get("tags", []) if isinstance(metadata, dict) else []
    attachments = entry.get("attachments")
    return Cell(
        kind=str(entry.get("cell_type", "")),
        source=source if isinstance(source, str) else "",
        cell_id=str(entry.get("id", "")),
        tags=tuple(t for t in tags if isinstance(t, str)) if isinstance(tags, list) else (),
        attachments=attachments if isinstance(attachments, dict) else None,
    )
