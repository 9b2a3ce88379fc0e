"""Score tables for people: the per-question table the CLI prints."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from autograder.grading.results import SubmissionResult
from autograder.grading.spec import AssignmentSpec

if TYPE_CHECKING:  # the build imports otter (a second): `autograder grade` must not
    from autograder.assemble import BuildReport


def score_table(spec: AssignmentSpec, results: Sequence[SubmissionResult]) -> Table:
    """Rows are submissions, columns the autograded questions, then the total."""
    table = Table(title=f"{spec.name}: scores per question")
    table.add_column("submission", style="bold")
    for question in spec.questions:
        table.add_column(f"{question.name}\n/{question.points:g}", justify="right")
    table.add_column(f"total\n/{spec.max_score:g}", justify="right", style="bold")
    for result in results:
        scores = result.question_scores()
        table.add_row(
            result.submission,
            *(f"{scores.get(q.name, 0.0):g}" for q in spec.questions),
            f"{result.score:g}",
        )
    return table


def print_scores(
    spec: AssignmentSpec, results: Sequence[SubmissionResult], console: Console | None = None
) -> None:
    if console is None:
        # Piped output defaults to 80 columns, too narrow for an assignment of nine questions.
        console = Console() if Console().is_terminal else Console(width=140)
    console.print(score_table(spec, results))


def describe_other_assignments(spec: AssignmentSpec, results: Sequence[SubmissionResult]) -> str:
    """The summary line for notebooks whose metadata names another assignment ("" if none)."""
    other = [f"{r.submission} ({r.other_assignment})" for r in results if r.other_assignment]
    if not other:
        return ""
    count = "1 notebook names" if len(other) == 1 else f"{len(other)} notebooks name"
    return (
        f"{count} another assignment than {spec.name} in its metadata, graded as "
        f"{spec.name} anyway: {', '.join(other)}"
    )


def wrap_items(line: str, width: int, indent: str = "  ") -> list[str]:
    """``line`` in lines of at most ``width``, broken only after a ", " or "; " outside
    parentheses, so no item of a list (nor its explanation) is cut; an item longer than the
    width gets a line of its own."""
    pieces, depth, start = [], 0, 0
    for index, char in enumerate(line):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and line.startswith((", ", "; "), index):
            pieces.append(line[start : index + 2])
            start = index + 2
    pieces.append(line[start:])
    lines = [""]
    for piece in pieces:
        if lines[-1].strip() and len(lines[-1]) + len(piece.rstrip()) > width:
            lines[-1] = lines[-1].rstrip()
            lines.append(indent)
        lines[-1] += piece
    return [text.rstrip() for text in lines]


def describe_build(report: BuildReport) -> str:
    """One line per assignment: what was written (or checked) and how long it took."""
    if report.checked:
        names = ", ".join(a.name for a in report.assignments)
        return f"assignments/ is in sync with solutions/ ({names}; {report.seconds:.1f} s)"
    return "\n".join(
        f"built {a.name} in {a.seconds:.1f} s: {a.student_notebook}, {a.gradescope_zip}"
        for a in report.assignments
    )
