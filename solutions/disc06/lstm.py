"""One LSTM step as a gradient-checking problem: random inputs, the loss, a diagnosis.

Built on the generic gradient checks of ``autograder.checks.gradients``: each
of the six gradients of ``lstm_step_backward`` is its own credit, and a wrong
one is compared with finite differences of the student's own forward step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from autograder.checks.gradients import check_gradient, numeric_gradient, numeric_gradient_or_none
from autograder.checks.numeric import DEFAULT_RTOL
from autograder.checks.result import CheckResult

FloatArray = npt.NDArray[np.float64]
Forward = Callable[..., Any]

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


def lstm_loss(forward: Forward, problem: LSTMProblem, inputs: Sequence[FloatArray]) -> float:
    """L = Σ dh⊙h + Σ dc_next⊙c, whose gradients are what lstm_step_backward returns."""
    h, c, _ = forward(*inputs)
    return float(
        np.sum(problem.dh * np.asarray(h, dtype=np.float64))
        + np.sum(problem.dc_next * np.asarray(c, dtype=np.float64))
    )


def lstm_numeric_gradient(forward: Forward, problem: LSTMProblem, gradient: str) -> FloatArray:
    """Finite differences of ``lstm_loss`` through ``forward`` for ``gradient`` (e.g. "dWx")."""
    return numeric_gradient(
        lambda inputs: lstm_loss(forward, problem, inputs),
        problem.inputs(),
        LSTM_GRADIENTS.index(gradient),
    )


def student_numeric_gradient(
    forward: object, problem: LSTMProblem, gradient: str
) -> FloatArray | None:
    """Finite differences through the student's forward, or None if it cannot be used."""
    if not callable(forward):
        return None
    return numeric_gradient_or_none(
        lambda inputs: lstm_loss(forward, problem, inputs),
        problem.inputs(),
        LSTM_GRADIENTS.index(gradient),
    )


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

    With ``hidden_size`` H, the largest difference of an array of width 4H (dWx,
    dWh, db) is placed in its gate block.
    """
    return check_gradient(
        gradient,
        student,
        reference,
        student_numeric,
        forward="lstm_step_forward",
        backward="lstm_step_backward",
        forward_hint=FORWARD_HINT,
        rtol=rtol,
        locate=lambda result: _in_gate_block(result, reference.shape, hidden_size),
    )


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
