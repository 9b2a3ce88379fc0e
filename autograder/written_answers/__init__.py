"""Written answers for manual grading: one page per student, one per question.

``autograder grade`` calls :func:`write_written_answers` after grading: it writes
``OUT/written/<stem>.html`` (each written question's prompt and the student's answer)
and ``OUT/written/questions/<question>.html`` (every student's answer to one question,
after the model answer), with markdown and math rendered offline and student text
escaped. Steps: extract (find prompts and answers) -> render (markdown, math) -> pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Protocol

from autograder.errors import GradingSetupError
from autograder.html_page import page
from autograder.uploads import Upload, as_uploads
from autograder.written_answers.extract import (
    Cell,
    ManualQuestion,
    WrittenAnswer,
    WrittenQuestion,
    find_answers,
    load_questions,
    read_cells,
)
from autograder.written_answers.render import code_to_html, markdown_to_html

__all__ = ["WRITTEN_LAYOUT", "WrittenPages", "load_questions", "write_written_answers"]

#: What is in ``written/``, in words for the terminal.
WRITTEN_LAYOUT = "<stem>.html per student, questions/<question>.html per question"

_STATUS = {
    "answered": "",
    "unchanged": "No answer: the answer cell still holds the text it came with.",
    "missing": "No answer found.",
    "unreadable": "The notebook could not be read.",
}


class Assignment(Protocol):
    """What the pages need of an assignment (the grading spec is one)."""

    @property
    def name(self) -> str: ...

    @property
    def manual_questions(self) -> Sequence[ManualQuestion]: ...


@dataclass(frozen=True)
class WrittenPages:
    folder: Path
    students: tuple[Path, ...]
    questions: tuple[Path, ...]


def write_written_answers(
    spec: Assignment, solution: Path, submissions: Sequence[Path | Upload], out_dir: Path
) -> WrittenPages:
    """Pages for ``submissions`` in ``out_dir/written/``, prompts from ``solution`` (the
    assignment's solution notebook, dist/<name>/<name>.ipynb); nothing without written
    questions."""
    assignment, manual = spec.name, spec.manual_questions
    folder = out_dir / "written"
    if not manual:
        return WrittenPages(folder, (), ())
    questions = load_questions(solution, manual)
    template_ids = frozenset(c.cell_id for c in read_cells(solution) if c.cell_id)
    answers = {
        upload.stem: find_answers(upload.path, questions, template_ids, assignment)
        for upload in as_uploads(submissions)
    }
    try:
        (folder / "questions").mkdir(parents=True, exist_ok=True)
        students = tuple(
            _write(folder / f"{stem}.html", student_page(assignment, stem, questions, found))
            for stem, found in answers.items()
        )
        by_question = tuple(
            _write(
                folder / "questions" / f"{question.name}.html",
                question_page(assignment, question, {s: a[i] for s, a in answers.items()}),
            )
            for i, question in enumerate(questions)
        )
    except OSError as exc:
        raise GradingSetupError(f"cannot write the written answers in {folder}: {exc}") from exc
    return WrittenPages(folder, students, by_question)


def _write(path: Path, html: str) -> Path:
    path.write_text(html, encoding="utf-8")
    return path


def student_page(
    assignment: str,
    stem: str,
    questions: Sequence[WrittenQuestion],
    answers: Sequence[WrittenAnswer],
) -> str:
    sections = [
        f"<h1>Written answers: {escape(stem)}</h1>",
        f'<p class="muted">{escape(assignment)}</p>',
    ]
    for question, answer in zip(questions, answers, strict=True):
        sections += [
            f'<h2 id="{escape(question.name)}">{escape(question.name)} '
            f'<span class="muted">({question.points:g} points)</span></h2>',
            f'<div class="prompt">{_cells(question.prompt)}</div>',
            "<h3>Answer</h3>",
            _answer(answer),
        ]
    return page(f"{stem}: written answers ({assignment})", "\n".join(sections))


def question_page(
    assignment: str, question: WrittenQuestion, answers: dict[str, WrittenAnswer]
) -> str:
    answered = sum(answer.status == "answered" for answer in answers.values())
    sections = [
        f"<h1>{escape(question.name)}: every answer</h1>",
        f'<p class="muted">{escape(assignment)}, {question.points:g} points: '
        f"{answered} of {len(answers)} submissions answered</p>",
        f'<div class="prompt">{_cells(question.prompt)}</div>',
    ]
    if question.model_answer:
        sections.append(
            f"<details><summary>Model answer</summary>{_cells(question.model_answer)}</details>"
        )
    for stem, answer in answers.items():
        sections += [f'<h2 id="{escape(stem)}">{escape(stem)}</h2>', _answer(answer)]
    return page(f"{question.name}: every answer ({assignment})", "\n".join(sections))


def _answer(answer: WrittenAnswer) -> str:
    notes = [text for text in (_STATUS[answer.status], answer.note) if text]
    warning = f'<p class="warn">{escape(" ".join(notes))}</p>' if notes else ""
    shown = _cells(answer.cells) if answer.status == "answered" else ""
    return f'{warning}<div class="answer">{shown}</div>' if shown else warning


def _cells(cells: Sequence[Cell]) -> str:
    return "\n".join(
        markdown_to_html(c.source, c.attachments)
        if c.kind == "markdown"
        else code_to_html(c.source)
        for c in cells
    )
