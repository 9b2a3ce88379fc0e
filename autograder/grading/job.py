"""One submission of a batch, graded and written to its results file.

Both ways of grading a batch use it: one after the other in this process
(``batch``) and several at once in grading processes (``pool``).
"""

from __future__ import annotations

import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from autograder.grading.grade import GradingOptions, grade_notebook
from autograder.grading.results import SubmissionResult, zero_result
from autograder.grading.resume import Stamp, write_result
from autograder.grading.spec import AssignmentSpec
from autograder.uploads import Upload


@dataclass(frozen=True)
class Job:
    """One submission of a batch: its place in the batch, its file, what it is (for resuming)."""

    index: int
    upload: Upload
    stamp: Stamp

    @property
    def path(self) -> Path:
        return self.upload.path


def result_path(out_dir: Path, job: Job) -> Path:
    return out_dir / f"{job.upload.stem}.json"


def grade_and_write(
    spec: AssignmentSpec, job: Job, options: GradingOptions, out_dir: Path
) -> SubmissionResult:
    """Grade one submission and write its results file, stamped as finished unless we failed."""
    result, graded = _grade(spec, job.upload, options)
    write_result(result_path(out_dir, job), result, job.stamp if graded else None)
    return result


def grade_safely(spec: AssignmentSpec, path: Path, options: GradingOptions) -> SubmissionResult:
    """``grade_notebook``, but a bug of ours still leaves the student a complete results file."""
    return _grade(spec, Upload(path, path.stem), options)[0]


def _grade(
    spec: AssignmentSpec, upload: Upload, options: GradingOptions
) -> tuple[SubmissionResult, bool]:
    """The result, and whether it is a grading (False: the autograder failed)."""
    try:
        return grade_notebook(spec, upload.path, options, upload.stem), True
    except Exception as exc:
        traceback.print_exc(file=sys.stderr)
        return failed_result(spec, upload, options, f"{type(exc).__name__}: {exc}"), False


def failed_result(
    spec: AssignmentSpec, upload: Upload, options: GradingOptions, why: str
) -> SubmissionResult:
    """The results file of a submission we failed to grade (our fault, not the student's)."""
    return zero_result(
        spec,
        upload.stem,
        f"The autograder failed on this submission ({why}); "
        "your work was not graded. Tell the course staff.",
        options.visibility,
        kind="grader_error",
    )
