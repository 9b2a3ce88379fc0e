"""Step 3c: the report as one self-contained HTML page (the same numbers as the Markdown)."""

from __future__ import annotations

import os
from html import escape
from pathlib import Path

from autograder.class_report import plots
from autograder.class_report.markdown import INCIDENT_KINDS, percent
from autograder.class_report.summary import ClassSummary, MistakeCount
from autograder.class_report.summary import format_points as points
from autograder.html_page import page, table


def to_html(summary: ClassSummary, links_from: Path | None = None) -> str:
    """The page; with ``links_from``, the folder the page is written to, it links to the
    written answers next to the results (``<results>/written/``)."""
    distribution = plots.data_uri(plots.score_distribution(summary))
    rates = plots.data_uri(plots.question_rates(summary))
    body = [
        f"<h1>Class report: {escape(summary.assignment)}</h1>",
        f"<p>{escape(summary.overview)}</p>",
        "<h2>Score distribution</h2>",
        _row(
            _figure(distribution, "Histogram of autograded scores"),
            table(
                ["score", "submissions"],
                [[escape(b.label), str(b.count)] for b in summary.bins],
                numeric=frozenset({1}),
            ),
        ),
        "<h2>Questions</h2>",
        _row(
            _figure(rates, "Full-credit rate and mean score per question"),
            table(
                ["question", "points", "mean", "full credit"],
                [
                    [escape(q.name), points(q.points), points(q.mean), percent(q.full_credit_rate)]
                    for q in summary.questions
                ],
                numeric=frozenset({1, 2, 3}),
            ),
        ),
        _written(summary, links_from, summary.folder / "written"),
        "<h2>Most common recognized mistakes</h2>",
        _mistakes(summary),
        "<h2>Parts most often failed</h2>",
        _counts(summary.failed_parts) if summary.failed_parts else "<p>None: every part right.</p>",
        "<h2>Timed out, crashed or could not be read</h2>",
        _incidents(summary),
    ]
    if summary.skipped:
        items = "".join(f"<li>{escape(s)}</li>" for s in summary.skipped)
        body.append(f"<h2>Files skipped</h2>\n<ul>{items}</ul>")
    return page(f"Class report: {summary.assignment}", "\n".join(body))


def _row(*parts: str) -> str:
    return '<div class="row">' + "".join(parts) + "</div>"


def _figure(uri: str, alt: str) -> str:
    return f'<figure><img src="{uri}" alt="{escape(alt)}"></figure>'


def _written(summary: ClassSummary, links_from: Path | None, written_dir: Path) -> str:
    if not summary.written:
        return ""
    links = []
    for name in summary.written:
        combined = written_dir / "questions" / f"{name}.html"
        if links_from is not None and combined.is_file():
            href = Path(os.path.relpath(combined.resolve(), links_from.resolve())).as_posix()
            links.append(f'<a href="{escape(href)}">{escape(name)}</a>')
        else:
            links.append(escape(name))
    return (
        "<p>Written questions, graded by the staff (every student's answer, question by "
        f"question, in <code>written/</code>): {', '.join(links)}.</p>"
    )


def _mistakes(summary: ClassSummary) -> str:
    if not summary.mistakes:
        return (
            '<p class="muted">None recognized: no failed part\'s feedback named a known '
            "mistake. The parts most often failed are below.</p>"
        )
    return _counts(summary.mistakes)


def _counts(rows: tuple[MistakeCount, ...]) -> str:
    with_mistake = any(row.mistake for row in rows)
    headers = ["part", *(["mistake"] if with_mistake else []), "submissions", "example feedback"]
    return table(
        headers,
        [
            [
                escape(row.part),
                *([f"<code>{escape(row.mistake)}</code>"] if with_mistake else []),
                str(row.count),
                f'<span class="muted">{escape(row.example)}</span>',
            ]
            for row in rows
        ],
        numeric=frozenset({2 if with_mistake else 1}),
    )


def _incidents(summary: ClassSummary) -> str:
    if not summary.incidents:
        return "<p>None.</p>"
    return table(
        ["submission", "what happened", "where", "message"],
        [
            [
                escape(stem),
                escape(INCIDENT_KINDS.get(i.kind, i.kind)),
                escape(i.where),
                escape(i.message),
            ]
            for stem, i in summary.incidents
        ],
    )
