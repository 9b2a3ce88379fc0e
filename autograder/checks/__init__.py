"""Checks: compare a student's answer with a reference, return a CheckResult."""

from autograder.checks.choices import check_choice, check_choice_row, normalize_choice
from autograder.checks.gradients import (
    FD_EPS,
    LSTM_GRADIENTS,
    LSTMProblem,
    central_difference,
    check_lstm_gradient,
    lstm_numeric_gradient,
    random_lstm_problem,
    student_numeric_gradient,
)
from autograder.checks.numeric import DEFAULT_RTOL, check_array, check_scalar, relative_error
from autograder.checks.result import CheckFailed, CheckResult
from autograder.checks.symbolic import (
    POSITIVE,
    REAL,
    UNIT_INTERVAL,
    ExpressionSyntaxError,
    check_expression,
    parse_expression,
)

__all__ = [
    "DEFAULT_RTOL",
    "FD_EPS",
    "LSTM_GRADIENTS",
    "POSITIVE",
    "REAL",
    "UNIT_INTERVAL",
    "CheckFailed",
    "CheckResult",
    "ExpressionSyntaxError",
    "LSTMProblem",
    "central_difference",
    "check_array",
    "check_choice",
    "check_choice_row",
    "check_expression",
    "check_lstm_gradient",
    "check_scalar",
    "lstm_numeric_gradient",
    "normalize_choice",
    "parse_expression",
    "random_lstm_problem",
    "relative_error",
    "student_numeric_gradient",
]
