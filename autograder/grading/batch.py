"""Grading many submissions: one results file each, plus ``scores.csv``."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from autograder.errors import GradingSetupError
from autograder.grading.grade import GradingOptions, grade_notebook
from autograder.grading.results import SubmissionResult, write_scores_csv, zero_result
from autograder.grading.spec import AssignmentSpec

Progress = Callable[[Path, SubmissionResult], None]


def check_batch(submissions: Sequence[Path], out_dir: Path) -> None:
    """The instructor's mistakes, found before any grading starts."""
    missing = [str(path) for path in submissions if not path.is_file()]
    if missing:
        raise GradingSetupError(f"submission not found: {', '.join(missing)}")
    stems: dict[str, Path] = {}
    for path in submissions:
        if path.stem in stems:
            raise GradingSetupError(
                f"{stems[path.stem]} and {path} would both write {path.stem}.json: "
                "rename one of them or grade them into different --out directories"
            )
        stems[path.stem] = path
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GradingSetupError(f"cannot create the output directory {out_dir}: {exc}") from exc
    if not os.access(out_dir, os.W_OK):
        raise GradingSetupError(f"the output directory {out_dir} is not writable")


def grade_batch(
    spec: AssignmentSpec,
    submissions: Sequence[Path],
    out_dir: Path,
    options: GradingOptions,
    on_result: Progress | None = None,
) -> list[SubmissionResult]:
    """Grade each submission into ``out_dir/<stem>.json`` and write ``out_dir/scores.csv``."""
    check_batch(submissions, out_dir)
    options = replace(options, hide_paths=(*options.hide_paths, out_dir.resolve()))
    results = []
    for path in submissions:
        result = grade_safely(spec, path, options)
        result.write(out_dir / f"{path.stem}.json")
        results.append(result)
        if on_result is not None:
            on_result(path, result)
    write_scores_csv(spec, results, out_dir / "scores.csv")
    return results


def grade_safely(spec: AssignmentSpec, path: Path, options: GradingOptions) -> SubmissionResult:
    """``grade_notebook``, but a bug of ours still leaves the student a complete results file."""
    try:
        return grade_notebook(spec, path, options)
    except Exception as exc:
        traceback.print_exc(file=sys.stderr)
        return zero_result(
            spec,
            path.stem,
            f"The autograder failed on this submission ({type(exc).__name__}: {exc}); "
            "your work was not graded. Tell the course staff.",
            options.visibility,
            kind="grader_error",
        )
