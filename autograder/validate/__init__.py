"""Validation of an assignment's hidden tests: mutation testing and seed stability.

``validate(project, name)`` is ``autograder validate NAME``; the steps are
listed in ``autograder.validate.validation``.
"""

from autograder.validate.describe import describe
from autograder.validate.validation import (
    BAR_KEY,
    DEFAULT_BAR,
    Flip,
    MutantResult,
    QuestionReport,
    ValidateOptions,
    ValidationError,
    ValidationReport,
    validate,
)

__all__ = [
    "BAR_KEY",
    "DEFAULT_BAR",
    "Flip",
    "MutantResult",
    "QuestionReport",
    "ValidateOptions",
    "ValidationError",
    "ValidationReport",
    "describe",
    "validate",
]
