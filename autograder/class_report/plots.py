"""Step 3b: the report's figures, drawn with matplotlib and embedded as PNG data URIs.

matplotlib's object API (``Figure``) is used rather than ``pyplot``: no global figure
state and no GUI backend to select, so reports can be drawn from any thread or process.
"""

from __future__ import annotations

import base64
import io

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from autograder.class_report.summary import ClassSummary

_BLUE = "#4a7bd0"
_GREY = "#9aa5b5"


def data_uri(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def score_distribution(summary: ClassSummary) -> Figure:
    figure = Figure(figsize=(6, 3))
    axes = figure.add_subplot()
    lows = [b.low for b in summary.bins]
    widths = [b.high - b.low for b in summary.bins]
    axes.bar(lows, [b.count for b in summary.bins], width=widths, align="edge",
             color=_BLUE, edgecolor="white")  # fmt: skip
    axes.set_xlabel(f"autograded points (of {summary.max_score:g})")
    axes.set_ylabel("submissions")
    axes.set_xlim(0, summary.bins[-1].high)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.spines[["top", "right"]].set_visible(False)
    return figure


def question_rates(summary: ClassSummary) -> Figure:
    """Per question: full-credit rate (bar) and mean as a fraction of the points (dot)."""
    names = [q.name for q in summary.questions]
    figure = Figure(figsize=(6, 0.4 * len(names) + 1.4), layout="constrained")
    axes = figure.add_subplot()
    rows = list(range(len(names)))
    axes.barh(rows, [q.full_credit_rate for q in summary.questions], color=_BLUE,
              label="full credit")  # fmt: skip
    means = [q.mean / q.points if q.points else 0.0 for q in summary.questions]
    axes.plot(means, rows, "o", color=_GREY, markeredgecolor="black", label="mean / points")
    axes.set_yticks(rows, names)
    axes.invert_yaxis()
    axes.set_xlim(0, 1.02)
    axes.set_xlabel("fraction of the submissions that could be graded")
    figure.legend(loc="outside lower center", ncols=2, fontsize="small", frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    return figure
