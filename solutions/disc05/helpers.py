"""Hidden-test helpers for disc05 (residual connections, dropout as regularization).

Each helper takes the student's object (a function or a value) and the
keyword ``part``; it returns None when the answer is right and raises
``CheckFailed`` otherwise. ``rng`` is for tests only: by default every call
draws fresh random inputs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from autograder.checks.numeric import check_array, check_scalar
from autograder.checks.result import CheckResult
from autograder.checks.symbolic import REAL, UNIT_INTERVAL, Interval, check_expression
from autograder.hidden import (
    Answer,
    Call,
    call_student,
    fresh_generator,
    name_mistakes,
    recognize,
    recognize_expression,
    require,
)

import reference
from mistakes import CATALOG

FloatArray = npt.NDArray[np.float64]
Generator = np.random.Generator

# Several independent draws, so that no lucky draw hides a bug.
TRIALS = 3
_SHAPES = ((7,), (3, 4), (2, 3, 2))
# Where a naive 1/(1+exp(-x)) overflows (exp overflows above ~709.8) and beyond.
_EXTREMES = (-1000.0, -800.0, -745.5, -710.0, -100.0, -30.0, 0.0, 30.0, 100.0, 710.0, 1000.0)


def sigmoid(sigmoid: object, *, part: str, rng: Generator | None = None) -> None:
    _elementwise(sigmoid, "sigmoid", reference.sigmoid, part, fresh_generator(rng))


def sigmoid_extremes(sigmoid: object, *, part: str, rng: Generator | None = None) -> None:
    _extremes(sigmoid, "sigmoid", reference.sigmoid, part, fresh_generator(rng))


def sigmoid_grad(sigmoid_grad: object, *, part: str, rng: Generator | None = None) -> None:
    _elementwise(sigmoid_grad, "sigmoid_grad", reference.sigmoid_grad, part, fresh_generator(rng))


def sigmoid_grad_extremes(sigmoid_grad: object, *, part: str, rng: Generator | None = None) -> None:
    _extremes(sigmoid_grad, "sigmoid_grad", reference.sigmoid_grad, part, fresh_generator(rng))


def grad_max(sigmoid_grad_max: object, *, part: str) -> None:
    require(
        check_scalar(sigmoid_grad_max, reference.SIGMOID_GRAD_MAX, name="sigmoid_grad_max"), part
    )


def grad_argmax(sigmoid_grad_argmax: object, *, part: str) -> None:
    # The right answer is 0, where a relative error means nothing; x is measured
    # in units of the sigmoid's width (1), so the error is absolute.
    result = check_scalar(
        sigmoid_grad_argmax, reference.SIGMOID_GRAD_ARGMAX, name="sigmoid_grad_argmax", scale=1.0
    )
    require(result, part)


def grad_expr(sigmoid_grad_expr: object, *, part: str) -> None:
    _expression(
        sigmoid_grad_expr,
        "sigmoid_grad_expr",
        reference.sigmoid_grad_expr,
        {"x": REAL},
        part,
        helper="grad_expr",
    )


def residual_block(residual_block: object, *, part: str, rng: Generator | None = None) -> None:
    _compare(
        residual_block,
        "residual_block(X0, W1, W2)",
        reference.residual_block,
        _residual_inputs,
        part,
        rng,
    )


def residual_jacobian(
    residual_jacobian: object, *, part: str, rng: Generator | None = None
) -> None:
    _compare(
        residual_jacobian,
        "residual_jacobian(X0, W1, W2)",
        reference.residual_jacobian,
        _residual_inputs,
        part,
        rng,
    )


def dropout_expected_loss(
    dropout_expected_loss: object, *, part: str, rng: Generator | None = None
) -> None:
    def draw(generator: Generator) -> tuple[object, ...]:
        X, p = _data_matrix(generator), float(generator.uniform(0.2, 0.9))
        n, d = X.shape
        return X, generator.normal(size=int(n)), generator.normal(size=int(d)), p

    _compare(
        dropout_expected_loss,
        "dropout_expected_loss(X, y, w_check, p)",
        reference.dropout_expected_loss,
        draw,
        part,
        rng,
        check=check_scalar,
    )


def dropout_to_tikhonov(
    dropout_to_tikhonov: object, *, part: str, rng: Generator | None = None
) -> None:
    def draw(generator: Generator) -> tuple[object, ...]:
        return generator.normal(size=5), float(generator.uniform(0.2, 0.9))

    _compare(
        dropout_to_tikhonov,
        "dropout_to_tikhonov(w_check, p)",
        reference.dropout_to_tikhonov,
        draw,
        part,
        rng,
    )


def tikhonov_gamma(tikhonov_gamma: object, *, part: str, rng: Generator | None = None) -> None:
    def draw(generator: Generator) -> tuple[object, ...]:
        return _data_matrix(generator), float(generator.uniform(0.2, 0.9))

    _compare(tikhonov_gamma, "tikhonov_gamma(X, p)", reference.tikhonov_gamma, draw, part, rng)


def ridge_data_matrix(
    ridge_data_matrix: object, *, part: str, rng: Generator | None = None
) -> None:
    # The first X is square: there ΓX is a wrong value the feedback can name, where
    # for the (9, 4) X that follow it raises.
    rows = iter((4, 9, 9))

    def draw(generator: Generator) -> tuple[object, ...]:
        X = _data_matrix(generator, next(rows, 9))
        return X, _invertible_non_diagonal(generator, X.shape[1])

    _compare(
        ridge_data_matrix,
        "ridge_data_matrix(X, Gamma) for a non-diagonal invertible Gamma",
        reference.ridge_data_matrix,
        draw,
        part,
        rng,
    )


def column_norms(column_norms: object, *, part: str, rng: Generator | None = None) -> None:
    def draw(generator: Generator) -> tuple[object, ...]:
        return (_data_matrix(generator),)

    _compare(column_norms, "column_norms(X)", reference.column_norms, draw, part, rng)


def equal_column_norm(equal_column_norm: object, *, part: str) -> None:
    _expression(
        equal_column_norm,
        "equal_column_norm",
        reference.equal_column_norm,
        {"p": UNIT_INTERVAL},
        part,
        helper="equal_column_norm",
    )


# --- inputs and shared steps ---------------------------------------------------------


def _compare(
    student: object,
    call: str,
    correct: Callable[..., Any],
    draw: Callable[[Generator], tuple[object, ...]],
    part: str,
    rng: Generator | None,
    check: Callable[..., CheckResult] = check_array,
) -> None:
    """TRIALS fresh draws: call the student's function on copies, compare with the reference.

    ``call`` shows the student which call was checked, e.g. ``"column_norms(X)"``;
    the known mistakes are those the catalog lists under the function's name (which
    is also the helper's).
    """
    generator = fresh_generator(rng)
    name = call.split("(")[0]
    for _ in range(TRIALS):
        inputs = draw(generator)
        copies = [np.copy(value) if isinstance(value, np.ndarray) else value for value in inputs]
        value = call_student(student, name, *copies, part=part)
        result = check(value.value, correct(*inputs), name=call)
        require(_explain(result, name, value, inputs, name), part)


def _explain(
    result: CheckResult, name: str, call: Call, inputs: tuple[object, ...], helper: str
) -> CheckResult:
    """A failed result, led by the known mistakes (listed under ``helper`` in the catalog)
    that the student's answer matches."""
    if result.passed:
        return result
    found = recognize(CATALOG.get(helper, ()), Answer(call.value, call.warnings), inputs)
    return name_mistakes(result, name, found)


