"""Step 10: example submissions derived from the master, in ``dist/<name>/examples/``.

Every assignment gets ``solution.ipynb`` (the student notebook with every
answer cell filled from the solution, written answers included) and
``blank.ipynb`` (the student notebook as handed out). A mistake catalog of the
course (a ``Misconception`` in any of ``solutions/<name>/*.py``) that says how
to make the mistake (``example=((old, new), ...)``, edits of the solution's
answer cells) adds ``mistake-<mistake name>.ipynb``.

Each example says what it must score in its metadata
(``metadata.autograder.example``: its kind, and for a mistake the mistake's
name and the questions its edits touch), so that ``autograder demo``, ``validate``
and the tests need no table of expected scores.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autograder.assemble.catalog import course_mistakes
from autograder.assemble.context import BuildContext
from autograder.assemble.files import read_notebook, write_notebook
from autograder.errors import BuildError
from autograder.hidden.mistakes import Misconception

MODEL_ANSWER_LEAD = "**Model answer.** "


@dataclass(frozen=True)
class Example:
    """A submission made from the student notebook: which answers it fills, which edits it makes.

    ``filled`` holds the ids of the answer cells filled from the solution (``"*"``:
    all); ``edits`` are ``(old, new)`` replacements in the filled answer cells.
    """

    stem: str
    filled: tuple[str, ...]
    edits: tuple[tuple[str, str], ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)


def run(context: BuildContext) -> None:
    student = read_notebook(context.staged.student_notebook)
    solution = read_notebook(context.staged.solution_notebook)
    out = context.staged.examples_dir
    out.mkdir(parents=True, exist_ok=True)
    for example in derived_examples(context, solution):
        nb = make(student, solution, example)
        write_notebook(nb, out / f"{example.stem}.ipynb")


def derived_examples(context: BuildContext, solution: Any) -> list[Example]:
    examples = [
        Example("solution", ("*",), metadata={"kind": "solution"}),
        Example("blank", (), metadata={"kind": "blank"}),
    ]
    for mistake in catalogued_mistakes(context.project.course_dir(context.name)):
        where = f"the example of mistake {mistake.name!r}"
        questions = sorted(
            {_question_of_edit(context, solution, old, where) for old, _ in mistake.example}
        )
        examples.append(
            Example(
                f"mistake-{mistake.name}",
                ("*",),
                tuple(mistake.example),
                {"kind": "mistake", "mistake": mistake.name, "questions": questions},
            )
        )
    return examples


def catalogued_mistakes(directory: Path | None) -> list[Misconception]:
    """The course's mistakes that say how to make them in the solution (``example``)."""
    return [mistake for mistake in course_mistakes(directory) if mistake.example]


def _question_of_edit(context: BuildContext, solution: Any, old: str, where: str) -> str:
    hits = [cell.get("id") for cell in solution.cells if old in cell.source]
    if len(hits) != 1:
        count = "no cell" if not hits else f"{len(hits)} cells"
        raise BuildError(
            f"{where} replaces {old!r}, which is in {count} of the solution "
            f"{context.master.display_path}; quote text of exactly one answer cell"
        )
    found = context.master.question_of_cell_id(str(hits[0]))
    return (found[1] if found else None) or "?"


def make(student: Any, solution: Any, example: Example) -> Any:
    """The student notebook with ``example``'s answers filled in and its edits made."""
    nb = copy.deepcopy(student)
    answers = {cell.get("id"): cell.source for cell in solution.cells}
    answers.update(written_answers(solution))
    pending = list(example.edits)
    for cell in nb.cells:
        cell_id = cell.get("id")
        if cell_id not in answers or cell.source == answers[cell_id]:
            continue
        if "*" in example.filled or cell_id in example.filled:
            cell.source = answers[cell_id]
        for edit in list(pending):
            old, new = edit
            if old in cell.source:
                cell.source = cell.source.replace(old, new)
                pending.remove(edit)
    if pending:
        missing = ", ".join(repr(old) for old, _ in pending)
        raise BuildError(f"example {example.stem}: {missing} is in no answer cell it fills")
    if example.metadata:
        nb.metadata.setdefault("autograder", {})["example"] = example.metadata
    return nb


def written_answers(solution: Any) -> dict[str, str]:
    """Answer cell id -> the model answer that follows it (markdown, with math)."""
    answers = {}
    for cell, following in zip(solution.cells, solution.cells[1:], strict=False):
        answer = "otter_answer_cell" in cell.metadata.get("tags", [])
        model = "otter_assign_solution_cell" in following.metadata.get("tags", [])
        if answer and model and cell.cell_type == "markdown":
            answers[cell.get("id")] = following.source.replace(MODEL_ANSWER_LEAD, "", 1)
    return answers


def example_kind(nb: Any) -> dict[str, Any]:
    """What a derived example says it is (``{}`` for a hand-made one)."""
    meta = nb.metadata.get("autograder", {}) if hasattr(nb, "metadata") else {}
    example = meta.get("example", {}) if isinstance(meta, dict) else {}
    return dict(example) if isinstance(example, dict) else {}
