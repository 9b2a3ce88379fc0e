"""Grading: read a submission, execute it in the sandbox, run the hidden cases, score, report."""

from autograder.grading.batch import grade_batch
from autograder.grading.grade import GradingOptions, grade_notebook
from autograder.grading.job import grade_safely
from autograder.grading.results import CaseResult, SubmissionResult
from autograder.grading.spec import AssignmentSpec, load_spec, load_spec_from

__all__ = [
    "AssignmentSpec",
    "CaseResult",
    "GradingOptions",
    "SubmissionResult",
    "grade_batch",
    "grade_notebook",
    "grade_safely",
    "load_spec",
    "load_spec_from",
]
