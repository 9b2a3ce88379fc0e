"""Grading many submissions: one results file each, plus ``scores.csv``."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from autograder.errors import GradingSetupError
from autograder.grading.grade import GradingOptions
from autograder.grading.job import Job, grade_and_write, result_path
from autograder.grading.pool import grade_in_processes
from autograder.grading.results import SubmissionResult, scores_csv
from autograder.grading.resume import (
    finished_result,
    remove_stale_temporaries,
    stamp_of,
    write_atomically,
)
from autograder.grading.spec import AssignmentSpec
from autograder.uploads import Upload, as_uploads

Progress = Callable[[Path, SubmissionResult], None]
Start = Callable[[int, int], None]  # (submissions in the batch, results kept from a past run)


def check_batch(submissions: Sequence[Path | Upload], out_dir: Path) -> list[Upload]:
    """The instructor's mistakes, found before any grading starts; the uploads to grade."""
    uploads = as_uploads(submissions)
    stems: dict[str, Path] = {}
    for upload in uploads:
        if upload.stem in stems:
            raise GradingSetupError(
                f"{stems[upload.stem]} and {upload.path} would both write {upload.stem}.json: "
                "rename one of them or grade them into different --out directories"
            )
        stems[upload.stem] = upload.path
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GradingSetupError(f"cannot create the output directory {out_dir}: {exc}") from exc
    if not os.access(out_dir, os.W_OK):
        raise GradingSetupError(f"the output directory {out_dir} is not writable")
    return uploads


def grade_batch(
    spec: AssignmentSpec,
    submissions: Sequence[Path | Upload],
    out_dir: Path,
    options: GradingOptions,
    on_result: Progress | None = None,
    *,
    jobs: int = 1,
    regrade: bool = False,
    on_start: Start | None = None,
) -> list[SubmissionResult]:
    """Grade each submission into ``out_dir/<stem>.json`` and write ``out_dir/scores.csv``.

    ``jobs`` submissions are graded at once (each in its own process when more than one
    remains). Results already in ``out_dir`` from an earlier, interrupted run of the same
    submissions against the same tests are kept unless ``regrade``. ``on_start`` learns how
    many submissions there are and how many were kept; ``on_result`` hears of each one graded.
    Results are returned, and written to the CSV, in the order of ``submissions``.
    """
    if jobs < 1:
        raise GradingSetupError(f"--jobs must be at least 1 (got {jobs})")
    uploads = check_batch(submissions, out_dir)
    remove_stale_temporaries(out_dir)
    options = replace(options, hide_paths=(*options.hide_paths, out_dir.resolve()))
    results: list[SubmissionResult | None] = [None] * len(submissions)
    todo: list[Job] = []
    for index, upload in enumerate(uploads):
        job = Job(index, upload, stamp_of(spec, upload.path))
        kept = None if regrade else finished_result(spec, result_path(out_dir, job), job.stamp)
        if kept is None:
            todo.append(job)
        results[index] = kept
    if on_start is not None:
        on_start(len(submissions), len(submissions) - len(todo))

    def done(job: Job, result: SubmissionResult) -> None:
        results[job.index] = result
        if on_result is not None:
            on_result(job.path, result)

    if jobs > 1 and len(todo) > 1:
        grade_in_processes(spec, todo, options, out_dir, min(jobs, len(todo)), done)
    else:
        for job in todo:
            done(job, grade_and_write(spec, job, options, out_dir))
    graded = [result for result in results if result is not None]
    assert len(graded) == len(submissions), "every submission has a result"
    people = [upload.submitters for upload in uploads]
    write_atomically(out_dir / "scores.csv", scores_csv(spec, graded, people))
    return graded
