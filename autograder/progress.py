"""A batch's progress: a bar with rate and time left on a terminal, else a line per result."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from autograder.grading.results import SubmissionResult


class _Rate(ProgressColumn):
    """Submissions per second over the last half minute."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.2f}/s" if speed else "-/s", style="progress.data.speed")


class BatchProgress:
    """Pass ``start`` and ``result`` to ``grade_batch``; use as a context manager.

    The bar is drawn only on a terminal and only when more than one submission
    is left to grade (a single one is graded in this process, which should then
    have no drawing thread while the checks fork).
    """

    def __init__(self, console: Console) -> None:
        self.console = console
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        self._total = 0
        self._done = 0

    def __enter__(self) -> BatchProgress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()

    def start(self, total: int, kept: int) -> None:
        self._total, self._done = total, kept
        if kept:
            self.console.print(
                f"kept {kept} of {total} results from an earlier run (--regrade grades them again)",
                highlight=False,
            )
        if self.console.is_terminal and total - kept > 1:
            self._bar = Progress(
                TextColumn("grading"),
                BarColumn(),
                MofNCompleteColumn(),
                _Rate(),
                TimeElapsedColumn(),
                TextColumn("left"),
                TimeRemainingColumn(),
                console=self.console,
                transient=True,
            )
            self._task = self._bar.add_task("grading", total=total, completed=kept)
            self._bar.start()

    def result(self, path: Path, result: SubmissionResult) -> None:
        self._done += 1
        if self._bar is not None and self._task is not None:
            self._bar.advance(self._task)
            return
        self.console.print(
            f"[{self._done}/{self._total}] graded {path}: {result.score:g}/{result.max_score:g}",
            highlight=False,
            markup=False,
        )
