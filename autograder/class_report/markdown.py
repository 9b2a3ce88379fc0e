"""Step 3a: the report as Markdown, for the terminal (and for pasting into an issue or email)."""

from __future__ import annotations

import math

from autograder.class_report.summary import ClassSummary, MistakeCount
from autograder.class_report.summary import format_points as points

#: How the report names each kind of incident.
INCIDENT_KINDS = {
    "timeout": "timed out",
    "crash": "crashed",
    "unreadable": "could not be read",
    "grader_error": "grader failed",
}


def percent(fraction: float) -> str:
    return "n/a" if math.isnan(fraction) else f"{100 * fraction:.0f}%"


def to_markdown(summary: ClassSummary) -> str:
    sections = [
        f"# Class report: {summary.assignment}",
        summary.overview,
        "## Score distribution\n\n"
        + _table(["score", "submissions"], [[b.label, str(b.count)] for b in summary.bins]),
        "## Questions\n\n"
        + _table(
            ["question", "points", "mean", "full credit"],
            [
                [q.name, points(q.points), points(q.mean), percent(q.full_credit_rate)]
                for q in summary.questions
            ],
        )
        + _written(summary),
        "## Most common recognized mistakes\n\n" + _mistakes(summary),
        "## Parts most often failed\n\n" + _counts(summary.failed_parts, "none: every part right"),
        "## Timed out, crashed or could not be read\n\n" + _incidents(summary),
    ]
    if summary.skipped:
        sections.append(
            "## Files skipped\n\n" + "\n".join(f"- {escape_md(s)}" for s in summary.skipped)
        )
    return "\n\n".join(sections) + "\n"


def _written(summary: ClassSummary) -> str:
    if not summary.written:
        return ""
    names = ", ".join(summary.written)
    return f"\n\nWritten questions, graded by the staff (see `written/`): {names}."


def _mistakes(summary: ClassSummary) -> str:
    if not summary.mistakes:
        return (
            "None recognized: no failed part's feedback named a known mistake. "
            "The parts most often failed are below."
        )
    return _counts(summary.mistakes, "")


def _counts(rows: tuple[MistakeCount, ...], empty: str) -> str:
    if not rows:
        return empty
    with_mistake = any(row.mistake for row in rows)
    headers = ["part", *(["mistake"] if with_mistake else []), "submissions", "example feedback"]
    return _table(
        headers,
        [
            [
                row.part,
                *([row.mistake] if with_mistake else []),
                str(row.count),
                escape_md(row.example),
            ]
            for row in rows
        ],
    )


def _incidents(summary: ClassSummary) -> str:
    if not summary.incidents:
        return "None."
    return _table(
        ["submission", "what happened", "where", "message"],
        [
            [stem, INCIDENT_KINDS.get(i.kind, i.kind), escape_md(i.where), escape_md(i.message)]
            for stem, i in summary.incidents
        ],
    )


def _table(headers: list[str], rows: list[list[str]]) -> str:
    lines = [
        "| " + " | ".join(headers) + " |",
        "|" + "|".join("---" for _ in headers) + "|",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]
    return "\n".join(lines)


def escape_md(text: str) -> str:
    """Keep student text from breaking a table row."""
    return " ".join(text.split()).replace("|", "\\|")
