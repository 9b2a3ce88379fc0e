"""The public helper API for hidden tests: what plain asserts do badly.

A hidden test cell of a master notebook is plain otter-style Python. It runs
in the trusted grading process with real numpy and sympy; the student's
functions are proxies into the sandbox and the values they return arrive as
plain numpy arrays, numbers, strings, containers and sympy expressions::

    from reference import softmax as ref_softmax
    z = np.array([1000.0, 0.0, -1000.0])
    assert np.allclose(softmax(z), ref_softmax(z)), "softmax overflows on large logits"

What plain asserts do badly is here, and a test cell (or a helper module of
the course, ``solutions/<name>/helpers.py``) may call it:

* fresh random inputs each grading run: ``fresh_generator(None)``;
* staged comparisons whose failure says what is wrong (type, shape, dtype,
  finite, close, with the index of the largest difference):
  ``require(check_array(student, expected, name="dz"), part="dz")``;
* gradients by finite differences, each output its own credit:
  ``check_gradient``, ``numeric_gradient``;
* symbolic equivalence on a domain: ``check_expression(expr, reference, domain=...)``;
* named mistakes: a catalog of ``Misconception``, ``recognize`` and
  ``name_mistakes``, worded at the course's feedback level (``feedback_level``).

``require(result, part)`` passes silently or raises ``CheckFailed``, whose
message is the feedback the student reads; ``call_student`` calls a student's
function and turns an exception into such a failure.
"""

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
from autograder.checks.symbolic import POSITIVE, REAL, UNIT_INTERVAL, Interval, check_expression
from autograder.feedback import FEEDBACK_LEVELS, FeedbackLevel, feedback_level
from autograder.hidden.mistakes import (
    Answer,
    Misconception,
    name_mistakes,
    recognize,
    recognize_choice,
    recognize_expression,
    run_variant,
    same_answer,
    same_values,
)
from autograder.hidden.support import (
    Call,
    call_student,
    fail,
    fresh_generator,
    recording,
    require,
    seeded_draws,
    unpack,
)

__all__ = [
    "DEFAULT_RTOL",
    "FD_EPS",
    "FEEDBACK_LEVELS",
    "POSITIVE",
    "REAL",
    "UNIT_INTERVAL",
    "Answer",
    "Call",
    "CheckFailed",
    "CheckResult",
    "FeedbackLevel",
    "Interval",
    "Misconception",
    "call_student",
    "central_difference",
    "check_array",
    "check_choice",
    "check_choice_row",
    "check_expression",
    "check_gradient",
    "check_scalar",
    "fail",
    "feedback_level",
    "fresh_generator",
    "name_mistakes",
    "normalize_choice",
    "numeric_gradient",
    "numeric_gradient_or_none",
    "recognize",
    "recognize_choice",
    "recognize_expression",
    "recording",
    "relative_error",
    "require",
    "run_variant",
    "same_answer",
    "same_values",
    "seeded_draws",
    "unpack",
]
