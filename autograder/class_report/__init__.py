"""The class report of a graded batch: load -> summarize -> Markdown and a self-contained page.

``autograder report OUT_DIR`` reads the results files ``autograder grade`` wrote and
writes ``OUT_DIR/report.html``; the terminal gets the same numbers as Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from autograder.class_report.load import Batch, load_batch
from autograder.class_report.markdown import to_markdown
from autograder.class_report.page import to_html
from autograder.class_report.summary import ClassSummary, summarize
from autograder.errors import AutograderError

__all__ = ["Batch", "ClassReport", "ClassSummary", "load_batch", "summarize", "write_report"]


@dataclass(frozen=True)
class ClassReport:
    page: Path
    markdown: str
    summary: ClassSummary


def write_report(results_dir: Path, page: Path | None = None) -> ClassReport:
    """Write the page (default ``results_dir/report.html``); return it with the Markdown."""
    summary = summarize(load_batch(results_dir))
    target = page or results_dir / "report.html"
    html = to_html(summary, target.parent)
    try:
        target.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise AutograderError(
            f"cannot write the report to {target}: {exc.strerror}; pass --html PATH"
        ) from exc
    return ClassReport(target, to_markdown(summary), summary)
