"""Gradient checks: finite differences, and a diagnosis of where a wrong gradient comes from.

For a backward function with several outputs (one gradient per input of its
forward function), each gradient is its own credit. A student's gradient is
compared with the reference gradient; when it is off, it is also compared with
central finite differences of the student's *own* forward function, which tells
the student where the bug is: a gradient that matches their forward but not the
reference points to the forward pass; one that matches neither points to the
backward pass.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from autograder.checks.numeric import DEFAULT_RTOL, check_array, relative_error
from autograder.checks.result import CheckResult

FloatArray = npt.NDArray[np.float64]

# Central differences in float64: truncation error ~ε², rounding ~1e-16/ε; ε = 1e-5
# keeps smooth float64 code within about 1e-9 of the analytic gradient.
FD_EPS = 1e-5


def central_difference(
    f: Callable[[FloatArray], float], at: FloatArray, eps: float = FD_EPS
) -> FloatArray:
    """∂f/∂at by central differences, one entry at a time."""
    grad = np.zeros_like(at, dtype=np.float64)
    point = at.astype(np.float64, copy=True)
    for index in np.ndindex(*at.shape):
        saved = point[index]
        point[index] = saved + eps
        above = f(point.copy())
        point[index] = saved - eps
        below = f(point.copy())
        point[index] = saved
        grad[index] = (above - below) / (2 * eps)
    return grad


def numeric_gradient(
    loss: Callable[[Sequence[FloatArray]], float],
    inputs: Sequence[FloatArray],
    position: int,
    eps: float = FD_EPS,
) -> FloatArray:
    """Finite differences of ``loss(inputs)`` with respect to ``inputs[position]``.

    ``loss`` always receives fresh copies, so a function that writes into its
    arguments cannot spoil the point.
    """

    def loss_at(value: FloatArray) -> float:
        moved = (*inputs[:position], value, *inputs[position + 1 :])
        return loss([np.array(a, dtype=np.float64, copy=True) for a in moved])

    return central_difference(loss_at, np.asarray(inputs[position], dtype=np.float64), eps)


def numeric_gradient_or_none(
    loss: Callable[[Sequence[FloatArray]], float], inputs: Sequence[FloatArray], position: int
) -> FloatArray | None:
    """Finite differences through a student's function, or None if it cannot be used.

    This is only a diagnosis: whatever goes wrong in the student's function here
    (an exception, a malformed return, overflow, a warning) just means there is none.
    """
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            numeric = numeric_gradient(loss, inputs, position)
    except Exception:
        return None
    return numeric if bool(np.all(np.isfinite(numeric))) else None


def check_gradient(
    gradient: str,
    student: object,
    reference: FloatArray,
    student_numeric: Callable[[], FloatArray | None],
    *,
    forward: str,
    backward: str,
    forward_hint: str = "",
    rtol: float = DEFAULT_RTOL,
    locate: Callable[[CheckResult], CheckResult] | None = None,
) -> CheckResult:
    """Compare one student gradient with the reference; explain a mismatch.

    ``student_numeric`` is called only when the gradient is off: it returns
    finite differences through the student's own forward function (named
    ``forward``; the backward function is ``backward``), or None. ``forward_hint``
    says what the forward must compute; ``locate`` may add where in the array
    the largest difference lies (for example which block of columns).
    """
    result = check_array(student, reference, name=gradient, rtol=rtol)
    if result.passed or result.stage != "close":
        return result
    if locate is not None:
        result = locate(result)
    numeric = student_numeric()
    if numeric is None:
        return result
    own_error = relative_error(np.asarray(student, dtype=np.float64), numeric)
    forward_is_right = relative_error(numeric, reference) <= rtol
    hint = f": {forward_hint}" if forward_hint else ""
    if own_error <= rtol:
        advice = (
            f"it is consistent with finite differences of your own {forward} "
            f"(relative error {own_error:.1e}) but not with the reference{hint}"
        )
    elif forward_is_right:
        advice = (
            f"your {forward} is right, and finite differences through it differ from "
            f"{gradient} (relative error {own_error:.1e}): the bug is in {backward}"
        )
    else:
        hint = f" ({forward_hint})" if forward_hint else ""
        advice = (
            f"it also differs from finite differences of your own {forward} "
            f"(relative error {own_error:.1e}): the bug is in {backward}, "
            f"and the forward pass differs from the reference too{hint}"
        )
    return replace(result, message=f"{result.message}; {advice}")
