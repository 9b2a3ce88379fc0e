"""Checks: compare a student's answer with a reference, return a CheckResult."""

from autograder.checks.choices import check_choice, check_choice_row, normalize_choice
from autograder.checks.gradients import (
    FD_EPS,
    central_difference,
    check_gradient,
    numeric_gradient,
    numeric_gradient_or_none,
)
from autograder.checks.numeric import DEFAULT_RTOL, check_array, check_scalar, relative_error
from autograder.checks.result import CheckFailed, CheckResult
from autograder.checks.symbolic import POSITIVE, REAL, UNIT_INTERVAL, check_expression
from autograder.expressions import ExpressionSyntaxError, parse_expression

__all__ = [
    "DEFAULT_RTOL",
    "FD_EPS",
    "POSITIVE",
    "REAL",
    "UNIT_INTERVAL",
    "CheckFailed",
    "CheckResult",
    "ExpressionSyntaxError",
    "central_difference",
    "check_array",
    "check_choice",
    "check_choice_row",
    "check_expression",
    "check_gradient",
    "check_scalar",
    "normalize_choice",
    "numeric_gradient",
    "numeric_gradient_or_none",
    "parse_expression",
    "relative_error",
]