def _expression(
    student: object,
    name: str,
    correct: Any,
    domain: dict[str, Interval],
    part: str,
    *,
    helper: str,
) -> None:
    """An expression against the reference on ``domain``; a wrong one that is equivalent to
    a known mistake (listed under ``helper`` in the catalog) says so first."""
    result = check_expression(student, correct, domain=domain, name=name)
    if not result.passed and result.stage == "close":
        found = recognize_expression(CATALOG.get(helper, ()), student, domain)
        result = name_mistakes(result, name, found)
    require(result, part)


def _elementwise(
    student: object,
    name: str,
    correct: Callable[[FloatArray], FloatArray],
    part: str,
    rng: Generator,
) -> None:
    for shape in _SHAPES:
        x = rng.normal(scale=4.0, size=shape)
        value = call_student(student, name, x.copy(), part=part)
        result = check_array(value.value, correct(x), name=f"{name}(x) for x of shape {shape}")
        require(_explain(result, name, value, (x,), name), part)


def _extremes(
    student: object,
    name: str,
    correct: Callable[[FloatArray], FloatArray],
    part: str,
    rng: Generator,
) -> None:
    x = np.concatenate([_EXTREMES, rng.uniform(-1000.0, 1000.0, size=5)])
    value = call_student(student, name, x.copy(), part=part)
    if value.warnings:
        result = CheckResult.fail(
            "warning",
            f"{name}(x) warned for x between -1000 and 1000 ({value.warnings[0]}): "
            "compute it in a form that never takes exp of a large positive number",
        )
    else:
        result = check_array(
            value.value, correct(x), name=f"{name}(x) for x between -1000 and 1000"
        )
    require(_explain(result, name, value, (x,), f"{name}_extremes"), part)


def _residual_inputs(rng: Generator) -> tuple[object, ...]:
    """X0, W1, W2 with both signs in W1 X0, so that the ReLU mask matters."""
    n = int(rng.integers(4, 9))
    while True:
        X0 = rng.normal(size=n)
        W1 = rng.normal(scale=1 / np.sqrt(n), size=(n, n))
        W2 = rng.normal(scale=1 / np.sqrt(n), size=(n, n))
        pre_activation = W1 @ X0
        if np.any(pre_activation > 0) and np.any(pre_activation < 0):
            return X0, W1, W2


def _data_matrix(rng: Generator, rows: int = 9) -> FloatArray:
    """(rows, 4) with columns of different norms, so Γ̌ is no multiple of I; rows != 4
    unless a square X is wanted."""
    return rng.normal(size=(rows, 4)) * rng.uniform(0.5, 3.0, size=4)


def _invertible_non_diagonal(rng: Generator, d: int) -> FloatArray:
    """U diag(s) Vᵀ with s in [0.5, 2]: condition number at most 4, far from diagonal."""
    U, _ = np.linalg.qr(rng.normal(size=(d, d)))
    V, _ = np.linalg.qr(rng.normal(size=(d, d)))
    return np.asarray((U * rng.uniform(0.5, 2.0, size=d)) @ V.T)
