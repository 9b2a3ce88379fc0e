"""Gradient checks for one LSTM step: reference, finite differences, and a diagnosis.

A student's gradient is compared with the reference gradient. When it is off,
it is also compared with central finite differences of the student's *own*
forward function, which tells the student where the bug is: a gradient that
matches their forward but not the assignment's LSTM points to the forward pass;
one that matches neither points to the backward pass.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from autograder.checks.numeric import DEFAULT_RTOL, check_array, relative_error
from autograder.checks.result import CheckResult

FloatArray = npt.NDArray[np.float64]
Forward = Callable[..., Any]

# Central differences in float64: truncation error ~ε², rounding ~1e-16/ε; ε = 1e-5
# keeps correct LSTM code within 3e-9 of the analytic gradient (CONTENT.md).
FD_EPS = 1e-5

# Each gradient is the derivative of the loss with respect to the input of the same stem.
LSTM_GRADIENTS = ("dx", "dh_prev", "dc_prev", "dWx", "dWh", "db")
LSTM_INPUTS = ("x", "h_prev", "c_prev", "Wx", "Wh", "b")
# The pre-activation a = x Wx + h_prev Wh + b holds the gates in blocks of H columns.
GATE_ORDER = "ifog"

FORWARD_HINT = (
    "check lstm_step_forward: gate order i, f, o, g in a = x Wx + h_prev Wh + b, "
    "sigmoid on i, f, o and tanh on g, c = f*c_prev + i*g, h = o*tanh(c)"
)


@dataclass(frozen=True)
class LSTMProblem:
    """Inputs of one LSTM step and the upstream gradients dh, dc_next."""

    x: FloatArray
    h_prev: FloatArray
    c_prev: FloatArray
    Wx: FloatArray
    Wh: FloatArray
    b: FloatArray
    dh: FloatArray
    dc_next: FloatArray

    def inputs(self) -> tuple[FloatArray, ...]:
        """Fresh copies, so a forward that writes into its arguments cannot spoil the problem."""
        return tuple(getattr(self, name).copy() for name in LSTM_INPUTS)


def random_lstm_problem(
    rng: np.random.Generator, n: int = 3, d: int = 5, h: int = 4
) -> LSTMProblem:
    """Inputs that expose the common bugs (CONTENT.md, "blind spots").

    dh and dc_next are nonzero (zeros hide dropped terms), the cell state is of
    order 1 (a small |c| hides a missing tanh), and d != 4h so that a transposed
    dWx has the wrong shape rather than a lucky value.
    """
    if d == 4 * h:
        raise ValueError("d must differ from 4h, or a transposed dWx goes unnoticed")
    return LSTMProblem(
        x=rng.normal(size=(n, d)),
        h_prev=rng.normal(size=(n, h)),
        c_prev=rng.normal(scale=1.5, size=(n, h)),
        Wx=rng.normal(scale=1 / np.sqrt(d), size=(d, 4 * h)),
        Wh=rng.normal(scale=1 / np.sqrt(h), size=(h, 4 * h)),
        b=rng.normal(scale=0.5, size=4 * h),
        dh=rng.normal(size=(n, h)),
        dc_next=rng.normal(size=(n, h)),
    )


def lstm_loss(forward: Forward, problem: LSTMProblem, inputs: tuple[FloatArray, ...]) -> float:
    """L = Σ dh⊙h + Σ dc_next⊙c, whose gradients are what lstm_step_backward returns."""
    h, c, _ = forward(*inputs)
    return float(
        np.sum(problem.dh * np.asarray(h, dtype=np.float64))
        + np.sum(problem.dc_next * np.asarray(c, dtype=np.float64))
    )


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


def lstm_numeric_gradient(
    forward: Forward, problem: LSTMProblem, gradient: str, eps: float = FD_EPS
) -> FloatArray:
    """Finite differences of ``lstm_loss`` through ``forward`` for ``gradient`` (e.g. "dWx")."""
    position = LSTM_GRADIENTS.index(gradient)
    inputs = problem.inputs()

    def loss_at(value: FloatArray) -> float:
        moved = (*inputs[:position], value, *inputs[position + 1 :])
        return lstm_loss(forward, problem, tuple(a.copy() for a in moved))

    return central_difference(loss_at, inputs[position], eps)


def student_numeric_gradient(
    forward: object, problem: LSTMProblem, gradient: str
) -> FloatArray | None:
    """Finite differences through the student's forward, or None if it cannot be used.

    This is only a diagnosis: whatever goes wrong in the student's forward here
    (an exception, a malformed return, overflow, a warning) just means there is none.
    """
    if not callable(forward):
        return None
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            numeric = lstm_numeric_gradient(forward, problem, gradient)
    except Exception:
        return None
    return numeric if bool(np.all(np.isfinite(numeric))) else None


def check_lstm_gradient(
    gradient: str,
    student: object,
    reference: FloatArray,
    student_numeric: Callable[[], FloatArray | None],
    *,
    rtol: float = DEFAULT_RTOL,
    hidden_size: int | None = None,
) -> CheckResult:
    """Compare one student gradient with the reference; explain a mismatch.

    ``student_numeric`` is called only when the gradient is off: it returns
    finite differences through the student's own forward (or None). With
    ``hidden_size`` H, the largest difference of an array of width 4H (dWx,
    dWh, db) is placed in its gate block.
    """
    result = check_array(student, reference, name=gradient, rtol=rtol)
    if result.passed or result.stage != "close":
        return result
    result = _in_gate_block(result, reference.shape, hidden_size)
    numeric = student_numeric()
    if numeric is None:
        return result
    own_error = relative_error(np.asarray(student, dtype=np.float64), numeric)
    forward_is_right = relative_error(numeric, reference) <= rtol
    if own_error <= rtol:
        advice = (
            f"it is consistent with finite differences of your own lstm_step_forward "
            f"(relative error {own_error:.1e}) but not with the LSTM of the assignment: "
            f"{FORWARD_HINT}"
        )
    elif forward_is_right:
        advice = (
            f"your lstm_step_forward is right, and finite differences through it differ from "
            f"{gradient} (relative error {own_error:.1e}): the bug is in lstm_step_backward"
        )
    else:
        advice = (
            f"it also differs from finite differences of your own lstm_step_forward "
            f"(relative error {own_error:.1e}): the bug is in lstm_step_backward, "
            f"and the forward pass differs from the assignment's too ({FORWARD_HINT})"
        )
    return replace(result, message=f"{result.message}; {advice}")


def gate_block(index: tuple[int, ...], shape: tuple[int, ...], hidden_size: int) -> str | None:
    """The gate (i, f, o or g) whose block of columns holds ``index``, for width-4H arrays."""
    if not index or not shape or shape[-1] != 4 * hidden_size:
        return None
    return GATE_ORDER[index[-1] // hidden_size]


def _in_gate_block(
    result: CheckResult, shape: tuple[int, ...], hidden_size: int | None
) -> CheckResult:
    if result.where is None or hidden_size is None:
        return result
    gate = gate_block(result.where, shape, hidden_size)
    if gate is None:
        return result
    start = GATE_ORDER.index(gate) * hidden_size
    block = f"in the block of the {gate} gate (columns {start}:{start + hidden_size})"
    return replace(result, message=f"{result.message}, {block}")
