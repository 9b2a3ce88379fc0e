"""A written answer as its Gradescope results entry shows it: HTML that Gradescope renders
(``output_format: "html"``), so graders read the answer beside the question's manual rubric.

Gradescope sanitizes an entry's HTML and draws no MathML, so math is shown as its LaTeX
source, and images as a note (the notebook has them). Found in the submission alone, by
the question blocks otter assign wrote (see extract.answers_in_submission).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from autograder.written_answers.extract import WrittenAnswer, answers_in_submission, cells_of
from autograder.written_answers.render import code_to_html, markdown_to_html

_UNANSWERED = {
    "unchanged": "Unanswered: the answer cell still holds the text it came with.",
    "missing": "No answer found.",
    "unreadable": "Your notebook could not be read, so your answer is not shown here.",
}


def answers_for_results(raw_cells: Sequence[Any], names: Sequence[str]) -> dict[str, str]:
    """Each written question's answer (``names``, in the notebook's order) as entry HTML."""
    answers = answers_in_submission(cells_of(raw_cells), names)
    return {answer.question: answer_html(answer) for answer in answers}


def answer_html(answer: WrittenAnswer) -> str:
    if answer.status != "answered":
        notes = " ".join(text for text in (_UNANSWERED[answer.status], answer.note) if text)
        return f"<p><strong>{escape(notes)}</strong></p>"
    shown = "\n".join(
        markdown_to_html(cell.source, for_gradescope=True)
        if cell.kind == "markdown"
        else code_to_html(cell.source)
        for cell in answer.cells
    )
    cut = f"<p><em>{escape(answer.note)}</em></p>" if answer.note else ""
    return f"<p><strong>Your answer:</strong></p>\n<blockquote>{shown}</blockquote>{cut}"
