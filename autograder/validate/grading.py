"""Grading many notebooks for validation, the way ``autograder grade`` does, in parallel.

Each worker process loads the built tests once and grades a notebook with
``grade_safely`` (sandbox and all) while the hidden helpers draw their inputs
from a given seed (``seeded_draws``), so that a verdict can be reproduced and
compared across seeds. Processes, not threads: the helpers record warnings
with ``warnings.catch_warnings``, which is global to a process.
"""

from __future__ import annotations

import math
import multiprocessing
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: (case label, question, passed) for each graded case, in the spec's order.
Verdicts = tuple[tuple[str, str, bool], ...]
RETRIES = 1


@dataclass(frozen=True)
class GradingJob:
    """One notebook (given as a path, or as nbformat JSON text) graded under one seed."""

    key: Any
    seed: int
    path: Path | None = None
    notebook_json: str | None = None


class ValidationGrader:
    """A pool of worker processes grading with the tests of one built assignment."""

    def __init__(self, tests_dir: Path, manifest: Path, workers: int) -> None:
        self._pool = ProcessPoolExecutor(
            max_workers=max(1, workers),
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_load,
            initargs=(tests_dir, manifest),
        )

    def __enter__(self) -> ValidationGrader:
        return self

    def __exit__(self, *_: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def grade(self, jobs: Iterable[GradingJob]) -> Iterator[tuple[Any, Verdicts]]:
        """(job key, verdicts) for each job, in the order given."""
        futures = [(job.key, self._pool.submit(_grade, job)) for job in jobs]
        for key, future in futures:
            yield key, future.result()


_spec: Any = None


def _load(tests_dir: Path, manifest: Path) -> None:
    global _spec
    from autograder.grading import load_spec_from

    _spec = load_spec_from(tests_dir, manifest)


def _grade(job: GradingJob) -> Verdicts:
    from autograder.grading import GradingOptions, grade_notebook
    from autograder.hidden.support import seeded_draws

    with tempfile.TemporaryDirectory(prefix="autograder-validate-") as work:
        path = job.path
        if path is None:
            path = Path(work) / "submission.ipynb"
            path.write_text(job.notebook_json or "", encoding="utf-8")
        # grade_notebook, not grade_safely: a failure of the grader itself (a sandbox that
        # cannot start) must stop validation, not pass for a killed mutant. It gets one retry,
        # for a machine short of memory for a moment.
        for attempt in range(RETRIES + 1):
            try:
                with seeded_draws(job.seed):
                    result = grade_notebook(_spec, path, GradingOptions())
                break
            except Exception:
                if attempt == RETRIES:
                    raise
    return tuple(
        (test.name, test.question, math.isclose(test.score, test.max_score))
        for test in result.tests
        if test.max_score > 0
    )
