"""Step 2: the numbers of the report, computed once for both the page and the terminal."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from autograder.class_report.load import Batch, GradedSubmission, Incident, Part

#: How many mistakes and failed parts the report lists.
TOP = 10
#: Longest feedback quoted as an example of a mistake.
EXAMPLE_CHARS = 200


@dataclass(frozen=True)
class ScoreBin:
    low: float
    high: float  # exclusive, except for the last bin, which holds the maximum score
    count: int
    last: bool = False
    #: Every score is a whole number: the label names the scores the bin holds ("2-3", "0").
    whole: bool = False

    @property
    def label(self) -> str:
        if not self.whole:
            return f"{self.low:g}-{self.high:g}"
        top = math.floor(self.high) if self.last else math.ceil(self.high) - 1
        return f"{self.low:g}" if top <= self.low else f"{self.low:g}-{top:g}"


@dataclass(frozen=True)
class QuestionStats:
    name: str
    points: float
    mean: float  # points, over the submissions that could be graded
    full_credit_rate: float  # fraction of those submissions with every part right


@dataclass(frozen=True)
class MistakeCount:
    """A recognised mistake (``mistake`` set) or, failing that, a failed part."""

    part: str
    mistake: str
    count: int
    example: str  # the feedback one of these submissions got


@dataclass(frozen=True)
class ClassSummary:
    folder: Path  # the results folder
    assignment: str
    submissions: int
    graded: int  # submissions that could be graded at all
    max_score: float
    totals: tuple[float, ...]
    bins: tuple[ScoreBin, ...]
    questions: tuple[QuestionStats, ...]
    written: tuple[str, ...]  # written questions, graded by the staff
    mistakes: tuple[MistakeCount, ...]  # recognised mistakes, most common first
    failed_parts: tuple[MistakeCount, ...]  # parts most often failed (mistake empty)
    incidents: tuple[tuple[str, Incident], ...]  # (submission, incident)
    skipped: tuple[str, ...]

    @property
    def mean(self) -> float:
        return statistics.fmean(self.totals)

    @property
    def median(self) -> float:
        return statistics.median(self.totals)

    @property
    def overview(self) -> str:
        ungraded = self.submissions - self.graded
        note = f" ({ungraded} could not be graded at all)" if ungraded else ""
        plural = "" if self.submissions == 1 else "s"
        return (
            f"{self.submissions} submission{plural}{note}. Autograded points: mean "
            f"{format_points(self.mean)}, median {format_points(self.median)}, min "
            f"{format_points(min(self.totals))}, max {format_points(max(self.totals))} of "
            f"{format_points(self.max_score)}. Per-question numbers count only the submissions "
            "that could be graded."
        )


def format_points(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.2f}".rstrip("0").rstrip(".")


def summarize(batch: Batch) -> ClassSummary:
    graded = [s for s in batch.submissions if s.graded]
    autograded = _questionformat_points(batch.submissions)
    return ClassSummary(
        folder=batch.folder,
        assignment=batch.assignment,
        submissions=len(batch.submissions),
        graded=len(graded),
        max_score=sum(autograded.values()),
        totals=tuple(s.score for s in batch.submissions),
        bins=score_bins([s.score for s in batch.submissions], sum(autograded.values())),
        questions=tuple(
            _question_stats(name, points, graded) for name, points in autograded.items()
        ),
        written=_written_questions(batch.submissions),
        mistakes=_recognised_mistakes(graded),
        failed_parts=_failed_parts(graded),
        incidents=tuple((s.stem, i) for s in batch.submissions for i in s.incidents),
        skipped=batch.skipped,
    )


def score_bins(totals: list[float], max_score: float, target: int = 8) -> tuple[ScoreBin, ...]:
    """About ``target`` equal bins of whole points from 0 to the maximum score."""
    width = max(1, math.ceil(max_score / target)) if max_score > 0 else 1
    edges: list[float] = list(range(0, math.ceil(max_score) + 1, width))
    if not edges or edges[-1] < max_score:
        edges.append(edges[-1] + width if edges else width)
    if len(edges) < 2:
        edges.append(width)
    edges[-1] = max(max_score, edges[-2] + 1)  # the last bin ends at the maximum score
    counts = [0] * (len(edges) - 1)
    for total in totals:
        index = min(int(total // width), len(counts) - 1)
        counts[max(index, 0)] += 1
    whole = float(max_score).is_integer() and all(float(t).is_integer() for t in totals)
    return tuple(
        ScoreBin(float(edges[i]), float(edges[i + 1]), counts[i], i == len(counts) - 1, whole)
        for i in range(len(counts))
    )


def _questionformat_points(submissions: tuple[GradedSubmission, ...]) -> dict[str, float]:
    """Autograded questions in results order, with their points (the largest seen)."""
    points: dict[str, float] = {}
    for submission in submissions:
        seen: dict[str, float] = {}
        for part in submission.parts:
            if not part.manual and part.max_score > 0:
                seen[part.question] = seen.get(part.question, 0.0) + part.max_score
        for name, value in seen.items():
            points[name] = max(points.get(name, 0.0), value)
    return points


def _question_stats(name: str, points: float, graded: list[GradedSubmission]) -> QuestionStats:
    scores, full = [], 0
    for submission in graded:
        parts = [p for p in submission.parts if p.question == name and not p.manual]
        scores.append(sum(p.score for p in parts))
        full += bool(parts) and all(p.full_credit for p in parts)
    mean = statistics.fmean(scores) if scores else math.nan
    rate = full / len(graded) if graded else math.nan
    return QuestionStats(name, points, mean, rate)


def _written_questions(submissions: tuple[GradedSubmission, ...]) -> tuple[str, ...]:
    names = (p.question for s in submissions for p in s.parts if p.manual)
    return tuple(dict.fromkeys(names))


def _failed(graded: list[GradedSubmission]) -> list[Part]:
    return [p for s in graded for p in s.parts if not p.manual and not p.full_credit]


def _recognised_mistakes(graded: list[GradedSubmission]) -> tuple[MistakeCount, ...]:
    counts: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], str] = {}
    for part in _failed(graded):
        for mistake in dict.fromkeys(part.mistakes):
            counts[(part.name, mistake)] += 1
            examples.setdefault((part.name, mistake), _shorten(part.output))
    return tuple(
        MistakeCount(name, mistake, count, examples[(name, mistake)])
        for (name, mistake), count in _most_common(counts)
    )


def _failed_parts(graded: list[GradedSubmission]) -> tuple[MistakeCount, ...]:
    counts: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], str] = {}
    for part in _failed(graded):
        counts[(part.name, "")] += 1
        examples.setdefault((part.name, ""), _shorten(part.output))
    return tuple(
        MistakeCount(name, "", count, examples[(name, "")])
        for (name, _), count in _most_common(counts)
    )


def _most_common(counts: Counter[tuple[str, str]]) -> list[tuple[tuple[str, str], int]]:
    """Most frequent first; ties in name order, so the report is the same every time."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:TOP]


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXAMPLE_CHARS else text[: EXAMPLE_CHARS - 3] + "..."
